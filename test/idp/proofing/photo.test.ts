// Photo with ID card: uploads are JPEG/PNG only, size- and pixel-limited, re-encoded without metadata
// or appended data, stored encrypted; the verifier reviews them side by side and decides with a reason
// (approval on top of IAL 1.2 gives 2.1); the person sees the outcome; nobody reviews their own.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { dbTargets } from '../../helpers/db.ts';
import { pidWithCheckDigit, startTestServer, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import type { RunningServer } from '../../../src/idp/server.ts';
import { seedVerifierAtUnit } from '../../helpers/proofing.ts';
import { cleanPhoto, PhotoError } from '../../../src/idp/proofing/methods/photo_with_card/index.ts';
import { FaceMatcherUnavailable, HttpFaceMatcher, PerceptualFaceMatcher } from '../../../src/idp/proofing/face_match/index.ts';
import { recordEvidence } from '../../../src/idp/proofing/evidence.ts';
import { accountIal } from '../../../src/idp/proofing/ial.ts';

/** A left-to-right (or right-to-left) grey gradient: unrelated pictures for the face comparison. */
async function gradient(reversed: boolean) {
  const w = 640;
  const h = 480;
  const raw = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw.fill(Math.round(((reversed ? w - x : x) / w) * 255 * (0.5 + (0.5 * y) / h)), (y * w + x) * 3, (y * w + x) * 3 + 3);
  return sharp(raw, { raw: { width: w, height: h, channels: 3 } }).jpeg().toBuffer();
}
const jpeg = (w = 800, h = 600) => sharp({ create: { width: w, height: h, channels: 3, background: '#88aacc' } }).jpeg().toBuffer();

test('the test-zone face comparison: the same picture scores 1, unrelated ones low; the HTTP matcher fails closed', async () => {
  const matcher = new PerceptualFaceMatcher();
  const a = await gradient(false);
  assert.equal(await matcher.compare({ faceWithCard: a, cardFront: a }), 1);
  assert.ok((await matcher.compare({ faceWithCard: a, cardFront: await gradient(true) })) < 0.5);
  await assert.rejects(new HttpFaceMatcher({ url: 'http://127.0.0.1:9/none', timeoutMs: 300 }).compare({ pid: '1', faceWithCard: a }), FaceMatcherUnavailable);
});

test('uploads: only JPEG/PNG in size, re-encoded without EXIF or appended data; bombs refused', async () => {
  const withExif = await sharp(await jpeg()).withMetadata({ exif: { IFD0: { Copyright: 'secret-gps-home' } } }).jpeg().toBuffer();
  assert.ok((await sharp(withExif).metadata()).exif, 'the test image carries EXIF');
  const clean = await cleanPhoto(withExif);
  assert.equal((await sharp(clean).metadata()).exif, undefined, 'EXIF is stripped');
  const polyglot = Buffer.concat([await jpeg(), Buffer.from('<script>alert(1)</script>')]);
  assert.ok(!(await cleanPhoto(polyglot)).includes(Buffer.from('<script')), 'appended data does not survive');
  const png = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#fff' } }).png().toBuffer();
  assert.equal((await sharp(await cleanPhoto(png)).metadata()).format, 'jpeg');
  const gif = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#fff' } }).gif().toBuffer();
  await assert.rejects(cleanPhoto(gif), (e: PhotoError) => e.reason === 'type');
  await assert.rejects(cleanPhoto(await jpeg(100, 100)), (e: PhotoError) => e.reason === 'dimensions');
  await assert.rejects(cleanPhoto(Buffer.from('just text, not an image')), (e: PhotoError) => e.reason === 'unreadable');
  const bomb = await sharp({ create: { width: 7000, height: 7000, channels: 3, background: '#000' } }).png({ compressionLevel: 9 }).toBuffer();
  assert.ok(bomb.length < 1_000_000, 'a small file that decodes to 49 million pixels');
  await assert.rejects(cleanPhoto(bomb), PhotoError);
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

    test('the citizen uploads; bad uploads get a clear 4xx; the verifier approves with a reason → IAL 2.1', async () => {
      const { person, page } = await logIn(CITIZEN.pid, '+66867770000', '/account/verify');
      assert.match(page.body, /enctype="multipart\/form-data"/);
      const csrf = Person.csrf(page.body);
      const notMultipart = await person.submit('/account/verify/photo', { csrf });
      assert.equal(notMultipart.res.status, 415);
      const huge = await upload(person, csrf, Buffer.alloc(9 * 1024 * 1024, 1), await jpeg());
      assert.equal(huge.res.status, 413);
      const gif = await upload(person, csrf, await sharp({ create: { width: 640, height: 480, channels: 3, background: '#fff' } }).gif().toBuffer(), await jpeg());
      assert.equal(gif.res.status, 400);
      assert.match(gif.body, /JPEG|PNG/);
      const forged = await upload(person, 'x.y', await jpeg(), await jpeg());
      assert.equal(forged.res.status, 403);
      const ok = await upload(person, csrf, await jpeg(), await jpeg(640, 400));
      assert.equal(ok.res.status, 200);
      assert.match(ok.body, /wait|รอ/);
      const stored = await server.db.query<{ face_with_card_cipher: string }>('SELECT face_with_card_cipher FROM photo_submissions WHERE sub = $1', [citizenSub]);
      assert.ok(!stored.rows[0]!.face_with_card_cipher.includes('/9j/'), 'stored encrypted, not as a JPEG');

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

      const again = await upload(person, Person.csrf((await person.follow('/account/verify')).body), await jpeg(), await jpeg());
      assert.equal(again.res.status, 200);
      queue = await verifier.person.follow('/verifier/queue');
      const second = queue.body.match(/action="(\/verifier\/queue\/\d+)"/)![1]!;
      await verifier.person.submit(second, { csrf: Person.csrf(queue.body), unit: '10699', decision: 'reject', reason: 'the card is not readable' });
      const mine = await person.follow('/account/verify');
      assert.match(mine.body, /the card is not readable/, 'the person sees the outcome and the reason');

      // unrelated pictures score low: confirming a face match is not offered, and a forged one does not count
      const third = await upload(person, Person.csrf(mine.body), await gradient(false), await gradient(true));
      assert.equal(third.res.status, 200);
      queue = await verifier.person.follow('/verifier/queue');
      assert.doesNotMatch(queue.body, /name="face_match"/);
      let item = queue.body.match(/action="(\/verifier\/queue\/\d+)"/)![1]!;
      await verifier.person.submit(item, { csrf: Person.csrf(queue.body), unit: '10699', decision: 'approve', reason: 'ok', face_match: 'yes' });
      assert.equal(await accountIal(server.db, citizenSub), '2.1', 'no face match below the threshold');

      // the same picture scores 1: the verifier confirms the automated match → IAL 2.2
      const same = await gradient(false);
      await upload(person, Person.csrf((await person.follow('/account/verify')).body), same, same);
      queue = await verifier.person.follow('/verifier/queue');
      assert.match(queue.body, /1\.00/);
      assert.match(queue.body, /name="face_match"/);
      item = queue.body.match(/action="(\/verifier\/queue\/\d+)"/)![1]!;
      await verifier.person.submit(item, { csrf: Person.csrf(queue.body), unit: '10699', decision: 'approve', reason: 'faces match', face_match: 'yes' });
      assert.equal(await accountIal(server.db, citizenSub), '2.2');
    });
  });
}
