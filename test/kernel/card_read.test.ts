// The card-read document (JWS by a registered card reader agent), on both databases: accepted once,
// at its agent's unit, while fresh, with valid card data and a live challenge of the same unit and
// actor, which it uses up; every forgery or misuse is refused.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as jose from 'jose';
import { dbTargets, migratedDatabase } from '../helpers/db.ts';
import { cardOf, SAMPLE_CARD, signCardRead } from '../helpers/card_read.ts';
import type { Database } from '../../src/kernel/db/index.ts';
import { audit } from '../../src/kernel/audit/index.ts';
import {
  issueCardReadChallenge as issueIn, MAX_LIVE_CHALLENGES, NONCE, registerAgent as registerIn, verifyCardRead as verifyIn, type CardReadTables,
} from '../../src/kernel/card_read/index.ts';
import { sweep } from '../../src/idp/sweep.ts';

// the IdP's tables: the kernel keeps none of its own
const tables: CardReadTables = { agents: 'card_agents', uses: 'card_read_uses', challenges: 'card_read_challenges' };
const registerAgent = (db: Database, a: Parameters<typeof registerIn>[1]) => registerIn(db, a, { tables, audit });
const verifyCardRead = (db: Database, jws: string, opts: { hcode: string; actor: string; now?: number }) => verifyIn(db, jws, { ...opts, tables });
const issueChallenge = (db: Database, c: { hcode: string; actor: string; now?: number }) => issueIn(db, c, tables);

const VERIFIER = 'sub-verifier';
const CARD = SAMPLE_CARD;

