// Sessions end as the README's level table says: each level's idle limit after the last use, never past
// its lifetime (AAL 1: 30 days; AAL 2.x: 30 idle minutes, 12 hours; AAL 3: 15 idle minutes), seen by
// a relying party (prompt=none answers login_required) and by the account pages. Time is moved by
// ageing the session's own record (its timestamps and expiry), as if that long had passed unused.
// "Log out everywhere" ends every session of the person and needs a login from the last 10 minutes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dbTargets } from '../../helpers/db.ts';
import { pidWithCheckDigit, startTestServer, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import { SoftAuthenticator } from '../../helpers/softauthn.ts';
import { finishConsent, loginForm, outbox, passedPassword, relyingParty, tryPassword, type RelyingParty } from '../../helpers/login.ts';
import type { Database } from '../../../src/kernel/db/index.ts';
import type { RunningServer } from '../../../src/idp/server.ts';

const MINUTE = 60;
const DAY = 86400;

/** Moves every session of the account `seconds` into the past: logged in and last used that much earlier. */
async function age(db: Database, sub: string, seconds: number) {
  await db.query(
    `UPDATE oidc_models SET expires_at = expires_at - make_interval(secs => $2::int),
       payload = payload || jsonb_build_object(
         'exp', (payload->>'exp')::bigint - $2::int, 'iat', (payload->>'iat')::bigint - $2::int, 'loginTs', (payload->>'loginTs')::bigint - $2::int)
     WHERE model = 'Session' AND payload->>'accountId' = $1`,
    [sub, seconds],
  );
}

for (const target of dbTargets()) {
  describe(`session limits on ${target.name}`, () => {
    let drop: () => Promise<void>;
    let server: RunningServer;
    let rp: RelyingParty;
    let serial = 0;

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      server = await startTestServer(made.db);
      rp = await relyingParty(server);
    });
    after(async () => {
      await server.close();
      await drop();
    });

    async function newAccount() {
      const n = ++serial;
      const who = { ...TEST_PERSON, pid: pidWithCheckDigit(`3100500000${String(n).padStart(2, '0')}`), phone_number: `08950000${String(n).padStart(2, '0')}` };
      const { sub } = await server.app().accounts.create({ ...who, phone_verified: true });
      return { ...who, sub, e164: `+66${who.phone_number.slice(1)}` };
    }
    type Who = Awaited<ReturnType<typeof newAccount>>;

    async function logInWithPassword(person: Person, who: Who) {
      const page = await tryPassword(person, await loginForm(person, rp.authUrl()), who.pid, who.password);
      await finishConsent(person, page);
    }
    async function logInWithSms(person: Person, who: Who) {
      let page = await tryPassword(person, await loginForm(person, rp.authUrl({ acr_values: 'urn:th:etda:aal:2.1' })), who.pid, who.password);
      page = await person.submit(Person.action(page.body, '/sms/send'), { csrf: Person.csrf(page.body) });
      page = await person.submit(Person.action(page.body, '/sms'), { csrf: Person.csrf(page.body), code: (await outbox(server, who.e164)).code! });
      const claims = (await rp.tokens(await finishConsent(person, page))).claims()!;
      assert.equal(claims.acr, 'urn:th:etda:aal:2.1');
    }
    /** The relying party asks silently: does the session still log the person in? */
    async function silentLogin(person: Person): Promise<'logged in' | string> {
      const answer = await person.follow(rp.authUrl({ prompt: 'none' }));
      assert.ok(answer.external, `prompt=none goes back to the client, got ${answer.res.status}`);
      const url = new URL(answer.external);
      return url.searchParams.get('code') ? 'logged in' : url.searchParams.get('error')!;
    }
    const reachesAccount = async (person: Person) => (await person.request('/account')).status === 200;

    test('AAL 2.1: used within 30 minutes the session lives on; after 30 idle minutes it has ended', async () => {
      const who = await newAccount();
      const person = new Person(server.url);
      await logInWithSms(person, who);
      await age(server.db, who.sub, 29 * MINUTE);
      assert.equal(await silentLogin(person), 'logged in');
      await age(server.db, who.sub, 29 * MINUTE);
      assert.equal(await silentLogin(person), 'logged in', 'each use starts the idle limit again');
      assert.ok(await reachesAccount(person));
      await age(server.db, who.sub, 31 * MINUTE);
      assert.equal(await silentLogin(person), 'login_required');
      assert.equal(await reachesAccount(person), false, 'the account pages need a new login too');
    });

    test('AAL 2.1: however often it is used, the session ends 12 hours after the login', async () => {
      const who = await newAccount();
      const person = new Person(server.url);
      await logInWithSms(person, who);
      let elapsed = 0;
      let answer = 'logged in';
      while (answer === 'logged in' && elapsed < 13 * 3600) {
        await age(server.db, who.sub, 26 * MINUTE);
        elapsed += 26 * MINUTE;
        answer = await silentLogin(person);
      }
      assert.equal(answer, 'login_required');
      assert.ok(elapsed > 12 * 3600 && elapsed <= 12 * 3600 + 26 * MINUTE, `ended at ${elapsed / 3600} h, used every 26 minutes`);
    });

    test('AAL 1: a password session lives 30 days, not longer', async () => {
      const who = await newAccount();
      const person = new Person(server.url);
      await logInWithPassword(person, who);
      await age(server.db, who.sub, 29 * DAY);
      assert.equal(await silentLogin(person), 'logged in');
      await age(server.db, who.sub, 2 * DAY);
      assert.equal(await silentLogin(person), 'login_required', '31 days after the login, though used on day 29');
    });

    test('AAL 3: the session of a password and a device-bound passkey ends after 15 idle minutes', async () => {
      const who = await newAccount();
      const key = new SoftAuthenticator(new URL(server.url).origin, { synced: false });
      // the passkey is added on the security page, as a person would
      const setup = new Person(server.url);
      let page = await setup.follow('/account/security');
      page = await setup.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: who.pid, password: who.password });
      const csrf = page.body.match(/data-csrf="([^"]+)"/)![1]!;
      const json = (p: Person, url: string, token: string, body: unknown) =>
        p.request(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': token }, body: JSON.stringify(body) });
      const { challengeId, options } = (await (await json(setup, '/account/passkeys/options', csrf, {})).json()) as { challengeId: string; options: never };
      assert.equal((await json(setup, '/account/passkeys', csrf, { challengeId, response: key.create(options), name: 'key' })).status, 200);

      const person = new Person(server.url);
      page = await tryPassword(person, await loginForm(person, rp.authUrl({ acr_values: 'urn:th:etda:aal:3' })), who.pid, who.password);
      assert.ok(passedPassword(page));
      const token = page.body.match(/data-csrf="([^"]+)"/)![1]!;
      const step = (await (await json(person, page.body.match(/data-options-url="([^"]+)"/)![1]!, token, {})).json()) as { challengeId: string; options: never };
      const verified = await json(person, page.body.match(/data-verify-url="([^"]+)"/)![1]!, token, { challengeId: step.challengeId, response: key.get(step.options) });
      const claims = (await rp.tokens(await finishConsent(person, await person.follow(((await verified.json()) as { redirect: string }).redirect)))).claims()!;
      assert.equal(claims.acr, 'urn:th:etda:aal:3');

      await age(server.db, who.sub, 14 * MINUTE);
      assert.equal(await silentLogin(person), 'logged in');
      await age(server.db, who.sub, 16 * MINUTE);
      assert.equal(await silentLogin(person), 'login_required');
    });

    test('log out everywhere needs a recent login, then ends every session of the person', async () => {
      const who = await newAccount();
      const elsewhere = new Person(server.url);
      await logInWithPassword(elsewhere, who);
      assert.ok(await reachesAccount(elsewhere));
      const here = new Person(server.url);
      let page = await here.follow('/account/sessions');
      page = await here.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: who.pid, password: who.password });
      assert.equal(page.res.status, 200);
      assert.match(page.body, /action="\/account\/sessions\/end-all"/);

      // eleven minutes later the login is no longer recent: nothing ends until the password is given again
      await age(server.db, who.sub, 11 * MINUTE);
      const stale = await here.request('/account/sessions/end-all', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf: Person.csrf(page.body) }).toString() });
      assert.equal(stale.status, 303);
      assert.match(stale.headers.get('location')!, /fresh=1/);
      assert.ok(await reachesAccount(elsewhere), 'the other session is still there');
      page = await here.follow(stale.headers.get('location')!);
      assert.match(page.body, /name="password"/, 'the password is asked for again');
      page = await here.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: who.pid, password: who.password });
      assert.equal(page.res.status, 200);
      assert.match(page.url, /\/account\/sessions$/);

      const done = await here.submit('/account/sessions/end-all', { csrf: Person.csrf(page.body) });
      assert.match(done.url, /\/interaction\//, 'this browser is sent to log in again');
      assert.equal(await reachesAccount(elsewhere), false, 'the other browser no longer reaches the account pages');
      assert.equal(await silentLogin(elsewhere), 'login_required', 'nor logs in to the relying party silently');
      assert.equal(await reachesAccount(here), false, 'this session ended too');
    });
  });
}
