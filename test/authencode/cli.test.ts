// mpid authencode …: the Authen Code service's commands under mpid, with their help, usage errors and
// a run on a real PostgreSQL database of its own; the service's CLI imports only the kernel and itself.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dbTargets } from '../helpers/db.ts';
import { testDirs } from '../helpers/server.ts';

const root = path.resolve(import.meta.dirname, '../..');
const mpid = (args: string[], env: NodeJS.ProcessEnv = { ...process.env, ...testDirs() }, input = '') =>
  spawnSync(process.execPath, [path.join(root, 'bin/mpid'), 'authencode', ...args], { env, input, encoding: 'utf8' });

test('mpid authencode --help lists its commands and where its database is', () => {
  const r = mpid(['--help']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /AUTHENCODE_DATABASE_URL/);
  for (const c of ['migrate', 'units import <file.csv>', 'agent register', 'client']) assert.match(r.stdout, new RegExp(`^  ${c}( |$)`, 'm'));
  for (const c of [['migrate'], ['units'], ['units', 'import'], ['agent'], ['agent', 'register'], ['client']]) {
    const h = mpid([...c, '--help']);
    assert.equal(h.status, 0, `${c.join(' ')}: ${h.stderr}`);
    assert.match(h.stdout, new RegExp(`^usage: mpid authencode ${c.join(' ')}\\b`));
  }
});

test('usage errors exit 2; bad input exits 1', () => {
  const missing = mpid(['units', 'import']);
  assert.equal(missing.status, 2);
  assert.equal(missing.stderr, 'mpid authencode units import: missing <file.csv> (see mpid authencode units import --help)\n');
  const unknown = mpid(['units', 'export', 'x.csv']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /^mpid authencode units: unknown command "export"/);
  const bad = mpid(['agent', 'register'], undefined, '{"hcode":"1"}');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^mpid: hcode: .*; jwk: .*; operator: /);
});

test('the service\'s CLI imports only src/kernel and the service', () => {
  const source = readFileSync(path.join(root, 'src/authencode/cli.ts'), 'utf8');
  for (const [, from] of source.matchAll(/from '([^']+)'/g)) assert.match(from!, /^(\.\/|\.\.\/kernel\/|node:|zod$|jose$)/, from);
});

const postgres = dbTargets().find((t) => t.name === 'postgres')!;
describe('mpid authencode on its own PostgreSQL database', () => {
  let env: NodeJS.ProcessEnv;
  let drop: () => Promise<void>;
  before(async () => {
    const made = await postgres.create();
    env = { ...process.env, ...testDirs(), AUTHENCODE_DATABASE_URL: made.url! };
    drop = made.drop;
  });
  after(() => drop());

  test('migrate, units import and client answer JSON', () => {
    const migrated = mpid(['migrate'], env);
    assert.equal(migrated.status, 0, migrated.stderr);
    assert.ok(Array.isArray(JSON.parse(migrated.stdout).applied));
    const imported = mpid(['units', 'import', path.join(root, 'samples/units.csv')], env);
    assert.equal(imported.status, 0, imported.stderr);
    assert.equal(JSON.parse(imported.stdout).imported, 4);
    const client = mpid(['client'], env);
    assert.equal(client.status, 0, client.stderr);
    const answer = JSON.parse(client.stdout) as { client: { client_id: string }; resource_server: { scope: string } };
    assert.equal(answer.client.client_id, 'authencode');
    assert.equal(answer.resource_server.scope, 'authencode');
  });
});
