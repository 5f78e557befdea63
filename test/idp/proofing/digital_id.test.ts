// Proofing with DOPA's digital ID against the stand-in ThaID, on both databases, over HTTP with the real
// forms: registering with ThaID starts the account at IAL 2.3 with the DOPA evidence, and a relying party
// asking min_ial=2.3 gets verified_claims naming it; an existing account raises its level when ThaID's
// ID number and names match and gets nothing, with what differed, when they do not; a level below 2.3,
// a replayed or foreign ID token (another key, another audience), a replayed callback, a cancel and an
// upstream that is down record nothing; refused callbacks are rate-limited per address.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { dbTargets } from '../../helpers/db.ts';
import { Person } from '../../helpers/person.ts';
import { addClient, TEST_PERSON } from '../../helpers/server.ts';
import { outbox } from '../../helpers/login.ts';
import { citizenAt as citizenOf, payloadOf, rewriteIdToken, signIdToken, signingKey, startWithThaid, throughThaid, THAID_CLIENT_ID, verifyWithThaid as verifyThroughThaid, type WithThaid } from '../../helpers/thaid.ts';
import { syntheticPeople, type SyntheticPerson } from '../../../src/kernel/registry/synthetic_population.ts';
import { fromBuddhistDate } from '../../../src/kernel/thai/dates.ts';
import { accountIal } from '../../../src/idp/proofing/ial.ts';
import { approvedEvidence, revokeEvidence } from '../../../src/idp/proofing/evidence.ts';
import { ROMAN } from '../../../src/idp/upstream/stand_in/names.ts';
import { PRIVACY_NOTICE_VERSION } from '../../../src/idp/account/privacy_notice.ts';

const REDIRECT = 'https://rp.example.test/cb';
const insecure = { execute: [oidc.allowInsecureRequests] };
// the test zone's synthetic register (2000 people, seed 2569), the stand-in's people; one per test
const people = [...syntheticPeople(2000, 2569)].filter((p) => p.cardStatus === 'valid').slice(40, 100);
let next = 0;
const nextPerson = () => people[next++]!;
const iso = (p: SyntheticPerson) => fromBuddhistDate(p.birthdateBE);
const phoneFor = (i: number) => `08${String(10000000 + i * 7919).slice(0, 8)}`;

