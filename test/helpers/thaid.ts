// A test server with the stand-in ThaID as its upstream (both on port 0), the stand-in's signing key
// known to the test (to sign ID tokens the real ThaID never would), and a person's walk through the
// stand-in's login page and back to the IdP.
import path from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import assert from 'node:assert/strict';
import type { Middleware } from 'koa';
import { startStandInThaid, type StandInThaid } from '../../src/idp/upstream/stand_in/index.ts';
import type { RunningServer } from '../../src/idp/server.ts';
import { startTestServer, testDirs } from './server.ts';
import { Person } from './person.ts';
import type { DbTarget } from './db.ts';
import { TEST_PERSON } from './server.ts';
import type { SyntheticPerson } from '../../src/kernel/registry/synthetic_population.ts';
import { fromBuddhistDate } from '../../src/kernel/thai/dates.ts';

export const THAID_CLIENT_ID = 'mor-prom-id';

async function signingKey(kid: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { ...(await exportJWK(privateKey)), alg: 'ES256', use: 'sig', kid };
}

export interface WithThaid {
  server: RunningServer;
  standIn: StandInThaid;
  /** the stand-in's private signing key */
  signing: JWK;
  stop(): Promise<void>;
}

/** `auth`: how the IdP authenticates to the stand-in (private_key_jwt with a key file, or a secret). */
export async function startWithThaid(target: DbTarget, o: { auth?: 'client_secret_basic' | 'private_key_jwt'; env?: Record<string, string> } = {}): Promise<WithThaid> {
  const made = await target.create();
  const signing = await signingKey('stand-in-1');
  const standIn = await startStandInThaid({ port: 0, jwks: [signing] });
  const dirs = testDirs();
  let env: Record<string, string>;
  let client: { client_id: string; redirect_uris: string[]; client_secret?: string; jwks?: { keys: JWK[] } };
  if (o.auth === 'private_key_jwt') {
    const key = await signingKey('mpid-thaid-1');
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'mpid-thaid-')), 'thaid-key.json');
    writeFileSync(file, JSON.stringify(key), { mode: 0o600 });
    env = { THAID_CLIENT_AUTH: 'private_key_jwt', THAID_PRIVATE_KEY_FILE: file };
    const { d: _d, ...pub } = key;
    client = { client_id: THAID_CLIENT_ID, redirect_uris: [], jwks: { keys: [pub] } };
  } else {
    const secret = 'stand-in client secret, long enough';
    env = { THAID_CLIENT_SECRET: secret };
    client = { client_id: THAID_CLIENT_ID, redirect_uris: [], client_secret: secret };
  }
  const server = await startTestServer(made.db, { ...dirs, THAID_ISSUER: standIn.issuer, THAID_CLIENT_ID: THAID_CLIENT_ID, ...env, ...o.env });
  standIn.configure({ populationFile: server.config.populationFile, clients: [{ ...client, redirect_uris: [`${server.config.issuer}/upstream/thaid/callback`] }] });
  return {
    server,
    standIn,
    signing,
    stop: async () => {
      await server.close();
      await standIn.close();
      await made.drop();
    },
  };
}

type Page = Awaited<ReturnType<Person['follow']>>;

/**
 * From a redirect to the stand-in (`external`) through its login page, as `pid` at level `ial`, back to
 * the IdP: the IdP's page after its callback. `cancel`: the person cancels at ThaID instead.
 */
export async function throughThaid(person: Person, t: WithThaid, external: string | undefined, pid: string, o: { ial?: string; cancel?: boolean } = {}): Promise<Page> {
  assert.ok(external?.startsWith(t.standIn.issuer), `sent to the stand-in ThaID, got ${external}`);
  const atThaid = new Person(t.standIn.issuer);
  atThaid.jar = person.jar; // one browser: cookies are per host, whatever the port
  const login = await atThaid.follow(external!);
  assert.equal(login.res.status, 200, `stand-in login page: ${login.body.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").slice(-400)}`);
  const action = o.cancel ? Person.action(login.body, '/abort') : Person.action(login.body, '/login');
  const back = await atThaid.submit(new URL(action, login.url).toString(), o.cancel ? {} : { pid, ial: o.ial ?? '2.3' });
  assert.ok(back.external?.startsWith(t.server.url), `back at the IdP, got ${back.res.status} ${back.body.slice(0, 200)}`);
  return person.follow(back.external!);
}

/** A middleware for the stand-in that rewrites the ID token of its token responses. */
export function rewriteIdToken(rewrite: (idToken: string) => Promise<string>): { middleware: Middleware; on: boolean; seen: string[] } {
  const state = {
    on: false,
    seen: [] as string[],
    middleware: (async (ctx, next) => {
      await next();
      if (ctx.path !== '/token' || ctx.status !== 200) return;
      const body = ctx.body as { id_token?: string };
      if (!body?.id_token) return;
      state.seen.push(body.id_token);
      if (state.on) ctx.body = { ...body, id_token: await rewrite(body.id_token) };
    }) as Middleware,
  };
  return state;
}

/** An ID token with these claims signed by `key` (the stand-in's, or another). */
export async function signIdToken(claims: Record<string, unknown>, key: JWK): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: key.kid! }).sign(await importJWK(key, 'ES256'));
}

export const payloadOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
export { signingKey };

/** A citizen of the synthetic register with an account of these names (no English names unless given), logged in on /account/verify. */
export async function citizenAt(t: WithThaid, p: SyntheticPerson, phone: string, names: Partial<{ given_name: string; family_name: string; given_name_en: string }> = {}) {
  const { sub } = await t.server.app().accounts.create({ ...TEST_PERSON, pid: p.pid, given_name: p.givenName, family_name: p.familyName, given_name_en: undefined, family_name_en: undefined, birthdate: fromBuddhistDate(p.birthdateBE), phone_number: phone, phone_verified: true, ...names });
  const person = new Person(t.server.url);
  let page = await person.follow('/account/verify');
  page = await person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: p.pid, password: TEST_PERSON.password });
  assert.equal(page.res.status, 200, page.body.slice(0, 300));
  assert.match(page.body, /ยืนยันตัวตนด้วย ThaID/);
  return { sub, person, page };
}

/** POST the ThaID button of /account/verify and come back through the stand-in. */
export async function verifyWithThaid(t: WithThaid, c: { person: Person; page: { body: string } }, pid: string, o: { ial?: string; cancel?: boolean } = {}) {
  const start = await c.person.submit('/account/verify/digital-id', { csrf: Person.csrf(c.page.body) });
  return throughThaid(c.person, t, start.external, pid, o);
}
