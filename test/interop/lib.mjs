// Helpers of the interoperability tests: a flagctl project in a temporary
// directory, a real `flagctl serve` process, and `flagctl eval` as the oracle.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, renameSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = dirname(fileURLToPath(import.meta.url));
export const API_KEY = 'interop-staging-key';

/** The flagctl binary under test: $FLAGCTL_BIN, else bin/flagctl of the repository. */
export function flagctlBin() {
  const bin = process.env.FLAGCTL_BIN || resolve(here, '../../bin/flagctl');
  if (!existsSync(bin)) {
    throw new Error(`${bin} is missing: run "make test-interop" (it builds flagctl first)`);
  }
  return bin;
}

export const STAGING = `version: 1
environment: staging
flags:
  dark_mode_enabled: true
  off_enabled: false
  new_checkout_enabled:
    actors:
      "user:42": true
      "user:7": false
    groups:
      beta_testers: true
      banned: false
    percentage_of_actors: 30%
  rollout_enabled:
    percentage_of_actors: 50%
`;

/** A project with one environment, staging, whose API key is API_KEY. */
export function makeProject(corsOrigin = '') {
  const dir = mkdtempSync(join(tmpdir(), 'flagctl-interop-'));
  mkdirSync(join(dir, 'flags'));
  writeFileSync(join(dir, '.flagctl.yaml'), `dir: flags
environments: [staging]
serve:
  api_keys:
    staging: ${API_KEY}
${corsOrigin ? `  cors_origins: ["${corsOrigin}"]\n` : ''}`);
  writeFlags(dir, STAGING);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Replaces the staging file atomically, as editors and flagctl do. */
export function writeFlags(dir, content) {
  const path = join(dir, 'flags', 'staging.yaml');
  writeFileSync(path + '.tmp', content);
  renameSync(path + '.tmp', path);
}

/** Starts `flagctl serve` on a free loopback port; resolves when it listens. */
export function startServe(dir, extraArgs = []) {
  const proc = spawn(flagctlBin(), ['serve', '--addr', '127.0.0.1:0', ...extraArgs], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`flagctl serve did not start:\n${log}`)), 15000);
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (chunk) => {
      log += chunk;
      const m = log.match(/serving flags over OFREP"? addr=(http:\/\/[0-9.:]+)/);
      if (m && timer) {
        clearTimeout(timer);
        resolvePromise({
          url: m[1],
          log: () => log,
          stop: () => new Promise((done, fail) => {
            if (proc.exitCode !== null) return done(proc.exitCode);
            proc.once('exit', (code) => (code === 0 ? done(code) : fail(new Error(`flagctl serve exited ${code}:\n${log}`))));
            proc.kill('SIGTERM');
          }),
        });
      }
    });
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`flagctl serve exited ${code}:\n${log}`)); });
  });
}

/** What `flagctl eval` answers for a flag and a context. */
export function flagctlEval(dir, flag, targetingKey, groups = []) {
  const args = ['eval', flag, '--env', 'staging', '-o', 'json'];
  if (targetingKey) args.push('--actor', targetingKey);
  for (const g of groups) args.push('--group', g);
  return JSON.parse(execFileSync(flagctlBin(), args, { cwd: dir, encoding: 'utf8' })).enabled;
}

/** Contexts covering actor, group and percentage gates. */
export function contexts() {
  const out = [
    { targetingKey: 'user:42' },
    { targetingKey: 'user:7', groups: ['beta_testers'] },
    { targetingKey: 'user:1000', groups: ['beta_testers'] },
    { targetingKey: 'user:1001', groups: ['beta_testers', 'banned'] },
  ];
  for (let i = 1; i <= 12; i++) out.push({ targetingKey: `user:${i * 37}` });
  return out;
}

export const FLAGS = ['dark_mode_enabled', 'off_enabled', 'new_checkout_enabled', 'rollout_enabled'];

/** Resolves when cond() is true, polling every 25 ms for at most ms. */
export async function eventually(what, cond, ms = 15000) {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
