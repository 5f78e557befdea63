// The entitlement register of the Authen Code service: the synthetic register of the test zone (derived
// from the synthetic population, deterministic per ID number), calendar age, and the HTTP connector
// against a real local server (mapping, Basic auth, 404, errors without the ID number, timeout, circuit).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readCsv } from '../../src/kernel/registry/csv.ts';
import { writePopulationFile, withCheckDigit } from '../../src/kernel/registry/synthetic_population.ts';
import {
  ageOn,
  EntitlementRegisterUnavailable,
  HttpEntitlementRegister,
  insclLabel,
  SyntheticEntitlementRegister,
  type Entitlement,
} from '../../src/authencode/entitlement/index.ts';

const UNITS_FILE = path.resolve(import.meta.dirname, '../../samples/units.csv');

async function readRows(file: string): Promise<Array<Record<string, string>>> {
  const rows: Array<Record<string, string>> = [];
  let header: string[] | undefined;
  for await (const { fields } of readCsv(file)) {
    if (!header) header = fields;
    else rows.push(Object.fromEntries(header.map((h, i) => [h, fields[i] ?? ''])));
  }
  return rows;
}

/** Whole years, computed independently of ageOn. */
function years(birthIso: string, onIso: string): number {
  const [by, bm, bd] = birthIso.split('-').map(Number) as [number, number, number];
  const [oy, om, od] = onIso.split('-').map(Number) as [number, number, number];
  return oy - by - (om < bm || (om === bm && od < bd) ? 1 : 0);
}

