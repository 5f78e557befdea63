// A new set of recovery codes over HTTP: shown once as text (readable and selectable without
// JavaScript) with Copy, Download and Print left to recovery-codes.js, no way on but "I have saved
// them" (a ticked box, posted with the CSRF token, checked on the server), in Thai and in English.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dbTargets } from '../../helpers/db.ts';
import { startWithPerson, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import type { RunningServer } from '../../../src/idp/server.ts';

const CODE = /<code>([a-z2-9]{5}-[a-z2-9]{5})<\/code>/g;
const codesIn = (body: string) => [...body.matchAll(CODE)].map((m) => m[1]!);
const mainOf = (body: string) => body.slice(body.indexOf('<main'), body.indexOf('</main>'));

for (const target of dbTargets()) {
  describe(`recovery codes shown once, then "I have saved them", on ${target.name}`, () => {
    let server: RunningServer;
    let stop: () => Promise<void>;
    let sub: string;

    before(async () => {
      ({ server, sub, stop } = await startWithPerson(target));
    });
    after(() => stop());

    async function security(person: Person, lang: 'th' | 'en') {
      let page = await person.follow(`/account/security?lang=${lang}`);
      if (/name="password"/.test(page.body)) {
        page = await person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: TEST_PERSON.pid, password: TEST_PERSON.password });
        page = await person.follow(`/account/security?lang=${lang}`);
      }
      assert.equal(page.res.status, 200);
      return page;
    }

    test('the codes page: ten codes as text, the tools for the script, and only the confirmation as the way on', async () => {
      const person = new Person(server.url);
      let page = await security(person, 'th');
      page = await person.submit('/account/recovery-codes', { csrf: Person.csrf(page.body) });
      assert.equal(page.res.status, 200);
      assert.equal(page.res.headers.get('cache-control'), 'no-store');
      const codes = codesIn(page.body);
      assert.equal(codes.length, 10);
      assert.equal(await server.app().authenticators.recovery.remaining(sub), 10);
      const main = mainOf(page.body);
      assert.match(main, /<ul class="codes" id="recovery-codes"/, 'the codes are plain text in the page');
      assert.match(main, /<div class="no-print" id="recovery-tools" hidden/, 'the buttons wait for the script (hidden without it)');
      for (const label of ['คัดลอกรหัส', 'ดาวน์โหลด \\(\\.txt\\)', 'พิมพ์']) assert.match(main, new RegExp(`>${label}<`));
      assert.match(main, /download="mor-prom-id-recovery-codes\.txt"/);
      assert.match(page.body, /<script src="\/static\/recovery-codes\.js\?v=[0-9a-f]{12}" defer>/);
      assert.doesNotMatch(main, /href="\/account\/security"/, 'no link on: the codes must be confirmed saved first');
      assert.doesNotMatch(page.body, /class="account-nav"/, 'no menu leading away from the codes');
      assert.doesNotMatch(page.body, /class="lang"/, 'no language link (it would lose the codes)');
      assert.match(main, /<form method="post" action="\/account\/recovery-codes\/saved"/);
      assert.match(main, /<input id="saved" name="saved" type="checkbox" value="yes" required>/);
      assert.match(main, /ฉันบันทึกรหัสกู้คืนไว้ในที่ปลอดภัยแล้ว/);
      const script = await fetch(new URL(page.body.match(/<script src="(\/static\/recovery-codes\.js\?v=[0-9a-f]{12})"/)![1]!, server.url));
      assert.equal(script.status, 200);
      assert.match(await script.text(), /navigator\.clipboard[\s\S]*data:text\/plain[\s\S]*window\.print/);
    });

    test('not ticked: the same codes again with the error; ticked: on to the security page with a notice', async () => {
      const person = new Person(server.url);
      let page = await security(person, 'en');
      page = await person.submit('/account/recovery-codes', { csrf: Person.csrf(page.body) });
      const codes = codesIn(page.body);
      assert.match(page.body, /I have saved my recovery codes somewhere safe/);
      assert.match(page.body, /Download \(\.txt\)/);

      const saved = page.body.match(/name="codes" value="([^"]+)"/)![1]!;
      page = await person.submit('/account/recovery-codes/saved', { csrf: Person.csrf(page.body), codes: saved });
      assert.equal(page.res.status, 400, 'not ticked: refused');
      assert.deepEqual(codesIn(page.body), codes, 'the same codes are shown again');
      assert.match(page.body, /class="error error-summary"[\s\S]*href="#saved"[\s\S]*Tick the box/);
      assert.match(page.body, /id="saved" name="saved" type="checkbox" value="yes" required aria-invalid="true"/);
      assert.equal(await server.app().authenticators.recovery.remaining(sub), 10, 'the set stands');

      const noCsrf = await person.request('/account/recovery-codes/saved', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ saved: 'yes', codes: saved }).toString() });
      assert.equal(noCsrf.status, 403, 'the confirmation needs the CSRF token');

      const res = await person.request('/account/recovery-codes/saved', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf: Person.csrf(page.body), saved: 'yes', codes: saved }).toString() });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/account/security');
      page = await person.follow('/account/security');
      assert.match(page.body, /class="notice" role="status">Your recovery codes are saved\. 10 codes work/);
    });

    test('codes that are not the current set are never shown back', async () => {
      const person = new Person(server.url);
      let page = await security(person, 'th');
      page = await person.submit('/account/recovery-codes', { csrf: Person.csrf(page.body) });
      const old = page.body.match(/name="codes" value="([^"]+)"/)![1]!;
      page = await person.submit('/account/recovery-codes', { csrf: Person.csrf(page.body) });
      for (const codes of [old, 'aaaaa-bbbbb <script>', '']) {
        const res = await person.request('/account/recovery-codes/saved', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf: Person.csrf(page.body), codes }).toString() });
        assert.equal(res.status, 303, `not the current set: ${codes}`);
        const next = await person.follow(res.headers.get('location')!);
        assert.deepEqual(codesIn(next.body), []);
        assert.match(next.body, /role="alert"[^>]*>รหัสชุดนี้ไม่ใช่ชุดที่ใช้ได้ตอนนี้แล้ว/);
      }
    });
  });
}
