// The IdP's response headers and cookies, as a browser receives them along the real flows (protocol
// endpoints, login and consent, registration, recovery, account pages, consoles, errors, static files):
// a CSP without inline script and frame-ancestors 'none', X-Frame-Options DENY, nosniff, no referrer,
// no inline script in any page; every cookie httpOnly and SameSite=Lax, and Secure when the issuer is
// https behind a TLS-terminating proxy. Headers do not depend on the database: PGlite only.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPglite, type Database } from '../../../src/kernel/db/index.ts';
import type { RunningServer } from '../../../src/idp/server.ts';
import { PRIVACY_NOTICE_VERSION } from '../../../src/idp/account/privacy_notice.ts';
import { freePort, pidWithCheckDigit, startTestServer, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import { finishConsent, relyingParty, tryPassword, loginForm } from '../../helpers/login.ts';

/** A browser that records every response; `https` sends it through a proxy that terminated TLS. */
class RecordingPerson extends Person {
  seen: Array<{ url: string; res: Response; html?: string }> = [];
  https: boolean;

  constructor(base: string, https = false) {
    super(base);
    this.https = https;
  }

  override async request(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url, this.base);
    if (this.https) target.protocol = 'http:';
    const headers = { ...(init.headers as Record<string, string>), ...(this.https ? { 'x-forwarded-proto': 'https' } : {}) };
    const res = await super.request(target, { ...init, headers });
    const html = res.headers.get('content-type')?.startsWith('text/html') ? await res.clone().text() : undefined;
    this.seen.push({ url: `${init.method ?? 'GET'} ${target.pathname}`, res, html });
    return res;
  }
}

/** Walks the flows a person and a relying party take, so every kind of response is seen. */
async function walk(server: RunningServer, person: RecordingPerson, base: string) {
  const rp = await relyingParty(server, {}, person.https ? base : undefined);
  const form = await loginForm(person, rp.authUrl({ prompt: 'consent' }));
  await tryPassword(person, form, TEST_PERSON.pid, 'not the password');
  const consent = await tryPassword(person, form, TEST_PERSON.pid, TEST_PERSON.password);
  const tokens = await rp.tokens(await finishConsent(person, consent));
  await person.follow('/account?lang=en');
  await person.follow('/account/sessions');
  await person.follow('/account/security');
  await person.follow('/verifier');
  await person.follow('/admin');
  const reg = await person.follow('/register');
  await person.submit('/register', {
    csrf: Person.csrf(reg.body), pid: pidWithCheckDigit('310040000001'), title: 'นาง', given_name: 'มาลี', family_name: 'ศรีสุข',
    birth_day: '5', birth_month: '6', birth_year: '2530', phone: '086 444 0001', password: 'river stone quiet lantern',
    password_confirm: 'river stone quiet lantern', accept_privacy: PRIVACY_NOTICE_VERSION,
  });
  const recover = await new RecordingPerson(base, person.https).follow('/recover');
  const stranger = new RecordingPerson(base, person.https);
  const rec = await stranger.follow('/recover');
  await stranger.submit('/recover', { csrf: Person.csrf(rec.body), pid: pidWithCheckDigit('310040000002'), birth_day: '14', birth_month: '3', birth_year: '2528' });
  person.seen.push(...stranger.seen);
  assert.ok(recover.res.ok);
  for (const p of ['/privacy', '/.well-known/openid-configuration', '/jwks', '/session/end', '/healthz', '/static/passkey.js', '/static/app.css', '/no-such-page', '/auth?client_id=nobody', '/test-zone/sms?to=%2B66812345678']) {
    await person.follow(p);
  }
  await person.request('/me', { headers: { authorization: `Bearer ${tokens.access_token}`, accept: 'application/json' } });
  await person.request('/me', { headers: { accept: 'application/json' } });
  await person.request('/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: 'grant_type=nonsense' });
  await person.request('/token/introspection', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: 'token=x' });
}

