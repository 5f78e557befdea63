// The health personnel register: CSV import (bad rows reported by line, the rest imported, idempotent,
// progress for large files), linking an account whose ID number, names and birth date match, the
// health_personnel claim through a real relying party, and the `mpid personnel import` command.
// The import that checks the whole table has a database of its own; the other tests use their own rows.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, createWriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as oidc from 'openid-client';
import { dbTargets, migratedDatabase } from '../../helpers/db.ts';
import { addClient, startTestServer, testDirs, TEST_PERSON, pidWithCheckDigit } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import type { RunningServer } from '../../../src/idp/server.ts';
import { createPersonnel, PERSONNEL_COLUMNS, PersonnelFileError } from '../../../src/idp/personnel/index.ts';
import { createPii } from '../../../src/kernel/pii/index.ts';

const SAMPLE = path.resolve(import.meta.dirname, '../../../samples/personnel.csv');
const HEADER = PERSONNEL_COLUMNS.join(',');
const REDIRECT = 'https://rp.example.test/cb';
const insecure = { execute: [oidc.allowInsecureRequests] };
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'mpid-personnel-'));


for (const target of dbTargets()) {
  describe(`health personnel import on ${target.name}`, () => {
    const t = migratedDatabase(target);
    let personnel: ReturnType<typeof createPersonnel>;
    before(() => {
      personnel = createPersonnel(t.db, createPii(Buffer.alloc(32, 4)));
    });

    test('good rows are imported, bad rows reported with their line numbers; a re-import changes nothing', async () => {
      const file = path.join(tmp(), 'mixed.csv');
      writeFileSync(
        file,
        `\ufeff${HEADER}\r\n` +
          `${pidWithCheckDigit('110060000001')},นาย,ดี,มาก,,,01/02/2530,ว.1,,พยาบาล,ข้าราชการ,10699,รพ.สระแก้ว\r\n` +
          `1234567890123,นาย,ผิด,เลข,,,1990-01-01,,,พยาบาล,ข้าราชการ,10699,รพ.สระแก้ว\r\n` +
          `${pidWithCheckDigit('110060000002')},นาย,วัน,ผิด,,,1990-02-30,,,พยาบาล,ข้าราชการ,10699,รพ.สระแก้ว\r\n` +
          `${pidWithCheckDigit('110060000003')},นาย,,ไม่มีชื่อ,,,1990-01-01,,,พยาบาล,ข้าราชการ,10699,รพ.สระแก้ว\r\n` +
          `${pidWithCheckDigit('110060000004')},นาย,รหัส,หน่วย,,,1990-01-01,,,พยาบาล,ข้าราชการ,1069,รพ.สระแก้ว\r\n` +
          `${pidWithCheckDigit('110060000005')},นาง,"ชื่อ ""มี"" คำพูด",สกุล,,,1991-05-05,,,"เภสัชกร, ชำนาญการ",ลูกจ้าง,10699,"รพ.สระแก้ว"\r\n`,
      );
      const result = await personnel.importFile(file);
      assert.equal(result.imported, 2);
      assert.deepEqual(
        result.errors.map((e) => [e.line, e.message.split(':')[0]]),
        [
          [3, 'pid'],
          [4, 'birthdate'],
          [5, 'given_name_th'],
          [6, 'hcode'],
        ],
      );
      const again = await personnel.importFile(file);
      assert.deepEqual([again.imported, again.updated, again.unchanged], [0, 0, 2]);
      const { rows } = await t.db.query<{ given_name_th: string; birthdate: string }>(
        `SELECT given_name_th, to_char(birthdate, 'YYYY-MM-DD') AS birthdate FROM personnel_people ORDER BY given_name_th`,
      );
      assert.deepEqual(rows.map((r) => [r.given_name_th, r.birthdate]), [['ชื่อ "มี" คำพูด', '1991-05-05'], ['ดี', '1987-02-01']]);
    });

  });

  describe(`health personnel register on ${target.name}`, () => {
    let server: RunningServer;
    let drop: () => Promise<void>;
    let url: string | undefined;

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      url = made.url;
      server = await startTestServer(made.db);
    });
    after(async () => {
      await server.close();
      await drop();
    });

    const personnel = () => server.app().personnel;

    test('a changed row is updated; a bad header or a missing file is an error, not a partial import', async () => {
      const dir = tmp();
      const file = path.join(dir, 'change.csv');
      const pid = pidWithCheckDigit('110060000009');
      writeFileSync(file, `${HEADER}\n${pid},นาย,ดี,มาก,,,01/02/2530,ว.1,,พยาบาล,ข้าราชการ,10699,รพ.สระแก้ว\n`);
      await personnel().importFile(file); // this test's row, as first imported
      writeFileSync(file, `${HEADER}\n${pid},นาย,ดี,มาก,,,01/02/2530,ว.1,,พยาบาลชำนาญการ,ข้าราชการ,10699,รพ.สระแก้ว\n`);
      const result = await personnel().importFile(file);
      assert.deepEqual([result.imported, result.updated, result.unchanged], [0, 1, 0]);
      writeFileSync(path.join(dir, 'bad.csv'), 'pid,names\n1,2\n');
      await assert.rejects(personnel().importFile(path.join(dir, 'bad.csv')), (e: Error) => e instanceof PersonnelFileError && /given_name_th/.test(e.message));
      await assert.rejects(personnel().importFile(path.join(dir, 'missing.csv')), PersonnelFileError);
    });

    test('a 10,000-row file is streamed in batches with progress', async () => {
      const file = path.join(tmp(), 'large.csv');
      const out = createWriteStream(file);
      out.write(`${HEADER}\n`);
      for (let i = 0; i < 10_000; i++) out.write(`${pidWithCheckDigit(`5${String(i).padStart(11, '0')}`)},นาย,คน${i},ทดสอบ,,,1980-01-01,ว.${i},2030-01-01,พยาบาล,ข้าราชการ,${String(10000 + (i % 50))},รพ.${i % 50}\n`);
      await new Promise((resolve) => out.end(resolve));
      const progress: number[] = [];
      const result = await personnel().importFile(file, (n) => progress.push(n));
      assert.equal(result.imported, 10_000);
      assert.equal(result.errors.length, 0);
      assert.equal(progress.length, 10);
      assert.equal(progress.at(-1), 10_000);
    });

    test('linking: names and birth date must match; the claim reaches only clients allowed health_personnel; provider_id is stable', async () => {
      await personnel().importFile(SAMPLE);
      const { sub } = await server.app().accounts.create({ ...TEST_PERSON, phone_verified: true });
      const stranger = await server.app().accounts.create({ ...TEST_PERSON, pid: '3250100123450', given_name: 'ประเสริฐ', family_name: 'ใจงาม', birthdate: '1979-08-03' });
      assert.equal(await personnel().link((await server.app().accounts.findBySub(stranger.sub))!), 'no_match', 'a different birth date does not link');

      const person = new Person(server.url);
      let page = await person.follow('/account/personnel');
      page = await person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: TEST_PERSON.pid, password: TEST_PERSON.password });
      page = await person.submit('/account/personnel', { csrf: Person.csrf(page.body) });
      assert.equal(page.res.status, 200);
      assert.match(page.body, /10699/);
      assert.match(page.body, /13836/);
      const claim = (await personnel().healthPersonnelClaim(sub))!;
      assert.equal(claim.license_id, 'ว.12345');
      assert.equal(claim.license_expired_date, '2027-12-31', 'Buddhist-era dates are stored as ISO dates');
      assert.deepEqual(claim.organizations.map((o) => [o.hcode, o.position]), [['10699', 'นายแพทย์ชำนาญการ'], ['13836', 'แพทย์เวร, นอกเวลา']]);
      await personnel().importFile(SAMPLE);
      assert.equal((await personnel().healthPersonnelClaim(sub))!.provider_id, claim.provider_id, 'provider_id survives re-imports');

      for (const [scope, expected] of [['openid health_personnel', true], ['openid', false]] as const) {
        const client = await addClient(server, { redirect_uris: [REDIRECT], grant_types: ['authorization_code'], scope });
        const rp = await oidc.discovery(new URL(server.url), client.client_id, client.client_secret, undefined, insecure);
        // a client not allowed the scope may still try the claims parameter: it gets nothing
        const authUrl = oidc.buildAuthorizationUrl(rp, { redirect_uri: REDIRECT, scope, state: 's', claims: JSON.stringify({ userinfo: { health_personnel: null } }) });
        let step = await person.follow(authUrl);
        if (!step.external) step = await person.submit(Person.action(step.body, '/confirm'), { csrf: Person.csrf(step.body) });
        const tokens = await oidc.authorizationCodeGrant(rp, new URL(step.external!), { expectedState: 's' });
        const info = await oidc.fetchUserInfo(rp, tokens.access_token, tokens.claims()!.sub);
        assert.equal('health_personnel' in info, expected, scope);
        if (expected) assert.equal((info.health_personnel as { provider_id: string }).provider_id, claim.provider_id);
      }
    });

    if (target.name === 'postgres') {
      test('mpid personnel import reports the result as JSON; an unreadable file exits non-zero', () => {
        const env = { ...process.env, ...testDirs(), DATABASE_URL: url! };
        const cli = path.resolve(import.meta.dirname, '../../../src/idp/cli/main.ts');
        const ok = spawnSync(process.execPath, [cli, 'personnel', 'import', SAMPLE], { env, encoding: 'utf8' });
        assert.equal(ok.status, 0, ok.stderr);
        const result = JSON.parse(ok.stdout) as { errors: unknown[] };
        assert.deepEqual(result.errors, []);
        const bad = spawnSync(process.execPath, [cli, 'personnel', 'import', '/no/such/file.csv'], { env, encoding: 'utf8' });
        assert.equal(bad.status, 2);
        assert.match(bad.stderr, /cannot read/);
      });
    }
  });
}
