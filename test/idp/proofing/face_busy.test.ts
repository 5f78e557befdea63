// A burst of photo uploads beyond the face matcher's bound (FACE_MATCH_WORKERS running plus
// FACE_MATCH_QUEUE waiting) is answered at once with 503, Retry-After and "try again in a moment",
// while the uploads within the bound are scored and queued, and the IdP keeps answering.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPglite } from '../../../src/kernel/db/index.ts';
import { startTestServer, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import { facePhoto } from '../../helpers/faces.ts';
import type { RunningServer } from '../../../src/idp/server.ts';

let server: RunningServer;
before(async () => {
  server = await startTestServer(await openPglite(), { FACE_MATCH_WORKERS: '1', FACE_MATCH_QUEUE: '0' });
  await server.app().accounts.create({ ...TEST_PERSON, phone_verified: true });
});
after(async () => {
  await server.close();
  await server.db.close();
});

test('uploads beyond the face matcher bound are asked to try again; the rest are scored', async () => {
  const person = new Person(server.url);
  let page = await person.follow('/account/verify');
  page = await person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: TEST_PERSON.pid, password: TEST_PERSON.password });
  const csrf = Person.csrf((await person.follow('/account/verify')).body);
  const upload = () => {
    const form = new FormData();
    form.set('csrf', csrf);
    form.set('face_with_card', new Blob([new Uint8Array(facePhoto('p1_with_card'))], { type: 'image/jpeg' }), 'face.jpg');
    form.set('card_front', new Blob([new Uint8Array(facePhoto('p1_card_front'))], { type: 'image/jpeg' }), 'card.jpg');
    return person.request('/account/verify/photo', { method: 'POST', body: form, redirect: 'manual' });
  };
  const answers = await Promise.all([upload(), upload(), upload()]);
  const busy = answers.filter((r) => r.status === 503);
  assert.ok(busy.length >= 1, `some are refused as busy: ${answers.map((r) => r.status).join(', ')}`);
  assert.ok(answers.some((r) => r.status === 200 || r.status === 303), 'one within the bound goes through');
  assert.equal(busy[0]!.headers.get('retry-after'), '30');
  assert.match(await busy[0]!.text(), /ระบบเปรียบเทียบใบหน้ามีผู้ใช้งานมาก/);
  assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  const { rows } = await server.db.query<{ face_score: number | null }>('SELECT face_score FROM photo_submissions');
  assert.ok(rows.length >= 1 && rows.every((r) => r.face_score !== null && r.face_score >= 0.47), 'what went through was scored');
});
