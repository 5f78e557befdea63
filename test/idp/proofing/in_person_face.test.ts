// In-person check with the counter camera: the capture is compared with the chip photo of a card read
// by the server's own face matcher before the document is used up; the same person scores at or above
// the threshold and the verifier's confirmation keeps score, threshold, model and liveness with the
// evidence; another person's chip photo is below it and the face cannot be confirmed over it (the
// document stays usable); an unusable capture is refused with its reason; a face compared by eye is
// recorded as such, without a comparison; what is posted as a capture must be a JPEG.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as jose from 'jose';
import { openPglite } from '../../../src/kernel/db/index.ts';
import { pidWithCheckDigit, startTestServer, TEST_PERSON } from '../../helpers/server.ts';
import type { RunningServer } from '../../../src/idp/server.ts';
import { cardOf, signCardRead } from '../../helpers/card_read.ts';
import { chipPhotoOf, facePhoto } from '../../helpers/faces.ts';
import { seedVerifierAtUnit } from '../../helpers/proofing.ts';
import { cardReadChallengeAt, registerCardAgent } from '../../../src/idp/proofing/card_agents.ts';
import { capturedJpeg, compareAtCounter, verifyInPerson } from '../../../src/idp/proofing/methods/in_person/index.ts';
import { approvedEvidence } from '../../../src/idp/proofing/evidence.ts';

const PERSON = { ...TEST_PERSON, pid: pidWithCheckDigit('310090000003'), given_name: 'มานะ', family_name: 'อดทน', birthdate: '1975-03-01', phone_number: '0861230003', phone_verified: true };
const HCODE = '10699';


describe('the counter camera against the chip photo', () => {
  let server: RunningServer;
  let sub: string;
  let VERIFIER: string;
  let read: (chip: string) => Promise<string>;
  const capture = facePhoto('p1_with_card');

  before(async () => {
    server = await startTestServer(await openPglite());
    VERIFIER = await seedVerifierAtUnit(server);
    sub = (await server.app().accounts.create(PERSON)).sub;
    const pair = await jose.generateKeyPair('ES256');
    const agentId = await registerCardAgent(server.db, { hcode: HCODE, jwk: await jose.exportJWK(pair.publicKey), by: 'operator:test' });
    read = async (chip) => signCardRead({ key: pair.privateKey as CryptoKey, agentId, hcode: HCODE, nonce: await cardReadChallengeAt(server.db, { hcode: HCODE, actor: VERIFIER }), card: cardOf(PERSON, { chip_photo: chip }) });
  });
  after(async () => {
    await server?.close();
    await server?.db.close();
  });

  const deps = () => ({ db: server.db, accounts: server.app().accounts, matcher: server.app().faceMatcher });
  const visit = (cardRead: string, o: { faceCompared: boolean; capture?: Buffer }) =>
    verifyInPerson(deps(), { verifierSub: VERIFIER, hcode: HCODE, sub, cardRead, cardStatusConfirmed: true, reason: '', ...o });

  test('another person: below the threshold, the face cannot be confirmed, the document stays usable', async () => {
    const doc = await read(await chipPhotoOf('other_card_front'));
    const seen = await compareAtCounter(deps(), { hcode: HCODE, sub, cardRead: doc, capture });
    assert.ok(seen.ok && seen.comparison && !seen.comparison.matched, 'scored under the threshold');
    assert.deepEqual(await visit(doc, { faceCompared: true, capture }), { ok: false, reason: 'face_below_threshold' });
    const noFace = await visit(doc, { faceCompared: false, capture });
    assert.ok(noFace.ok && !noFace.faceCheck, 'verified without the face (the document was not used up by the refusal)');
    assert.deepEqual(noFace.checks, ['chip_read', 'card_status']);
  });

  test('an unusable capture is refused with its reason before the document is used', async () => {
    const doc = await read(await chipPhotoOf('p1_card_front'));
    assert.deepEqual(await visit(doc, { faceCompared: true, capture: facePhoto('no_face') }), { ok: false, reason: 'face_quality', quality: 'no_face' });
    assert.deepEqual(await visit(doc, { faceCompared: true, capture: facePhoto('two_people') }), { ok: false, reason: 'face_quality', quality: 'two_people' });
    // the same person: the score is recorded with the evidence of the face the verifier confirmed
    const done = await visit(doc, { faceCompared: true, capture });
    assert.ok(done.ok);
    assert.ok(done.checks.includes('face_compare_in_person'));
    const face = done.faceCheck!;
    assert.equal(face.against, 'chip_photo');
    assert.ok(face.matched && face.score >= face.threshold, `score ${face.score} at or above ${face.threshold}`);
    const stored = (await approvedEvidence(server.db, sub)).at(-1)!;
    assert.deepEqual(stored.faceCheck, face);
    assert.deepEqual(await visit(doc, { faceCompared: true, capture }), { ok: false, reason: 'card_refused' }, 'used once');
  });

  test('a face compared by eye, without a capture, is recorded as such', async () => {
    const done = await visit(await read(await chipPhotoOf('p1_card_front')), { faceCompared: true });
    assert.ok(done.ok && !done.faceCheck);
    const stored = (await approvedEvidence(server.db, sub)).at(-1)!;
    assert.equal(stored.faceCheck, undefined);
    assert.match(stored.reason ?? '', /face compared by eye, no automated comparison \(no camera capture\)/);
  });

  test('a posted capture must be a JPEG of a bounded size', () => {
    const jpeg = facePhoto('p1_with_card');
    assert.deepEqual(capturedJpeg(`data:image/jpeg;base64,${jpeg.toString('base64')}`), jpeg);
    assert.equal(capturedJpeg(Buffer.from('<svg/>').toString('base64')), undefined);
    assert.equal(capturedJpeg('data:image/jpeg;base64,not base64!'), undefined);
    assert.equal(capturedJpeg(Buffer.concat([jpeg, Buffer.alloc(400_000)]).toString('base64')), undefined);
  });
});
