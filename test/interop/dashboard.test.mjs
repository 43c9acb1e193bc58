// The dashboard (`flagctl serve --ui`) in headless Chromium (Debian's
// /usr/bin/chromium driven by playwright-core): sign in, toggle, add actors,
// set a percentage, meet a concurrent CLI edit, be refused by a protected
// environment, and no console errors. Screenshots go to artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { here, startServe, flagctlBin, STAGING } from './lib.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// bcrypt (cost 10) of "interop-password".
const HASH = '$2a$10$RSHlCyF5DlEfK1dDkd4PNeuihvqfmauNCWOxOSfe0qoKfCEbOfv36';
const PRODUCTION = `version: 1
environment: production
flags:
  # Payments team: the new checkout.
  new_checkout_enabled:
    description: New checkout flow <b>beta</b> — "quoted" & ünïcødé
    owner: team-payments
    kind: release
    expires: 2027-06-30
    actors:
      "user:42": true
  dark_mode_enabled: false
  rollout_enabled:
    percentage_of_actors: 5%
`;

let dir, server, context, page, profile;
const problems = [];
const file = (env) => readFileSync(join(dir, 'flags', `${env}.yaml`), 'utf8');

/** The lines removed from a and added in b, around their common start and end. */
function lineDiff(a, b) {
  const al = a.split('\n'), bl = b.split('\n');
  let i = 0;
  while (i < al.length && i < bl.length && al[i] === bl[i]) i++;
  let j = al.length - 1, k = bl.length - 1;
  while (j >= i && k >= i && al[j] === bl[k]) { j--; k--; }
  return { removed: al.slice(i, j + 1), added: bl.slice(i, k + 1) };
}

