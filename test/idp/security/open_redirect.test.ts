// Issue 11, item 2 at the IdP: every place that takes a return path (`return=` on registration and
// recovery, `next=` on the account login) goes through the shared same-origin validator, then its
// own list of pages; `//2130706433` and friends never become a link or a Location.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPglite } from '../../../src/kernel/db/index.ts';
import { startTestServer, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import type { RunningServer } from '../../../src/idp/server.ts';

const ATTACKS = ['//2130706433', '/\\2130706433', '//evil.example/interaction/abc', '/\\evil.example', '/\t/interaction/abc', '/a/..//evil.example', 'https://evil.example/interaction/abc', 'javascript:alert(1)'];

let server: RunningServer;
before(async () => {
  server = await startTestServer(await openPglite());
  await server.app().accounts.create({ ...TEST_PERSON, phone_verified: true });
});
after(async () => {
  await server.close();
  await server.db.close();
});

const returnField = (body: string) => body.match(/name="return" value="([^"]*)"/)?.[1];

test('registration and recovery keep only our own interaction pages as the way back', async () => {
  for (const page of ['/register', '/recover']) {
    for (const ret of ATTACKS) {
      const res = await new Person(server.url).follow(`${page}?return=${encodeURIComponent(ret)}`);
      assert.equal(res.res.status, 200);
      assert.equal(returnField(res.body), undefined, `${page} ${JSON.stringify(ret)}`);
    }
    const ok = await new Person(server.url).follow(`${page}?return=/interaction/abc-123`);
    assert.equal(returnField(ok.body), '/interaction/abc-123', page);
  }
});

test('the account login goes back to the console asked for, never elsewhere', async () => {
  const landing = async (next: string) => {
    const person = new Person(server.url);
    const page = await person.follow(`/account/login?next=${encodeURIComponent(next)}`);
    const done = await person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: TEST_PERSON.pid, password: TEST_PERSON.password });
    assert.equal(done.external, undefined, `stays on the IdP for ${JSON.stringify(next)}`);
    return new URL(done.url).pathname;
  };
  for (const next of ATTACKS) assert.equal(await landing(next), '/account', JSON.stringify(next));
  assert.equal(await landing('/account/security'), '/account/security');
});

test('a console page asked for in English goes through the login in English and comes back to it', async () => {
  const person = new Person(server.url);
  const page = await person.follow('/account/security?lang=en');
  assert.equal(new URL(page.url).pathname.startsWith('/interaction/'), true, 'logged out: the login page');
  assert.match(page.body, /<html lang="en">/, 'the login is in English');
  const done = await person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: TEST_PERSON.pid, password: TEST_PERSON.password });
  assert.equal(new URL(done.url).pathname, '/account/security');
  assert.match(done.body, /<html lang="en">/, 'and so is the page it comes back to');
});
