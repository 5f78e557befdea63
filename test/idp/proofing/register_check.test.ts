// Remote proofing by register check, on both databases, against the synthetic register: the laser
// code that matches raises the account to IAL 1.2 with evidence; mismatches, expired cards, malformed
// codes and the daily limit do not; revoking the evidence drops the level at once. And the HTTP
// connector's failures (timeout, 5xx, malformed answer, open circuit) never grant a level.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dbTargets } from '../../helpers/db.ts';
import { migrate } from '../../../src/kernel/db/migrate.ts';
import type { Database } from '../../../src/kernel/db/index.ts';
import { createPii } from '../../../src/kernel/pii/index.ts';
import { createAccounts, createPasswordHasher, isValidPid } from '../../../src/idp/account/index.ts';
import { accountIal } from '../../../src/idp/proofing/ial.ts';
import { approvedEvidence, revokeEvidence } from '../../../src/idp/proofing/evidence.ts';
import { createRegisterCheck } from '../../../src/idp/proofing/methods/register_check/index.ts';
import { HttpPopulationRegister, PopulationRegisterUnavailable, SyntheticPopulationRegister } from '../../../src/idp/proofing/population_register.ts';
import { printedLaserCode, syntheticPeople, writePopulationFile, type SyntheticPerson } from '../../../src/kernel/registry/synthetic_population.ts';

const pii = createPii(Buffer.alloc(32, 3));
const hasher = createPasswordHasher({ memoryKiB: 1024, timeCost: 1, parallelism: 1, maxConcurrent: 2 });
const isoOf = (be: string) => `${Number(be.slice(0, 4)) - 543}-${be.slice(4, 6)}-${be.slice(6, 8)}`;

test('the synthetic population is deterministic, with valid check digits, Thai names and Sa Kaeo addresses', async () => {
  const a = [...syntheticPeople(500, 7)];
  const b = [...syntheticPeople(500, 7)];
  assert.deepEqual(a, b, 'the same seed gives the same people');
  assert.notDeepEqual(a, [...syntheticPeople(500, 8)]);
  assert.ok(a.every((p) => isValidPid(p.pid)));
  assert.equal(new Set(a.map((p) => p.pid)).size, 500);
  assert.ok(a.every((p) => /^[\u0E00-\u0E7F]+$/.test(p.givenName) && /^[A-Z]{2}\d{10}$/.test(p.laserCode)));
  assert.ok(a.some((p) => p.province === 'สระแก้ว'));
  assert.ok(a.some((p) => p.cardStatus === 'expired') && a.some((p) => p.cardStatus === 'valid'));
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'mpid-pop-')), 'population.csv');
  await writePopulationFile(file, 50, 7);
  assert.match(readFileSync(file, 'utf8').split('\n')[1]!, new RegExp(`^${a[0]!.pid},`));
});

for (const target of dbTargets()) {
  describe(`register check on ${target.name}`, () => {
    let db: Database;
    let drop: () => Promise<void>;
    let register: SyntheticPopulationRegister;
    const people = [...syntheticPeople(200, 11)];
    const valid = people.filter((p) => p.cardStatus === 'valid');
    const expired = people.find((p) => p.cardStatus === 'expired')!;

    before(async () => {
      ({ db, drop } = await target.create());
      await migrate(db);
      const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'mpid-pop-')), 'population.csv');
      await writePopulationFile(file, 200, 11);
      register = await SyntheticPopulationRegister.load(file);
    });
    after(() => drop());

    async function accountOf(p: SyntheticPerson) {
      const accounts = createAccounts(db, pii, hasher);
      const { sub } = await accounts.create({ pid: p.pid, given_name: p.givenName, family_name: p.familyName, birthdate: isoOf(p.birthdateBE), phone_number: '0812345678', phone_verified: true, password: 'long enough passphrase' });
      return { sub, check: createRegisterCheck({ db, accounts, register }) };
    }

    test('the matching laser code raises IAL 1.1 → 1.2 with evidence; revoking it drops the level at once', async () => {
      const person = valid[0]!;
      const { sub, check } = await accountOf(person);
      assert.equal(await accountIal(db, sub), '1.1');
      assert.equal(await check.check(sub, printedLaserCode(person.laserCode).toLowerCase()), 'verified');
      assert.equal(await accountIal(db, sub), '1.2');
      const [evidence] = await approvedEvidence(db, sub);
      assert.equal(evidence!.method, 'register_check');
      assert.deepEqual(evidence!.checks, ['register_check']);
      assert.doesNotMatch(JSON.stringify(evidence!.documents), new RegExp(person.pid), 'the document number is masked');
      await revokeEvidence(db, evidence!.id, 'admin-1', 'fraud report');
      assert.equal(await accountIal(db, sub), '1.1');
      const audit = await db.query(`SELECT actor FROM audit_events WHERE subject = $1 AND action = 'evidence.revoked'`, [sub]);
      assert.deepEqual(audit.rows, [{ actor: 'admin-1' }]);
    });

    test('a wrong laser code, an expired card, or a malformed code grant nothing; three tries a day', async () => {
      const person = valid[1]!;
      const { sub, check } = await accountOf(person);
      assert.equal(await check.check(sub, 'not a code'), 'bad_laser_code');
      assert.equal(await check.triesLeft(sub), 3, 'a malformed code is not a try');
      const wrong = `${person.laserCode.slice(0, 11)}${(Number(person.laserCode[11]) + 1) % 10}`;
      assert.equal(await check.check(sub, wrong), 'not_valid');
      assert.equal(await check.check(sub, wrong), 'not_valid');
      assert.equal(await check.check(sub, wrong), 'not_valid');
      assert.equal(await check.check(sub, person.laserCode), 'too_many_tries', 'even the right code waits for tomorrow');
      assert.equal(await accountIal(db, sub), '1.1');

      const other = await accountOf(expired);
      assert.equal(await other.check.check(other.sub, expired.laserCode), 'not_valid', 'a card that is not current');
      assert.equal(await accountIal(db, other.sub), '1.1');
    });

    test('an unavailable register grants nothing and costs no try', async () => {
      const person = valid[2]!;
      const accounts = createAccounts(db, pii, hasher);
      const { sub } = await accounts.create({ pid: person.pid, given_name: person.givenName, family_name: person.familyName, birthdate: isoOf(person.birthdateBE), phone_number: '0812345678', phone_verified: true, password: 'long enough passphrase' });
      const down = { checkCard: async () => Promise.reject(new PopulationRegisterUnavailable('down')) };
      const check = createRegisterCheck({ db, accounts, register: down });
      assert.equal(await check.check(sub, person.laserCode), 'unavailable');
      assert.equal(await check.triesLeft(sub), 3);
      assert.equal(await accountIal(db, sub), '1.1');
      assert.equal(createRegisterCheck({ db, accounts, register: undefined }).available, false);
    });
  });
}

