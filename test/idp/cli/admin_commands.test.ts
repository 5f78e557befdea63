// mpid's administration commands on a real PostgreSQL: role grant, withdraw and list, account unlock
// and audit export call the console's rules (refusals exit 1 with their reason; the export has a header
// row and no ID number); agent list and revoke are the console's card reader agents area.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import * as jose from 'jose';
import { dbTargets } from '../../helpers/db.ts';
import { pidWithCheckDigit, testDirs, TEST_PERSON } from '../../helpers/server.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const MPID = path.join(root, 'bin/mpid');
const mpid = (args: string[], env: NodeJS.ProcessEnv, input = '') => spawnSync(process.execPath, [MPID, ...args], { env, input, encoding: 'utf8' });
const PERSON = { ...TEST_PERSON, pid: pidWithCheckDigit('310110000001'), phone_number: '0861110001', phone_verified: true };

const postgres = dbTargets().find((t) => t.name === 'postgres')!;
describe('mpid administration commands on PostgreSQL', () => {
  let env: NodeJS.ProcessEnv;
  let drop: () => Promise<void>;
  before(async () => {
    const made = await postgres.create();
    env = { ...process.env, ...testDirs(), DATABASE_URL: made.url!, ARGON2_MEMORY_KIB: '8192', ARGON2_TIME_COST: '1' };
    drop = made.drop;
    assert.equal(mpid(['migrate'], env).status, 0);
    assert.equal(mpid(['units', 'import', path.join(root, 'samples/units.csv')], env).status, 0);
    const added = mpid(['account', 'add'], env, JSON.stringify(PERSON));
    assert.equal(added.status, 0, added.stderr);
  });
  after(() => drop());

  test('role grant, list and withdraw, audited as the operator', () => {
    const granted = mpid(['role', 'grant'], env, JSON.stringify({ pid: PERSON.pid, role: 'unit_admin', hcode: '10699', operator: 'somchai', reason: 'director' }));
    assert.equal(granted.status, 0, granted.stderr);
    assert.equal(JSON.parse(granted.stdout).granted, true);
    const again = mpid(['role', 'grant'], env, JSON.stringify({ pid: PERSON.pid, role: 'unit_admin', hcode: '10699', operator: 'somchai', reason: 'again' }));
    assert.equal(again.status, 1);
    assert.match(again.stderr, /already held/);
    const list = JSON.parse(mpid(['role', 'list', '--current'], env).stdout) as Array<{ role: string; grantedBy: string }>;
    assert.deepEqual(list.map((r) => [r.role, r.grantedBy]), [['unit_admin', 'operator:somchai']]);
    const withdrawn = mpid(['role', 'withdraw'], env, JSON.stringify({ pid: PERSON.pid, role: 'unit_admin', hcode: '10699', operator: 'somchai', reason: 'left' }));
    assert.equal(withdrawn.status, 0, withdrawn.stderr);
    assert.equal((JSON.parse(mpid(['role', 'list', '--current'], env).stdout) as unknown[]).length, 0);
  });

  test('role grant and withdraw of a province officer: the province required, held for it', () => {
    const noProvince = mpid(['role', 'grant'], env, JSON.stringify({ pid: PERSON.pid, role: 'province_officer', operator: 'somchai', reason: 'coverage' }));
    assert.equal(noProvince.status, 1);
    assert.match(noProvince.stderr, /province/);
    const granted = mpid(['role', 'grant'], env, JSON.stringify({ pid: PERSON.pid, role: 'province_officer', province: '27', operator: 'somchai', reason: 'coverage' }));
    assert.equal(granted.status, 0, granted.stderr);
    assert.equal(JSON.parse(granted.stdout).province, '27');
    const list = JSON.parse(mpid(['role', 'list', '--current'], env).stdout) as Array<{ role: string; province: string | null }>;
    assert.deepEqual(list.map((r) => [r.role, r.province]), [['province_officer', '27']]);
    const withdrawn = mpid(['role', 'withdraw'], env, JSON.stringify({ pid: PERSON.pid, role: 'province_officer', province: '27', operator: 'somchai', reason: 'moved' }));
    assert.equal(withdrawn.status, 0, withdrawn.stderr);
    assert.equal((JSON.parse(mpid(['role', 'list', '--current'], env).stdout) as unknown[]).length, 0);
  });

  test('coverage client allow, list and revoke: a registered client only, a 2-digit province, audited', () => {
    const added = mpid(['client', 'add', '--operator', 'somchai'], env, JSON.stringify({ client_name: 'Sa Kaeo dashboard', grant_types: ['client_credentials'], response_types: [], redirect_uris: [] }));
    assert.equal(added.status, 0, added.stderr);
    const clientId = (JSON.parse(added.stdout) as { client_id: string }).client_id;
    const unknown = mpid(['coverage', 'client', 'allow', '--client-id', 'nobody', '--operator', 'somchai', '--reason', 'x'], env);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /no client nobody/);
    assert.equal(mpid(['coverage', 'client', 'allow', `--client-id=${clientId}`, '--province', '270', '--operator', 'somchai', '--reason', 'x'], env).status, 2, 'a usage error');
    const allowed = mpid(['coverage', 'client', 'allow', `--client-id=${clientId}`, '--province', '27', '--operator', 'somchai', '--reason', 'provincial dashboard'], env);
    assert.equal(allowed.status, 0, allowed.stderr);
    assert.deepEqual(JSON.parse(allowed.stdout), { client_id: clientId, province: '27' });
    const list = JSON.parse(mpid(['coverage', 'client', 'list'], env).stdout) as Array<{ client_id: string; province: string; granted_by: string }>;
    assert.deepEqual(list.map((c) => [c.client_id, c.province, c.granted_by]), [[clientId, '27', 'operator:somchai']]);
    const revoked = mpid(['coverage', 'client', 'revoke', `--client-id=${clientId}`, '--operator', 'somchai', '--reason', 'replaced'], env);
    assert.equal(revoked.status, 0, revoked.stderr);
    assert.equal(mpid(['coverage', 'client', 'revoke', `--client-id=${clientId}`, '--operator', 'somchai', '--reason', 'again'], env).status, 1, 'no longer allowed');
    assert.deepEqual(JSON.parse(mpid(['coverage', 'client', 'list'], env).stdout), []);
  });

  test('account unlock refuses an account that is not locked; audit export is CSV without ID numbers', () => {
    const unlock = mpid(['account', 'unlock'], env, JSON.stringify({ pid: PERSON.pid, operator: 'somchai', reason: 'helpdesk' }));
    assert.equal(unlock.status, 1);
    assert.match(unlock.stderr, /not locked/);
    const csv = mpid(['audit', 'export', '--action', 'role.', '--operator', 'somchai'], env);
    assert.equal(csv.status, 0, csv.stderr);
    const lines = csv.stdout.trim().split('\r\n');
    assert.equal(lines[0], 'seq,at,actor,action,subject,unit,client_id,reason,detail');
    assert.equal(lines.length, 5, 'the grants and the withdrawals');
    assert.ok(!csv.stdout.includes(PERSON.pid));
    assert.equal(mpid(['audit', 'export', '--from', '2026-02-30'], env).status, 1);
  });

  test('agent list and revoke: every unit\'s agents, filtered; a revocation needs a reason and is audited with it', async () => {
    const ids: string[] = [];
    for (const hcode of ['10699', '13836']) {
      const jwk = await jose.exportJWK((await jose.generateKeyPair('ES256', { extractable: true })).publicKey);
      const made = mpid(['agent', 'register'], env, JSON.stringify({ hcode, jwk, operator: 'somchai', name: `Desk ${hcode}`, version: '2.0.0' }));
      assert.equal(made.status, 0, made.stderr);
      ids.push(JSON.parse(made.stdout).id);
    }
    type Row = { id: string; hcode: string; unitName: string; revokedAt: string | null; revokedBy: string | null };
    const list = (...args: string[]) => {
      const r = mpid(['agent', 'list', ...args], env);
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout) as Row[];
    };
    assert.deepEqual(new Set(list().map((a) => a.id)), new Set(ids));
    assert.deepEqual(list('--hcode', '13836').map((a) => [a.id, a.unitName]), [[ids[1], 'โรงพยาบาลวัฒนานคร']]);
    const badHcode = mpid(['agent', 'list', '--hcode', '1'], env);
    assert.equal(badHcode.status, 1);
    assert.match(badHcode.stderr, /5 digits/);

    const noReason = mpid(['agent', 'revoke', '--id', ids[0]!, '--operator', 'somchai'], env);
    assert.equal(noReason.status, 1);
    assert.match(noReason.stderr, /--reason/);
    assert.equal(list('--state', 'revoked').length, 0);
    const revoked = mpid(['agent', 'revoke', '--id', ids[0]!, '--operator', 'somchai', '--reason', 'PC replaced'], env);
    assert.equal(revoked.status, 0, revoked.stderr);
    assert.deepEqual(JSON.parse(revoked.stdout), { id: ids[0], revoked: true });
    assert.deepEqual(list('--state', 'revoked').map((a) => [a.id, a.revokedBy]), [[ids[0], 'operator:somchai']]);
    assert.deepEqual(list('--state', 'active').map((a) => a.id), [ids[1]]);
    const again = mpid(['agent', 'revoke', '--id', ids[0]!, '--operator', 'somchai', '--reason', 'again'], env);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /already revoked/);
    const csv = mpid(['audit', 'export', '--action', 'agent.revoked'], env);
    assert.equal(csv.status, 0, csv.stderr);
    const lines = csv.stdout.trim().split('\r\n');
    assert.equal(lines.length, 2);
    assert.match(lines[1]!, /operator:somchai/);
    assert.match(lines[1]!, /PC replaced/);
  });
});
