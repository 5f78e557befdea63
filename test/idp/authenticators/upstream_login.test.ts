// Logging in with ThaID, on both databases, over HTTP with a real relying party: off by default (no
// button, the route refuses); with THAID_LOGIN on, an account proofed with ThaID logs in through the
// stand-in at the level the AAL table gives `fed` (AAL 1, amr fed), and a relying party asking more is
// told it is unmet; a ThaID login whose subject proved no account here, or whose evidence was revoked,
// logs nobody in; an assertion begun for another interaction is not taken by this one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { dbTargets } from '../../helpers/db.ts';
import { Person } from '../../helpers/person.ts';
import { addClient, TEST_PERSON } from '../../helpers/server.ts';
import { outbox } from '../../helpers/login.ts';
import { citizenAt, startWithThaid, throughThaid, verifyWithThaid, type WithThaid } from '../../helpers/thaid.ts';
import { syntheticPeople } from '../../../src/kernel/registry/synthetic_population.ts';
import { approvedEvidence, revokeEvidence } from '../../../src/idp/proofing/evidence.ts';

const REDIRECT = 'https://rp.example.test/cb';
const insecure = { execute: [oidc.allowInsecureRequests] };
const people = [...syntheticPeople(2000, 2569)].filter((p) => p.cardStatus === 'valid').slice(120, 160);
let next = 0;
const phoneFor = (i: number) => `08${String(20000000 + i * 7919).slice(0, 8)}`;

/** A relying party of this server and its authorization URL. */
async function relyingParty(t: WithThaid, params: Record<string, string> = {}) {
  const client = await addClient(t.server, { redirect_uris: [REDIRECT], grant_types: ['authorization_code'], scope: 'openid' });
  const rp = await oidc.discovery(new URL(t.server.url), client.client_id, client.client_secret, undefined, insecure);
  return { rp, url: oidc.buildAuthorizationUrl(rp, { redirect_uri: REDIRECT, scope: 'openid', state: 's', ...params }) };
}

/** Allows what the consent page asks, until the browser leaves for the relying party. */
async function untilRelyingParty(person: Person, page: Awaited<ReturnType<Person['follow']>>) {
  for (let i = 0; i < 3 && !page.external; i++) {
    const form = page.body.match(/action="([^"]*\/(?:confirm|unmet)[^"]*)"/);
    if (!form) break;
    page = await person.submit(form[1]!, { csrf: Person.csrf(page.body) });
  }
  return page;
}