describe('the HTTP card-status connector', () => {
  let server: http.Server;
  let url: string;
  let answer: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void = () => undefined;
  const input = { pid: '1234567890121', givenName: 'สมหญิง', familyName: 'รักษ์สุขภาพ', birthdateBE: '25280314', laserCode: 'JT0123456789' };

  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => answer(req, res, body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/check`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  test("DOPA's codes: 0 valid, 4 and 5 not valid; the request carries the card data and credentials", async () => {
    let seen: Record<string, unknown> = {};
    let auth = '';
    for (const [code, expected] of [
      [0, 'valid'],
      [4, 'invalid'],
      [5, 'invalid'],
    ] as const) {
      answer = (req, res, body) => {
        seen = JSON.parse(body);
        auth = req.headers.authorization ?? '';
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ code, desc: 'x' }));
      };
      assert.equal(await new HttpPopulationRegister({ url, username: 'mpid', secret: 's3cret' }).checkCard(input), expected);
    }
    assert.deepEqual(seen, { pid: input.pid, first_name: input.givenName, last_name: input.familyName, birth_date: '25280314', laser: 'JT0123456789' });
    assert.equal(auth, `Basic ${Buffer.from('mpid:s3cret').toString('base64')}`);
  });

  test('a 5xx, a malformed answer, an unknown code or a timeout is "unavailable", without personal data in the error', async () => {
    const cases: Array<(req: http.IncomingMessage, res: http.ServerResponse) => void> = [
      (_q, res) => {
        res.statusCode = 503;
        res.end('busy');
      },
      (_q, res) => res.end('<html>not json'),
      (_q, res) => res.end(JSON.stringify({ code: 99 })),
      () => undefined, // never answers
    ];
    for (const c of cases) {
      answer = (req, res) => c(req, res);
      await assert.rejects(new HttpPopulationRegister({ url, timeoutMs: 200 }).checkCard(input), (e: Error) => e instanceof PopulationRegisterUnavailable && !e.message.includes(input.pid) && !e.message.includes('สมหญิง'));
    }
  });

  test('after repeated failures the circuit opens and calls stop until it closes again', async () => {
    let calls = 0;
    answer = (_q, res) => {
      calls++;
      res.statusCode = 500;
      res.end();
    };
    let clock = 1_000_000;
    const register = new HttpPopulationRegister({ url, breakerThreshold: 3, breakerOpenMs: 10_000, now: () => clock });
    for (let i = 0; i < 3; i++) await assert.rejects(register.checkCard(input), PopulationRegisterUnavailable);
    await assert.rejects(register.checkCard(input), /circuit open/);
    assert.equal(calls, 3, 'no call while the circuit is open');
    clock += 10_001;
    answer = (_q, res) => res.end(JSON.stringify({ code: 0 }));
    assert.equal(await register.checkCard(input), 'valid');
  });
});
