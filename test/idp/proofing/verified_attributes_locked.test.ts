// Verified identity data is locked (issue 11, item 8), over HTTP with a real relying party reading
// verified_claims: after the register check (IAL 1.2) a crafted change of the Thai given name is refused
// and verified_claims keeps the register-confirmed name; English names and the phone (not covered) stay
// editable; choosing "change and drop the verification" saves the name, supersedes the evidence (audited),
// drops the IAL to 1.1 at once and verified_claims disappears from userinfo and the ID token.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as oidc from 'openid-client';
import { dbTargets } from '../../helpers/db.ts';
import { addClient, startTestServer, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import type { RunningServer } from '../../../src/idp/server.ts';
import { printedLaserCode, syntheticPeople } from '../../../src/kernel/registry/synthetic_population.ts';
import { IDENTITY_ATTRIBUTES } from '../../../src/idp/account/index.ts';
import { accountIal, approvedEvidence } from '../../../src/idp/proofing/index.ts';
import { PROOFING_METHODS } from '../../../src/idp/proofing/methods/index.ts';
import * as registerCheckText from '../../../src/idp/proofing/methods/register_check/messages.ts';

const REDIRECT = 'https://rp.example.test/cb';
const insecure = { execute: [oidc.allowInsecureRequests] };
// the test zone's synthetic register: 2000 people, seed 2569; each test proves a person of its own
const citizens = [...syntheticPeople(2000, 2569)].filter((p) => p.cardStatus === 'valid').slice(10, 13);
const isoBirthdate = (be: string) => `${Number(be.slice(0, 4)) - 543}-${be.slice(4, 6)}-${be.slice(6)}`;
const NEW_GIVEN = 'มานีใหม่';
const registerCheckLabel = new RegExp(`${registerCheckText.th.registerCheckHeading}|${registerCheckText.en.registerCheckHeading}`.replace(/[()]/g, '\\$&'));

type Verified = { verification: { assurance_level: string }; claims: Record<string, string> };
type Citizen = (typeof citizens)[number];

for (const target of dbTargets()) {
  describe(`verified identity data is locked on ${target.name}`, () => {
    let server: RunningServer;
    let drop: () => Promise<void>;
    let rp: oidc.Configuration;

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      server = await startTestServer(made.db);
      const client = await addClient(server, { redirect_uris: [REDIRECT], grant_types: ['authorization_code'], scope: 'openid' });
      rp = await oidc.discovery(new URL(server.url), client.client_id, client.client_secret, undefined, insecure);
    });
    after(async () => {
      await server.close();
      await drop();
    });

    const wanted = { ial: null, verified_claims: { verification: { trust_framework: null, evidence: null }, claims: { given_name: null, family_name: null, birthdate: null } } };
    const claims = JSON.stringify({ id_token: wanted, userinfo: wanted });

    /** A citizen with an account, logged in at the relying party, raised to IAL 1.2 by the register check on /account/verify. */
    async function verifiedCitizen(c: Citizen) {
      const { sub } = await server.app().accounts.create({ ...TEST_PERSON, pid: c.pid, given_name: c.givenName, family_name: c.familyName, birthdate: isoBirthdate(c.birthdateBE), phone_verified: true });
      const person = new Person(server.url);
      type Page = Awaited<ReturnType<Person['follow']>>;
      const logIn = async (page: Page): Promise<Page> =>
        /name="password"/.test(page.body) ? person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: c.pid, password: TEST_PERSON.password }) : page;
      /** A login at the relying party (SSO after the first): its ID token's claims, access token and userinfo. */
      async function relyingPartyLogin() {
        let page = await logIn(await person.follow(oidc.buildAuthorizationUrl(rp, { redirect_uri: REDIRECT, scope: 'openid', state: 's', claims })));
        if (!page.external) page = await person.submit(Person.action(page.body, '/confirm'), { csrf: Person.csrf(page.body) });
        const tokens = await oidc.authorizationCodeGrant(rp, new URL(page.external!), { expectedState: 's', idTokenExpected: true });
        return { idToken: tokens.claims()!, accessToken: tokens.access_token, userinfo: await oidc.fetchUserInfo(rp, tokens.access_token, sub) };
      }
      await relyingPartyLogin();
      let page = await logIn(await person.follow('/account/verify'));
      page = await person.submit('/account/verify/register', { csrf: Person.csrf(page.body), laser_code: printedLaserCode(c.laserCode) });
      assert.equal(page.res.status, 200);
      assert.equal(await accountIal(server.db, sub), '1.2');
      const account = async () => (await server.app().accounts.findBySub(sub))!;
      const names = async () => {
        const a = await account();
        return { title: a.title ?? '', given_name: a.givenName, family_name: a.familyName, given_name_en: a.givenNameEn ?? '', family_name_en: a.familyNameEn ?? '' };
      };
      const events = async (action: string) =>
        (await server.db.query<{ actor: string; detail: Record<string, unknown> }>('SELECT actor, detail FROM audit_events WHERE subject = $1 AND action = $2 ORDER BY seq', [sub, action])).rows;
      return { sub, person, relyingPartyLogin, account, names, events, userinfo: (accessToken: string) => oidc.fetchUserInfo(rp, accessToken, sub) };
    }

    test('after the register check (IAL 1.2) the verified names are read-only and a crafted change is refused', async () => {
      const c = citizens[0]!;
      const { sub, person, relyingPartyLogin, account, names, events, userinfo } = await verifiedCitizen(c);
      const before = await relyingPartyLogin();
      assert.equal((before.idToken.verified_claims as Verified).claims.given_name, c.givenName);
      assert.equal((before.userinfo.verified_claims as Verified).claims.given_name, c.givenName);

      const page = await person.follow('/account');
      assert.match(page.body, /<input id="given_name" name="given_name"[^>]*readonly/, 'the verified Thai given name is read-only');
      assert.match(page.body, /<input id="family_name" name="family_name"[^>]*readonly/);
      assert.doesNotMatch(page.body, /<input id="given_name_en"[^>]*readonly/, 'English names are checked by no method');
      assert.match(page.body, registerCheckLabel, 'the page says what verified them');
      assert.match(page.body, /href="\/account\/profile\/verified"/);

      const crafted = await person.submit('/account/profile', { csrf: Person.csrf(page.body), ...(await names()), given_name: NEW_GIVEN });
      assert.equal(crafted.res.status, 409);
      assert.match(crafted.body, /role="alert"/);
      assert.match(crafted.body, /href="#given_name"/, 'the error names the locked attribute');
      assert.match(crafted.body, registerCheckLabel, 'and the verification that locks it');
      assert.equal((await account()).givenName, c.givenName);
      assert.equal(await accountIal(server.db, sub), '1.2');
      assert.equal((await events('profile.updated')).length, 0);
      assert.equal(((await userinfo(before.accessToken)).verified_claims as Verified).claims.given_name, c.givenName, 'verified_claims still carries the register-confirmed name');
    });

    test('attributes no evidence covers stay editable: the English names, and the phone (its own OTP proof)', async () => {
      const { sub, person, account, names, events } = await verifiedCitizen(citizens[1]!);
      let page = await person.follow('/account');
      page = await person.submit('/account/profile', { csrf: Person.csrf(page.body), ...(await names()), given_name_en: 'Manee' });
      assert.equal(page.res.status, 200);
      assert.equal((await account()).givenNameEn, 'Manee');
      assert.deepEqual((await events('profile.updated')).map((e) => e.detail.changed), [['given_name_en']]);

      page = await person.submit('/account/phone', { csrf: Person.csrf(page.body), phone: '0898765432' });
      assert.match(page.url, /\/account\/phone\/verify$/);
      const sms = (await (await fetch(`${server.url}/test-zone/sms?to=${encodeURIComponent('+66898765432')}`)).json()) as Array<{ text: string }>;
      page = await person.submit('/account/phone/verify', { csrf: Person.csrf(page.body), code: sms[0]!.text.match(/\b(\d{6})\b/)![1]! });
      assert.equal(page.res.status, 200);
      assert.equal((await account()).phoneNumber, '+66898765432');
      assert.equal(await accountIal(server.db, sub), '1.2', 'no evidence dropped');
      assert.equal((await approvedEvidence(server.db, sub)).length, 1);
    });

    test('"change and drop the verification": saved, the evidence superseded and audited, IAL 1.1, no verified_claims', async () => {
      const { sub, person, relyingPartyLogin, account, names, events, userinfo } = await verifiedCitizen(citizens[2]!);
      const { accessToken } = await relyingPartyLogin();
      let page = await person.follow('/account/profile/verified');
      assert.equal(page.res.status, 200);
      assert.match(page.body, registerCheckLabel, 'the page names the verification that will be dropped');
      assert.doesNotMatch(page.body, /<input id="given_name"[^>]*readonly/);
      const [evidence] = await approvedEvidence(server.db, sub);
      page = await person.submit('/account/profile', { csrf: Person.csrf(page.body), ...(await names()), given_name: NEW_GIVEN, drop_verification: 'yes' });
      assert.equal(page.res.status, 200);
      assert.match(page.url, /\/account$/);
      assert.match(page.body, registerCheckLabel, 'the person is told which verification was dropped');
      assert.match(page.body, /IAL 1\.1/);
      assert.equal((await account()).givenName, NEW_GIVEN);
      assert.equal(await accountIal(server.db, sub), '1.1');
      assert.deepEqual(await approvedEvidence(server.db, sub), []);
      assert.deepEqual(await events('evidence.superseded'), [{ actor: sub, detail: { evidence: evidence!.id, method: 'register_check', attributes: ['given_name'] } }]);
      assert.deepEqual((await events('profile.updated')).map((e) => e.detail), [{ changed: ['given_name'], evidence_superseded: [evidence!.id] }]);

      const info = await userinfo(accessToken);
      assert.equal(info.verified_claims, undefined, 'userinfo no longer vouches for any name');
      assert.equal(info.ial, '1.1');
      const after = await relyingPartyLogin();
      assert.equal(after.idToken.verified_claims, undefined);
      assert.equal(after.idToken.ial, '1.1');
      assert.equal(after.userinfo.verified_claims, undefined);

      page = await person.follow('/account');
      assert.doesNotMatch(page.body, /readonly/, 'nothing is locked once the evidence is gone');
    });
  });
}

