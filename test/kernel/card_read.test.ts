// The card-read document (JWS by a registered card reader agent), on both databases: accepted once,
// at its agent's unit, while fresh, with valid card data; every forgery or misuse is refused.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as jose from 'jose';
import { dbTargets } from '../helpers/db.ts';
import { migrate } from '../../src/kernel/db/migrate.ts';
import type { Database } from '../../src/kernel/db/index.ts';
import { audit } from '../../src/kernel/audit/index.ts';
import { CARD_READ_TYP, registerAgent as registerIn, verifyCardRead as verifyIn } from '../../src/kernel/card_read/index.ts';

// the IdP's tables: the kernel keeps none of its own
const tables = { agents: 'card_agents', uses: 'card_read_uses' };
const registerAgent = (db: Database, a: Parameters<typeof registerIn>[1]) => registerIn(db, a, { tables, audit });
const verifyCardRead = (db: Database, jws: string, opts: { hcode: string; now?: number }) => verifyIn(db, jws, { ...opts, tables });

const CARD = {
  pid: '1234567890121',
  title_th: 'นาง',
  given_name_th: 'สมหญิง',
  family_name_th: 'รักษ์สุขภาพ',
  birthdate_be: '25280314',
  gender: '2',
  issuer: 'อำเภอเมืองสระแก้ว/สระแก้ว',
  issue_date_be: '25650101',
  expiry_date_be: '25730313',
  chip_photo: Buffer.from([0xff, 0xd8, 0xff, 0xd9]).toString('base64'),
};

for (const target of dbTargets()) {
  describe(`card-read documents on ${target.name}`, () => {
    let db: Database;
    let drop: () => Promise<void>;
    let agentId: string;
    let key: CryptoKey;

    before(async () => {
      ({ db, drop } = await target.create());
      await migrate(db);
      await db.query(`INSERT INTO service_units (hcode, name_th, unit_type, province, district, subdistrict) VALUES ('10699', 'รพ.สระแก้ว', 'x', 'สระแก้ว', 'เมือง', 'สระแก้ว'), ('13836', 'รพ.วัฒนานคร', 'x', 'สระแก้ว', 'วัฒนานคร', 'วัฒนานคร')`);
      const pair = await jose.generateKeyPair('ES256', { extractable: true });
      key = pair.privateKey as CryptoKey;
      agentId = await registerAgent(db, { hcode: '10699', jwk: await jose.exportJWK(pair.publicKey), by: 'operator:test' });
      await assert.rejects(registerAgent(db, { hcode: '10699', jwk: await jose.exportJWK(pair.privateKey), by: 'x' }), /public key only/);
    });
    after(() => drop());

    const sign = (payload: Record<string, unknown>, opts: { kid?: string; typ?: string; signer?: CryptoKey } = {}) =>
      new jose.CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
        .setProtectedHeader({ alg: 'ES256', typ: opts.typ ?? CARD_READ_TYP, kid: opts.kid ?? agentId })
        .sign(opts.signer ?? key);
    const now = () => Math.floor(Date.now() / 1000);
    const doc = (extra: Record<string, unknown> = {}) => ({ iss: `agent:${agentId}`, iat: now(), exp: now() + 120, jti: `read-${Math.random()}`, hcode: '10699', card: CARD, ...extra });

    test('a fresh document from the unit’s agent is accepted once', async () => {
      const jws = await sign(doc());
      const first = await verifyCardRead(db, jws, { hcode: '10699' });
      assert.ok(first.ok);
      assert.equal(first.card.pid, CARD.pid);
      assert.deepEqual(await verifyCardRead(db, jws, { hcode: '10699' }), { ok: false, reason: 'replayed' });
    });

    test('forged, foreign, stale, misplaced or malformed documents are refused', async () => {
      const other = (await jose.generateKeyPair('ES256')).privateKey as CryptoKey;
      const cases: Array<[string, Promise<string> | string, string]> = [
        ['signed by another key', sign(doc(), { signer: other }), 'bad_signature'],
        ['an unregistered agent', sign(doc(), { kid: 'agent-unknown' }), 'unknown_agent'],
        ['not a card-read document', sign(doc(), { typ: 'JWT' }), 'malformed'],
        ['expired', sign(doc({ iat: now() - 400, exp: now() - 100 })), 'expired'],
        ['valid for too long', sign(doc({ exp: now() + 3600 })), 'expired'],
        ['presented at another unit', sign(doc()), 'wrong_unit'],
        ['a bad check digit on the card', sign(doc({ card: { ...CARD, pid: '1234567890123' } })), 'invalid_card'],
        ['not a JWS at all', 'hello.world', 'malformed'],
      ];
      for (const [what, jws, reason] of cases) {
        const hcode = what === 'presented at another unit' ? '13836' : '10699';
        assert.deepEqual(await verifyCardRead(db, await jws, { hcode }), { ok: false, reason }, what);
      }
      const [head, , sig] = (await sign(doc())).split('.');
      const tampered = `${head}.${Buffer.from(JSON.stringify(doc({ card: { ...CARD, given_name_th: 'ปลอม' } }))).toString('base64url')}.${sig}`;
      assert.deepEqual(await verifyCardRead(db, tampered, { hcode: '10699' }), { ok: false, reason: 'bad_signature' }, 'a changed payload');
    });
  });
}
