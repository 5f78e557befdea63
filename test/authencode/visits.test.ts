// Visits on both databases: drafts, confirmation on the Thai day of service (one code per person, unit,
// claim type and day, also under parallel requests), edits and cancellation. The service's clock is the
// test's: midday in Bangkok unless a test moves it (to the Thai midnight, 17:00 UTC).
import { describe, it, before, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { dbTargets } from '../helpers/db.ts';
import { pidWithCheckDigit } from '../helpers/server.ts';
import type { Database } from '../../src/kernel/db/index.ts';
import { createPii } from '../../src/kernel/pii/index.ts';
import { migrateAuthencode } from '../../src/authencode/db.ts';
import { loadClaimTypes, type ClaimTypes } from '../../src/authencode/claim_types.ts';
import { importUnits } from '../../src/authencode/units.ts';
import { createVisits, VisitError, type Visits, type VisitInput } from '../../src/authencode/visits/index.ts';
import { auditOf } from '../../src/authencode/audit.ts';
import { CLAIM_CODE } from '../../src/authencode/visits/claim_code.ts';
import { thaiDay, thaiInstant } from '../../src/kernel/thai/time.ts';
import { sweepAuthencode } from '../../src/authencode/sweep.ts';

const UNITS = path.resolve(import.meta.dirname, '../../samples/units.csv');
const MIDDAY = thaiInstant('2026-11-22', '12:00')!.getTime();
const randomPid = () => pidWithCheckDigit(`1${String(BigInt('0x' + randomBytes(6).toString('hex')) % 10n ** 11n).padStart(11, '0')}`);

for (const target of dbTargets()) {
  describe(`visits on ${target.name}`, () => {
    let db: Database;
    let drop: () => Promise<void>;
    let visits: Visits;
    let claimTypes: ClaimTypes;
    let clock = MIDDAY;
    const input = (over: Partial<VisitInput> = {}): VisitInput => ({
      pid: randomPid(), hcode: '10699', claimType: 'PG0060001', serviceAt: new Date(clock), mobiles: ['0812345678'], method: 'card', actor: 'sub:staff', ...over,
    });

    before(async () => {
      ({ db, drop } = await target.create());
      assert.ok((await migrateAuthencode(db)).length > 0);
      assert.deepEqual(await migrateAuthencode(db), [], 'a second run applies nothing');
      const imported = await importUnits(db, UNITS);
      assert.ok(imported.imported >= 2);
      claimTypes = await loadClaimTypes(db);
      visits = createVisits(db, createPii(randomBytes(32)), claimTypes, () => clock);
    });
    beforeEach(() => {
      clock = MIDDAY;
    });
    after(() => drop());

    it('claim types: the retired home and community isolation types end on 2022-09-30', () => {
      assert.ok(claimTypes.isValidOn('PG0090001', '2022-09-30'));
      assert.ok(!claimTypes.isValidOn('PG0090001', '2022-10-01'));
      assert.ok(!claimTypes.isValidOn('PG0080001', thaiDay(new Date())));
      assert.deepEqual(claimTypes.validOn(thaiDay(new Date())).map((c) => c.code), ['PG0060001', 'PG0110001', 'PG0120001', 'PG0130001', 'PG0140001']);
    });

    it('a draft has no code; confirming it on the day gives a code in the seed shape, audited; a second confirmation returns the same code', async () => {
      const draft = await visits.saveDraft(input({ hn: 'HN001' }));
      assert.equal(draft.status, 'draft');
      assert.equal(draft.claimCode, null);
      const first = await visits.confirm(draft.id, 'sub:staff');
      assert.equal(first.duplicate, false);
      assert.match(first.visit.claimCode!, CLAIM_CODE);
      assert.ok(first.visit.claimCode!.startsWith('PP'));
      const again = await visits.confirmNew(input({ pid: draft.pid }));
      assert.equal(again.duplicate, true);
      assert.equal(again.visit.claimCode, first.visit.claimCode);
      const other = await visits.confirmNew(input({ pid: draft.pid, claimType: 'PG0130001' }));
      assert.equal(other.duplicate, false, 'another claim type the same day is another code');
      assert.ok(other.visit.claimCode!.startsWith('HD'));
      assert.deepEqual((await auditOf(db, draft.id)).map((e) => e.action), ['visit.draft', 'visit.confirmed']);
    });

    it('the stored ID number and phones are sealed, not readable in the table', async () => {
      const v = await visits.saveDraft(input({ mobiles: ['0899999999', '021234567'] }));
      const { rows } = await db.query('SELECT pid_sealed, mobile_sealed FROM authencode.visits WHERE id = $1', [v.id]);
      assert.ok(!rows[0]!.pid_sealed.includes(v.pid));
      assert.ok(!rows[0]!.mobile_sealed.includes('0899999999'));
      assert.deepEqual((await visits.find(v.id))!.mobiles, ['0899999999', '021234567']);
    });

    it('refuses: a retired claim type, an unknown unit, confirming on another day, no phone', async () => {
      await assert.rejects(visits.saveDraft(input({ claimType: 'PG0090001' })), (e: VisitError) => e.code === 'claim_type_not_valid');
      await assert.rejects(visits.saveDraft(input({ claimType: 'PG9990001' })), (e: VisitError) => e.code === 'unknown_claim_type');
      await assert.rejects(visits.saveDraft(input({ hcode: '99999' })), (e: VisitError) => e.code === 'unknown_unit');
      await assert.rejects(visits.saveDraft(input({ mobiles: [] })), (e: VisitError) => e.code === 'no_mobile');
      const tomorrow = await visits.saveDraft(input({ serviceAt: new Date(clock + 86400_000) }));
      await assert.rejects(visits.confirm(tomorrow.id, 'sub:staff'), (e: VisitError) => e.code === 'not_service_day');
      await assert.rejects(visits.confirmNew(input({ serviceAt: new Date(clock - 86400_000) })), (e: VisitError) => e.code === 'not_service_day');
    });

    it('the day of service is the Thai day: 23:59:59 and 00:00:00 in Bangkok (17:00 UTC) are two days, one code each', async () => {
      const pid = randomPid();
      clock = Date.parse('2026-11-22T16:59:59Z'); // 23:59:59 in Bangkok
      const late = await visits.confirmNew(input({ pid }));
      assert.equal(late.visit.serviceDay, '2026-11-22');
      assert.equal((await visits.confirmNew(input({ pid }))).duplicate, true, 'the same Thai day: the same code');
      const draft = await visits.saveDraft(input({ pid, claimType: 'PG0130001' }));
      clock = Date.parse('2026-11-22T17:00:00Z'); // midnight in Bangkok: the next day of service
      await assert.rejects(visits.confirm(draft.id, 'sub:staff'), (e: VisitError) => e.code === 'not_service_day', "yesterday's draft");
      await assert.rejects(visits.confirmNew(input({ pid, serviceAt: new Date(clock - 1000) })), (e: VisitError) => e.code === 'not_service_day', 'a second ago is yesterday');
      const early = await visits.confirmNew(input({ pid }));
      assert.equal(early.duplicate, false, 'a new day: a new code');
      assert.equal(early.visit.serviceDay, '2026-11-23');
      assert.notEqual(early.visit.claimCode, late.visit.claimCode);
      assert.equal((await visits.confirmNew(input({ pid }))).visit.claimCode, early.visit.claimCode, 'and one code for that day');
      assert.deepEqual((await visits.search({ hcode: '10699', pid, status: 'confirmed' })).map((v) => v.serviceDay).sort(), ['2026-11-22', '2026-11-23']);
    });

    it('history, latest at a unit, edit and cancel (soft delete, audited); a cancelled visit can be confirmed anew', async () => {
      const pid = randomPid();
      const a = await visits.confirmNew(input({ pid, hcode: '10699' }));
      const b = await visits.confirmNew(input({ pid, hcode: '13836' }));
      assert.deepEqual((await visits.history(pid)).map((v) => v.claimCode), [b.visit.claimCode, a.visit.claimCode]);
      assert.deepEqual((await visits.history(pid, { hcode: '10699' })).map((v) => v.claimCode), [a.visit.claimCode]);
      const edited = await visits.edit(a.visit.id, { hn: 'HN-7', mobiles: ['0811111111'] }, 'sub:staff', 'typo in HN');
      assert.equal(edited.hn, 'HN-7');
      const cancelled = await visits.cancel(a.visit.id, 'sub:staff', 'patient left before treatment');
      assert.equal(cancelled.status, 'cancelled');
      assert.equal(cancelled.claimCode, a.visit.claimCode, 'the row and its code are kept');
      assert.deepEqual((await auditOf(db, a.visit.id)).map((e) => e.action), ['visit.confirmed', 'visit.edited', 'visit.cancelled']);
      await assert.rejects(visits.cancel(a.visit.id, 'sub:staff', 'again'), (e: VisitError) => e.code === 'not_confirmed');
      assert.deepEqual((await visits.history(pid)).map((v) => v.claimCode), [b.visit.claimCode]);
      const anew = await visits.confirmNew(input({ pid, hcode: '10699' }));
      assert.equal(anew.duplicate, false);
      assert.notEqual(anew.visit.claimCode, a.visit.claimCode);
      const found = await visits.search({ hcode: '10699', pid });
      assert.deepEqual(new Set(found.map((v) => v.status)), new Set(['confirmed', 'cancelled']));
    });

    it('parallel confirmations of the same person, unit, type and day yield one code; of different people, distinct codes', async () => {
      const pid = randomPid();
      const same = await Promise.all(Array.from({ length: 12 }, () => visits.confirmNew(input({ pid }))));
      const codes = new Set(same.map((r) => r.visit.claimCode));
      assert.equal(codes.size, 1, `one code, got ${[...codes].join(', ')}`);
      assert.equal(same.filter((r) => !r.duplicate).length, 1, 'exactly one confirmation won');
      const { rows } = await db.query("SELECT count(*)::int AS n FROM authencode.visits WHERE claim_code = $1 AND status = 'confirmed'", [[...codes][0]]);
      assert.equal(rows[0]!.n, 1);
      const many = await Promise.all(Array.from({ length: 40 }, () => visits.confirmNew(input())));
      assert.equal(new Set(many.map((r) => r.visit.claimCode)).size, 40);
    });

    it('the sweep removes day-old photos no visit refers to, and keeps the others', async () => {
      const kept = await visits.confirmNew(input({ method: 'photo', evidence: { photo_sha256: 'a'.repeat(64) } }));
      assert.equal(kept.visit.method, 'photo');
      await db.query("INSERT INTO authencode.evidence_photos (sha256, sealed, created_at) VALUES ($1, 'x', now() - interval '2 days'), ($2, 'y', now() - interval '2 days'), ($3, 'z', now())", ['a'.repeat(64), 'b'.repeat(64), 'c'.repeat(64)]);
      await sweepAuthencode(db);
      const { rows } = await db.query('SELECT sha256 FROM authencode.evidence_photos ORDER BY sha256');
      assert.deepEqual(rows.map((r) => r.sha256[0]), ['a', 'c'], 'the referenced one and the fresh one stay');
      // the referenced one is decided on for good: the next sweeps no longer read it
      const { rows: undecided } = await db.query<{ sha256: string }>("SELECT sha256 FROM authencode.evidence_photos WHERE NOT kept AND created_at < now() - interval '1 day'");
      assert.deepEqual(undecided, []);
      await sweepAuthencode(db);
      assert.equal((await db.query('SELECT 1 FROM authencode.evidence_photos WHERE sha256 = $1 AND kept', ['a'.repeat(64)])).rows.length, 1, 'still there, kept');
    });
  });
}
