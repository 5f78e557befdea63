// Bad input at every route of both services — read from their routers and the IdP's discovery
// document, so a new route is covered without editing this test — logged out and logged in (citizen;
// a doctor who is staff, verifier and administrator; a hospital system's API token). No answer may be
// a 5xx, and both services still answer /healthz afterwards. Fixed seed (FUZZ_SEED to explore others).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import * as oidc from 'openid-client';
import { openPglite } from '../../src/kernel/db/index.ts';
import { startZone, type Zone } from '../helpers/authencode.ts';
import { addClient, pidWithCheckDigit, TEST_PERSON } from '../helpers/server.ts';
import { Person } from '../helpers/person.ts';
import { seedVerifierAtUnit } from '../helpers/proofing.ts';
import { logInStaff, logInThrough } from '../helpers/login_walk.ts';
import { recordEvidence } from '../../src/idp/proofing/evidence.ts';
import { createVisits } from '../../src/authencode/visits/index.ts';
import { loadClaimTypes } from '../../src/authencode/claim_types.ts';
import { loadQrSigner } from '../../src/authencode/qr/index.ts';
import { createPii } from '../../src/kernel/pii/index.ts';
import type { RouteInfo } from '../../src/kernel/http/routes.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261102);
const CASES_PER_ROUTE = Number(process.env.FUZZ_CASES ?? 1);
const KNOWN_ODD_METHODS = ['PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];
const UNKNOWN_METHODS = ['TRACE', 'PROPFIND', 'MKCOL', 'LOCK', 'SEARCH'];

const CITIZEN = { ...TEST_PERSON, pid: pidWithCheckDigit('310110000001'), phone_number: '0861110001', phone_verified: true };
const DOCTOR = TEST_PERSON; // personnel, verifier and administrator at unit 10699

/** mulberry32: small, fast, and the same sequence for the same seed. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  return { next, int, pick: <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!, chance: (p: number) => next() < p, bytes: (n: number) => Buffer.from(Array.from({ length: n }, () => int(0, 255))) };
}
type Rng = ReturnType<typeof rng>;

/** Bytes that are not text: NUL, invalid UTF-8. As bytes, so they travel exactly as they are. */
const NOT_TEXT: Array<(r: Rng) => Buffer | string> = [
  () => 'a\0b',
  () => '\0',
  (r) => r.bytes(r.int(1, 40)),
  () => Buffer.from([0xff, 0xfe, 0xc0, 0xaf]),
  () => Buffer.from([0xed, 0xa0, 0x80]), // an encoded lone surrogate
];

/** Text people and programs should not send. */
const ODD_TEXT: Array<(r: Rng) => Buffer | string> = [
  () => 'abc',
  () => '1e309',
  () => '-1',
  () => '0',
  () => '99999999999999999999999',
  () => '1.5',
  () => 'NaN',
  () => '-'.repeat(36),
  () => '2026-02-30',
  () => '0000-00-00',
  () => '2026-13-01',
  () => "'; DROP TABLE accounts;--",
  () => '<script>alert(1)</script>',
  () => '../../../etc/passwd',
  () => '%00%zz%',
  (r) => 'x'.repeat(r.int(1000, 20000)),
  () => 'ก'.repeat(3000),
  () => '😀\u202e',
  () => '1-2345-67890-12-1',
  () => '+66812345678',
  () => '',
  () => ' ',
  () => '__proto__',
  () => 'constructor',
];

const FIELD_NAMES = [
  'csrf', 'pid', 'password', 'new_password', 'given_name', 'family_name', 'given_name_en', 'family_name_en', 'birth_day', 'birth_month', 'birth_year',
  'phone_number', 'code', 'reason', 'note', 'unit', 'hcode', 'sub', 'name', 'decision', 'face_match', 'evidence_pid', 'evidence_reason',
  'ua_pid', 'ua_hcode', 'ua_reason', 'sp_hcode', 'state', 'from', 'to', 'actor', 'unit_code', 'who', 'relationship', 'mobile', 'family_pid',
  'service_date', 'service_time', 'hn', 'claim_type', 'method', 'card_read', 'card_read_pasted', 'certifier_pid', 'certifier_name', 'cert_reason', 'cancel_reason',
  'action', 'card_status', 'face_compared', 'confirm', 'token', 'token_type_hint', 'client_id', 'client_secret', 'grant_type', 'redirect_uri',
  'scope', 'id_token_hint', 'post_logout_redirect_uri', 'logout', 'xsrf', 'response_type', 'request', 'access_token', 'refresh_token', 'claimType',
];

const QUERY_NAMES = [...FIELD_NAMES, 'day', 'as', 'return', 'ial', 'lang', 'next', 'uid', 'done'];

interface Persona {
  name: string;
  jar: Map<string, string>;
  csrf: { idp?: string; ac?: string };
  bearer?: string;
}

interface Attempt {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: Buffer;
  kind: string;
}

/** Percent-encodes every byte but the unreserved ones: bad bytes reach the server exactly. */
function pct(v: Buffer | string): string {
  const bytes = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
  let out = '';
  for (const b of bytes) out += /[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0').toUpperCase()}`;
  return out;
}

/** Most requests carry text only, so that they get past the edge's NUL check to the routes. */
let notText = false;
function badValue(r: Rng): Buffer | string {
  return r.pick(notText && r.chance(0.3) ? NOT_TEXT : ODD_TEXT)(r);
}

/** In a URL: at most 1500 characters a value, so the request line stays under Node's 16 KiB header limit. */
const inUrl = (v: Buffer | string) => pct(v).slice(0, 1500).replace(/%[0-9A-F]?$/, '');

function formBody(r: Rng, csrf: string | undefined): Buffer {
  const parts: string[] = [];
  if (csrf && r.chance(0.8)) parts.push(`csrf=${pct(csrf)}`);
  for (let i = r.int(1, 6); i > 0; i--) {
    const name = r.chance(0.85) ? r.pick(FIELD_NAMES) : pct(badValue(r));
    const shape = r.int(0, 9);
    if (shape === 0) parts.push(`${name}[a][b]=${pct(badValue(r))}`);
    else if (shape === 1) parts.push(`${name}=${pct(badValue(r))}&${name}=${pct(badValue(r))}`);
    else if (shape === 2) parts.push(name);
    else parts.push(`${name}=${pct(badValue(r))}`);
  }
  return Buffer.from(parts.join('&'), 'latin1');
}

function jsonValue(r: Rng, depth: number): unknown {
  const k = depth > 3 ? r.int(0, 4) : r.int(0, 7);
  switch (k) {
    case 0: return null;
    case 1: return r.pick([0, -1, 1e308, 1.5, 2 ** 53 + 1, true, false]);
    case 2: { const v = badValue(r); return typeof v === 'string' ? v : v.toString('latin1'); }
    case 3: return '\ud800';
    case 4: return 'a\u0000b';
    case 5: return Array.from({ length: r.int(0, 4) }, () => jsonValue(r, depth + 1));
    default: return Object.fromEntries(Array.from({ length: r.int(0, 5) }, () => [r.pick(FIELD_NAMES), jsonValue(r, depth + 1)]));
  }
}

function jsonBody(r: Rng, csrf: string | undefined): Buffer {
  const shape = r.int(0, 5);
  if (shape === 0) return Buffer.from(`${'['.repeat(r.pick([40, 3000]))}${']'.repeat(3000)}`); // deep (and sometimes unbalanced)
  if (shape === 1) return Buffer.from(r.pick(['[]', '"x"', '12', 'null', 'true', '{', '{"a":', '\u0000', '{"a":"\\u0000"}', '{"__proto__":{"x":1}}']));
  const value = jsonValue(r, 0);
  const object = value !== null && typeof value === 'object' && !Array.isArray(value) ? { ...(value as object), ...(csrf && r.chance(0.5) ? { csrf } : {}) } : value;
  return Buffer.from(JSON.stringify(object) ?? 'null');
}

function multipartBody(r: Rng, csrf: string | undefined): { body: Buffer; type: string; kind: string } {
  const boundary = `fuzz${r.int(0, 1e9)}`;
  const parts: Buffer[] = [];
  const field = (name: string, value: Buffer | string) => Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`), Buffer.from(value), Buffer.from('\r\n')]);
  if (csrf && r.chance(0.8)) parts.push(field('csrf', csrf));
  for (let i = r.int(0, 4); i > 0; i--) parts.push(field(r.pick(FIELD_NAMES), badValue(r)));
  const fileName = r.pick(['qr_image', 'photo', 'face_with_card', 'card_front', 'other']);
  parts.push(Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${fileName}"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`), r.chance(0.5) ? Buffer.from('\x89PNG\r\n\x1a\n', 'latin1') : Buffer.alloc(0), r.bytes(r.int(0, 2000))]));
  const shape = r.int(0, 3);
  if (shape === 0) return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}`, kind: 'multipart cut off inside a file part' };
  if (shape === 1) return { body: Buffer.concat([...parts, Buffer.from('\r\n--')]), type: `multipart/form-data; boundary=${boundary}`, kind: 'multipart cut off at a boundary' };
  if (shape === 2) return { body: Buffer.concat([...parts, Buffer.from(`\r\n--${boundary}--\r\n`)]), type: r.pick(['multipart/form-data', `multipart/form-data; boundary=other`]), kind: 'multipart with a wrong boundary' };
  return { body: Buffer.concat([...parts, Buffer.from(`\r\n--${boundary}--\r\n`)]), type: `multipart/form-data; boundary=${boundary}`, kind: 'multipart with bad fields' };
}

/** One bad request at a route: a bad path parameter, query, body and perhaps method. */
function attempt(r: Rng, base: string, route: RouteInfo, method: string, persona: Persona, real: Record<string, string[]>, service: 'idp' | 'ac'): Attempt {
  notText = r.chance(0.3);
  const pathname = route.path.replace(/:(\w+)/g, (_, name: string) => (real[name] && r.chance(0.4) ? encodeURIComponent(r.pick(real[name])) : inUrl(badValue(r)) || 'x'));
  const query = r.chance(0.6) ? `?${Array.from({ length: r.int(1, 4) }, () => `${r.chance(0.8) ? r.pick(QUERY_NAMES) : inUrl(badValue(r))}=${inUrl(badValue(r))}`).join('&')}` : '';
  const url = new URL(base);
  url.pathname = '/';
  const target = new URL(`${url.origin}${pathname}${query}`);
  const csrf = persona.csrf[service];
  const headers: Record<string, string> = { accept: r.pick(['text/html', 'application/json', '*/*']) };
  if (persona.bearer && r.chance(0.8)) headers.authorization = `Bearer ${persona.bearer}`;
  else if (r.chance(0.1)) headers.authorization = r.pick(['Bearer ', 'Bearer a.b.c', 'Basic !!!', `Basic ${Buffer.from('a\0:b').toString('base64')}`]);
  if (csrf && r.chance(0.5)) headers['x-csrf-token'] = csrf;
  const sendsBody = !['GET', 'HEAD'].includes(method) || r.chance(0.1);
  if (!sendsBody) return { method, url: target, headers, kind: 'no body' };
  const kind = r.int(0, 9);
  if (kind <= 3) return { method, url: target, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: formBody(r, csrf), kind: 'form' };
  if (kind <= 5) return { method, url: target, headers: { ...headers, 'content-type': r.pick(['application/json', 'application/json; charset=utf-8', 'application/vnd.api+json']) }, body: jsonBody(r, csrf), kind: 'json' };
  if (kind === 6) {
    const m = multipartBody(r, csrf);
    return { method, url: target, headers: { ...headers, 'content-type': m.type }, body: m.body, kind: m.kind };
  }
  if (kind === 7) return { method, url: target, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from(`a=${'x'.repeat(r.pick([20_000, 70_000]))}`), kind: 'oversize form' };
  const type = r.pick([undefined, 'text/plain', 'application/octet-stream', 'application/json', 'application/x-www-form-urlencoded; charset=utf-16le', 'multipart/form-data']);
  return { method, url: target, headers: { ...headers, ...(type ? { 'content-type': type } : {}) }, body: r.bytes(r.int(0, 3000)), kind: `random bytes as ${type ?? 'no type'}` };
}

/**
 * The same value in every path parameter, every query parameter and every form field a route might
 * read, with a valid CSRF token: whatever the route reads, it reads this (a NUL, an impossible id,
 * day or uuid), logged in or not.
 */
const EVERYWHERE = ['a\0b', '1e309', '2026-02-30', '-'.repeat(36)];

function everywhere(value: string, base: string, route: RouteInfo, method: string, persona: Persona, service: 'idp' | 'ac', multipart = false): Attempt {
  const pathname = route.path.replace(/:(\w+)/g, () => pct(value));
  const url = new URL(`${new URL(base).origin}${pathname}`);
  const headers: Record<string, string> = { accept: 'text/html', ...(persona.bearer ? { authorization: `Bearer ${persona.bearer}` } : {}) };
  const csrf = persona.csrf[service];
  if (method === 'GET') {
    url.search = QUERY_NAMES.map((k) => `${k}=${pct(value)}`).join('&');
    return { method, url, headers, kind: `${JSON.stringify(value)} everywhere` };
  }
  const names = FIELD_NAMES.filter((k) => k !== 'csrf');
  if (multipart) {
    const boundary = 'everywhere';
    const part = (k: string, v: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
    const body = `${csrf ? part('csrf', csrf) : ''}${names.map((k) => part(k, value)).join('')}--${boundary}--\r\n`;
    return { method, url, headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` }, body: Buffer.from(body), kind: `${JSON.stringify(value)} everywhere (multipart)` };
  }
  const fields = names.map((k) => `${k}=${pct(value)}`);
  if (csrf) fields.push(`csrf=${pct(csrf)}`);
  return { method, url, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from(fields.join('&')), kind: `${JSON.stringify(value)} everywhere` };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/** A raw request (any method, any bytes); the status, or what went wrong on the way. */