const noon = (iso: string) => new Date(`${iso}T05:00:00Z`); // midday in Thailand
const shiftYears = (iso: string, n: number) => `${Number(iso.slice(0, 4)) + n}${iso.slice(4)}`;
const dayBefore = (iso: string) => new Date(Date.parse(`${iso}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

describe('synthetic entitlement register', () => {
  let dir: string;
  let people: Array<Record<string, string>>;
  let units: Array<Record<string, string>>;
  let register: SyntheticEntitlementRegister;
  const CHECK_DATE = '2026-06-15';

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'authencode-entitlement-'));
    const file = path.join(dir, 'population.csv');
    await writePopulationFile(file, 300, 2569);
    people = await readRows(file);
    units = await readRows(UNITS_FILE);
    register = await SyntheticEntitlementRegister.load(
      file,
      units.map((u) => ({ hcode: u.hcode!, name_th: u.name_th!, province: u.province! })),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('every person resolves, with their names, CE birth date and sex; expired cards too', async () => {
    assert.equal(people.length, 300);
    assert.equal(register.size, 300);
    let expired = 0;
    for (const p of people) {
      const e = await register.lookup(p.pid!, noon(CHECK_DATE));
      assert.ok(e, `person at row ${people.indexOf(p)} resolves`);
      assert.equal(e.pid, p.pid);
      assert.equal(e.titleName, p.title_th);
      assert.equal(e.fname, p.given_name_th);
      assert.equal(e.lname, p.family_name_th);
      const be = p.birthdate_be!;
      assert.equal(e.birthDate, `${Number(be.slice(0, 4)) - 543}-${be.slice(4, 6)}-${be.slice(6, 8)}`);
      assert.match(e.birthDate, /^(19|20)\d\d-\d\d-\d\d$/);
      assert.equal(e.sex, p.title_th === 'นาย' || p.title_th === 'เด็กชาย' ? 'male' : 'female');
      if (p.card_status === 'expired') expired++;
    }
    assert.ok(expired > 0, 'the sample has expired cards');
  });

  test('the same answer twice (deterministic), and again from a second load', async () => {
    const again = await SyntheticEntitlementRegister.load(
      path.join(dir, 'population.csv'),
      units.map((u) => ({ hcode: u.hcode!, name_th: u.name_th!, province: u.province! })),
    );
    for (const p of people) {
      const first = await register.lookup(p.pid!, noon(CHECK_DATE));
      assert.deepEqual(await register.lookup(p.pid!, noon(CHECK_DATE)), first);
      assert.deepEqual(await again.lookup(p.pid!, noon(CHECK_DATE)), first);
    }
  });

  test('an unknown ID number → undefined', async () => {
    const known = new Set(people.map((p) => p.pid));
    let unknown = withCheckDigit('110000000000');
    for (let n = 1; known.has(unknown); n++) unknown = withCheckDigit(String(110000000000 + n));
    assert.equal(await register.lookup(unknown, noon(CHECK_DATE)), undefined);
    assert.equal(await register.lookup('not a pid', noon(CHECK_DATE)), undefined);
  });

  test('distribution of main rights is roughly 75/15/7/3, each with its name', async () => {
    const counts: Record<string, number> = {};
    const names: Record<string, string> = {
      UCS: 'สิทธิหลักประกันสุขภาพแห่งชาติ',
      SSS: 'สิทธิประกันสังคม',
      OFC: 'สิทธิข้าราชการ/รัฐวิสาหกิจ',
      LGO: 'สิทธิเบิกจ่ายตรงท้องถิ่น',
    };
    for (const p of people) {
      const e = (await register.lookup(p.pid!, noon(CHECK_DATE)))!;
      counts[e.mainInscl.code] = (counts[e.mainInscl.code] ?? 0) + 1;
      assert.equal(e.mainInscl.name, names[e.mainInscl.code], `name of ${e.mainInscl.code}`);
      if (e.mainInscl.code !== 'UCS') assert.ok(e.subInscl.code && e.subInscl.name, 'a sub right for non-UCS');
    }
    assert.deepEqual(Object.keys(counts).sort(), ['LGO', 'OFC', 'SSS', 'UCS']);
    const ucs = counts.UCS! / people.length;
    assert.ok(ucs >= 0.6 && ucs <= 0.9, `UCS share ${ucs}`);
    const sss = counts.SSS! / people.length;
    assert.ok(sss >= 0.05 && sss <= 0.3, `SSS share ${sss}`);
    assert.ok(counts.OFC! > counts.LGO! / 2, 'OFC not rarer than LGO by far');
  });

  test('the UCS sub right follows age on the date given', async () => {
    const expected = (age: number) => (age < 12 ? '75' : age < 60 ? '89' : '74');
    const seen = new Set<string>();
    for (const p of people) {
      const e = (await register.lookup(p.pid!, noon(CHECK_DATE)))!;
      if (e.mainInscl.code !== 'UCS') continue;
      assert.equal(e.subInscl.code, expected(years(e.birthDate, CHECK_DATE)), `sub right at ${years(e.birthDate, CHECK_DATE)} years`);
      seen.add(e.subInscl.code);
    }
    assert.deepEqual([...seen].sort(), ['74', '75', '89'], 'the sample spans the three age bands');

    // one person across birthdays: the band changes on the birthday, not the day before
    const one = (await Promise.all(people.map((p) => register.lookup(p.pid!, noon(CHECK_DATE))))).find((e) => e?.mainInscl.code === 'UCS')!;
    const at = async (iso: string) => (await register.lookup(one.pid, noon(iso)))!.subInscl;
    assert.equal((await at(dayBefore(shiftYears(one.birthDate, 12)))).code, '75');
    assert.deepEqual(await at(shiftYears(one.birthDate, 12)), { code: '89', name: 'ช่วงอายุ 12-59 ปี' });
    assert.equal((await at(dayBefore(shiftYears(one.birthDate, 60)))).code, '89');
    assert.deepEqual(await at(shiftYears(one.birthDate, 60)), { code: '74', name: 'ผู้สูงอายุ (60 ปีขึ้นไป)' });
    assert.deepEqual(await at(one.birthDate), { code: '75', name: 'เด็ก 0-12 ปี' });
    assert.equal(await register.lookup(one.pid, noon(dayBefore(one.birthDate))), undefined, 'not yet born');
  });

  test('the date is the date in Thailand', async () => {
    const one = (await Promise.all(people.map((p) => register.lookup(p.pid!, noon(CHECK_DATE))))).find((e) => e?.mainInscl.code === 'UCS')!;
    const birthday12 = shiftYears(one.birthDate, 12);
    // 18:00 UTC the day before the 12th birthday is 01:00 on the birthday in Bangkok
    const instant = new Date(Date.parse(`${dayBefore(birthday12)}T18:00:00Z`));
    assert.equal((await register.lookup(one.pid, instant))!.subInscl.code, '89');
    assert.equal((await register.lookup(one.pid, new Date(instant.getTime() - 2 * 3_600_000)))!.subInscl.code, '75');
  });

  test('main unit in the person’s province when the fixture has a unit there; secondary in the same province', async () => {
    const provinceOf = new Map(units.map((u) => [u.hcode!, u.province!]));
    const nameOf = new Map(units.map((u) => [u.hcode!, u.name_th!]));
    let local = 0;
    let elsewhere = 0;
    let distinctSub = 0;
    for (const p of people) {
      const e = (await register.lookup(p.pid!, noon(CHECK_DATE)))!;
      assert.ok(provinceOf.has(e.hospMain.hcode), 'hospMain is a fixture unit');
      assert.equal(e.hospMain.hname, nameOf.get(e.hospMain.hcode));
      assert.equal(e.hospSub.hname, nameOf.get(e.hospSub.hcode));
      if ([...provinceOf.values()].includes(p.province!)) {
        assert.equal(provinceOf.get(e.hospMain.hcode), p.province, 'hospMain in the person’s province');
        local++;
      } else elsewhere++;
      assert.equal(provinceOf.get(e.hospSub.hcode), provinceOf.get(e.hospMain.hcode), 'hospSub in hospMain’s province');
      if (e.hospSub.hcode !== e.hospMain.hcode) distinctSub++;
    }
    assert.ok(local > 0 && elsewhere > 0, 'the sample has people in and outside the fixture’s province');
    assert.ok(distinctSub > 0 && distinctSub < people.length, 'hospSub is sometimes hospMain, sometimes another unit');
  });

  test('with units in two provinces, each person’s main unit is in their own province', async () => {
    // the fixture's units are all in Sa Kaeo: add one in Chiang Mai so a wrong province can show
    const more = [
      ...units.map((u) => ({ hcode: u.hcode!, name_th: u.name_th!, province: u.province! })),
      { hcode: '10713', name_th: 'โรงพยาบาลนครพิงค์', province: 'เชียงใหม่' },
    ];
    const two = await SyntheticEntitlementRegister.load(path.join(dir, 'population.csv'), more);
    const provinceOf = new Map(more.map((u) => [u.hcode, u.province]));
    const seen = new Set<string>();
    for (const p of people) {
      const e = (await two.lookup(p.pid!, noon(CHECK_DATE)))!;
      if (p.province === 'สระแก้ว' || p.province === 'เชียงใหม่') {
        assert.equal(provinceOf.get(e.hospMain.hcode), p.province);
        assert.equal(provinceOf.get(e.hospSub.hcode), p.province);
        seen.add(p.province);
      }
    }
    assert.equal(seen.size, 2, 'the sample has people in both provinces');
  });
});

describe('ageOn', () => {
  test('calendar age', () => {
    assert.deepEqual(ageOn('2000-02-29', '2001-02-28'), { years: 0, months: 11, days: 30 });
    assert.deepEqual(ageOn('1985-03-14', '2026-12-01'), { years: 41, months: 8, days: 17 });
    assert.deepEqual(ageOn('2000-02-29', '2001-03-01'), { years: 1, months: 0, days: 0 });
    assert.deepEqual(ageOn('2000-02-29', '2004-02-29'), { years: 4, months: 0, days: 0 });
  });

  test('same-day birthday and the day itself', () => {
    assert.deepEqual(ageOn('1990-07-15', '2026-07-15'), { years: 36, months: 0, days: 0 });
    assert.deepEqual(ageOn('1990-07-15', '2026-07-14'), { years: 35, months: 11, days: 29 });
    assert.deepEqual(ageOn('2026-05-01', '2026-05-01'), { years: 0, months: 0, days: 0 });
  });

  test('month ends', () => {
    assert.deepEqual(ageOn('2025-01-31', '2025-02-28'), { years: 0, months: 0, days: 28 });
    assert.deepEqual(ageOn('2025-01-31', '2025-03-31'), { years: 0, months: 2, days: 0 });
    assert.deepEqual(ageOn('2025-03-31', '2025-04-30'), { years: 0, months: 0, days: 30 });
    assert.deepEqual(ageOn('2025-03-31', '2025-05-01'), { years: 0, months: 1, days: 0 });
    assert.deepEqual(ageOn('2024-12-31', '2025-12-31'), { years: 1, months: 0, days: 0 });
    assert.deepEqual(ageOn('2024-01-15', '2024-03-14'), { years: 0, months: 1, days: 28 });
  });

  test('RangeError when the date is before birth, or not a date', () => {
    assert.throws(() => ageOn('2000-01-02', '2000-01-01'), RangeError);
    assert.throws(() => ageOn('2000-02-30', '2001-01-01'), RangeError);
    assert.throws(() => ageOn('2000-01-01', '2001/01/01'), RangeError);
  });
});

describe('HttpEntitlementRegister', () => {
  const PID = withCheckDigit('110170012345');
  const ENTITLEMENT: Entitlement = {
    pid: PID,
    titleName: 'นาง',
    fname: 'มาลี',
    lname: 'ใจดี',
    birthDate: '1985-03-14',
    sex: 'female',
    mainInscl: { code: 'UCS', name: 'สิทธิหลักประกันสุขภาพแห่งชาติ' },
    subInscl: { code: '89', name: 'ช่วงอายุ 12-59 ปี' },
    hospMain: { hcode: '10699', hname: 'โรงพยาบาลสมเด็จพระยุพราชสระแก้ว' },
    hospSub: { hcode: '03975', hname: 'โรงพยาบาลส่งเสริมสุขภาพตำบลบ้านแก้ง' },
  };

  let server: http.Server;
  let base: string;
  let handler: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  let requests: Array<{ url: string; authorization: string | undefined }>;

  before(async () => {
    server = http.createServer((req, res) => {
      requests.push({ url: req.url!, authorization: req.headers.authorization });
      handler(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const reset = (h: typeof handler) => {
    requests = [];
    handler = h;
  };
  const json = (status: number, body: unknown) => (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const rejectsUnavailable = async (p: Promise<unknown>) => {
    const err = await p.then(
      () => assert.fail('expected EntitlementRegisterUnavailable'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof EntitlementRegisterUnavailable, `got ${String(err)}`);
    assert.ok(!err.message.includes(PID), 'the message does not hold the ID number');
    return err;
  };

  test('200 → the entitlement, GET with the date in Thailand and Basic auth', async () => {
    reset(json(200, { ...ENTITLEMENT, extra: 'ignored' }));
    const register = new HttpEntitlementRegister({ url: base, username: 'agent', secret: 's3cr:et' });
    // 20:00 UTC on 1 March is 03:00 on 2 March in Bangkok
    const e = await register.lookup(PID, new Date('2026-03-01T20:00:00Z'));
    assert.deepEqual(e, ENTITLEMENT);
    assert.equal(insclLabel(e!.mainInscl), '(UCS) สิทธิหลักประกันสุขภาพแห่งชาติ');
    assert.equal(requests.length, 1);
    assert.equal(requests[0]!.url, `/api/entitlements/${PID}?date=2026-03-02`);
    assert.equal(requests[0]!.authorization, `Basic ${Buffer.from('agent:s3cr:et').toString('base64')}`);
  });

  test('no credentials → no authorization header; half a pair is refused', async () => {
    reset(json(200, ENTITLEMENT));
    await new HttpEntitlementRegister({ url: base }).lookup(PID, new Date());
    assert.equal(requests[0]!.authorization, undefined);
    assert.throws(() => new HttpEntitlementRegister({ url: base, username: 'agent' }), TypeError);
  });

  test('404 → undefined; a malformed ID number never reaches the server', async () => {
    reset(json(404, { error: 'not found' }));
    const register = new HttpEntitlementRegister({ url: base });
    assert.equal(await register.lookup(PID, new Date()), undefined);
    assert.equal(requests.length, 1);
    assert.equal(await register.lookup('../admin', new Date()), undefined);
    assert.equal(requests.length, 1);
  });

  test('500 → Unavailable, without the ID number', async () => {
    reset(json(500, { error: `failed for ${PID}` }));
    const err = await rejectsUnavailable(new HttpEntitlementRegister({ url: base }).lookup(PID, new Date()));
    assert.match(err.message, /500/);
  });

  test('a body that is not an entitlement → Unavailable', async () => {
    const register = new HttpEntitlementRegister({ url: base });
    reset(json(200, '{"pid": "' + PID + '", not json'));
    await rejectsUnavailable(register.lookup(PID, new Date()));
    reset(json(200, { ...ENTITLEMENT, sex: 'unknown' }));
    await rejectsUnavailable(register.lookup(PID, new Date()));
    reset(json(200, { ...ENTITLEMENT, mainInscl: undefined }));
    await rejectsUnavailable(register.lookup(PID, new Date()));
    reset(json(200, { ...ENTITLEMENT, pid: withCheckDigit('310170012345') }));
    const err = await rejectsUnavailable(register.lookup(PID, new Date()));
    assert.match(err.message, /another person/);
  });

  test('a server that never answers → Unavailable within timeoutMs', async () => {
    reset(() => {}); // never responds
    const started = performance.now();
    const err = await rejectsUnavailable(new HttpEntitlementRegister({ url: base, timeoutMs: 200 }).lookup(PID, new Date()));
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 150 && elapsed < 1500, `gave up after ${elapsed} ms`);
    assert.match(err.message, /could not be reached/);
    server.closeAllConnections();
  });

  test('a refused connection → Unavailable', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await rejectsUnavailable(new HttpEntitlementRegister({ url: `http://127.0.0.1:${port}` }).lookup(PID, new Date()));
  });

  test('the circuit opens after 5 failures in a row, fails fast for 30 s, then lets one trial through', async () => {
    reset(json(500, {}));
    let clock = 1_000_000;
    const register = new HttpEntitlementRegister({ url: base, now: () => clock });
    for (let i = 0; i < 5; i++) await rejectsUnavailable(register.lookup(PID, new Date()));
    assert.equal(requests.length, 5);
    const fast = await rejectsUnavailable(register.lookup(PID, new Date()));
    assert.match(fast.message, /circuit open/);
    assert.equal(requests.length, 5, 'the 6th call does not reach the server');

    clock += 29_999;
    await rejectsUnavailable(register.lookup(PID, new Date()));
    assert.equal(requests.length, 5, 'still open just before 30 s');

    clock += 1; // half-open: one trial; it fails, so the circuit opens again
    await rejectsUnavailable(register.lookup(PID, new Date()));
    assert.equal(requests.length, 6);
    await rejectsUnavailable(register.lookup(PID, new Date()));
    assert.equal(requests.length, 6, 'a failed trial opens the circuit again');

    clock += 30_000; // a successful trial closes it
    reset(json(200, ENTITLEMENT));
    assert.deepEqual(await register.lookup(PID, new Date()), ENTITLEMENT);
    reset(json(500, {}));
    for (let i = 0; i < 4; i++) await rejectsUnavailable(register.lookup(PID, new Date()));
    assert.equal(requests.length, 4, 'closed again: failures are counted from zero');
  });

  test('404 and success reset the failure count', async () => {
    const register = new HttpEntitlementRegister({ url: base });
    reset(json(500, {}));
    for (let i = 0; i < 4; i++) await rejectsUnavailable(register.lookup(PID, new Date()));
    reset(json(404, {}));
    assert.equal(await register.lookup(PID, new Date()), undefined);
    reset(json(500, {}));
    for (let i = 0; i < 4; i++) await rejectsUnavailable(register.lookup(PID, new Date()));
    assert.equal(requests.length, 4, 'no circuit after 4 + 4 failures split by a 404');
  });
});
