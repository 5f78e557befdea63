// In-person verification through the verifier console over HTTP: the verifier logs in at AAL 2.1,
// searches with a reason (audited), reads the person's card with the unit's agent and confirms status
// and face → IAL 2.3. Refused: a session at AAL 1, self-verification, another person's card, a
// withdrawn verifier. Each test verifies its own citizen, and the one that withdraws a verifier
// withdraws one of its own, so the tests hold in any order.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as jose from 'jose';
import { dbTargets } from '../../helpers/db.ts';
import { addClient, pidWithCheckDigit, startTestServer, testDirs, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import type { RunningServer } from '../../../src/idp/server.ts';
import { seedVerifierAtUnit } from '../../helpers/proofing.ts';
import { cardOf, pageNonce, signCardRead } from '../../helpers/card_read.ts';
import { cardReadChallengeAt, registerCardAgent as registerAgent } from '../../../src/idp/proofing/card_agents.ts';
import { accountIal } from '../../../src/idp/proofing/ial.ts';
import * as oidc from 'openid-client';
import { approvedEvidence, revokeEvidence } from '../../../src/idp/proofing/evidence.ts';

const REDIRECT = 'https://rp.example.test/cb';
const CITIZEN = { ...TEST_PERSON, pid: pidWithCheckDigit('310050000001'), given_name: 'มาลี', family_name: 'ศรีสุข', birthdate: '1987-06-05', phone_number: '0865554444', phone_verified: true };
/** another citizen of the same name, verified by the relying-party test */
const NAMESAKE = { ...CITIZEN, pid: pidWithCheckDigit('310050000003'), phone_number: '0865554445' };
/** a second verifier at 10699 (in the sample personnel register), the one withdrawn */
const NURSE = { ...TEST_PERSON, pid: '3250100123450', given_name: 'ประเสริฐ', family_name: 'ใจงาม', given_name_en: 'Prasert', family_name_en: 'Jai-ngam', birthdate: '1979-08-02', phone_number: '0861230000', phone_verified: true };

for (const target of dbTargets()) {
  describe(`in-person verification on ${target.name}`, () => {
    let server: RunningServer;
    let drop: () => Promise<void>;
    let agentId: string;
    let agentKey: CryptoKey;
    let citizenSub: string;
    let namesakeSub: string;
    let nurseSub: string;

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      server = await startTestServer(made.db, testDirs());
      await seedVerifierAtUnit(server);
      const { accounts, personnel, units } = server.app();
      citizenSub = (await accounts.create(CITIZEN)).sub;
      namesakeSub = (await accounts.create(NAMESAKE)).sub;
      nurseSub = (await accounts.create(NURSE)).sub;
      await personnel.link((await accounts.findBySub(nurseSub))!);
      await units.bootstrapVerifier({ pid: NURSE.pid, hcode: '10699', operator: 'somchai', reason: 'in-person check' });
      const pair = await jose.generateKeyPair('ES256');
      agentKey = pair.privateKey as CryptoKey;
      agentId = await registerAgent(server.db, { hcode: '10699', jwk: await jose.exportJWK(pair.publicKey), by: 'operator:somchai' });
    });
    after(async () => {
      await server.close();
      await drop();
    });

    /** what the unit's agent signs for the verifier's page (its challenge), from `who`'s card */
    const cardRead = (page: { body: string }, who: { pid: string; given_name: string; family_name: string; birthdate: string }) =>
      signCardRead({ key: agentKey, agentId, hcode: '10699', nonce: pageNonce(page.body), card: cardOf(who) });

    /** The verifier's login: password, then an SMS code (the console needs AAL 2.1); made once. */
    let loggedIn: Promise<{ person: Person; page: { body: string } }> | undefined;
    const verifierLogin = () => (loggedIn ??= logInVerifier(TEST_PERSON));
    async function logInVerifier(who: { pid: string; password: string; phone_number: string }): Promise<{ person: Person; page: { body: string } }> {
      const person = new Person(server.url);
      let page = await person.follow('/verifier');
      page = await person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: who.pid, password: who.password });
      page = await person.submit(Person.action(page.body, '/sms/send'), { csrf: Person.csrf(page.body) });
      const e164 = `+66${who.phone_number.slice(1)}`;
      const outbox = (await (await fetch(`${server.url}/test-zone/sms?to=${encodeURIComponent(e164)}`)).json()) as Array<{ text: string }>;
      page = await person.submit(Person.action(page.body, '/sms'), { csrf: Person.csrf(page.body), code: outbox[0]!.text.match(/\b(\d{6})\b/)![1]! });
      assert.equal(page.res.status, 200, page.body.slice(0, 300));
      assert.match(page.url, /\/verifier$/);
      return { person, page };
    }

    test('a session at AAL 1 is sent to log in at AAL 2.1', async () => {
      const person = new Person(server.url);
      let page = await person.follow('/account');
      page = await person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: TEST_PERSON.pid, password: TEST_PERSON.password });
      const res = await person.request('/verifier');
      assert.equal(res.status, 302);
      // the page's language goes along to the login
      assert.match(res.headers.get('location')!, /^\/verifier\/login\?next=%2Fverifier&lang=th$/);
      const step = await person.follow('/verifier/login');
      assert.match(step.body, /\/sms\/send/, 'the existing session is stepped up with a second factor');
    });

    test('a relying party asking min_ial=2.3 is refused before in-person verification and served after', async () => {
      const client = await addClient(server, { redirect_uris: [REDIRECT], grant_types: ['authorization_code'], scope: 'openid' });
      const rp = await oidc.discovery(new URL(server.url), client.client_id, client.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
      const url = () => oidc.buildAuthorizationUrl(rp, { redirect_uri: REDIRECT, scope: 'openid', state: 's', min_ial: '2.3', claims: JSON.stringify({ id_token: { ial: null } }) });
      const citizen = new Person(server.url);
      let page = await citizen.follow(url());
      page = await citizen.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: NAMESAKE.pid, password: NAMESAKE.password });
      assert.match(page.body, /โรงพยาบาล|service point|จุดบริการ/i);
      const refused = await citizen.submit(Person.action(page.body, '/unmet'), { csrf: Person.csrf(page.body) });
      assert.equal(new URL(refused.external!).searchParams.get('error'), 'unmet_authentication_requirements');

      const { person } = await verifierLogin();
      let v = await person.follow('/verifier');
      v = await person.submit('/verifier/search', { csrf: Person.csrf(v.body), unit: '10699', pid: NAMESAKE.pid, reason: 'appointment for verification' });
      v = await person.submit('/verifier/in-person', { csrf: Person.csrf(v.body), unit: '10699', sub: namesakeSub, card_read: await cardRead(v, NAMESAKE), card_status: 'yes', face_compared: 'yes' });
      assert.equal(v.res.status, 200);

      let back = await citizen.follow(url());
      if (!back.external && /name="password"/.test(back.body)) back = await citizen.submit(Person.action(back.body, '/login'), { csrf: Person.csrf(back.body), pid: NAMESAKE.pid, password: NAMESAKE.password });
      if (!back.external) back = await citizen.submit(Person.action(back.body, '/confirm'), { csrf: Person.csrf(back.body) });
      const tokens = await oidc.authorizationCodeGrant(rp, new URL(back.external!), { expectedState: 's', idTokenExpected: true });
      assert.equal(tokens.claims()!.ial, '2.3');
    });

    test('search with a reason (audited), then card read + status + face → IAL 2.3', async () => {
      const { person, page: start } = await verifierLogin();
      let page = await person.submit('/verifier/search', { csrf: Person.csrf(start.body), unit: '10699', pid: CITIZEN.pid, reason: '' });
      assert.equal(page.res.status, 400);
      page = await person.submit('/verifier/search', { csrf: Person.csrf(page.body), unit: '10699', pid: CITIZEN.pid, reason: 'walk-in at counter 3' });
      assert.equal(page.res.status, 200);
      assert.match(page.body, /มาลี ศรีสุข/);
      const audit = await server.db.query<{ detail: { reason: string } }>(`SELECT detail FROM audit_events WHERE action = 'verifier.search' AND subject = $1`, [citizenSub]);
      assert.ok(audit.rows.some((r) => r.detail.reason === 'walk-in at counter 3'));

      assert.ok(page.body.includes(`data-pid="${CITIZEN.pid}"`), 'the page names the card the read must be');
      assert.match(page.body, /data-agent="http:\/\/127\.0\.0\.1:8189"/);
      assert.match(page.body, /<script src="\/static\/card-read\.js(\?v=[0-9a-f]+)?" defer>/);
      assert.match(page.res.headers.get('content-security-policy')!, /connect-src 'self' http:\/\/127\.0\.0\.1:8189;/, 'the page may call the agent');
      const other = await cardRead(page, { ...CITIZEN, given_name: 'มานี' });
      let done = await person.submit('/verifier/in-person', { csrf: Person.csrf(page.body), unit: '10699', sub: citizenSub, card_read: other, card_status: 'yes', face_compared: 'yes' });
      assert.equal(done.res.status, 400, 'another person’s card');
      const stale = await cardRead(page, CITIZEN);
      done = await person.submit('/verifier/in-person', { csrf: Person.csrf(done.body), unit: '10699', sub: citizenSub, card_read: stale, card_status: 'yes', face_compared: 'yes' });
      assert.equal(done.res.status, 400, 'a read over the challenge the refused read used up');
      done = await person.submit('/verifier/in-person', { csrf: Person.csrf(done.body), unit: '10699', sub: citizenSub, card_read_pasted: await cardRead(done, CITIZEN), card_status: 'yes', face_compared: 'yes' });
      assert.equal(done.res.status, 200);
      assert.match(done.body, /IAL/);
      assert.equal(await accountIal(server.db, citizenSub), '2.3');
      assert.match(done.body, /<td>ยืนยันตัวตนต่อหน้าเจ้าหน้าที่ \(อ่านชิปบัตร\)<\/td>/, 'the verifier’s history shows it, in words');
      assert.match(done.body, /href="\/verifier\/queue[^"]*"/, 'the console has its menu');
    });

    test('a read over another verifier’s challenge, or over none, is refused and records nothing', async () => {
      const walkIn = { ...CITIZEN, pid: pidWithCheckDigit('310050000004'), given_name: 'สมศรี', phone_number: '0865550004' };
      const sub = (await server.app().accounts.create(walkIn)).sub;
      const { person } = await verifierLogin();
      let page = await person.follow('/verifier');
      page = await person.submit('/verifier/search', { csrf: Person.csrf(page.body), unit: '10699', pid: walkIn.pid, reason: 'walk-in' });
      const othersChallenge = await cardReadChallengeAt(server.db, { hcode: '10699', actor: nurseSub });
      for (const nonce of [othersChallenge, undefined]) {
        const jws = await signCardRead({ key: agentKey, agentId, hcode: '10699', nonce, card: cardOf(walkIn) });
        page = await person.submit('/verifier/in-person', { csrf: Person.csrf(page.body), unit: '10699', sub, card_read: jws, card_status: 'yes', face_compared: 'yes' });
        assert.equal(page.res.status, 400, nonce ? 'another verifier’s challenge' : 'no challenge');
      }
      assert.deepEqual((await approvedEvidence(server.db, sub)).filter((e) => e.method === 'in_person'), []);
    });

    test('test zone: card data typed by hand reaches IAL 1.2 at most, and only with the card status confirmed', async () => {
      const walkIn = { ...CITIZEN, pid: pidWithCheckDigit('310050000002'), given_name: 'สมปอง', phone_number: '0865550000' };
      const sub = (await server.app().accounts.create(walkIn)).sub;
      const { person } = await verifierLogin();
      let page = await person.follow('/verifier');
      page = await person.submit('/verifier/search', { csrf: Person.csrf(page.body), unit: '10699', pid: walkIn.pid, reason: 'no card reader yet' });
      assert.match(page.body, /action="\/verifier\/by-hand"/);
      const typed = { unit: '10699', sub, pid: walkIn.pid, given_name: 'สมปอง', family_name: 'ศรีสุข', birth_day: '5', birth_month: '6', birth_year: '2530', expiry_day: '1', expiry_month: '1', expiry_year: '2575' };
      let done = await person.submit('/verifier/by-hand', { csrf: Person.csrf(page.body), ...typed });
      assert.equal(done.res.status, 400, 'not without the card status');
      done = await person.submit('/verifier/by-hand', { csrf: Person.csrf(done.body), ...typed, card_status: 'yes' });
      assert.equal(done.res.status, 200);
      assert.equal(await accountIal(server.db, sub), '1.2');
    });

    test('a verifier cannot act for another unit: its card reader’s documents are refused', async () => {
      const pair = await jose.generateKeyPair('ES256');
      const otherAgent = await registerAgent(server.db, { hcode: '13836', jwk: await jose.exportJWK(pair.publicKey), by: 'operator:somchai' });
      const { person } = await verifierLogin();
      let page = await person.follow('/verifier');
      page = await person.submit('/verifier/search', { csrf: Person.csrf(page.body), unit: '10699', pid: CITIZEN.pid, reason: 'card of another unit' });
      const foreign = await signCardRead({ key: pair.privateKey as CryptoKey, agentId: otherAgent, hcode: '13836', nonce: pageNonce(page.body), card: cardOf(CITIZEN) });
      const refused = await person.submit('/verifier/in-person', { csrf: Person.csrf(page.body), unit: '13836', sub: citizenSub, card_read: foreign, card_status: 'yes', face_compared: 'yes' });
      assert.equal(refused.res.status, 400);
      const evidence = await server.db.query(`SELECT 1 FROM evidence WHERE unit_hcode = '13836'`);
      assert.equal(evidence.rows.length, 0);
    });

    test('nobody verifies themselves; a withdrawn verifier is refused', async () => {
      const { person } = await logInVerifier(NURSE);
      let page = await person.follow('/verifier');
      page = await person.submit('/verifier/search', { csrf: Person.csrf(page.body), unit: '10699', pid: NURSE.pid, reason: 'trying myself' });
      const self = await person.submit('/verifier/in-person', { csrf: Person.csrf(page.body), unit: '10699', sub: nurseSub, card_read: await cardRead(page, NURSE), card_status: 'yes', face_compared: 'yes' });
      assert.equal(self.res.status, 400);
      assert.match(self.body, /yourself|ตนเอง/);
      const { units } = server.app();
      const admin = (await server.app().accounts.create({ ...TEST_PERSON, pid: pidWithCheckDigit('310050000009') })).sub;
      await units.bootstrapAdmin({ pid: pidWithCheckDigit('310050000009'), operator: 'somchai', reason: 'admin' });
      await units.withdraw({ sub: nurseSub, role: 'verifier', hcode: '10699', by: admin, reason: 'left the unit' });
      const refused = await person.follow('/verifier');
      assert.equal(refused.res.status, 403);
      await units.grant({ sub: nurseSub, role: 'verifier', hcode: '10699', by: admin, reason: 'back' });
      assert.equal((await person.follow('/verifier')).res.status, 200);
      const [evidence] = await approvedEvidence(server.db, nurseSub);
      await revokeEvidence(server.db, evidence!.id, admin, 'bootstrap check found wrong');
      assert.equal((await person.follow('/verifier')).res.status, 403, 'below IAL 2.3 the verifier cannot act');
    });
  });
}
