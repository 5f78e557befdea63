// Photo with ID card: uploads are JPEG/PNG only, size- and pixel-limited, re-encoded without metadata
// or appended data, stored encrypted; the verifier reviews them side by side and decides with a reason
// (approval on top of IAL 1.2 gives 2.1); the person sees the outcome; nobody reviews their own. The
// in-server face comparison refuses unusable photos at upload with the reason, scores usable ones, and
// a confirmed match above the threshold (IAL 2.2) keeps score, threshold, model and liveness in the
// evidence and in verified_claims.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { dbTargets } from '../../helpers/db.ts';
import { pidWithCheckDigit, startTestServer, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import type { RunningServer } from '../../../src/idp/server.ts';
import { seedVerifierAtUnit } from '../../helpers/proofing.ts';
import { cleanPhoto, PhotoError } from '../../../src/idp/proofing/methods/photo_with_card/index.ts';
import { facePhoto } from '../../helpers/faces.ts';
import { approvedEvidence } from '../../../src/idp/proofing/evidence.ts';
import { verifiedClaims } from '../../../src/idp/proofing/verified_claims.ts';
import { recordEvidence } from '../../../src/idp/proofing/evidence.ts';
import { accountIal } from '../../../src/idp/proofing/ial.ts';

const jpeg = (w = 800, h = 600) => sharp({ create: { width: w, height: h, channels: 3, background: '#88aacc' } }).jpeg().toBuffer();

test('uploads: only JPEG/PNG in size, re-encoded without EXIF or appended data; bombs refused', async () => {
  const withExif = await sharp(await jpeg()).withMetadata({ exif: { IFD0: { Copyright: 'secret-gps-home' } } }).jpeg().toBuffer();
  assert.ok((await sharp(withExif).metadata()).exif, 'the test image carries EXIF');
  const clean = await cleanPhoto(withExif, 'face_with_card');
  assert.equal((await sharp(clean).metadata()).exif, undefined, 'EXIF is stripped');
  const polyglot = Buffer.concat([await jpeg(), Buffer.from('<script>alert(1)</script>')]);
  assert.ok(!(await cleanPhoto(polyglot, 'face_with_card')).includes(Buffer.from('<script')), 'appended data does not survive');
  const png = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#fff' } }).png().toBuffer();
  assert.equal((await sharp(await cleanPhoto(png, 'face_with_card')).metadata()).format, 'jpeg');
  const gif = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#fff' } }).gif().toBuffer();
  await assert.rejects(cleanPhoto(gif, 'card_front'), (e: PhotoError) => e.reason === 'type' && e.upload === 'card_front');
  await assert.rejects(cleanPhoto(await jpeg(100, 100), 'face_with_card'), (e: PhotoError) => e.reason === 'dimensions');
  await assert.rejects(cleanPhoto(Buffer.from('just text, not an image'), 'face_with_card'), (e: PhotoError) => e.reason === 'unreadable');
  const bomb = await sharp({ create: { width: 7000, height: 7000, channels: 3, background: '#000' } }).png({ compressionLevel: 9 }).toBuffer();
  assert.ok(bomb.length < 1_000_000, 'a small file that decodes to 49 million pixels');
  await assert.rejects(cleanPhoto(bomb, 'face_with_card'), PhotoError);
});

for (const target of dbTargets()) {
  describe(`photo review on ${target.name}`, () => {
    let server: RunningServer;
    let drop: () => Promise<void>;
    let citizenSub: string;
    const CITIZEN = { ...TEST_PERSON, pid: pidWithCheckDigit('310070000001'), phone_number: '0867770000', phone_verified: true };

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      server = await startTestServer(made.db);
      await seedVerifierAtUnit(server, { servicePoint: true });
      const { accounts } = server.app();
      citizenSub = (await accounts.create(CITIZEN)).sub;
      await server.db.tx((q) => recordEvidence(q, { sub: citizenSub, method: 'register_check', checks: ['register_check'], documents: [], decision: 'approved' }));
    });
    after(async () => {
      await server.close();
      await drop();
    });

    async function logIn(pid: string, phone: string, path: string) {
      const person = new Person(server.url);
      let page = await person.follow(path);
      page = await person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid, password: TEST_PERSON.password });
      if (/\/sms\/send/.test(page.body)) {
        page = await person.submit(Person.action(page.body, '/sms/send'), { csrf: Person.csrf(page.body) });
        const outbox = (await (await fetch(`${server.url}/test-zone/sms?to=${encodeURIComponent(phone)}`)).json()) as Array<{ text: string }>;
        page = await person.submit(Person.action(page.body, '/sms'), { csrf: Person.csrf(page.body), code: outbox[0]!.text.match(/\b(\d{6})\b/)![1]! });
      }
      return { person, page };
    }
    async function upload(person: Person, csrf: string, face: Buffer, card: Buffer, unit = '10699') {
      const form = new FormData();
      form.set('csrf', csrf);
      form.set('unit', unit);
      form.set('face_with_card', new Blob([new Uint8Array(face)], { type: 'image/jpeg' }), 'face.jpg');
      form.set('card_front', new Blob([new Uint8Array(card)], { type: 'image/jpeg' }), 'card.jpg');
      return person.follow('/account/verify/photo', { method: 'POST', body: form });
    }

    test('the citizen uploads; bad or unusable uploads get a clear 4xx; the verifier approves with a reason → IAL 2.1, a confirmed face match → 2.2', async () => {
      const { person, page } = await logIn(CITIZEN.pid, '+66867770000', '/account/verify');
      assert.match(page.body, /enctype="multipart\/form-data"/);
      const csrf = Person.csrf(page.body);
      const withCard = facePhoto('p1_with_card');
      const card = facePhoto('p1_card_front');
      const notMultipart = await person.submit('/account/verify/photo', { csrf });
      assert.equal(notMultipart.res.status, 415);
      const huge = await upload(person, csrf, Buffer.alloc(9 * 1024 * 1024, 1), card);
      assert.equal(huge.res.status, 413);
      const gif = await upload(person, csrf, await sharp({ create: { width: 640, height: 480, channels: 3, background: '#fff' } }).gif().toBuffer(), card);
      assert.equal(gif.res.status, 400);
      assert.match(gif.body, /ภาพใบหน้าคู่กับบัตร \(ไฟล์ face\.jpg\): รับเฉพาะไฟล์ภาพ JPEG หรือ PNG/, 'which photo and which file');
      const forged = await upload(person, 'x.y', withCard, card);
      assert.equal(forged.res.status, 403);
      // unusable photos are refused with the reason, before any verifier sees them
      const noFace = await upload(person, csrf, await jpeg(), card);
      assert.equal(noFace.res.status, 400);
      assert.match(noFace.body, /ไม่พบใบหน้าในภาพถ่ายคู่กับบัตร/);
      const two = await upload(person, csrf, facePhoto('two_people'), card);
      assert.equal(two.res.status, 400);
      assert.match(two.body, /พบใบหน้ามากกว่าหนึ่งคน/);
      const noPortrait = await upload(person, csrf, withCard, await jpeg(640, 400));
      assert.equal(noPortrait.res.status, 400);
      assert.match(noPortrait.body, /ไม่พบรูปใบหน้าบนภาพด้านหน้าบัตร/);
      assert.equal((await server.db.query('SELECT id FROM photo_submissions WHERE sub = $1', [citizenSub])).rows.length, 0, 'nothing reached the queue');

      const ok = await upload(person, csrf, withCard, card);
      assert.equal(ok.res.status, 200);
      assert.match(ok.body, /wait|รอ/);
      const stored = await server.db.query<{ face_with_card_cipher: string; face_check: { score: number; threshold: number; model: { name: string; version: string }; liveness?: unknown } }>('SELECT face_with_card_cipher, face_check FROM photo_submissions WHERE sub = $1', [citizenSub]);
      assert.ok(!stored.rows[0]!.face_with_card_cipher.includes('/9j/'), 'stored encrypted, not as a JPEG');
      const check = stored.rows[0]!.face_check;
      assert.ok(check.score >= check.threshold && /dlib/.test(check.model.name) && check.model.version && check.liveness, 'score, threshold, model and liveness stored with the submission');

      const verifier = await logIn(TEST_PERSON.pid, '+66812345678', '/verifier');
      let queue = await verifier.person.follow('/verifier/queue');
      assert.equal(queue.res.status, 200);
      const img = queue.body.match(/src="(\/verifier\/photo\/\d+\/face\?unit=10699)"/)![1]!;
      const photo = await verifier.person.request(img.replace(/&amp;/g, '&'));
      assert.equal(photo.status, 200);
      assert.equal(photo.headers.get('content-type'), 'image/jpeg');
      assert.equal((await fetch(`${server.url}${img}`, { redirect: 'manual' })).status, 302, 'not for anyone without a verifier session');
      const action = queue.body.match(/action="(\/verifier\/queue\/\d+)"/)![1]!;
      queue = await verifier.person.submit(action, { csrf: Person.csrf(queue.body), unit: '10699', decision: 'approve', reason: '' });
      assert.equal(queue.res.status, 400, 'a reason is required');
      queue = await verifier.person.submit(action, { csrf: Person.csrf(queue.body), unit: '10699', decision: 'approve', reason: 'face and card match' });
      assert.equal(queue.res.status, 200);
      assert.equal(await accountIal(server.db, citizenSub), '2.1');

      const again = await upload(person, Person.csrf((await person.follow('/account/verify')).body), withCard, card);
      assert.equal(again.res.status, 200);
      queue = await verifier.person.follow('/verifier/queue');
      const second = queue.body.match(/action="(\/verifier\/queue\/\d+)"/)![1]!;
      await verifier.person.submit(second, { csrf: Person.csrf(queue.body), unit: '10699', decision: 'reject', reason: 'the card is not readable' });
      const mine = await person.follow('/account/verify');
      assert.match(mine.body, /the card is not readable/, 'the person sees the outcome and the reason');

      // another person's card scores below the threshold: confirming a face match is not offered, and a forged one does not count
      const third = await upload(person, Person.csrf(mine.body), withCard, facePhoto('other_card_front'));
      assert.equal(third.res.status, 200);
      queue = await verifier.person.follow('/verifier/queue');
      assert.doesNotMatch(queue.body, /name="face_match"/);
      let item = queue.body.match(/action="(\/verifier\/queue\/\d+)"/)![1]!;
      await verifier.person.submit(item, { csrf: Person.csrf(queue.body), unit: '10699', decision: 'approve', reason: 'ok', face_match: 'yes' });
      assert.equal(await accountIal(server.db, citizenSub), '2.1', 'no face match below the threshold');

      // the same person: the verifier confirms the automated match → IAL 2.2, with the face check in the evidence
      await upload(person, Person.csrf((await person.follow('/account/verify')).body), withCard, card);
      queue = await verifier.person.follow('/verifier/queue');
      assert.match(queue.body, /name="face_match"/);
      item = queue.body.match(/action="(\/verifier\/queue\/\d+)"/)![1]!;
      await verifier.person.submit(item, { csrf: Person.csrf(queue.body), unit: '10699', decision: 'approve', reason: 'faces match', face_match: 'yes' });
      assert.equal(await accountIal(server.db, citizenSub), '2.2');
      const evidence = await approvedEvidence(server.db, citizenSub);
      const face = evidence.find((e) => e.checks.includes('face_match'))!.faceCheck!;
      assert.ok(face.score >= face.threshold && face.matched && /dlib/.test(face.model.name) && face.against === 'card_portrait_photo' && face.liveness?.gate === false);
      const account = (await server.app().accounts.findBySub(citizenSub))!;
      const claims = verifiedClaims(account, '2.2', evidence, { mayReceivePid: false }) as { verification: { evidence: Array<{ check_details?: Array<Record<string, unknown>> }> } };
      const detail = claims.verification.evidence.flatMap((e) => e.check_details ?? []).find((d) => d.th_face_comparison) as { check_method: string; th_face_comparison: { score: number; threshold: number; model: { name: string } } };
      assert.equal(detail.check_method, 'vpip');
      assert.equal(detail.th_face_comparison.score, face.score);
      assert.equal(detail.th_face_comparison.threshold, face.threshold);
    });
  });
}
