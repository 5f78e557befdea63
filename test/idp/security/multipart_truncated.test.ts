// Issue 11, item 1: a multipart file part cut off before its closing boundary once ended the whole
// process. Now POST /account/verify/photo (with a session) answers 400 with a message, nothing goes
// unhandled, and the IdP answers the next request.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPglite } from '../../../src/kernel/db/index.ts';
import { startTestServer, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import type { RunningServer } from '../../../src/idp/server.ts';
import { watchUncaught } from '../../helpers/uncaught.ts';

let server: RunningServer;
const uncaught = watchUncaught();
before(async () => {
  server = await startTestServer(await openPglite());
  await server.app().accounts.create({ ...TEST_PERSON, phone_verified: true });
});
after(async () => {
  uncaught.stop();
  await server.close();
  await server.db.close();
});

test('POST /account/verify/photo with a file part and no closing boundary: 400 with a message, and the IdP lives', async () => {
  const person = new Person(server.url);
  let page = await person.follow('/account/verify');
  page = await person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: TEST_PERSON.pid, password: TEST_PERSON.password });
  assert.equal(new URL(page.url).pathname, '/account/verify', 'logged in');

  const res = await person.request('/account/verify/photo', {
    method: 'POST',
    headers: { 'content-type': 'multipart/form-data; boundary=zzz' },
    body: '--zzz\r\nContent-Disposition: form-data; name="face_with_card"; filename="a.png"\r\nContent-Type: image/png\r\n\r\nPNG',
  });
  assert.equal(res.status, 400);
  assert.match(await res.text(), /role="alert"|<main/);
  await uncaught.assertNone('/account/verify/photo');
  assert.equal((await fetch(`${server.url}/healthz`)).status, 200, 'the IdP still answers');
  assert.equal((await person.follow('/account/verify')).res.status, 200, 'and the person is still logged in');
});
