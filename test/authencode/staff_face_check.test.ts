// A staff confirmation by photo with a card read beside it, over HTTP: the face in the photo is
// compared with the chip photo by the real face matcher. The same person is confirmed with the score
// recorded in the visit's evidence and said on the result page; another person's chip photo, a photo
// with no face and one of two people are refused with the form's message, and the card read stays
// unused for the next photo. A photo without a card read is confirmed as before, with no comparison.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as jose from 'jose';
import { openPglite } from '../../src/kernel/db/index.ts';
import { startZone, type Zone } from '../helpers/authencode.ts';
import { Person } from '../helpers/person.ts';
import { staffAtUnit } from '../helpers/staff.ts';
import { pageNonce, SAMPLE_CARD, signCardRead } from '../helpers/card_read.ts';
import { chipPhotoOf, facePhoto, type FacePhoto } from '../helpers/faces.ts';
import { st } from '../../src/authencode/staff/messages.ts';

const valueOf = (body: string, name: string) => new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(body)?.[1] ?? '';
/** the page's text with tags and entities of quotes removed, to find a message in it */
const textOf = (body: string) => body.replace(/<[^>]+>/g, ' ').replace(/&#39;|&#x27;/g, "'").replace(/&quot;/g, '"');

describe('staff photo checked against the chip photo', () => {
  let zone: Zone;
  let staff: Person;
  let patientPid: string;
  let sign: (nonce: string, chip: string) => Promise<string>;

  before(async () => {
    zone = await startZone(await openPglite());
    let agent: { key: CryptoKey; agentId: string };
    ({ staff, patientPid, agent } = await staffAtUnit(zone));
    sign = (nonce, chip) => signCardRead({ ...agent, hcode: '10699', nonce, card: { ...SAMPLE_CARD, pid: patientPid, chip_photo: chip } });
  });
  after(async () => {
    await zone?.close();
    await zone?.idp.db.close();
  });

  const patientPage = async () => {
    const search = await staff.follow('/staff');
    return staff.submit('/staff/patient', { csrf: Person.csrf(search.body), pid: patientPid });
  };
  async function confirm(page: { body: string }, photo: FacePhoto, fields: Record<string, string>) {
    const form = new FormData();
    const all: Record<string, string> = { csrf: Person.csrf(page.body), pid: patientPid, method: 'photo', service_date: valueOf(page.body, 'service_date'), service_time: valueOf(page.body, 'service_time'), claim_type: 'PG0120001', mobile: '0812223333', action: 'confirm', ...fields };
    for (const [k, v] of Object.entries(all)) form.append(k, v);
    form.append('photo', new Blob([new Uint8Array(facePhoto(photo))], { type: 'image/jpeg' }), `${photo}.jpg`);
    const res = await staff.request('/staff/visit', { method: 'POST', body: form });
    return { res, body: await res.text() };
  }
  const evidenceOfLatest = async () =>
    (await zone.ac.db.query<{ evidence: Record<string, unknown> }>(`SELECT evidence FROM authencode.visits WHERE method = 'photo' ORDER BY created_at DESC LIMIT 1`)).rows[0]?.evidence;

  it('the photo section says a card read is compared, and the card reader serves the photo method too', async () => {
    const page = await patientPage();
    assert.ok(page.body.includes(st('th', 'photoChipHint')));
    assert.match(page.body, /id="method-card-fields" data-choice-section="card photo"/);
  });

  it('another person’s chip photo, no face and two people are refused; the read stays usable and the same person is confirmed with the score', async () => {
    const page = await patientPage();
    const nonce = pageNonce(page.body);
    const other = await confirm(page, 'p1_with_card', { card_read: await sign(nonce, await chipPhotoOf('other_card_front')) });
    assert.equal(other.res.status, 400, other.body.slice(0, 300));
    assert.match(textOf(other.body), /ใบหน้าในภาพไม่ตรงกับรูปในชิปบัตร \(คะแนน 0\.\d\d ต้องได้อย่างน้อย 0\.47\)/);
    const chip = await chipPhotoOf('p1_card_front');
    // the same document each time: a refusal did not use it up
    const jws = await sign(nonce, chip);
    for (const [photo, reason] of [['no_face', 'face_no_face'], ['two_people', 'face_two_people']] as const) {
      const r = await confirm(page, photo, { card_read: jws });
      assert.equal(r.res.status, 400, photo);
      assert.ok(textOf(r.body).includes(st('th', reason)), `${photo}: ${st('th', reason)}`);
    }
    const done = await confirm(page, 'p1_with_card', { card_read: jws });
    assert.equal(done.res.status, 200, done.body.slice(0, 400));
    assert.match(done.body, /EP\d{10}/);
    const said = /เปรียบเทียบใบหน้ากับรูปในชิปบัตรแล้ว: คะแนน (0\.\d\d) \(เกณฑ์ 0\.47\) ตรงกัน/.exec(textOf(done.body));
    assert.ok(said, 'the result page says the score');
    const evidence = await evidenceOfLatest();
    const check = evidence?.face_check as { score: number; threshold: number; matched: boolean; model: { name: string }; against: string };
    assert.equal(check.matched, true);
    assert.equal(check.threshold, 0.47);
    assert.ok(check.score >= 0.47);
    assert.equal(check.score.toFixed(2), said[1]);
    assert.equal(check.against, 'chip_photo');
    assert.match(check.model.name, /dlib/i);
    assert.ok(typeof (evidence?.card_read as { agent?: string })?.agent === 'string', 'the agent that read the card is named');
    const again = await confirm(page, 'p1_with_card', { card_read: jws });
    assert.equal(again.res.status, 400, 'used up once the visit was confirmed');
  });

  it('a card read of another patient beside the photo is refused before anything is compared', async () => {
    const page = await patientPage();
    const jws = await signCardRead({ key: (await jose.generateKeyPair('ES256')).privateKey as CryptoKey, agentId: 'x', hcode: '10699', nonce: pageNonce(page.body), card: { ...SAMPLE_CARD, pid: '1234567890121' } });
    const r = await confirm(page, 'p1_with_card', { card_read: jws });
    assert.equal(r.res.status, 400);
    assert.match(textOf(r.body), /บัตรที่อ่านไม่ใช่ของผู้รับบริการรายนี้/);
  });

  it('a photo without a card read is confirmed as before, with no comparison', async () => {
    const page = await patientPage();
    // another claim type: the first one was confirmed today already
    const another = [...page.body.matchAll(/id="claim-(PG\d{7})"/g)].map((m) => m[1]).find((c) => c !== 'PG0120001')!;
    const done = await confirm(page, 'no_face', { claim_type: another });
    assert.match(done.body, /[A-Z]{2}\d{10}/, textOf(done.body).replace(/\s+/g, ' ').slice(0, 3000));
    assert.equal(done.res.status, 200, done.body.slice(0, 300));
    assert.doesNotMatch(textOf(done.body), /ชิปบัตร/);
    const evidence = await evidenceOfLatest();
    assert.equal(evidence?.face_check, undefined);
    assert.match(String(evidence?.photo_sha256), /^[0-9a-f]{64}$/);
  });
});
