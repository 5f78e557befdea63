// Digital ID coverage end to end on both databases: the synthetic country's denominators (Sa Kaeo as
// the seed document gives it), numerators that move exactly as accounts are created, proofed, revoked,
// linked and deleted; a province officer sees only their province (403 elsewhere, 404 for no area);
// the CSV and the XLSX carry the page's figures; the JSON API with a client-credentials token, only for
// the clients an operator allowed, a province's client only for its province.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import * as oidc from 'openid-client';
import { dbTargets } from '../../helpers/db.ts';
import { addClient, pidWithCheckDigit, startTestServer, TEST_PERSON } from '../../helpers/server.ts';
import { insecure } from '../../helpers/login.ts';
import { Person } from '../../helpers/person.ts';
import type { RunningServer } from '../../../src/idp/server.ts';
import { recordEvidence } from '../../../src/idp/proofing/evidence.ts';
import { revokeEvidenceAndLogOut } from '../../../src/idp/proofing/index.ts';
import { syntheticPeople, SYNTHETIC_POPULATION } from '../../../src/kernel/registry/synthetic_population.ts';
import { fromBuddhistDate } from '../../../src/kernel/thai/dates.ts';
import { setClientDisabled } from '../../../src/idp/oidc/clients.ts';

const people = [...syntheticPeople(SYNTHETIC_POPULATION.count, SYNTHETIC_POPULATION.seed)];
const livingIn = (district: string, n: number) => people.filter((p) => p.province === 'สระแก้ว' && p.district === district && p.cardStatus === 'valid').slice(0, n);
const [inMueang1, inMueang2] = livingIn('เมืองสระแก้ว', 2);
const [inWatthana] = livingIn('วัฒนานคร', 1);
const account = (p: (typeof people)[number], phone: string) => ({
  pid: p.pid, given_name: p.givenName, family_name: p.familyName, birthdate: fromBuddhistDate(p.birthdateBE), phone_number: phone, phone_verified: true, password: 'long enough passphrase',
});
const ADMIN = { ...TEST_PERSON, pid: pidWithCheckDigit('310090000001'), phone_number: '0869990001', phone_verified: true };
const OFFICER = { ...TEST_PERSON, pid: pidWithCheckDigit('310090000002'), phone_number: '0869990002', phone_verified: true };