before(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run "make test-interop" (it installs Debian's chromium)`);
  dir = mkdtempSync(join(tmpdir(), 'flagctl-dashboard-'));
  mkdirSync(join(dir, 'flags'));
  writeFileSync(join(dir, '.flagctl.yaml'), `dir: flags
environments: [staging, production]
serve:
  ui:
    users_file: users.yaml
    protected: [production]
`);
  writeFileSync(join(dir, 'users.yaml'), `users:
  - name: ada
    email: ada@example.com
    password_hash: '${HASH}'
    roles: {"*": editor}
`);
  writeFileSync(join(dir, 'flags', 'staging.yaml'), STAGING);
  writeFileSync(join(dir, 'flags', 'production.yaml'), PRODUCTION);
  writeFileSync(join(dir, '.gitignore'), '.*.lock\n');
  const git = (...args) => execFileSync('git', ['-c', 'user.name=Setup', '-c', 'user.email=setup@example.com', ...args], { cwd: dir });
  git('init', '--quiet', '-b', 'main');
  git('add', '.');
  git('commit', '--quiet', '-m', 'flags');
  server = await startServe(dir, ['--ui', '--commit']);
  profile = mkdtempSync(join(tmpdir(), 'flagctl-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1200, height: 800 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await context.newPage();
  // Pages that answer a refusal with its HTTP status (401 wrong password, 409
  // conflict, 428 confirmation needed) make Chromium log "Failed to load
  // resource" for the document; those are expected, anything else is not.
  const refusals = new Set();
  page.on('response', (r) => {
    if (r.request().isNavigationRequest() && [401, 409, 428].includes(r.status())) refusals.add(r.url());
  });
  page.on('console', (m) => {
    if (m.type() !== 'error' && m.type() !== 'warning') return;
    if (m.text().startsWith('Failed to load resource') && refusals.has(m.location().url)) return;
    problems.push(`${m.type()}: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e}`));
});

after(async () => {
  await context?.close();
  await server?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const card = (env) => page.locator(`#env-${env}`);

test('dashboard: sign in and see every flag per environment', async () => {
  await page.goto(server.url + '/ui/');
  assert.match(page.url(), /\/ui\/login/);
  await page.getByLabel('Name').fill('ada');
  await page.getByLabel('Password').fill('wrong');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('The name or password is wrong.').waitFor();
  await page.getByLabel('Password').fill('interop-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: /Flags/ }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/ui/');
  const headers = await page.locator('table.flags thead th').allTextContents();
  assert.deepEqual(headers.slice(1, 3).map((h) => h.trim().split(/\s+/)[0]), ['staging', 'production']);
  assert.equal(await page.locator('tr', { hasText: 'dark_mode_enabled' }).locator('td.state').first().getAttribute('class'), 'state on');
  // the description with markup is shown as text
  assert.ok(await page.getByText('New checkout flow <b>beta</b> — "quoted" & ünïcødé').count() >= 1);
  await page.screenshot({ path: join(here, 'artifacts', 'dashboard-list.png'), fullPage: true });
});

test('dashboard: toggle a flag; the file changes by exactly that line', async () => {
  const before = file('staging');
  await page.goto(server.url + '/ui/flags/dark_mode_enabled');
  await card('staging').getByRole('button', { name: 'Turn off' }).click();
  await page.locator('#flash').waitFor();
  assert.match(await page.locator('#flash').textContent(), /dark_mode_enabled \[staging\]: boolean on → off/);
  assert.deepEqual(lineDiff(before, file('staging')), { removed: ['  dark_mode_enabled: true'], added: ['  dark_mode_enabled: false'] });
});

test('dashboard: add several actors and set a percentage', async () => {
  await page.goto(server.url + '/ui/flags/new_checkout_enabled');
  const staging = card('staging');
  await staging.locator('summary', { hasText: 'Add actors' }).click();
  await staging.getByLabel('Actor IDs').fill('user:100, user:101\nuser:102');
  await staging.getByRole('button', { name: 'Add actors' }).click();
  await page.locator('#flash').waitFor();
  for (const id of ['user:100', 'user:101', 'user:102']) assert.ok(file('staging').includes(`"${id}": true`), id);
  await card('staging').locator('summary', { hasText: 'Percentage' }).click();
  await card('staging').getByRole('button', { name: '10%', exact: true }).click();
  await page.locator('#flash').waitFor();
  assert.ok(file('staging').includes('percentage_of_actors: 10%'));
  await page.screenshot({ path: join(here, 'artifacts', 'dashboard-flag.png'), fullPage: true });
});

test('dashboard: a concurrent CLI edit is shown as a conflict, and the change re-applies on top', async () => {
  await page.goto(server.url + '/ui/flags/off_enabled');
  // Meanwhile, someone runs the CLI.
  execFileSync(flagctlBin(), ['enable', 'off_enabled', '--env', 'staging', '--actor', 'user:5'], { cwd: dir });
  const theirs = file('staging');
  await card('staging').getByRole('button', { name: 'Turn on for everyone' }).click();
  await page.getByRole('heading', { name: /changed meanwhile/ }).waitFor();
  assert.ok(await page.getByText('off_enabled [staging]: + actor user:5 on').count() >= 1);
  assert.equal(file('staging'), theirs, 'nothing written on a conflict');
  await page.getByRole('button', { name: 'Re-apply my change' }).click();
  // turning it on for everyone asks once more
  await page.getByLabel('Yes, on for everyone').check();
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.locator('#flash').waitFor();
  const now = file('staging');
  assert.ok(now.includes('"user:5": true') && /off_enabled:\n\s+enabled: true/.test(now), now);
});

test('dashboard: a protected environment refuses a change without the typed flag name', async () => {
  const before = file('production');
  await page.goto(server.url + '/ui/flags/new_checkout_enabled');
  await page.getByText('Protected environment').first().waitFor();
  const prod = card('production');
  await prod.locator('summary', { hasText: 'Add actors' }).click();
  await prod.getByLabel('Actor IDs').fill('user:7');
  await prod.getByRole('button', { name: 'Add actors' }).click();
  await page.getByRole('heading', { name: 'production is protected' }).waitFor();
  assert.equal(file('production'), before, 'written without confirmation');
  await page.getByLabel(/Type/).fill('dark_mode_enabled');
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.getByRole('heading', { name: 'production is protected' }).waitFor();
  assert.equal(file('production'), before, 'written with the wrong name typed');
  await page.getByLabel(/Type/).fill('new_checkout_enabled');
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.locator('#flash').waitFor();
  assert.deepEqual(lineDiff(before, file('production')), { removed: [], added: ['      "user:7": true'] });
  assert.ok(file('production').includes('# Payments team: the new checkout.'), 'comments kept');
});

test('dashboard: every change is a commit by the signed-in user; restore from history', async () => {
  const log = execFileSync('git', ['log', '--format=%an <%ae>|%s'], { cwd: dir, encoding: 'utf8' });
  assert.match(log, /^ada <ada@example\.com>\|new_checkout_enabled \[production\]: \+ actor user:7 on$/m);
  assert.match(log, /^ada <ada@example\.com>\|dark_mode_enabled \[staging\]: boolean on → off$/m);
  // the CLI edit the dashboard applied on top of is its own commit, by the server, not ada's
  assert.match(log, /^flagctl serve <[^>]*>\|flags\/staging\.yaml: found not committed before a dashboard change: off_enabled \[staging\]: \+ actor user:5 on$/m);
  assert.match(log, /^ada <ada@example\.com>\|off_enabled \[staging\]: boolean off → on$/m);
  await page.goto(server.url + '/ui/flags/dark_mode_enabled/history');
  const row = page.locator('tr', { hasText: 'dark_mode_enabled [staging]: boolean on → off' });
  assert.equal(await row.count(), 1);
  await page.screenshot({ path: join(here, 'artifacts', 'dashboard-history.png'), fullPage: true });
  // the oldest staging entry is the first commit, where the flag was on
  await page.locator('tr', { hasText: '[staging]' }).last().getByRole('button', { name: /Restore/ }).click();
  await page.getByRole('heading', { name: /Review the change/ }).waitFor();
  assert.ok(await page.getByText('dark_mode_enabled [staging]: boolean off → on').count() >= 1);
  assert.ok(file('staging').includes('dark_mode_enabled: false'), 'written before the review was confirmed');
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.getByLabel('Yes, on for everyone').check();
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.locator('#flash').waitFor();
  assert.ok(file('staging').includes('  dark_mode_enabled: true\n'), file('staging'));
});

test('dashboard: usable on a phone (no sideways scrolling of the flag page)', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(server.url + '/ui/flags/new_checkout_enabled');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  await page.screenshot({ path: join(here, 'artifacts', 'dashboard-phone.png'), fullPage: true });
  await page.setViewportSize({ width: 1200, height: 800 });
});

test('dashboard: no console errors', () => {
  assert.deepEqual(problems, []);
});
