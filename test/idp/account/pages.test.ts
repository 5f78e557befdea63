// The account pages over HTTP, logged in through the IdP's own login: profile and phone change (with a
// code), password change (ends other sessions), the authenticator app and recovery codes, removing the
// last second factor (fresh login), sessions and connected applications (revoking kills the refresh
// token), data export and deletion request; CSRF and bad input change nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { generate } from 'otplib';
import { dbTargets } from '../../helpers/db.ts';
import { addClient, pidWithCheckDigit, startTestServer, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import type { RunningServer } from '../../../src/idp/server.ts';
import { recordEvidence, type ExportedEvidence } from '../../../src/idp/proofing/index.ts';
import { revokeEvidence } from '../../../src/idp/proofing/evidence.ts';

const REDIRECT = 'https://rp.example.test/cb';
const insecure = { execute: [oidc.allowInsecureRequests] };

for (const target of dbTargets()) {
  describe(`account pages on ${target.name}`, () => {
    let server: RunningServer;
    let drop: () => Promise<void>;
    let sub: string;
    let rp: oidc.Configuration;
    const password = { current: TEST_PERSON.password };

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      server = await startTestServer(made.db);
      sub = (await server.app().accounts.create({ ...TEST_PERSON, phone_verified: true })).sub;
      const client = await addClient(server, { client_name: 'Clinic app', redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'], scope: 'openid offline_access profile' });
      rp = await oidc.discovery(new URL(server.url), client.client_id, client.client_secret, undefined, insecure);
    });
    after(async () => {
      await server.close();
      await drop();
    });

    /** Opens an account page, logging in through the real login form when asked to (as TEST_PERSON unless `who`). */
    async function open(person: Person, path: string, who = { pid: TEST_PERSON.pid, password: password.current }) {
      let page = await person.follow(path);
      if (/name="password"/.test(page.body) && /\/interaction\//.test(page.url)) {
        page = await person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: who.pid, password: who.password });
      }
      assert.equal(page.res.status, 200, `${path}: ${page.body.slice(0, 300)}`);
      return page;
    }
    const outboxCode = async (e164: string) =>
      ((await (await fetch(`${server.url}/test-zone/sms?to=${encodeURIComponent(e164)}`)).json()) as Array<{ text: string }>)[0]!.text.match(/\b(\d{6})\b/)![1]!;
    const events = async (action: string) => Number((await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_events WHERE subject = $1 AND action = $2', [sub, action])).rows[0]!.n);

    test('without a session an account page sends the person to log in, then back', async () => {
      const person = new Person(server.url);
      const first = await person.request('/account/security');
      assert.equal(first.status, 302);
      assert.match(first.headers.get('location')!, /^\/account\/login\?next=%2Faccount%2Fsecurity/);
      const page = await open(person, '/account/security');
      assert.match(page.url, /\/account\/security$/);
      assert.match(page.body, /TOTP/);
    });

    test('names are updated (audited); a missing Thai name or a forged CSRF token changes nothing', async () => {
      const person = new Person(server.url);
      let page = await open(person, '/account');
      page = await person.submit('/account/profile', { csrf: Person.csrf(page.body), given_name: '', family_name: 'x' });
      assert.equal(page.res.status, 400);
      assert.match(page.body, /role="alert"/);
      const forged = await person.submit('/account/profile', { csrf: 'x.y', given_name: 'ปลอม', family_name: 'ปลอม' });
      assert.equal(forged.res.status, 403);
      assert.equal((await server.app().accounts.findBySub(sub))!.givenName, TEST_PERSON.given_name);
      page = await person.submit('/account/profile', { csrf: Person.csrf(page.body), given_name: 'สมหญิง', family_name: 'รักษ์สุขภาพดี', given_name_en: 'Somying', family_name_en: 'Raksukkhaphapdee' });
      assert.equal(page.res.status, 200);
      assert.equal((await server.app().accounts.findBySub(sub))!.familyName, 'รักษ์สุขภาพดี');
      assert.equal(await events('profile.updated'), 1);
    });

    test('a new phone number is stored only after its code is confirmed', async () => {
      const person = new Person(server.url);
      let page = await open(person, '/account');
      page = await person.submit('/account/phone', { csrf: Person.csrf(page.body), phone: '02 123 4567' });
      assert.equal(page.res.status, 400);
      page = await person.submit('/account/phone', { csrf: Person.csrf(page.body), phone: '091-555-0101' });
      assert.equal(page.res.status, 200);
      const code = await outboxCode('+66915550101');
      page = await person.submit('/account/phone/verify', { csrf: Person.csrf(page.body), code: code === '000000' ? '000001' : '000000' });
      assert.equal(page.res.status, 400);
      assert.equal((await server.app().accounts.findBySub(sub))!.phoneNumber, '+66812345678', 'a wrong code changes nothing');
      page = await person.submit('/account/phone/verify', { csrf: Person.csrf(page.body), code });
      assert.equal(page.res.status, 200);
      const account = (await server.app().accounts.findBySub(sub))!;
      assert.equal(account.phoneNumber, '+66915550101');
      assert.equal(account.phoneVerified, true);
    });

    test('the authenticator app: enrol with the setup key and a first code, recovery codes, remove with a fresh login', async () => {
      const person = new Person(server.url);
      let page = await open(person, '/account/totp');
      assert.match(page.body, /<svg/);
      const key = page.body.match(/class="setup-key"[^>]*>([A-Z2-7 ]+)</)![1]!.replace(/\s/g, '');
      page = await person.submit('/account/totp', { csrf: Person.csrf(page.body), code: '12345' });
      assert.equal(page.res.status, 400, 'a malformed code is refused');
      assert.equal(page.body.match(/class="setup-key"[^>]*>([A-Z2-7 ]+)</)![1]!.replace(/\s/g, ''), key, 'the same key is shown again');
      page = await person.submit('/account/totp', { csrf: Person.csrf(page.body), code: await generate({ secret: key }) });
      assert.equal(page.res.status, 200);
      assert.deepEqual(await server.app().authenticators.totp.status(sub).then((s) => s.enrolled), true);

      page = await person.submit('/account/recovery-codes', { csrf: Person.csrf(page.body) });
      const codes = [...page.body.matchAll(/<code>([a-z2-9]{5}-[a-z2-9]{5})<\/code>/g)].map((m) => m[1]);
      assert.equal(codes.length, 10);
      assert.equal(await server.app().authenticators.recovery.remaining(sub), 10);

      // the app is the only strong second factor: removing it needs a login within the last minutes
      await server.db.query(`UPDATE oidc_models SET payload = jsonb_set(payload, '{loginTs}', to_jsonb((payload->>'loginTs')::bigint - 3600)) WHERE model = 'Session'`);
      page = await person.follow('/account/security');
      const removal = await person.request('/account/totp/remove', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf: Person.csrf(page.body) }).toString() });
      assert.equal(removal.status, 303);
      assert.match(removal.headers.get('location')!, /fresh=1/);
      assert.equal((await server.app().authenticators.totp.status(sub)).enrolled, true, 'not removed without a fresh login');
      page = await open(person, removal.headers.get('location')!);
      page = await person.submit('/account/totp/remove', { csrf: Person.csrf(page.body) });
      assert.equal(page.res.status, 200);
      assert.equal((await server.app().authenticators.totp.status(sub)).enrolled, false);
      assert.equal(await events('totp.removed'), 1);
    });

    test('sessions: list and end another; revoking a connected application kills its refresh token', async () => {
      const other = new Person(server.url);
      await open(other, '/account');
      const person = new Person(server.url);
      // a relying-party login creates a grant with a refresh token
      const url = oidc.buildAuthorizationUrl(rp, { redirect_uri: REDIRECT, scope: 'openid offline_access', prompt: 'consent', state: 's' });
      const callback = await person.logInAndConsent(url, TEST_PERSON.pid, password.current);
      const tokens = await oidc.authorizationCodeGrant(rp, new URL(callback), { expectedState: 's' });
      assert.ok(tokens.refresh_token);

      let page = await open(person, '/account/sessions');
      assert.match(page.body, /Clinic app/);
      assert.match(page.body, /<div class="table-wrap" role="region" aria-label="[^"]+" tabindex="0"><table class="stack">/, 'the table scrolls inside itself and stacks on a phone');
      assert.match(page.body, /<td data-label="[^"]+"><strong>/, 'each cell says what it is');
      const ends = [...page.body.matchAll(/action="(\/account\/sessions\/[^"/]+\/end)"/g)].map((m) => m[1]!);
      assert.ok(ends.length >= 1, 'other sessions can be ended');
      for (const end of ends) page = await person.submit(end, { csrf: Person.csrf(page.body) });
      const otherNow = await other.request('/account');
      assert.equal(otherNow.status, 302, 'the other browser is logged out');

      const revoke = page.body.match(/action="(\/account\/apps\/[^"]+\/revoke)"/)![1]!;
      page = await person.submit(revoke, { csrf: Person.csrf(page.body) });
      assert.equal(page.res.status, 200);
      assert.doesNotMatch(page.body, /Clinic app/);
      await assert.rejects(oidc.refreshTokenGrant(rp, tokens.refresh_token!), (e: oidc.ResponseBodyError) => e.error === 'invalid_grant');
      assert.equal(await events('grant.revoked'), 1);
    });

    test('password change: a wrong current password or a common new one changes nothing; success ends other sessions', async () => {
      const other = new Person(server.url);
      await open(other, '/account');
      const person = new Person(server.url);
      let page = await open(person, '/account/security');
      page = await person.submit('/account/password', { csrf: Person.csrf(page.body), current_password: 'wrong wrong wrong', password: 'a brand new passphrase', password_confirm: 'a brand new passphrase' });
      assert.equal(page.res.status, 400);
      page = await person.submit('/account/password', { csrf: Person.csrf(page.body), current_password: password.current, password: 'iloveyou', password_confirm: 'iloveyou' });
      assert.equal(page.res.status, 400);
      assert.ok(await server.app().accounts.verifyPassword(TEST_PERSON.pid, password.current), 'the old password still works');
      page = await person.submit('/account/password', { csrf: Person.csrf(page.body), current_password: password.current, password: 'a brand new passphrase', password_confirm: 'a brand new passphrase' });
      assert.equal(page.res.status, 200);
      password.current = 'a brand new passphrase';
      assert.ok(await server.app().accounts.verifyPassword(TEST_PERSON.pid, password.current));
      assert.equal((await other.request('/account')).status, 302, 'other sessions ended');
      assert.equal((await person.request('/account')).status, 200, 'this session stays');
    });

    test('download my data as JSON and request deletion (recorded for an administrator)', async () => {
      const person = new Person(server.url);
      await open(person, '/account/privacy');
      const res = await person.request('/account/privacy/export');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-disposition')!, /attachment/);
      const data = (await res.json()) as { account: Record<string, unknown> };
      const text = JSON.stringify(data);
      assert.equal(data.account.national_id_number, TEST_PERSON.pid);
      assert.equal(data.account.given_name, 'สมหญิง');
      assert.doesNotMatch(text, /argon2|password_hash|secret_cipher/, 'no secrets in the export');
      const page = await open(person, '/account/privacy');
      const done = await person.submit('/account/privacy/delete', { csrf: Person.csrf(page.body), reason: 'moving abroad' });
      assert.equal(done.res.status, 200);
      const { rows } = await server.db.query('SELECT reason, status FROM deletion_requests WHERE sub = $1', [sub]);
      assert.deepEqual(rows, [{ reason: 'moving abroad', status: 'pending' }]);
      assert.ok(await server.app().accounts.findBySub(sub), 'the account itself stays until an administrator acts');
    });

    test('the data download lists every identity verification: decision, checks, where, the face comparison; not who verified nor ciphertext', async () => {
      // an account of its own: its evidence must not lock the names the other tests change
      const verified = { ...TEST_PERSON, pid: pidWithCheckDigit('310070000002'), phone_number: '0898880002' };
      const vsub = (await server.app().accounts.create(verified)).sub;
      const db = server.db;
      const faceCheck = { score: 0.81, threshold: 0.6, matched: true, model: { name: 'arcface', version: '1' }, against: 'chip_photo' as const };
      const inPerson = await db.tx((q) => recordEvidence(q, { sub: vsub, method: 'in_person', checks: ['chip_read', 'face_match'], documents: [{ type: 'idcard', issuer: 'DOPA', number: '3-1017-xxxxx-xx-9', expiry: '2031-03-14' }], unitHcode: '10699', verifierSub: 'sub-of-the-verifier', decision: 'approved', faceCheck }));
      await db.tx((q) => recordEvidence(q, { sub: vsub, method: 'photo_with_card', checks: ['photo_with_card_review'], documents: [], verifierSub: 'sub-of-the-verifier', decision: 'rejected', reason: 'the card is not readable' }));
      await db.tx((q) => recordEvidence(q, { sub: vsub, method: 'digital_id', checks: ['digital_id_ial_2_3'], documents: [], decision: 'approved', upstream: { provider: 'thaid', issuer: 'https://imauth.bora.dopa.go.th', subject_cipher: 'CIPHERTEXT-OF-THE-SUBJECT', ial: '2.3', granted: '2.3', mapping: { levels: { '2.3': '2.3' }, claims: {} }, smartcard_code_cipher: 'CIPHERTEXT-OF-THE-CODE', smartcard_code_masked: 'JT0-*****-**', verified_at: '2026-12-01T03:00:00.000Z' } }));
      await db.tx((q) => revokeEvidence(q, inPerson, 'sub-of-the-admin', 'the card was reported stolen'));

      const person = new Person(server.url);
      await open(person, '/account/privacy', verified);
      const data = (await (await person.request('/account/privacy/export')).json()) as { identity_verifications: ExportedEvidence[] };
      const list = data.identity_verifications;
      assert.deepEqual(list.map((e) => [e.method, e.decision, e.revoked?.reason ?? null]), [
        ['in_person', 'approved', 'the card was reported stolen'],
        ['photo_with_card', 'rejected', null],
        ['digital_id', 'approved', null],
      ]);
      assert.deepEqual(list[0]!.checks, ['chip_read', 'face_match']);
      assert.equal(list[0]!.unit_hcode, '10699');
      assert.deepEqual(list[0]!.face_check, faceCheck);
      assert.equal(list[0]!.documents[0]!.number, '3-1017-xxxxx-xx-9');
      assert.equal(list[1]!.reason, 'the card is not readable');
      assert.deepEqual([list[2]!.upstream?.provider, list[2]!.upstream?.granted, list[2]!.upstream?.smartcard_code_masked], ['thaid', '2.3', 'JT0-*****-**']);
      assert.ok(list.every((e) => !Number.isNaN(Date.parse(e.verified_at))));
      const text = JSON.stringify(data);
      assert.doesNotMatch(text, /CIPHERTEXT|sub-of-the-verifier|sub-of-the-admin/, 'no ciphertext, and no other person\'s account');
    });

    test('guessing the current password on the security page meets the same back-off as logins', async () => {
      // an account of its own: the back-off must not hold up the other tests, whatever their order
      const guesser = { ...TEST_PERSON, pid: pidWithCheckDigit('310070000001'), phone_number: '0898880001' };
      await server.app().accounts.create(guesser);
      const person = new Person(server.url);
      let page = await open(person, '/account/security', guesser);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        page = await person.submit('/account/password', { csrf: Person.csrf(page.body), current_password: `guess ${i}`, password: 'a brand new passphrase 2', password_confirm: 'a brand new passphrase 2' });
        statuses.push(page.res.status);
      }
      assert.ok(statuses.includes(429), `throttled: ${statuses.join(',')}`);
      assert.ok(await server.app().accounts.verifyPassword(guesser.pid, guesser.password), 'the password is unchanged');
    });
  });
}