describe('what evidence vouches for comes from the methods', () => {
  test('every method declares, for the evidence it records under its own id, identity attributes it covers', () => {
    const deps = { db: {}, pii: {}, accounts: {}, units: {}, testZone: true } as never;
    for (const make of PROOFING_METHODS) {
      const m = make(deps);
      assert.ok(m.evidence[m.id], `${m.id} declares its own evidence`);
      for (const [kind, e] of Object.entries(m.evidence)) {
        assert.ok(e.covers.length > 0, `${kind} covers something`);
        assert.ok(e.covers.every((a) => (IDENTITY_ATTRIBUTES as readonly string[]).includes(a)), `${kind}: known attributes`);
        assert.ok(e.label('th') && e.label('en'), `${kind} has a name in both languages`);
      }
    }
  });

  test('names change only through the identity lock: no other caller of updateNames, no other UPDATE of identity columns', () => {
    const root = path.resolve(import.meta.dirname, '../../../src');
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
    const rel = (f: string) => path.relative(root, f);
    const callers = files(root).filter((f) => /\.updateNames\(/.test(readFileSync(f, 'utf8'))).map(rel);
    assert.deepEqual(callers, ['idp/proofing/verified_attributes.ts']);
    const writers = files(root)
      .filter((f) => /UPDATE\s+accounts\s+SET[^`']*(?:given_name|family_name|title_th|birthdate|pid_)/i.test(readFileSync(f, 'utf8')))
      .map(rel);
    assert.deepEqual(writers, ['idp/account/index.ts']);
  });
});
