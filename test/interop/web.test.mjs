// The OpenFeature web SDK with @openfeature/ofrep-web-provider, in headless
// Chromium (Debian's /usr/bin/chromium driven by playwright-core), against a
// real `flagctl serve` on another origin (CORS).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { here, makeProject, startServe, flagctlEval, contexts, writeFlags, eventually, FLAGS, STAGING, API_KEY } from './lib.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TYPES = { '.html': 'text/html', '.mjs': 'text/javascript', '.js': 'text/javascript', '.map': 'application/json' };

let statics, staticURL, project, server, context, page, profile;
const consoleLines = [];

/** A static server for web/ and the OpenFeature packages in node_modules. */
function startStatic() {
  const srv = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!path.startsWith('/web/') && !path.startsWith('/node_modules/@openfeature/')) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(join(here, path));
      res.writeHead(200, { 'Content-Type': TYPES[path.slice(path.lastIndexOf('.'))] || 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve(srv)));
}

async function metric(line) {
  const text = await (await fetch(server.url + '/metrics')).text();
  const m = text.split('\n').find((l) => l.startsWith(line + ' '));
  return m ? Number(m.slice(line.length + 1)) : 0;
}

before(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run "make test-interop" (it installs Debian's chromium)`);
  statics = await startStatic();
  staticURL = `http://127.0.0.1:${statics.address().port}`;
  project = makeProject(staticURL);
  server = await startServe(project.dir);
  profile = await mkdtemp(join(tmpdir(), 'flagctl-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  page = await context.newPage();
  page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e}`));
  page.on('requestfailed', (r) => consoleLines.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`));
  await page.goto(staticURL + '/web/index.html');
  await page.waitForFunction(() => document.getElementById('status').textContent === 'ready', null, { timeout: 15000 });
});

after(async () => {
  if (process.exitCode && consoleLines.length) console.log('browser console:\n' + consoleLines.join('\n'));
  // the page as the tests left it, for CI artifacts
  await page?.screenshot({ path: join(here, 'artifacts', 'web.png'), fullPage: true }).catch(() => {});
  await context?.close();
  await server?.stop();
  statics?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
  project?.cleanup();
});

const connect = (domain, options, ctx) =>
  page.evaluate(([d, o, c]) => window.flagctl.connect(d, o, c), [domain, { baseUrl: server.url, headers: [['X-API-Key', API_KEY]], ...options }, ctx]);
const details = (domain, flag, def) => page.evaluate(([d, f, v]) => window.flagctl.details(d, f, v), [domain, flag, def]);

test('web SDK in Chromium: actor, group and percentage answers equal flagctl eval', async () => {
  const ctxs = contexts();
  for (const [i, ctx] of ctxs.entries()) {
    // no change detection: each SSE stream would hold one of the browser's six
    // HTTP/1.1 connections to the server
    const r = await connect(`ctx${i}`, { changeDetection: 'none' }, ctx);
    assert.equal(r.status, 'READY', `ctx${i} ${JSON.stringify(ctx)}: ${JSON.stringify(r)}`);
    for (const flag of FLAGS) {
      const want = flagctlEval(project.dir, flag, ctx.targetingKey, ctx.groups);
      const d = await details(`ctx${i}`, flag, !want);
      assert.equal(d.errorCode, null, `${flag} ${JSON.stringify(ctx)}`);
      assert.equal(d.value, want, `${flag} for ${JSON.stringify(ctx)}`);
      assert.equal(d.variant, want ? 'on' : 'off');
    }
  }
});

test('web SDK in Chromium: an unknown flag gives the code default and FLAG_NOT_FOUND', async () => {
  for (const def of [true, false]) {
    const d = await details('ctx0', 'no_such_flag_enabled', def);
    assert.equal(d.value, def);
    assert.equal(d.errorCode, 'FLAG_NOT_FOUND');
  }
});

test('web SDK in Chromium: a wrong key is a fatal provider error', async () => {
  const r = await page.evaluate(([base]) => window.flagctl.connect('bad', { baseUrl: base, headers: [['X-API-Key', 'wrong']], changeDetection: 'none' }, { targetingKey: 'user:1' }), [server.url]);
  assert.equal(r.status, 'FATAL', JSON.stringify(r));
  const d = await details('bad', 'dark_mode_enabled', false);
  assert.equal(d.value, false);
  assert.equal(d.errorCode, 'PROVIDER_FATAL');
});

test('web SDK in Chromium: a file edit reaches the client by polling with ETag (304) and by SSE', async () => {
  const ctx = { targetingKey: 'user:42' };
  assert.equal((await connect('poll', { changeDetection: 'polling', pollInterval: 100 }, ctx)).status, 'READY');
  assert.equal((await connect('sse', { changeDetection: 'sse', pollInterval: 0 }, ctx)).status, 'READY');
  assert.equal((await details('poll', 'dark_mode_enabled', false)).value, true);
  assert.equal((await details('sse', 'dark_mode_enabled', false)).value, true);
  const notModified = 'flagctl_http_request_duration_seconds_count{code="304",route="POST /ofrep/v1/evaluate/flags"}';
  const before304 = await metric(notModified);
  await eventually('polls answered 304 Not Modified', async () => (await metric(notModified)) >= before304 + 2);
  await eventually('the SSE stream to open', async () => (await metric('flagctl_sse_streams{env="staging"}')) >= 1);

  writeFlags(project.dir, STAGING.replace('dark_mode_enabled: true', 'dark_mode_enabled: false'));
  await eventually('the edit to reach the polling client', async () => (await details('poll', 'dark_mode_enabled', true)).value === false);
  // pollInterval 0 and no visibility refresh: only the SSE event can bring it.
  await eventually('the edit to reach the SSE client', async () => (await details('sse', 'dark_mode_enabled', true)).value === false);
  const d = await details('sse', 'dark_mode_enabled', true);
  assert.equal(d.reason, 'DISABLED');
  assert.ok((await page.evaluate(() => window.flagctl.changes('sse'))) >= 1, 'a ConfigurationChanged event');
});
