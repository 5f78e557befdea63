// Service units and roles on both databases: the unit register import, service points, and the
// separation of duties around verifiers — only admins make unit admins, unit admins appoint
// verifiers at their own unit, nobody appoints themselves, a verifier must be linked personnel at
// IAL 2.3, and the first verifier comes from an operator's in-person check (mpid verifier bootstrap).
// The import is tested on a database of its own; the other tests start from the imported register.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as oidc from 'openid-client';
import { dbTargets, migratedDatabase } from '../../helpers/db.ts';
import { addClient, pidWithCheckDigit, startTestServer, testDirs, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import type { RunningServer } from '../../../src/idp/server.ts';
import { createUnits, RoleError } from '../../../src/idp/units/index.ts';
import { createPii } from '../../../src/kernel/pii/index.ts';
import { UNIT_COLUMNS } from '../../../src/kernel/registry/units.ts';
import { accountIal } from '../../../src/idp/proofing/index.ts';

const UNITS = path.resolve(import.meta.dirname, '../../../samples/units.csv');
const PERSONNEL = path.resolve(import.meta.dirname, '../../../samples/personnel.csv');
const REDIRECT = 'https://rp.example.test/cb';

for (const target of dbTargets()) {
  describe(`the unit register on ${target.name}`, () => {
    const t = migratedDatabase(target);
    let units: ReturnType<typeof createUnits>;
    before(() => {
      units = createUnits(t.db, createPii(Buffer.alloc(32, 3)));
    });

    test('the unit register: import with line-numbered errors, idempotent; service points are listed', async () => {
      const bad = path.join(mkdtempSync(path.join(os.tmpdir(), 'mpid-units-')), 'bad.csv');
      writeFileSync(bad, `${UNIT_COLUMNS.join(',')}\n1234,ไม่ครบ,,x,สระแก้ว,a,b\n10701,,,x,สระแก้ว,a,b\n`);
      const result = await units.importFile(bad);
      assert.deepEqual(result.errors.map((e) => [e.line, e.message.split(':')[0]]), [[2, 'hcode'], [3, 'name_th']]);
      assert.equal((await units.importFile(UNITS)).imported, 4);
      assert.deepEqual([(await units.importFile(UNITS)).unchanged], [4]);
      assert.deepEqual(await units.servicePoints(), []);
      assert.equal(await units.setServicePoint('13836', true, 'operator:test'), true);
      assert.equal(await units.setServicePoint('99999', true, 'operator:test'), false);
      assert.deepEqual((await units.servicePoints('สระแก้ว')).map((u) => [u.hcode, u.nameTh, u.nameEn]), [['13836', 'โรงพยาบาลวัฒนานคร', 'Watthana Nakhon Hospital']]);
    });
  });

  describe(`service units and roles on ${target.name}`, () => {
    let server: RunningServer;
    let drop: () => Promise<void>;
    let url: string | undefined;
    const subs: Record<string, string> = {};
    const dirs = testDirs(); // shared with the command line, so it reads the same secrets

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      url = made.url;
      server = await startTestServer(made.db, dirs);
      const { accounts, personnel } = server.app();
      await personnel.importFile(PERSONNEL);
      subs.doctor = (await accounts.create({ ...TEST_PERSON, phone_verified: true })).sub;
      await personnel.link((await accounts.findBySub(subs.doctor))!);
      subs.admin = (await accounts.create({ ...TEST_PERSON, pid: pidWithCheckDigit('310040000001') })).sub;
      subs.unitAdmin = (await accounts.create({ ...TEST_PERSON, pid: pidWithCheckDigit('310040000002') })).sub;
      subs.citizen = (await accounts.create({ ...TEST_PERSON, pid: pidWithCheckDigit('310040000003'), phone_verified: true })).sub;
      await units().importFile(UNITS);
      await units().setServicePoint('13836', true, 'operator:test');
    });
    after(async () => {
      await server.close();
      await drop();
    });

    const units = () => server.app().units;

    test('roles: admin → unit admin → verifier, with every refusal', async () => {
      await units().bootstrapAdmin({ pid: pidWithCheckDigit('310040000001'), operator: 'somchai', reason: 'first administrator' });
      await assert.rejects(units().grant({ sub: subs.unitAdmin!, role: 'unit_admin', hcode: '10699', by: subs.citizen!, reason: 'x' }), RoleError, 'only admins make unit admins');
      await units().grant({ sub: subs.unitAdmin!, role: 'unit_admin', hcode: '10699', by: subs.admin!, reason: 'HR order 12/2569' });
      await assert.rejects(units().grant({ sub: subs.unitAdmin!, role: 'verifier', hcode: '10699', by: subs.unitAdmin!, reason: 'me' }), /themselves/);
      await assert.rejects(units().grant({ sub: subs.citizen!, role: 'verifier', hcode: '10699', by: subs.unitAdmin!, reason: 'x' }), /linked health personnel/);
      await assert.rejects(units().grant({ sub: subs.doctor!, role: 'verifier', hcode: '10699', by: subs.unitAdmin!, reason: 'x' }), /IAL 2\.3/, 'linked personnel at IAL 1.1 is not enough');
      await assert.rejects(units().grant({ sub: subs.doctor!, role: 'verifier', hcode: '13836', by: subs.unitAdmin!, reason: 'x' }), /not allowed/, 'a unit admin of another unit');
      await assert.rejects(units().grant({ sub: subs.doctor!, role: 'verifier', hcode: '10699', by: subs.unitAdmin!, reason: ' ' }), /reason/);

      await assert.rejects(units().bootstrapVerifier({ pid: pidWithCheckDigit('310040000003'), hcode: '10699', operator: 'somchai', reason: 'x' }), /personnel/);
      await units().bootstrapVerifier({ pid: TEST_PERSON.pid, hcode: '10699', operator: 'somchai', reason: 'card read and face compared in person at 10699' });
      assert.equal(await accountIal(server.db, subs.doctor!), '2.3', 'the in-person check is evidence: IAL 2.3');
      assert.equal(await units().hasRole(subs.doctor!, 'verifier', '10699'), true);

      assert.equal(await units().withdraw({ sub: subs.doctor!, role: 'verifier', hcode: '10699', by: subs.unitAdmin!, reason: 'moved to another unit' }), true);
      assert.equal(await units().hasRole(subs.doctor!, 'verifier', '10699'), false);
      await units().grant({ sub: subs.doctor!, role: 'verifier', hcode: '10699', by: subs.unitAdmin!, reason: 'back at 10699' });
      assert.equal(await units().hasRole(subs.doctor!, 'verifier', '10699'), true, 'at IAL 2.3 a unit admin can appoint');
      const { rows } = await server.db.query<{ action: string; actor: string }>(`SELECT action, actor FROM audit_events WHERE action LIKE 'role.%' ORDER BY seq`);
      assert.deepEqual(rows.map((r) => r.action), ['role.granted', 'role.granted', 'role.granted', 'role.withdrawn', 'role.granted']);
      assert.equal(rows[0]!.actor, 'operator:somchai');
    });

    test('an IAL request that cannot be met lists the service points', async () => {
      const client = await addClient(server, { redirect_uris: [REDIRECT], grant_types: ['authorization_code'], scope: 'openid' });
      const rp = await oidc.discovery(new URL(server.url), client.client_id, client.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
      const person = new Person(server.url);
      let page = await person.follow(oidc.buildAuthorizationUrl(rp, { redirect_uri: REDIRECT, scope: 'openid', state: 's', min_ial: '2.3' }));
      page = await person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: pidWithCheckDigit('310040000003'), password: TEST_PERSON.password });
      assert.match(page.body, /โรงพยาบาลวัฒนานคร \(13836\)/);
    });

    if (target.name === 'postgres') {
      test('mpid units import and mpid verifier bootstrap at the command line', () => {
        const env = { ...process.env, ...dirs, DATABASE_URL: url! };
        const cli = (args: string[], input?: unknown) => spawnSync(process.execPath, [path.resolve(import.meta.dirname, '../../../src/idp/cli/main.ts'), ...args], { env, encoding: 'utf8', input: input ? JSON.stringify(input) : undefined });
        const imported = cli(['units', 'import', UNITS]);
        assert.equal(imported.status, 0, imported.stderr);
        assert.equal(JSON.parse(imported.stdout).unchanged, 4);
        const refused = cli(['verifier', 'bootstrap'], { pid: pidWithCheckDigit('310040000003'), hcode: '10699', operator: 'x', reason: 'y' });
        assert.equal(refused.status, 2);
        assert.match(refused.stderr, /personnel/);
      });
    }
  });
}
