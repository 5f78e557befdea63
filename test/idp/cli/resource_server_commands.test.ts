// mpid resource-server add, list, disable and enable on a real PostgreSQL: the console's rules
// (src/idp/admin/resource_servers), audited as operator:<name>; a refusal exits 1 with its reason (no
// reason given, the IdP's own admin API, an unknown identifier).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { dbTargets } from '../../helpers/db.ts';
import { testDirs } from '../../helpers/server.ts';
import type { Database } from '../../../src/kernel/db/index.ts';
import { findResourceServer } from '../../../src/idp/oidc/resource_servers.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const MPID = path.join(root, 'bin/mpid');
const mpid = (args: string[], env: NodeJS.ProcessEnv, input = '') => spawnSync(process.execPath, [MPID, ...args], { env, input, encoding: 'utf8' });
const ISSUER = 'https://id.example.test';
const RS = 'https://lab.example.test/api';

const postgres = dbTargets().find((t) => t.name === 'postgres')!;
describe('mpid resource-server commands on PostgreSQL', () => {
  let env: NodeJS.ProcessEnv;
  let drop: () => Promise<void>;
  let db: Database;
  before(async () => {
    const made = await postgres.create();
    env = { ...process.env, ...testDirs(), DATABASE_URL: made.url!, ISSUER };
    drop = made.drop;
    assert.equal(mpid(['migrate'], env).status, 0);
    db = made.db;
  });
  after(() => drop());

  test('add, list, disable and enable, audited as the operator; a disabled one is not found for tokens', async () => {
    const added = mpid(['resource-server', 'add', '--operator', 'somchai'], env, JSON.stringify({ identifier: RS, scope: 'lab.read', access_token_ttl: 600 }));
    assert.equal(added.status, 0, added.stderr);
    assert.equal(JSON.parse(added.stdout).access_token_ttl, 600);
    const again = mpid(['resource-server', 'add', '--operator', 'somchai'], env, JSON.stringify({ identifier: RS, scope: 'lab.read lab.write' }));
    assert.equal(again.status, 0, again.stderr);
    assert.equal(JSON.parse(again.stdout).scope, 'lab.read lab.write', 'add changes one that is registered');
    const bad = mpid(['resource-server', 'add'], env, JSON.stringify({ identifier: 'not a uri' }));
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /identifier/);

    const list = JSON.parse(mpid(['resource-server', 'list'], env).stdout) as Array<{ identifier: string; scope: string; disabled: boolean }>;
    assert.deepEqual(list.map((r) => [r.identifier, r.scope, r.disabled]), [[RS, 'lab.read lab.write', false]]);

    const noReason = mpid(['resource-server', 'disable', '--identifier', RS, '--operator', 'somchai'], env);
    assert.equal(noReason.status, 1);
    assert.match(noReason.stderr, /reason is required/);
    const off = mpid(['resource-server', 'disable', '--identifier', RS, '--operator', 'somchai', '--reason', 'lab retired'], env);
    assert.equal(off.status, 0, off.stderr);
    assert.equal(JSON.parse(off.stdout).disabled, true);
    assert.equal(await findResourceServer(db, RS), undefined, 'the token endpoint no longer finds it');
    assert.equal((JSON.parse(mpid(['resource-server', 'list'], env).stdout) as Array<{ disabled: boolean }>)[0]!.disabled, true);
    const on = mpid(['resource-server', 'enable', '--identifier', RS, '--operator', 'somchai', '--reason', 'back'], env);
    assert.equal(on.status, 0, on.stderr);
    assert.equal((await findResourceServer(db, RS))?.audience, RS);

    const { rows } = await db.query<{ action: string; actor: string; detail: Record<string, unknown> }>("SELECT action, actor, detail FROM audit_events WHERE action LIKE 'resource_server.%' ORDER BY seq");
    assert.deepEqual(rows.map((r) => [r.action, r.actor]), [
      ['resource_server.registered', 'operator:somchai'], ['resource_server.updated', 'operator:somchai'],
      ['resource_server.disabled', 'operator:somchai'], ['resource_server.enabled', 'operator:somchai'],
    ]);
    assert.equal(rows[2]!.detail.reason, 'lab retired');
  });

  test('the IdP’s own admin API cannot be disabled; an unknown identifier is refused', () => {
    const builtIn = mpid(['resource-server', 'disable', '--identifier', `${ISSUER}/admin/api`, '--reason', 'try'], env);
    assert.equal(builtIn.status, 1);
    assert.match(builtIn.stderr, /cannot be disabled/);
    const unknown = mpid(['resource-server', 'enable', '--identifier', 'https://none.example.test', '--reason', 'x'], env);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /no resource server/);
    assert.equal(mpid(['resource-server', 'disable', '--reason', 'x'], env).status, 1, '--identifier is required');
  });
});
