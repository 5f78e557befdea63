// Issue 11's bad input at the Authen Code service, each a 4xx with a message: days that do not exist
// (visit search, reports, a visit's service date), 36 dashes for a visit id, NUL at the API; and an
// ID number in an API path, written with dashes or percent-encoded, never reaches the log.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { openPglite } from '../../src/kernel/db/index.ts';
import { createLogger } from '../../src/kernel/http/log.ts';
import { startZone, type Zone } from '../helpers/authencode.ts';
import { Person } from '../helpers/person.ts';
import { pidWithCheckDigit, TEST_PERSON } from '../helpers/server.ts';
import { seedVerifierAtUnit } from '../helpers/proofing.ts';
import { logInStaff, logInThrough } from '../helpers/login_walk.ts';
import { recordEvidence } from '../../src/idp/proofing/evidence.ts';

const CITIZEN = { ...TEST_PERSON, pid: pidWithCheckDigit('310130000001'), phone_number: '0861300001', phone_verified: true };
const DASHES = '-'.repeat(36);

describe('bad input at the Authen Code service', () => {
  let zone: Zone;
  let staff: Person;
  let citizen: Person;
  let registered: string;
  const logLines: string[] = [];

  before(async () => {
    const sink = new Writable({
      write(chunk, _enc, cb) {
        logLines.push(String(chunk));
        cb();
      },
    });
    zone = await startZone(await openPglite(), {}, { ac: createLogger('info', sink) });
    await seedVerifierAtUnit(zone.idp); // the test person: personnel at 10699
    const { sub } = await zone.idp.app().accounts.create(CITIZEN);
    await zone.idp.db.tx((q) => recordEvidence(q, { sub, method: 'register_check', checks: ['register_check'], documents: [], decision: 'approved' }));
    staff = new Person(zone.ac.url);
    await logInStaff(staff, zone.idp.url, zone.ac.url, TEST_PERSON, '10699');
    citizen = new Person(zone.ac.url);
    await logInThrough(citizen, zone.idp.url, `${zone.ac.url}/login?as=citizen`, CITIZEN, `${zone.ac.url}/visit`);
    // someone in the (synthetic) entitlement register
    registered = readFileSync(zone.idp.config.populationFile, 'utf8').split('\n')[1]!.split(',')[0]!;
  });
  after(async () => {
    await zone.close();
    await zone.idp.db.close();
  });

  test('a search day, a report range or a service date that does not exist is a 400 with a message', async () => {
    let page = await staff.follow('/staff/visits?day=2026-02-30');
    assert.equal(page.res.status, 400);
    assert.match(page.body, /วันที่หรือเวลาไม่ถูกต้อง/);
    assert.equal((await staff.follow('/staff/visits?day=2026-02-28')).res.status, 200, 'a real day still searches');
    for (const q of ['from=2026-02-30', 'to=2026-02-30', 'from=2026-13-01&to=2026-12-31']) {
      page = await staff.follow(`/staff/reports?${q}`);
      assert.equal(page.res.status, 400, q);
      assert.match(page.body, /ช่วงวันที่ไม่ถูกต้อง/);
      assert.equal((await staff.request(`/staff/reports/report.csv?${q}`)).status, 400, q);
      assert.equal((await staff.request(`/staff/reports/chart.svg?${q}`)).status, 400, q);
    }

    const csrf = Person.csrf((await staff.follow('/staff')).body);
    const form = new FormData();
    for (const [k, v] of Object.entries({ csrf, pid: registered, method: 'certification', service_date: '2026-02-30', service_time: '09:00', claim_type: 'PG0060001', mobile: '0812345678', action: 'draft' })) form.set(k, v);
    page = await staff.follow('/staff/visit', { method: 'POST', body: form });
    assert.equal(page.res.status, 400, 'not a RangeError (500)');
    assert.match(page.body, /วันที่หรือเวลาไม่ถูกต้อง/);
  });

  test('36 dashes are not a visit id', async () => {
    assert.equal((await citizen.follow(`/visit/done/${DASHES}`)).res.status, 404);
    assert.equal((await staff.follow(`/staff/visits/${DASHES}`)).res.status, 404);
    const csrf = Person.csrf((await staff.follow('/staff')).body);
    assert.equal((await staff.submit(`/staff/visits/${DASHES}/cancel`, { csrf, cancel_reason: 'x' })).res.status, 404);
  });

  test('NUL at the API is a 400 in the API’s error shape', async () => {
    const res = await fetch(`${zone.ac.url}/api/nhso-service/latest-authen-code/a%00b`);
    assert.equal(res.status, 400);
    const body = (await res.json()) as { status: number; errors: Array<{ code: string; defaultMessage: string }> };
    assert.equal(body.status, 400);
    assert.equal(body.errors[0]!.code, 'bad_input');
    assert.match(body.errors[0]!.defaultMessage, /NUL/);
  });

  test('an ID number in a path is masked in the log however it is written', async () => {
    const pid = '3101700203459';
    const from = logLines.length;
    for (const spelling of ['3-1017-00203-45-9', '3%2D1017%2D00203%2D45%2D9', [...pid].map((d) => `%3${d}`).join(''), '3%201017%2000203%2045%209']) {
      await fetch(`${zone.ac.url}/api/nhso-service/latest-authen-code/${spelling}`);
    }
    // what these requests wrote, without the logger's own time and random request id (either may hold "1017" by chance)
    const all = logLines
      .slice(from)
      .map((l) => {
        const { time: _time, request_id: _id, ...rest } = JSON.parse(l) as Record<string, unknown>;
        return JSON.stringify(rest);
      })
      .join('\n');
    assert.equal(all.match(/"path":"\/api\/nhso-service\/latest-authen-code\/\*{13}"/g)?.length, 4);
    for (const part of ['1017', '00203', '%33%31']) assert.ok(!all.includes(part), `${part} is not in the log`);
    assert.doesNotMatch(all, /"level":50/, 'nothing above went to the error log');
  });
});