for (const target of dbTargets()) {
  describe(`logging in with ThaID on ${target.name}`, () => {
    let t: WithThaid;
    before(async () => {
      t = await startWithThaid(target, { env: { THAID_LOGIN: 'true' } });
    });
    after(() => t.stop());

    /** The login page's ThaID button, then the stand-in's login as `pid`: the IdP's page after its callback. */
    async function withThaid(person: Person, login: { body: string }, pid: string) {
      const start = await person.submit(Person.action(login.body, '/upstream/thaid'), { csrf: Person.csrf(login.body) });
      return throughThaid(person, t, start.external, pid);
    }

    /** An account proofed with ThaID (IAL 2.3 through /account/verify), in a browser of its own. */
    async function proofed() {
      const p = people[next++]!;
      const c = await citizenAt(t, p, phoneFor(next));
      const verified = await verifyWithThaid(t, c, p.pid);
      assert.match(verified.body, /ยืนยันตัวตนด้วย ThaID สำเร็จ/);
      return { p, sub: c.sub };
    }

    test('an account proofed with ThaID logs in with ThaID alone: AAL 1, amr fed, the same account', async () => {
      const { p, sub } = await proofed();
      const { rp, url } = await relyingParty(t);
      const person = new Person(t.server.url);
      const login = await person.follow(url);
      assert.match(login.body, /เข้าสู่ระบบด้วย ThaID/);
      let page = await withThaid(person, login, p.pid);
      page = await untilRelyingParty(person, page);
      assert.ok(page.external?.startsWith(REDIRECT), `back at the relying party: ${page.res.status} ${page.body.slice(0, 300)}`);
      const tokens = await oidc.authorizationCodeGrant(rp, new URL(page.external!), { expectedState: 's', idTokenExpected: true });
      const claims = tokens.claims()!;
      assert.equal(claims.sub, sub);
      assert.equal(claims.acr, 'urn:th:etda:aal:1');
      assert.deepEqual(claims.amr, ['fed']);
    });

    test("a step-up from a ThaID session starts with the person's own factors: password and SMS reach AAL 2.1", async () => {
      const { p, sub } = await proofed();
      const person = new Person(t.server.url);
      const first = await relyingParty(t);
      const login = await person.follow(first.url);
      assert.ok((await untilRelyingParty(person, await withThaid(person, login, p.pid))).external?.startsWith(REDIRECT), 'logged in with ThaID');
      // the session is ThaID's (AAL 1); a relying party asks AAL 2.1: the login page, not a dead end
      const { rp, url } = await relyingParty(t, { acr_values: 'urn:th:etda:aal:2.1' });
      let page = await person.follow(url);
      assert.match(page.body, /name="password"/, page.body.slice(0, 300));
      page = await person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: p.pid, password: TEST_PERSON.password });
      page = await person.submit(Person.action(page.body, '/sms/send'), { csrf: Person.csrf(page.body) });
      page = await person.submit(Person.action(page.body, '/sms'), { csrf: Person.csrf(page.body), code: (await outbox(t.server, `+66${phoneFor(next).slice(1)}`)).code! });
      page = await untilRelyingParty(person, page);
      const tokens = await oidc.authorizationCodeGrant(rp, new URL(page.external!), { expectedState: 's', idTokenExpected: true });
      assert.equal(tokens.claims()!.sub, sub);
      assert.equal(tokens.claims()!.acr, 'urn:th:etda:aal:2.1');
      assert.deepEqual([...(tokens.claims()!.amr as string[])].sort(), ['mfa', 'pwd', 'sms']);
    });

    test('a relying party asking AAL 2.2 is told it is unmet after a ThaID login: the table gives it AAL 1', async () => {
      const { p } = await proofed();
      const { url } = await relyingParty(t, { acr_values: 'urn:th:etda:aal:2.2' });
      const person = new Person(t.server.url);
      const login = await person.follow(url);
      let page = await withThaid(person, login, p.pid);
      assert.match(page.body, /AAL 2\.2/);
      page = await untilRelyingParty(person, page);
      assert.equal(new URL(page.external!).searchParams.get('error'), 'unmet_authentication_requirements');
    });

    test('a ThaID login that proved no account here logs nobody in, and says how to link it', async () => {
      const p = people[next++]!;
      // an account with this ID number exists, made with a password, never proofed with ThaID
      const { sub } = await t.server.app().accounts.create({ ...TEST_PERSON, pid: p.pid, given_name: p.givenName, family_name: p.familyName, phone_number: phoneFor(next), phone_verified: true });
      const { url } = await relyingParty(t);
      for (const pid of [p.pid, people[next++]!.pid]) {
        const person = new Person(t.server.url);
        const login = await person.follow(url);
        const page = await withThaid(person, login, pid);
        assert.equal(page.res.status, 403, page.body.slice(0, 300));
        assert.match(page.body, /ยังไม่มีบัญชีที่ยืนยันตัวตนด้วย ThaID ของคุณ/);
        assert.match(page.body, /name="password"/, 'the login page again');
      }
      const { rows } = await t.server.db.query<{ n: string }>(`SELECT count(*) AS n FROM oidc_models WHERE model = 'Session' AND payload->>'accountId' = $1`, [sub]);
      assert.equal(Number(rows[0]!.n), 0, 'no session');
    });

    test('revoked ThaID evidence no longer logs in', async () => {
      const { p, sub } = await proofed();
      for (const e of (await approvedEvidence(t.server.db, sub)).filter((e) => e.method === 'digital_id')) await revokeEvidence(t.server.db, e.id, 'operator:test', 'test');
      const { url } = await relyingParty(t);
      const person = new Person(t.server.url);
      const login = await person.follow(url);
      const page = await withThaid(person, login, p.pid);
      assert.equal(page.res.status, 403);
    });

    test("a ThaID login begun in one interaction is not taken by another and is used up; the button's form needs the CSRF token", async () => {
      const { p } = await proofed();
      const { url } = await relyingParty(t);
      const person = new Person(t.server.url);
      const a = await person.follow(url);
      const uidOf = (page: { url: string }) => new URL(page.url).pathname.split('/')[2]!;
      const refused = await person.request(Person.action(a.body, '/upstream/thaid'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'csrf=forged' });
      assert.equal(refused.status, 403);
      const start = await person.submit(Person.action(a.body, '/upstream/thaid'), { csrf: Person.csrf(a.body) });
      // through the stand-in to our callback, without following the callback's redirect to interaction a
      const atThaid = new Person(t.standIn.issuer);
      atThaid.jar = person.jar;
      const thaidLogin = await atThaid.follow(start.external!);
      const back = await atThaid.submit(new URL(Person.action(thaidLogin.body, '/login'), thaidLogin.url).toString(), { pid: p.pid, ial: '2.3' });
      const callback = await person.request(back.external!);
      assert.equal(callback.status, 303);
      assert.equal(new URL(callback.headers.get('location')!, t.server.url).pathname, `/interaction/${uidOf(a)}/upstream/thaid`);
      // the same browser starts another login (another tab) and comes to its own upstream path
      const b = await person.follow(url);
      assert.notEqual(uidOf(a), uidOf(b));
      const other = await person.follow(`/interaction/${uidOf(b)}/upstream/thaid`);
      assert.equal(other.res.status, 400);
      assert.match(other.body, /หมดเวลา ใช้ไปแล้ว/);
      assert.doesNotMatch(other.body, /AAL|consent|อนุญาต/);
      // taken by that attempt: used up
      const late = await person.follow(`/interaction/${uidOf(b)}/upstream/thaid`);
      assert.equal(late.res.status, 400);
    });
  });

  describe(`ThaID without THAID_LOGIN on ${target.name}`, () => {
    let t: WithThaid;
    before(async () => {
      t = await startWithThaid(target);
    });
    after(() => t.stop());

    test('is not a way to log in: no button on the login page, and its route refuses', async () => {
      const { url } = await relyingParty(t);
      const person = new Person(t.server.url);
      const login = await person.follow(url);
      assert.match(login.body, /name="password"/);
      assert.doesNotMatch(login.body, /ThaID/);
      const uid = new URL(login.url).pathname.split('/')[2]!;
      const page = await person.submit(`/interaction/${uid}/upstream/thaid`, { csrf: Person.csrf(login.body) });
      assert.equal(page.res.status, 404);
      assert.equal(page.external, undefined, 'not sent to ThaID');
      assert.equal((await person.follow(`/interaction/${uid}/upstream/thaid`)).res.status, 404);
    });
  });
}