function checkHeaders(seen: RecordingPerson['seen']) {
  for (const { url, res } of seen) {
    const csp = res.headers.get('content-security-policy');
    assert.ok(csp, `${url} (${res.status}) has a Content-Security-Policy`);
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
    const script = directives.get('script-src') ?? directives.get('default-src');
    assert.ok(script, `${url}: CSP restricts scripts`);
    for (const bad of ["'unsafe-inline'", "'unsafe-eval'", '*', 'data:', 'http:', 'https:']) assert.ok(!script.includes(bad), `${url}: script-src without ${bad}`);
    assert.deepEqual(directives.get('frame-ancestors'), ["'none'"], `${url}: frame-ancestors 'none'`);
    assert.equal(res.headers.get('x-frame-options'), 'DENY', `${url}: X-Frame-Options`);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', `${url}: nosniff`);
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer', `${url}: Referrer-Policy`);
  }
}

function checkCookies(seen: RecordingPerson['seen'], secure: boolean) {
  const cookies = seen.flatMap(({ url, res }) => res.headers.getSetCookie().map((c) => ({ url, c })));
  const names = new Set(cookies.map(({ c }) => c.split('=')[0]!));
  for (const name of ['mpid.session', 'mpid.interaction', 'mpid.resume', 'mpid.csrf', 'mpid.lang', 'mpid.account_login', 'mpid.recovery']) {
    assert.ok([...names].some((n) => n === name || n.startsWith(`${name}`)), `the walk sets ${name} (saw ${[...names].join(', ')})`);
  }
  for (const { url, c } of cookies) {
    const attrs = c.split(';').slice(1).map((a) => a.trim().toLowerCase());
    assert.ok(attrs.includes('httponly'), `${url}: ${c.split('=')[0]} is httpOnly`);
    assert.ok(attrs.includes('samesite=lax'), `${url}: ${c.split('=')[0]} is SameSite=Lax`);
    if (secure) assert.ok(attrs.includes('secure'), `${url}: ${c.split('=')[0]} is Secure on https`);
  }
}

describe('security headers and cookie flags', () => {
  let db: Database;
  let plain: RunningServer;
  let behindProxy: RunningServer;
  let httpsBase: string;

  before(async () => {
    db = await openPglite();
    plain = await startTestServer(db);
    await plain.app().accounts.create({ ...TEST_PERSON, phone_verified: true });
    const port = await freePort();
    httpsBase = `https://localhost:${port}`;
    behindProxy = await startTestServer(db, { PORT: String(port), ISSUER: httpsBase, TRUST_PROXY: 'true' });
    await behindProxy.app().accounts.create({ ...TEST_PERSON, phone_verified: true });
  });
  after(async () => {
    await plain.close();
    await behindProxy.close();
    await db.close();
  });

  test('every response carries the strict headers, and no page has inline script', async () => {
    const person = new RecordingPerson(plain.url);
    await walk(plain, person, plain.url);
    assert.ok(person.seen.length > 30, `walked ${person.seen.length} responses`);
    checkHeaders(person.seen);
    const pages = person.seen.filter((s) => s.html);
    assert.ok(pages.length > 10, `${pages.length} HTML pages`);
    for (const { url, html } of pages as Array<{ url: string; html: string }>) {
      // a JSON data block (the Read card widget's texts) is not executable
      for (const tag of html.match(/<script\b[^>]*>/gi) ?? []) assert.match(tag, /\ssrc=|^<script type="application\/json"[^>]*>$/, `${url}: only scripts from files (${tag})`);
      assert.doesNotMatch(html, /<[^>]+\son[a-z]+\s*=/i, `${url}: no inline event handlers`);
      assert.doesNotMatch(html, /href\s*=\s*["']?javascript:/i, `${url}: no javascript: links`);
    }
  });

  test('every cookie is httpOnly and SameSite=Lax', async () => {
    const person = new RecordingPerson(plain.url);
    await walk(plain, person, plain.url);
    checkCookies(person.seen, false);
  });

  test('with an https issuer behind a trusted proxy every cookie is also Secure, and the headers hold', async () => {
    const person = new RecordingPerson(httpsBase, true);
    await walk(behindProxy, person, httpsBase);
    checkCookies(person.seen, true);
    checkHeaders(person.seen);
  });
});
