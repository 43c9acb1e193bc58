// The OpenFeature JavaScript server SDK with @openfeature/ofrep-provider
// against a real `flagctl serve`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { OpenFeature } from '@openfeature/server-sdk';
import { OFREPProvider } from '@openfeature/ofrep-provider';
import { makeProject, startServe, flagctlEval, contexts, FLAGS, API_KEY } from './lib.mjs';

let project, server;

before(async () => {
  project = makeProject();
  server = await startServe(project.dir);
  await OpenFeature.setProviderAndWait('good', new OFREPProvider({ baseUrl: server.url, headers: { 'X-API-Key': API_KEY } }));
  await OpenFeature.setProviderAndWait('wrong-key', new OFREPProvider({ baseUrl: server.url, headers: [['Authorization', 'Bearer not-a-key']] }));
});

after(async () => {
  await OpenFeature.close();
  await server?.stop(); // exit status 0 after SIGTERM: graceful shutdown
  project?.cleanup();
});

test('server SDK: actor, group and percentage answers equal flagctl eval', async () => {
  const client = OpenFeature.getClient('good');
  let checked = 0;
  for (const ctx of contexts()) {
    for (const flag of FLAGS) {
      const want = flagctlEval(project.dir, flag, ctx.targetingKey, ctx.groups);
      const d = await client.getBooleanDetails(flag, !want, ctx);
      assert.equal(d.errorCode, undefined, `${flag} ${JSON.stringify(ctx)}: ${d.errorMessage}`);
      assert.equal(d.value, want, `${flag} for ${JSON.stringify(ctx)}`);
      assert.equal(d.variant, want ? 'on' : 'off');
      checked++;
    }
  }
  assert.equal(checked, contexts().length * FLAGS.length);
});

test('server SDK: reasons and metadata', async () => {
  const client = OpenFeature.getClient('good');
  const cases = [
    ['new_checkout_enabled', { targetingKey: 'user:42' }, 'TARGETING_MATCH', 'actor'],
    ['new_checkout_enabled', { targetingKey: 'user:1000', groups: ['beta_testers'] }, 'TARGETING_MATCH', 'group'],
    ['rollout_enabled', { targetingKey: 'user:1' }, 'SPLIT', 'percentage_of_actors'],
    ['dark_mode_enabled', {}, 'STATIC', 'boolean'],
    ['off_enabled', {}, 'DISABLED', 'none'],
  ];
  for (const [flag, ctx, reason, gate] of cases) {
    const d = await client.getBooleanDetails(flag, false, ctx);
    assert.equal(d.reason, reason, `${flag} ${JSON.stringify(ctx)}`);
    assert.equal(d.flagMetadata.gate, gate);
    assert.match(String(d.flagMetadata.version), /^[0-9a-f]{64}$/);
  }
});

test('server SDK: an unknown flag gives the code default and FLAG_NOT_FOUND', async () => {
  const client = OpenFeature.getClient('good');
  for (const def of [true, false]) {
    const d = await client.getBooleanDetails('no_such_flag_enabled', def, { targetingKey: 'user:42' });
    assert.equal(d.value, def);
    assert.equal(d.errorCode, 'FLAG_NOT_FOUND');
  }
});

// @openfeature/ofrep-provider 0.1.3 (the latest) has no fatal state on the
// server: a 401 reaches the application as an evaluation error (the code
// default, reason ERROR), raised as OFREPApiUnauthorizedError.
test('server SDK: a wrong key is an unauthorized error, never a flag value', async () => {
  const client = OpenFeature.getClient('wrong-key');
  const errors = [];
  client.addHooks({ error: (_ctx, err) => { errors.push(err); } });
  const d = await client.getBooleanDetails('dark_mode_enabled', false, {});
  assert.equal(d.value, false, 'the code default');
  assert.equal(d.reason, 'ERROR');
  assert.equal(d.errorCode, 'GENERAL');
  assert.equal(errors.length, 1);
  assert.equal(errors[0].name, 'OFREPApiUnauthorizedError');
  assert.equal(errors[0].response?.status, 401);
});