for (const target of dbTargets()) {
  describe(`proofing with ThaID on ${target.name}`, () => {
    let t: WithThaid;
    let rewrite: (jwt: string) => Promise<string> = async (jwt) => jwt;
    let downAt: string | undefined;
    const tamper = rewriteIdToken((jwt) => rewrite(jwt));

    before(async () => {
      // both client authentications: a secret on one engine, private_key_jwt on the other
      t = await startWithThaid(target, { auth: target.name === 'postgres' ? 'private_key_jwt' : 'client_secret_basic', env: { UPSTREAM_CALLBACK_FAILURES_PER_ADDRESS: '1000' } });
      const rw = tamper;
      t.standIn.use(async (ctx, next) => {
        if (downAt && ctx.path.startsWith(downAt)) {
          ctx.status = 503;
          ctx.body = { error: 'temporarily_unavailable' };
          return;
        }
        return rw.middleware(ctx, next);
      });
    });
    after(() => t.stop());

    const citizenAt = (p: SyntheticPerson, names: Parameters<typeof citizenOf>[3] = {}, i = next) => citizenOf(t, p, phoneFor(i), names);
    const verifyWithThaid = (c: { person: Person; page: { body: string } }, pid: string, o: { ial?: string; cancel?: boolean } = {}) => verifyThroughThaid(t, c, pid, o);

    const evidenceOf = async (sub: string) => (await approvedEvidence(t.server.db, sub)).filter((e) => e.method === 'digital_id');

    test('registering with ThaID: the form comes filled with what ThaID vouches for, the account starts at IAL 2.3 and a relying party asking min_ial=2.3 gets the DOPA evidence', async () => {
      const p = nextPerson();
      const client = await addClient(t.server, { redirect_uris: [REDIRECT], grant_types: ['authorization_code'], scope: 'openid profile verified_claims pid' });
      const rp = await oidc.discovery(new URL(t.server.url), client.client_id, client.client_secret, undefined, insecure);
      const person = new Person(t.server.url);
      const authUrl = oidc.buildAuthorizationUrl(rp, { redirect_uri: REDIRECT, scope: 'openid verified_claims', state: 's', min_ial: '2.3', claims: JSON.stringify({ id_token: { ial: null } }) });
      let page = await person.follow(authUrl);
      const returnTo = new URL(page.url).pathname;
      // the login page links to registration; the registration page offers ThaID
      page = await person.follow(`/register?return=${encodeURIComponent(returnTo)}`);
      assert.match(page.body, /ลงทะเบียนด้วย ThaID/);
      const start = await person.submit('/register/digital-id', { csrf: Person.csrf(page.body), return: returnTo });
      page = await throughThaid(person, t, start.external, p.pid);
      assert.equal(page.res.status, 200, page.body.slice(0, 300));
      assert.equal(new URL(page.url).pathname, '/register/digital-id');
      // vouched for and not editable: shown, with no field for them
      for (const text of [p.pid, p.givenName, p.familyName, ROMAN[p.givenName]!, ROMAN[p.familyName]!]) assert.ok(page.body.includes(text), text);
      for (const name of ['pid', 'given_name', 'family_name', 'birth_day']) assert.doesNotMatch(page.body, new RegExp(`name="${name}"`), name);
      // a posted ID number or name is never read: ThaID's are
      const phone = phoneFor(100 + next);
      page = await person.submit('/register', { csrf: Person.csrf(page.body), via: 'thaid', pid: TEST_PERSON.pid, given_name: 'ปลอม', phone, password: 'a good long passphrase', password_confirm: 'a good long passphrase', accept_privacy: PRIVACY_NOTICE_VERSION });
      assert.equal(new URL(page.url).pathname, '/register/verify', page.body.slice(0, 400));
      const e164 = `+66${phone.slice(1)}`;
      page = await person.submit('/register/verify', { csrf: Person.csrf(page.body), code: (await outbox(t.server, e164)).code! });
      const account = (await t.server.app().accounts.findByPid(p.pid))!;
      assert.ok(account, 'the account exists');
      assert.equal(await t.server.app().accounts.findByPid(TEST_PERSON.pid), undefined, 'the posted ID number was not used');
      assert.deepEqual([account.givenName, account.familyName, account.givenNameEn, account.familyNameEn, account.birthdate], [p.givenName, p.familyName, ROMAN[p.givenName], ROMAN[p.familyName], iso(p)]);
      assert.equal(await accountIal(t.server.db, account.sub), '2.3');
      const [ev] = await evidenceOf(account.sub);
      assert.ok(ev?.upstream, 'DOPA evidence recorded');
      assert.deepEqual(ev.checks, ['digital_id_ial_2_3']);
      assert.equal(ev.upstream.issuer, t.standIn.issuer);
      assert.equal(ev.upstream.ial, '2.3');
      assert.equal(ev.upstream.granted, '2.3');
      assert.equal(ev.upstream.mapping.levels['2.3'], '2.3');
      assert.match(ev.upstream.smartcard_code_masked!, /^x{8}\d{4}$/);
      assert.equal(ev.upstream.date_of_expiry, '2031-05-09');
      assert.ok(!JSON.stringify(ev.upstream).includes(p.pid), 'no ID number in the upstream record');
      assert.ok(!/thaid-/.test(JSON.stringify(ev.upstream)), "the upstream's subject is kept encrypted");
      // back to the relying party: logged in at once, consent, then tokens
      assert.ok(!page.external ? /confirm/.test(page.body) : true, page.body.slice(0, 300));
      if (!page.external) page = await person.submit(Person.action(page.body, '/confirm'), { csrf: Person.csrf(page.body) });
      assert.ok(page.external?.startsWith(REDIRECT), `back at the relying party: ${page.res.status} ${page.body.slice(0, 300)}`);
      const tokens = await oidc.authorizationCodeGrant(rp, new URL(page.external!), { expectedState: 's', idTokenExpected: true });
      assert.equal(tokens.claims()!.ial, '2.3');
      const info = await oidc.fetchUserInfo(rp, tokens.access_token, account.sub);
      const vc = info.verified_claims as { verification: { trust_framework: string; assurance_level: string; evidence: Array<Record<string, any>> } };
      assert.equal(vc.verification.trust_framework, 'th_etda_digital_id');
      assert.equal(vc.verification.assurance_level, '2.3');
      const dopa = vc.verification.evidence.find((e) => e.record?.type === 'th_dopa_digital_id');
      assert.ok(dopa, JSON.stringify(vc));
      assert.equal(dopa.type, 'electronic_record');
      assert.match(dopa.record.source.name, /Department of Provincial Administration/);
      assert.equal(dopa.th_digital_id.assurance_level, '2.3');
      assert.ok(dopa.time);
      // revocable like all evidence: the level drops at once
      await revokeEvidence(t.server.db, ev.id, 'operator:test', 'test');
      assert.equal(await accountIal(t.server.db, account.sub), '1.1');
    });

    test('an existing account raises its level with ThaID when the ID number and names match', async () => {
      const p = nextPerson();
      const c = await citizenAt(p);
      assert.equal(await accountIal(t.server.db, c.sub), '1.1');
      const page = await verifyWithThaid(c, p.pid);
      assert.equal(page.res.status, 200, page.body.slice(0, 300));
      assert.match(page.body, /ยืนยันตัวตนด้วย ThaID สำเร็จ/);
      assert.equal(await accountIal(t.server.db, c.sub), '2.3');
      assert.equal((await evidenceOf(c.sub)).length, 1);
    });

    test('names that differ grant nothing and the page says what differed', async () => {
      const p = nextPerson();
      const c = await citizenAt(p, { given_name: 'มานีคนอื่น', given_name_en: 'Someone' });
      const page = await verifyWithThaid(c, p.pid);
      assert.equal(page.res.status, 409);
      assert.match(page.body, /ข้อมูลจาก ThaID ไม่ตรงกับบัญชีของคุณ: ชื่อ \(ภาษาไทย\), ชื่อ \(ภาษาอังกฤษ\) ไม่ตรงกัน/);
      assert.doesNotMatch(page.body, /นามสกุล \(ภาษาไทย\), /, 'the family name matched');
      assert.equal(await accountIal(t.server.db, c.sub), '1.1');
      assert.deepEqual(await evidenceOf(c.sub), []);
      // in English too
      const en = await c.person.follow('/account/verify?lang=en');
      const again = await verifyWithThaid({ person: c.person, page: en }, p.pid);
      assert.match(again.body, /do not match your account: given name \(Thai\), given name \(English\) differ/);
    });

    test("another person's ThaID (another ID number) grants nothing", async () => {
      const p = nextPerson();
      const other = nextPerson();
      const c = await citizenAt(p);
      const page = await verifyWithThaid(c, other.pid);
      assert.equal(page.res.status, 409);
      assert.match(page.body, /เลขประจำตัวประชาชน/);
      assert.deepEqual(await evidenceOf(c.sub), []);
    });

    test('a ThaID level below 2.3 records nothing, and a relying party asking min_ial=2.3 is told the level is unmet', async () => {
      const p = nextPerson();
      const c = await citizenAt(p);
      const page = await verifyWithThaid(c, p.pid, { ial: '2.2' });
      assert.equal(page.res.status, 400);
      assert.match(page.body, /ThaID ยืนยันตัวตนของคุณไว้ที่ระดับ 2\.2 ซึ่งต่ำกว่าระดับ 2\.3/);
      assert.deepEqual(await evidenceOf(c.sub), []);
      const client = await addClient(t.server, { redirect_uris: [REDIRECT], grant_types: ['authorization_code'], scope: 'openid' });
      const rp = await oidc.discovery(new URL(t.server.url), client.client_id, client.client_secret, undefined, insecure);
      let at = await c.person.follow(oidc.buildAuthorizationUrl(rp, { redirect_uri: REDIRECT, scope: 'openid', state: 's', min_ial: '2.3' }));
      if (/name="password"/.test(at.body)) at = await c.person.submit(Person.action(at.body, '/login'), { csrf: Person.csrf(at.body), pid: p.pid, password: TEST_PERSON.password });
      for (let i = 0; i < 3 && !at.external; i++) {
        const form = at.body.match(/action="([^"]*\/(?:confirm|abort|unmet)[^"]*)"/);
        if (!form) break;
        at = await c.person.submit(form[1]!, { csrf: Person.csrf(at.body) });
      }
      assert.ok(at.external, at.body.slice(0, 400));
      assert.equal(new URL(at.external).searchParams.get('error'), 'unmet_authentication_requirements');
      // registering with it is refused too: nothing is kept
      const reg = new Person(t.server.url);
      const form = await reg.follow('/register');
      const start = await reg.submit('/register/digital-id', { csrf: Person.csrf(form.body) });
      const refused = await throughThaid(reg, t, start.external, nextPerson().pid, { ial: '1.3' });
      assert.equal(refused.res.status, 400);
      assert.match(refused.body, /ต่ำกว่าระดับ 2\.3/);
      assert.equal((await reg.follow('/register/digital-id')).res.status, 400, 'used up');
    });

    test('a replayed ID token (an earlier login of the same person) is refused: its nonce is not this login’s', async () => {
      const p = nextPerson();
      const c = await citizenAt(p);
      tamper.seen.length = 0;
      const first = await verifyWithThaid(c, p.pid, { ial: '2.2' }); // a login that records nothing
      assert.equal(first.res.status, 400);
      const old = tamper.seen.at(-1)!;
      rewrite = async () => old;
      tamper.on = true;
      try {
        const page = await verifyWithThaid({ person: c.person, page: await c.person.follow('/account/verify') }, p.pid);
        assert.equal(page.res.status, 400);
        assert.match(page.body, /คำตอบจาก ThaID ตรวจสอบไม่ผ่าน/);
      } finally {
        tamper.on = false;
      }
      assert.deepEqual(await evidenceOf(c.sub), []);
    });

    test('an ID token signed by another key, or issued for another audience, is refused', async () => {
      const p = nextPerson();
      const c = await citizenAt(p);
      const foreignKey = await signingKey('stand-in-1'); // the same kid, another key
      for (const forge of [
        (claims: Record<string, unknown>) => signIdToken(claims, foreignKey),
        (claims: Record<string, unknown>) => signIdToken({ ...claims, aud: 'another-client' }, t.signing),
        (claims: Record<string, unknown>) => signIdToken({ ...claims, iss: 'https://imauth.bora.dopa.go.th' }, t.signing),
        (claims: Record<string, unknown>) => signIdToken({ ...claims, exp: Math.floor(Date.now() / 1000) - 600 }, t.signing),
      ]) {
        rewrite = (jwt) => forge(payloadOf(jwt));
        tamper.on = true;
        try {
          const page = await verifyWithThaid({ person: c.person, page: await c.person.follow('/account/verify') }, p.pid);
          assert.equal(page.res.status, 400, page.body.slice(0, 300));
          assert.match(page.body, /คำตอบจาก ThaID ตรวจสอบไม่ผ่าน/);
        } finally {
          tamper.on = false;
        }
      }
      // the same rewrite with the stand-in's own key and claims passes: the checks above are what failed
      rewrite = (jwt) => signIdToken(payloadOf(jwt), t.signing);
      tamper.on = true;
      try {
        const page = await verifyWithThaid({ person: c.person, page: await c.person.follow('/account/verify') }, p.pid);
        assert.equal(page.res.status, 200, page.body.slice(0, 300));
      } finally {
        tamper.on = false;
      }
      assert.equal((await evidenceOf(c.sub)).length, 1);
      assert.equal(THAID_CLIENT_ID, payloadOf(tamper.seen.at(-1)!).aud);
    });

    test('a callback used twice, or a cancel at ThaID, records nothing', async () => {
      const p = nextPerson();
      const c = await citizenAt(p);
      const start = await c.person.submit('/account/verify/digital-id', { csrf: Person.csrf(c.page.body) });
      const atThaid = new Person(t.standIn.issuer);
      atThaid.jar = c.person.jar;
      const login = await atThaid.follow(start.external!);
      const back = await atThaid.submit(new URL(Person.action(login.body, '/login'), login.url).toString(), { pid: p.pid, ial: '2.2' });
      const callback = back.external!;
      assert.equal((await c.person.follow(callback)).res.status, 400); // 2.2: refused on its merits
      const replay = await c.person.follow(callback);
      assert.equal(replay.res.status, 400);
      assert.match(replay.body, /หมดเวลา ใช้ไปแล้ว หรือเริ่มจากเบราว์เซอร์อื่น/);
      const cancelled = await verifyWithThaid({ person: c.person, page: await c.person.follow('/account/verify') }, p.pid, { cancel: true });
      assert.equal(cancelled.res.status, 400);
      assert.match(cancelled.body, /คุณยกเลิกการยืนยันตัวตนที่ ThaID/);
      assert.deepEqual(await evidenceOf(c.sub), []);
    });

    test('ThaID down: a clear message and nothing recorded, at the start and at the code exchange', async () => {
      const p = nextPerson();
      const c = await citizenAt(p);
      downAt = '/token';
      try {
        const page = await verifyWithThaid(c, p.pid);
        assert.equal(page.res.status, 503);
        assert.match(page.body, /ขณะนี้ติดต่อ ThaID ไม่ได้ ไม่มีการบันทึกข้อมูลใด ๆ/);
      } finally {
        downAt = undefined;
      }
      assert.deepEqual(await evidenceOf(c.sub), []);
      // a server whose ThaID never answered: discovery fails, the button says so
      const down = await startWithThaid(target, { env: { THAID_ISSUER: 'http://127.0.0.1:9' } });
      try {
        const other = new Person(down.server.url);
        const form = await other.follow('/register');
        const refused = await other.submit('/register/digital-id', { csrf: Person.csrf(form.body) });
        assert.equal(refused.res.status, 503);
        assert.match(refused.body, /ขณะนี้ติดต่อ ThaID ไม่ได้/);
      } finally {
        await down.stop();
      }
    });
  });
}

describe('refused ThaID callbacks are limited per client address', () => {
  const [target] = dbTargets();
  let t: WithThaid;
  before(async () => {
    t = await startWithThaid(target!, { env: { UPSTREAM_CALLBACK_FAILURES_PER_ADDRESS: '3' } });
  });
  after(() => t.stop());

  test('after three refusals the callback answers 429, before reading anything', async () => {
    const person = new Person(t.server.url);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await person.follow(`/upstream/thaid/callback?code=x${i}&state=y`)).res.status);
    assert.deepEqual(statuses, [400, 400, 400, 429, 429]);
    assert.equal((await person.follow('/upstream/nobody/callback?code=x')).res.status, 404);
  });
});