for (const target of dbTargets()) {
  describe(`card-read documents on ${target.name}`, () => {
    const t = migratedDatabase(target);
    let agentId: string;
    let key: CryptoKey;

    before(async () => {
      await t.db.query(`INSERT INTO service_units (hcode, name_th, unit_type, province, district, subdistrict) VALUES ('10699', 'รพ.สระแก้ว', 'x', 'สระแก้ว', 'เมือง', 'สระแก้ว'), ('13836', 'รพ.วัฒนานคร', 'x', 'สระแก้ว', 'วัฒนานคร', 'วัฒนานคร')`);
      const pair = await jose.generateKeyPair('ES256', { extractable: true });
      key = pair.privateKey as CryptoKey;
      agentId = await registerAgent(t.db, { hcode: '10699', jwk: await jose.exportJWK(pair.publicKey), by: 'operator:test' });
      await assert.rejects(registerAgent(t.db, { hcode: '10699', jwk: await jose.exportJWK(pair.privateKey), by: 'x' }), /public key only/);
    });

    /** a document of this test's agent at 10699 over a fresh challenge of VERIFIER (or the one given) */
    const read = async (o: Partial<Parameters<typeof signCardRead>[0]> = {}) =>
      signCardRead({ key, agentId, hcode: '10699', card: CARD, ...o, nonce: 'nonce' in o ? o.nonce : await issueChallenge(t.db, { hcode: '10699', actor: VERIFIER }) });
    const now = () => Math.floor(Date.now() / 1000);

    test('a fresh document from the unit’s agent over a live challenge is accepted once', async () => {
      const jws = await read();
      const first = await verifyCardRead(t.db, jws, { hcode: '10699', actor: VERIFIER });
      assert.ok(first.ok);
      assert.equal(first.card.pid, CARD.pid);
      assert.deepEqual(await verifyCardRead(t.db, jws, { hcode: '10699', actor: VERIFIER }), { ok: false, reason: 'replayed' });
    });

    test('a challenge is random base64url, at least 128 bits, and kept only as a digest', async () => {
      const [a, b] = [await issueChallenge(t.db, { hcode: '10699', actor: 'sub-digest' }), await issueChallenge(t.db, { hcode: '10699', actor: 'sub-digest' })];
      assert.notEqual(a, b);
      assert.match(a, NONCE);
      assert.ok(Buffer.from(a, 'base64url').length >= 16);
      const { rows } = await t.db.query<{ nonce_hash: Uint8Array; expires_at: Date }>(`SELECT nonce_hash, expires_at FROM card_read_challenges WHERE actor = 'sub-digest'`);
      assert.equal(rows.length, 2);
      assert.ok(rows.every((r) => !Buffer.from(r.nonce_hash).toString('latin1').includes(a) && Buffer.from(r.nonce_hash).length === 32), 'the nonce is not stored');
      const life = (rows[0]!.expires_at.getTime() - Date.now()) / 1000;
      assert.ok(life > 590 && life <= 600, `a 10-minute life (${life} s)`);
    });

    test('without a challenge, with another unit’s, another actor’s, a used or an expired one: refused, and the challenge is kept for its own', async () => {
      const wrong = { ok: false, reason: 'wrong_challenge' };
      assert.deepEqual(await verifyCardRead(t.db, await read({ nonce: undefined }), { hcode: '10699', actor: VERIFIER }), wrong, 'no nonce');
      assert.deepEqual(await verifyCardRead(t.db, await read({ nonce: 'x'.repeat(22) }), { hcode: '10699', actor: VERIFIER }), wrong, 'a nonce never issued');
      assert.deepEqual(await verifyCardRead(t.db, await read({ nonce: 'short' }), { hcode: '10699', actor: VERIFIER }), { ok: false, reason: 'malformed' }, 'not a nonce');

      const otherUnit = await issueChallenge(t.db, { hcode: '13836', actor: VERIFIER });
      assert.deepEqual(await verifyCardRead(t.db, await read({ nonce: otherUnit }), { hcode: '10699', actor: VERIFIER }), wrong, 'issued for another unit');

      const forOther = await issueChallenge(t.db, { hcode: '10699', actor: 'sub-other' });
      const theirs = await read({ nonce: forOther });
      assert.deepEqual(await verifyCardRead(t.db, theirs, { hcode: '10699', actor: VERIFIER }), wrong, 'issued to another actor');
      assert.ok((await verifyCardRead(t.db, theirs, { hcode: '10699', actor: 'sub-other' })).ok, 'the refusal used up neither the document nor the challenge');

      const once = await issueChallenge(t.db, { hcode: '10699', actor: VERIFIER });
      assert.ok((await verifyCardRead(t.db, await read({ nonce: once }), { hcode: '10699', actor: VERIFIER })).ok);
      assert.deepEqual(await verifyCardRead(t.db, await read({ nonce: once }), { hcode: '10699', actor: VERIFIER }), wrong, 'a second document over a used challenge');

      const stale = await issueChallenge(t.db, { hcode: '10699', actor: VERIFIER, now: Date.now() - 601_000 });
      assert.deepEqual(await verifyCardRead(t.db, await read({ nonce: stale }), { hcode: '10699', actor: VERIFIER }), wrong, 'an expired challenge');
    });

    test('two verifications over one challenge at once: exactly one is accepted', async () => {
      const actor = 'sub-racing';
      const nonce = await issueChallenge(t.db, { hcode: '10699', actor });
      const docs = await Promise.all([read({ nonce }), read({ nonce, card: cardOf({ pid: CARD.pid, given_name: 'สมหญิง', family_name: 'รักษ์สุขภาพ', birthdate: '1985-03-14' }) })]);
      const verifyBoth = () => Promise.all(docs.map((jws) => verifyCardRead(t.db, jws, { hcode: '10699', actor })));
      let results: Awaited<ReturnType<typeof verifyBoth>>;
      if (target.name === 'postgres') {
        // the challenge is held locked until both verifications wait on it, so they really meet there
        let release!: () => void;
        let holding!: () => void;
        const held = new Promise<void>((r) => (holding = r));
        const holder = t.db.tx(async (q) => {
          await q.query('SELECT id FROM card_read_challenges WHERE actor = $1 FOR UPDATE', [actor]);
          holding();
          await new Promise<void>((r) => (release = r));
        });
        await held;
        const both = verifyBoth();
        for (let waiting = 0; waiting < 2; ) {
          await new Promise((r) => setTimeout(r, 10));
          ({ rows: [{ waiting }] } = await t.db.query<{ waiting: number }>("SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"));
        }
        release();
        await holder;
        results = await both;
      } else {
        results = await verifyBoth();
      }
      assert.equal(results.filter((r) => r.ok).length, 1, JSON.stringify(results));
      assert.deepEqual(results.find((r) => !r.ok), { ok: false, reason: 'wrong_challenge' });
    });

    test('one actor holds at most the latest challenges; the sweep removes expired ones', async () => {
      const actor = 'sub-reloading';
      const first = await issueChallenge(t.db, { hcode: '10699', actor });
      for (let i = 0; i < MAX_LIVE_CHALLENGES; i++) await issueChallenge(t.db, { hcode: '10699', actor });
      const { rows } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM card_read_challenges WHERE actor = $1`, [actor]);
      assert.equal(rows[0]!.n, MAX_LIVE_CHALLENGES);
      assert.deepEqual(await verifyCardRead(t.db, await read({ nonce: first }), { hcode: '10699', actor }), { ok: false, reason: 'wrong_challenge' }, 'the oldest was dropped');

      await issueChallenge(t.db, { hcode: '10699', actor: 'sub-swept', now: Date.now() - 2 * 3600_000 });
      const live = await issueChallenge(t.db, { hcode: '10699', actor: 'sub-swept' });
      await sweep(t.db);
      const left = await t.db.query(`SELECT 1 FROM card_read_challenges WHERE actor = 'sub-swept'`);
      assert.equal(left.rows.length, 1, 'the expired one is gone, the live one kept');
      assert.ok((await verifyCardRead(t.db, await read({ nonce: live }), { hcode: '10699', actor: 'sub-swept' })).ok);
    });

    test('forged, foreign, stale, misplaced or malformed documents are refused', async () => {
      const other = (await jose.generateKeyPair('ES256')).privateKey as CryptoKey;
      const cases: Array<[string, Promise<string> | string, string]> = [
        ['signed by another key', read({ key: other }), 'bad_signature'],
        ['an unregistered agent', read({ kid: 'agent-unknown' }), 'unknown_agent'],
        ['not a card-read document', read({ typ: 'JWT' }), 'malformed'],
        ['expired', read({ iat: now() - 400, exp: now() - 100 }), 'expired'],
        ['valid for too long', read({ exp: now() + 3600 }), 'expired'],
        ['presented at another unit', read(), 'wrong_unit'],
        ['a bad check digit on the card', read({ card: { ...CARD, pid: '1234567890123' } }), 'invalid_card'],
        ['not a JWS at all', 'hello.world', 'malformed'],
      ];
      for (const [what, jws, reason] of cases) {
        const hcode = what === 'presented at another unit' ? '13836' : '10699';
        assert.deepEqual(await verifyCardRead(t.db, await jws, { hcode, actor: VERIFIER }), { ok: false, reason }, what);
      }
      const signed = await read();
      const [head, body, sig] = signed.split('.');
      const changed = { ...JSON.parse(Buffer.from(body!, 'base64url').toString()), card: { ...CARD, given_name_th: 'ปลอม' } };
      const tampered = `${head}.${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${sig}`;
      assert.deepEqual(await verifyCardRead(t.db, tampered, { hcode: '10699', actor: VERIFIER }), { ok: false, reason: 'bad_signature' }, 'a changed payload');
    });

    test('the chip’s English middle name is part of the card', async () => {
      const r = await verifyCardRead(t.db, await read({ card: { ...CARD, given_name_en: 'Somying', middle_name_en: 'Mali', family_name_en: 'Raksukkhaphap' } }), { hcode: '10699', actor: VERIFIER });
      assert.ok(r.ok);
      assert.equal(r.card.middle_name_en, 'Mali');
    });
  });
}