for (const target of dbTargets()) {
  describe(`coverage on ${target.name}`, () => {
    let server: RunningServer;
    let drop: () => Promise<void>;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mpid-coverage-'));

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      server = await startTestServer(made.db);
      assert.equal(await server.app().coverage.seedSyntheticCountry(dir), true);
    });
    after(async () => {
      await server.close();
      await drop();
    });

    const figures = async (code?: string) => (await server.app().coverage.reports.report(code))!;
    const row = async (parent: string | undefined, code: string) => (await figures(parent)).rows.find((r) => r.area.code === code)!;
    const tick = () => server.app().coverage.tick();

    test("the denominators: 66 million in 77 provinces, Sa Kaeo's districts as the seed gives them", async () => {
      const country = await figures();
      assert.equal(country.rows.length, 77);
      assert.equal(country.total.citizens, 66_000_000);
      const saKaeo = await figures('27');
      assert.equal(saKaeo.total.citizens, 537_792);
      assert.equal(saKaeo.total.personnel, 3_346, 'contract hires are not counted');
      assert.deepEqual(
        saKaeo.rows.map((r) => [r.area.nameTh, r.citizens, r.personnel]),
        [['เมืองสระแก้ว', 115_793, 1_255], ['คลองหาด', 37_318, 178], ['ตาพระยา', 52_157, 233], ['วังน้ำเย็น', 63_647, 290], ['วัฒนานคร', 74_135, 323], ['อรัญประเทศ', 81_805, 571], ['เขาฉกรรจ์', 53_990, 206], ['โคกสูง', 24_666, 141], ['วังสมบูรณ์', 34_281, 149]],
      );
      assert.equal(saKaeo.asOf.population, '2022-04-01');
      const again = await server.app().coverage.registers.importPopulation(path.join(dir, 'coverage-population.csv'));
      assert.equal(again.imported + again.updated, 0, 'importing again changes nothing');
      const bad = path.join(dir, 'bad.csv');
      writeFileSync(bad, 'subdistrict_code,province_th,province_en,district_th,district_en,subdistrict_th,subdistrict_en,citizens,as_of\n27010,ส,S,ม,M,ต,T,12,2022-04-01\n270101,สระแก้ว,Sa Kaeo,เมืองสระแก้ว,Mueang Sa Kaeo,สระแก้ว,Sa Kaeo,-3,2022-04-01\n');
      const refused = await server.app().coverage.registers.importPopulation(bad);
      assert.deepEqual(refused.errors.map((e) => e.line), [2, 3]);
    });

    test('the numerators move exactly: proofing, revocation, personnel linking, deletion', async () => {
      const { accounts, personnel } = server.app();
      const before = { mueang: (await row('27', '2701')).citizensDid, watthana: (await row('27', '2705')).citizensDid };
      const a = (await accounts.create(account(inMueang1!, '0861230001'))).sub;
      const b = (await accounts.create(account(inWatthana!, '0861230002'))).sub;
      const c = (await accounts.create(account(inMueang2!, '0861230003'))).sub;
      await tick();
      assert.equal((await row('27', '2701')).citizensDid, before.mueang, 'IAL 1.1 is not a digital ID');

      const evidence = await server.db.tx((q) => recordEvidence(q, { sub: a, method: 'register_check', checks: ['register_check'], documents: [], decision: 'approved' }));
      await server.db.tx((q) => recordEvidence(q, { sub: b, method: 'register_check', checks: ['register_check'], documents: [], decision: 'approved' }));
      await server.db.tx((q) => recordEvidence(q, { sub: c, method: 'register_check', checks: ['register_check'], documents: [], decision: 'rejected' }));
      await tick();
      assert.equal((await row('27', '2701')).citizensDid, before.mueang + 1);
      assert.equal((await row('27', '2705')).citizensDid, before.watthana + 1);
      assert.equal((await row(undefined, '27')).citizensDid, before.mueang + before.watthana + 2);
      const sub = (await figures('2701')).rows.find((r) => r.area.nameTh === inMueang1!.subdistrict)!;
      assert.equal(sub.citizensDid, 1, 'counted in the sub-district the register names');

      await revokeEvidenceAndLogOut({ db: server.db, provider: server.app().provider }, evidence, 'operator:test', 'card reported stolen');
      await tick();
      assert.equal((await row('27', '2701')).citizensDid, before.mueang, 'a revocation subtracts');

      // personnel: counted at their unit's district, contract hires left out
      const register = path.join(dir, 'personnel.csv');
      const line = (p: typeof inWatthana, type: string, hcode: string) => `${p!.pid},,${p!.givenName},${p!.familyName},,,${fromBuddhistDate(p!.birthdateBE)},,,พยาบาล,${type},${hcode},โรงพยาบาล`;
      writeFileSync(register, `pid,title_th,given_name_th,family_name_th,given_name_en,family_name_en,birthdate,license_id,license_expired_date,position,employment_type,hcode,hname_th\n${line(inWatthana, 'ข้าราชการ', '10869')}\n${line(inMueang1, 'จ้างเหมาบริการ', '10699')}\n`);
      assert.equal((await personnel.importFile(register)).imported, 2);
      await server.db.tx((q) => recordEvidence(q, { sub: a, method: 'register_check', checks: ['register_check'], documents: [], decision: 'approved' }));
      assert.equal(await personnel.link({ sub: b, pid: inWatthana!.pid, givenName: inWatthana!.givenName, familyName: inWatthana!.familyName, birthdate: fromBuddhistDate(inWatthana!.birthdateBE) }), 'linked');
      assert.equal(await personnel.link({ sub: a, pid: inMueang1!.pid, givenName: inMueang1!.givenName, familyName: inMueang1!.familyName, birthdate: fromBuddhistDate(inMueang1!.birthdateBE) }), 'linked');
      await tick();
      assert.equal((await row('27', '2705')).personnelDid, 1);
      assert.equal((await row('27', '2701')).personnelDid, 0, 'a contract hire is not counted');
      assert.equal((await figures('27')).total.personnelDid, 1);

      // the person's deletion request, carried out as an administrator does (the account is anonymised)
      await accounts.requestDeletion(b, 'please delete my account', '127.0.0.1');
      const request = (await accounts.deletionRequests({ status: 'pending' })).find((r) => r.sub === b)!;
      await server.app().admin.deletions.carryOut({ kind: 'operator', name: 'test' }, request.id, 'deletion request decided');
      await tick();
      assert.equal((await row('27', '2705')).citizensDid, before.watthana, 'a deleted account is subtracted');
      assert.equal((await row('27', '2705')).personnelDid, 0);
      assert.equal((await row('27', '2701')).citizensDid, before.mueang + 1);
      await personnel.unlink(a);
      await tick();
      assert.equal((await row('27', '2701')).citizensDid, before.mueang + 1, 'unlinking personnel leaves the citizen counted');
    });

    test('a province officer sees only their province; CSV and XLSX carry the same figures', async () => {
      const { accounts, units } = server.app();
      await accounts.create(ADMIN);
      const { sub: admin } = await units.bootstrapAdmin({ pid: ADMIN.pid, operator: 'somchai', reason: 'first admin' });
      const officer = (await accounts.create(OFFICER)).sub;
      await assert.rejects(units.grant({ sub: officer, role: 'province_officer', by: admin, reason: 'Sa Kaeo PHO' }), /province/);
      // granted on /admin with a reason, audited
      const adm = new Person(server.url);
      let form = await adm.follow('/admin');
      form = await adm.submit(Person.action(form.body, '/login'), { csrf: Person.csrf(form.body), pid: ADMIN.pid, password: ADMIN.password });
      form = await adm.submit(Person.action(form.body, '/sms/send'), { csrf: Person.csrf(form.body) });
      const codes = (await (await fetch(`${server.url}/test-zone/sms?to=${encodeURIComponent('+66869990001')}`)).json()) as Array<{ text: string }>;
      form = await adm.submit(Person.action(form.body, '/sms'), { csrf: Person.csrf(form.body), code: codes[0]!.text.match(/\b(\d{6})\b/)![1]! });
      assert.equal((await adm.submit('/admin/province-officer', { csrf: Person.csrf(form.body), po_pid: OFFICER.pid, po_province: '27', po_reason: '' })).res.status, 400, 'a reason is required');
      form = await adm.submit('/admin/province-officer', { csrf: Person.csrf(form.body), po_pid: OFFICER.pid, po_province: '27', po_reason: 'Sa Kaeo provincial health office' });
      assert.equal(form.res.status, 200);
      const granted = await server.db.query<{ detail: { role: string; province: string } }>("SELECT detail FROM audit_events WHERE action = 'role.granted' AND subject = $1", [officer]);
      assert.deepEqual(granted.rows.map((r) => [r.detail.role, r.detail.province]), [['province_officer', '27']]);
      assert.deepEqual(await units.coverageScope(officer), { national: false, provinces: ['27'] });

      const person = new Person(server.url);
      let page = await person.follow('/coverage');
      page = await person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: OFFICER.pid, password: OFFICER.password });
      page = await person.submit(Person.action(page.body, '/sms/send'), { csrf: Person.csrf(page.body) });
      const outbox = (await (await fetch(`${server.url}/test-zone/sms?to=${encodeURIComponent('+66869990002')}`)).json()) as Array<{ text: string }>;
      page = await person.submit(Person.action(page.body, '/sms'), { csrf: Person.csrf(page.body), code: outbox[0]!.text.match(/\b(\d{6})\b/)![1]! });
      assert.equal(page.res.status, 200);
      assert.match(page.url, /\/coverage\/area\/27\?lang=th$/, 'straight to their province');
      assert.match(page.body, /537,792/);
      assert.match(page.body, /<svg role="img"/, 'a chart drawn on the server');
      assert.doesNotMatch(page.body, / style="/, 'no inline style (CSP)');
      assert.match(page.body, /ต่ำกว่าเป้า/, 'below target in words');

      assert.equal((await person.follow('/coverage/area/10')).res.status, 403, 'Bangkok is not theirs');
      assert.equal((await person.follow('/coverage/area/1037')).res.status, 403);
      assert.equal((await person.follow('/coverage/area/99')).res.status, 403, 'outside their province: refused before looking');
      assert.equal((await person.follow('/coverage/area/2799')).res.status, 404, 'no such district in their province');
      assert.equal((await person.follow('/coverage/area/x')).res.status, 404);
      assert.equal((await person.follow('/coverage/export/csv?area=10')).res.status, 403);
      assert.equal((await person.follow('/coverage/area/2701')).res.status, 200);

      const csv = await person.request('/coverage/export/csv?area=27&lang=en');
      assert.equal(csv.status, 200);
      const lines = (await csv.text()).replace(/^\ufeff/, '').trim().split('\r\n').map((l) => l.split(','));
      const xlsx = await person.request('/coverage/export/xlsx?area=27&lang=en');
      assert.equal(xlsx.status, 200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load((await xlsx.arrayBuffer()) as Parameters<typeof book.xlsx.load>[0]);
      const sheet = book.worksheets[0]!;
      const cells: string[][] = [];
      sheet.eachRow((r) => cells.push((r.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))));
      assert.deepEqual(cells, lines, 'the same rows and figures');
      assert.equal(lines.length, 11, 'a heading, nine districts, the total');
      assert.deepEqual(lines.at(-1)!.slice(3, 5), ['537792', String((await figures('27')).total.citizensDid)]);
      assert.equal(lines.at(-1)![6], '3346');

      // someone with no coverage role
      const stranger = new Person(server.url);
      await accounts.create({ ...TEST_PERSON, pid: pidWithCheckDigit('310090000003'), phone_number: '0869990003', phone_verified: true });
      page = await stranger.follow('/coverage');
      page = await stranger.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: pidWithCheckDigit('310090000003'), password: TEST_PERSON.password });
      page = await stranger.submit(Person.action(page.body, '/sms/send'), { csrf: Person.csrf(page.body) });
      const box = (await (await fetch(`${server.url}/test-zone/sms?to=${encodeURIComponent('+66869990003')}`)).json()) as Array<{ text: string }>;
      page = await stranger.submit(Person.action(page.body, '/sms'), { csrf: Person.csrf(page.body), code: box[0]!.text.match(/\b(\d{6})\b/)![1]! });
      assert.equal(page.res.status, 403);
    });

    test('the JSON API with a client-credentials token for the coverage resource server', async () => {
      const audience = `${server.url}/api/coverage`;
      assert.equal((await fetch(`${server.url}/api/coverage`)).status, 401);
      const client = await addClient(server, { grant_types: ['client_credentials'], response_types: [], redirect_uris: [] });
      const rp = await oidc.discovery(new URL(server.url), client.client_id, client.client_secret, undefined, insecure);
      await assert.rejects(oidc.clientCredentialsGrant(rp, { resource: audience, scope: 'coverage' }), (err: oidc.ResponseBodyError) => err.error === 'invalid_target', 'a client nobody allowed gets no coverage token');
      await server.app().coverage.apiClients.allow({ clientId: client.client_id, province: null, by: 'operator:test', reason: 'the ministry warehouse' });
      const { access_token } = await oidc.clientCredentialsGrant(rp, { resource: audience, scope: 'coverage' });
      const res = await fetch(`${server.url}/api/coverage/areas/27`, { headers: { authorization: `Bearer ${access_token}` } });
      assert.equal(res.status, 200);
      const body = (await res.json()) as { area: { name_en: string }; total: { citizens: number; citizens_with_digital_id: number; personnel: number; citizens_target_met: boolean }; parts: unknown[]; period: { targets: { citizens_percent: number } } };
      assert.equal(body.area.name_en, 'Sa Kaeo');
      assert.equal(body.total.citizens, 537_792);
      assert.equal(body.total.citizens_with_digital_id, (await figures('27')).total.citizensDid);
      assert.equal(body.total.personnel, 3_346);
      assert.equal(body.total.citizens_target_met, false);
      assert.equal(body.parts.length, 9);
      assert.ok([10, 25].includes(body.period.targets.citizens_percent));
      assert.equal((await fetch(`${server.url}/api/coverage`, { headers: { authorization: `Bearer ${access_token}` } })).status, 200, 'a national client reads the country');
      const plain = await oidc.clientCredentialsGrant(rp, { scope: 'coverage' });
      assert.equal((await fetch(`${server.url}/api/coverage`, { headers: { authorization: `Bearer ${plain.access_token}` } })).status, 401, 'an opaque token for no resource');
      assert.equal((await fetch(`${server.url}/api/coverage/areas/99`, { headers: { authorization: `Bearer ${access_token}` } })).status, 404);
      const doc = (await (await fetch(`${server.url}/api/coverage/openapi.json`)).json()) as { openapi: string; paths: Record<string, { get: { responses: Record<string, unknown> } }> };
      assert.equal(doc.openapi, '3.1.0');
      assert.ok(doc.paths['/api/coverage/areas/{code}']?.get.responses[403]);

      // revoked: its unexpired token is refused, and it gets no new one
      assert.equal(await server.app().coverage.apiClients.revoke({ clientId: client.client_id, by: 'operator:test', reason: 'contract ended' }), true);
      const revoked = await fetch(`${server.url}/api/coverage/areas/27`, { headers: { authorization: `Bearer ${access_token}` } });
      assert.equal(revoked.status, 403);
      assert.equal(((await revoked.json()) as { error: string }).error, 'insufficient_scope');
      await assert.rejects(oidc.clientCredentialsGrant(rp, { resource: audience, scope: 'coverage' }), (err: oidc.ResponseBodyError) => err.error === 'invalid_target');
      const { rows } = await server.db.query<{ action: string; detail: { client_id: string; reason: string } }>(
        `SELECT action, detail FROM audit_events WHERE action LIKE 'coverage.api_client_%' ORDER BY id`,
      );
      assert.deepEqual(rows.map((r) => [r.action, r.detail.client_id, r.detail.reason]), [['coverage.api_client_allowed', client.client_id, 'the ministry warehouse'], ['coverage.api_client_revoked', client.client_id, 'contract ended']]);
    });

    test("a province's API client reads only its province: the country and other provinces are 403", async () => {
      const audience = `${server.url}/api/coverage`;
      const client = await addClient(server, { grant_types: ['client_credentials'], response_types: [], redirect_uris: [] });
      await server.app().coverage.apiClients.allow({ clientId: client.client_id, province: '27', by: 'operator:test', reason: 'Sa Kaeo provincial dashboard' });
      const rp = await oidc.discovery(new URL(server.url), client.client_id, client.client_secret, undefined, insecure);
      const { access_token } = await oidc.clientCredentialsGrant(rp, { resource: audience, scope: 'coverage' });
      const get = (p: string) => fetch(`${server.url}${p}`, { headers: { authorization: `Bearer ${access_token}` } });
      const province = await get('/api/coverage/areas/27');
      assert.equal(province.status, 200);
      assert.equal(((await province.json()) as { total: { citizens: number } }).total.citizens, 537_792);
      const district = await get('/api/coverage/areas/2701');
      assert.equal(district.status, 200);
      assert.equal(((await district.json()) as { area: { name_en: string } }).area.name_en, 'Mueang Sa Kaeo');
      for (const p of ['/api/coverage', '/api/coverage/areas/10', '/api/coverage/areas/1001', '/api/coverage/areas/99']) {
        const res = await get(p);
        assert.equal(res.status, 403, p);
        assert.match(res.headers.get('content-type') ?? '', /application\/json/);
        const err = (await res.json()) as { error: string; error_description: string };
        assert.equal(err.error, 'forbidden', p);
        assert.match(err.error_description, /province 27 only/);
      }
      // a disabled client's unexpired token is refused
      await setClientDisabled(server.db, client.client_id, true);
      assert.equal((await get('/api/coverage/areas/27')).status, 403);
    });

    test('the daily snapshot gives the trend its history', async () => {
      const { coverage } = server.app();
      assert.equal(await coverage.snapshotIfDue(new Date('2026-11-01T05:00:00Z')), true);
      assert.equal(await coverage.snapshotIfDue(new Date('2026-11-01T05:01:00Z')), false, 'not again at once');
      await coverage.reports.snapshot('2026-11-02');
      const trend = await coverage.reports.trend('27', '2026-10-01');
      assert.deepEqual(trend.map((t) => t.day), ['2026-11-01', '2026-11-02']);
      assert.equal(trend[0]!.citizens, 537_792);
      assert.equal((await coverage.reports.trend('TH', '2026-10-01'))[0]!.citizens, 66_000_000);
    });
  });
}