function send(a: Attempt, jar: Map<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const req = http.request(
      { agent, host: a.url.hostname, port: a.url.port, method: a.method, path: `${a.url.pathname}${a.url.search}`, headers: { ...a.headers, ...(cookie ? { cookie } : {}), ...(a.body ? { 'content-length': String(a.body.length) } : {}) }, timeout: 20_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.length < 4 && chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, 300) }));
        res.on('error', () => resolve({ status: res.statusCode ?? 0, body: '' }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer in 20 s')));
    // the server may answer (413, 415) and close before it has read everything: that is an answer
    req.on('error', (err) => resolve({ status: -1, body: err.message }));
    req.end(a.body);
  });
}

describe('fuzzing every route of both services', () => {
  let zone: Zone;
  const personas: Persona[] = [];
  const real: Record<string, string[]> = {};
  let oidcEndpoints: RouteInfo[] = [];

  before(async () => {
    zone = await startZone(await openPglite(), process.env.FUZZ_DEBUG ? { LOG_LEVEL: 'error' } : {});
    const { idp, ac } = zone;
    await seedVerifierAtUnit(idp);
    const { accounts, units } = idp.app();
    await units.bootstrapAdmin({ pid: DOCTOR.pid, operator: 'somchai', reason: 'fuzz test' });
    const citizen = (await accounts.create(CITIZEN)).sub;
    const evidence = await idp.db.tx((q) => recordEvidence(q, { sub: citizen, method: 'register_check', checks: ['register_check'], documents: [], unitHcode: '10699', decision: 'approved' }));

    const anonymous: Persona = { name: 'logged out', jar: new Map(), csrf: {} };
    // an interaction in progress, for the /interaction/:uid routes
    const browsing = new Person(ac.url);
    browsing.jar = anonymous.jar;
    let res = await browsing.request('/login?as=citizen');
    res = await browsing.request(res.headers.get('location')!);
    const interaction = new URL(res.headers.get('location')!, idp.url).pathname.split('/')[2]!;
    anonymous.csrf.ac = Person.csrf((await browsing.follow('/visit')).body);

    const citizenAt = new Person(idp.url);
    await logInThrough(citizenAt, idp.url, `${idp.url}/account`, CITIZEN, `${idp.url}/account`);
    await logInThrough(citizenAt, idp.url, `${ac.url}/login?as=citizen`, CITIZEN, `${ac.url}/visit`);
    const doctorAt = new Person(idp.url);
    const adminPage = await logInThrough(doctorAt, idp.url, `${idp.url}/admin`, DOCTOR, `${idp.url}/admin`);
    assert.match(adminPage, /evidence_pid/, 'the doctor is an administrator');
    await logInStaff(doctorAt, idp.url, ac.url, DOCTOR, '10699');
    const csrfAt = async (p: Person, url: string) => Person.csrf((await p.follow(url)).body);
    personas.push(
      anonymous,
      { name: 'citizen', jar: citizenAt.jar, csrf: { idp: await csrfAt(citizenAt, `${idp.url}/account`), ac: await csrfAt(citizenAt, `${ac.url}/visit`) } },
      { name: 'staff, verifier and administrator', jar: doctorAt.jar, csrf: { idp: await csrfAt(doctorAt, `${idp.url}/admin`), ac: await csrfAt(doctorAt, `${ac.url}/staff`) } },
    );

    const his = await addClient(idp, { client_id: 'his-fuzz', grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'openid', hcode: '10699' });
    const hisRp = await oidc.discovery(new URL(idp.url), his.client_id, his.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
    const bearer = (await oidc.clientCredentialsGrant(hisRp, { resource: ac.config.apiAudience, scope: 'authencode' })).access_token;
    personas.push({ name: 'hospital system', jar: new Map(), csrf: {}, bearer });

    const visits = createVisits(ac.db, createPii(ac.config.piiKey), await loadClaimTypes(ac.db));
    const visit = await visits.confirmNew({ pid: CITIZEN.pid, hcode: '10699', claimType: 'PG0060001', serviceAt: new Date(), mobiles: ['0861110001'], method: 'certification', actor: 'sub:fuzz' });
    const qr = await loadQrSigner(ac.config.qrKeyFile);
    Object.assign(real, {
      uid: [interaction],
      id: [String(evidence), visit.visit.id, '1'],
      pid: [CITIZEN.pid],
      token: [await qr.sign('10699', 'PG0060001', 3600)],
      name: ['app.css'],
      file: ['PG0060001.png'],
      which: ['face', 'card'],
    });

    // oidc-provider's own routes: every endpoint its discovery document names (and the logout form's target)
    const discovery = (await (await fetch(`${idp.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    const endpoints = Object.entries(discovery).filter(([k, v]) => (k.endsWith('_endpoint') || k === 'jwks_uri') && typeof v === 'string').map(([, v]) => new URL(v as string).pathname);
    oidcEndpoints = [...endpoints, '/.well-known/openid-configuration', `${new URL(discovery.end_session_endpoint as string).pathname}/confirm`].map((p) => ({ path: p, methods: ['GET', 'POST'] }));
  });
  after(async () => {
    agent.destroy();
    await zone.close();
    await zone.idp.db.close();
  });

  test('no bad request gets a 5xx, and both services are still up', async () => {
    const r = rng(SEED);
    const targets = [
      ...zone.idp.app().routes.map((route) => ({ route, base: zone.idp.url, service: 'idp' as const })),
      ...oidcEndpoints.map((route) => ({ route, base: zone.idp.url, service: 'idp' as const })),
      ...zone.ac.routes.map((route) => ({ route, base: zone.ac.url, service: 'ac' as const })),
    ];
    assert.ok(targets.length > 100, `routes read from the routers: ${targets.length}`);
    // routes that may end a session (or an account) run last, so the other routes are tried logged in
    const rank = (p: string) => (/logout|end-all|delete|session\/end/.test(p) ? 2 : /\/end$|withdraw|revoke/.test(p) ? 1 : 0);
    targets.sort((a, b) => rank(a.route.path) - rank(b.route.path));

    const failures: string[] = [];
    const statuses = new Map<string, number>();
    let sent = 0;
    for (const persona of personas) {
      const mine = persona.bearer ? targets.filter((t) => t.route.path.startsWith('/api') || t.route.path.startsWith('/token')) : targets;
      const attempts: Attempt[] = [];
      for (const { route, base, service } of mine) {
        for (const method of route.methods) {
          for (const value of EVERYWHERE) attempts.push(everywhere(value, base, route, method, persona, service));
          // upload forms read multipart: their text fields too
          if (method === 'POST') for (const value of [EVERYWHERE[0]!, EVERYWHERE[2]!]) attempts.push(everywhere(value, base, route, method, persona, service, true));
          for (let i = 0; i < CASES_PER_ROUTE; i++) attempts.push(attempt(r, base, route, method, persona, real, service));
        }
        const odd = [...KNOWN_ODD_METHODS, ...UNKNOWN_METHODS];
        attempts.push(attempt(r, base, route, r.pick(odd), persona, real, service));
      }
      // a few at a time, as browsers and systems do
      for (let i = 0; i < attempts.length; i += 4) {
        const batch = attempts.slice(i, i + 4);
        const answers = await Promise.all(batch.map((a) => send(a, persona.jar)));
        answers.forEach((answer, j) => {
          const a = batch[j]!;
          if (process.env.FUZZ_DEBUG) statuses.set(`${persona.name} ${answer.status}`, (statuses.get(`${persona.name} ${answer.status}`) ?? 0) + 1);
          if (answer.status >= 500 || answer.status < 0) failures.push(`${persona.name}: ${a.method} ${a.url.pathname.slice(0, 120)}${a.url.search.slice(0, 80)} [${a.kind}] → ${answer.status} ${answer.body.replace(/\s+/g, ' ').slice(0, 160)}`);
        });
        sent += batch.length;
      }
    }
    if (process.env.FUZZ_DEBUG) console.log([...statuses].sort().map(([k, n]) => `${k}: ${n}`).join('\n'));
    assert.ok(sent >= 500, `requests sent: ${sent}`);
    assert.deepEqual(failures.slice(0, 40), [], `${failures.length} of ${sent} bad requests got a 5xx or no answer`);
    for (const base of [zone.idp.url, zone.ac.url]) assert.equal((await fetch(`${base}/healthz`)).status, 200, `${base} is still up`);
  });
});
