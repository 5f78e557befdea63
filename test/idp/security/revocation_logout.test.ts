// Revoking a person's evidence, by an administrator at /admin or by an operator with `mpid evidence
// revoke`, ends the person's sessions (their cookie no longer reaches the account pages nor logs them
// in silently) and sends the relying party a back-channel logout token it can verify: signed by the
// IdP's keys, for its client, with the sub and sid of the ID token it holds. The IAL the relying party
// receives drops. PGlite is one process's at a time, so there the CLI runs while the server is stopped.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { text } from 'node:stream/consumers';
import path from 'node:path';
import * as jose from 'jose';
import { dbTargets } from '../../helpers/db.ts';
import { pidWithCheckDigit, startTestServer, testDirs, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import { finishConsent, loginForm, outbox, relyingParty, tryPassword, type RelyingParty } from '../../helpers/login.ts';
import { openPglite, type Database } from '../../../src/kernel/db/index.ts';
import type { RunningServer } from '../../../src/idp/server.ts';
import { recordEvidence } from '../../../src/idp/proofing/evidence.ts';

const CLI = path.resolve(import.meta.dirname, '../../../src/idp/cli/main.ts');
const UNITS = path.resolve(import.meta.dirname, '../../../samples/units.csv');
const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
const IAL_CLAIM = JSON.stringify({ id_token: { ial: null } });

/** A relying party's back-channel logout endpoint on loopback (the test zone lets the IdP reach it). */
async function logoutListener() {
  const tokens: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      tokens.push(new URLSearchParams(body).get('logout_token') ?? '');
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { uri: `http://127.0.0.1:${(server.address() as { port: number }).port}/backchannel`, tokens, close: () => new Promise<void>((r) => server.close(() => r())) };
}

for (const target of dbTargets()) {
  describe(`revocation ends sessions and tells relying parties on ${target.name}`, () => {
    let drop: () => Promise<void>;
    let db: Database;
    let url: string | undefined;
    let env: Record<string, string>;
    let server: RunningServer;
    let rp: RelyingParty;
    let listener: Awaited<ReturnType<typeof logoutListener>>;
    const admin = { ...TEST_PERSON, pid: pidWithCheckDigit('310060000001'), phone_number: '0896000001' };

    before(async () => {
      listener = await logoutListener();
      env = testDirs();
      if (target.name === 'pglite') {
        // on disk, so that mpid can open it while the server is stopped
        const dir = path.join(env.DATA_DIR, 'pg');
        db = await openPglite(dir);
        drop = () => db.close();
      } else {
        ({ db, url, drop } = await target.create());
      }
      server = await startTestServer(db, env);
      // the CLI and a restarted server speak as the same issuer, at the same address
      env.ISSUER = server.url;
      env.PORT = new URL(server.url).port;
      const { accounts, units } = server.app();
      await units.importFile(UNITS);
      await accounts.create({ ...admin, phone_verified: true });
      await units.bootstrapAdmin({ pid: admin.pid, operator: 'somchai', reason: 'first admin' });
      rp = await relyingParty(server, { backchannel_logout_uri: listener.uri, backchannel_logout_session_required: true });
    });
    after(async () => {
      await server.close();
      await drop();
      await listener.close();
    });

    /** A citizen at IAL 1.2, logged in to the relying party; returns what the relying party holds. */
    async function citizenLoggedIn(twelve: string) {
      const who = { ...TEST_PERSON, pid: pidWithCheckDigit(twelve), phone_number: `089${twelve.slice(-7)}` };
      const { sub } = await server.app().accounts.create({ ...who, phone_verified: true });
      await server.db.tx((q) => recordEvidence(q, { sub, method: 'register_check', checks: ['register_check'], documents: [], unitHcode: '10699', decision: 'approved' }));
      const browser = new Person(server.url);
      const page = await tryPassword(browser, await loginForm(browser, rp.authUrl({ claims: IAL_CLAIM, prompt: 'consent' })), who.pid, who.password);
      const claims = (await rp.tokens(await finishConsent(browser, page))).claims()!;
      assert.equal(claims.ial, '1.2');
      assert.equal((await browser.request('/account')).status, 200, 'the session reaches the account pages');
      return { who, sub, browser, claims };
    }

    async function assertLoggedOut(c: Awaited<ReturnType<typeof citizenLoggedIn>>, before: number) {
      assert.equal(listener.tokens.length, before + 1, 'one logout token for the one session at this relying party');
      const token = listener.tokens.at(-1)!;
      const { payload, protectedHeader } = await jose.jwtVerify(token, jose.createRemoteJWKSet(new URL(`${server.url}/jwks`)), { issuer: env.ISSUER, audience: rp.clientId, typ: 'logout+jwt' });
      assert.equal(payload.sub, c.claims.sub);
      assert.equal(payload.sid, c.claims.sid, 'the session the relying party knows');
      assert.deepEqual(payload.events, { [BACKCHANNEL_EVENT]: {} });
      assert.equal(payload.nonce, undefined);
      assert.ok(payload.jti && payload.iat);
      assert.ok(protectedHeader.kid);

      const browser = new Person(server.url);
      browser.jar = c.browser.jar;
      assert.equal((await browser.request('/account')).status, 302, 'the session cookie no longer reaches the account pages');
      const silent = await browser.follow(rp.authUrl({ prompt: 'none' }));
      assert.equal(new URL(silent.external!).searchParams.get('error'), 'login_required', 'nor logs the person in silently');

      const again = new Person(server.url);
      const page = await tryPassword(again, await loginForm(again, rp.authUrl({ claims: IAL_CLAIM })), c.who.pid, c.who.password);
      assert.equal((await rp.tokens(await finishConsent(again, page))).claims()!.ial, '1.1', 'a new login carries the dropped IAL');
    }

    test('revoked at /admin: sessions end, the relying party gets a logout token for the session it knows', async () => {
      const c = await citizenLoggedIn('310060000002');
      const before = listener.tokens.length;
      const desk = new Person(server.url);
      let page = await desk.follow('/admin');
      page = await desk.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: admin.pid, password: admin.password });
      page = await desk.submit(Person.action(page.body, '/sms/send'), { csrf: Person.csrf(page.body) });
      page = await desk.submit(Person.action(page.body, '/sms'), { csrf: Person.csrf(page.body), code: (await outbox(server, '+66896000001')).code! });
      assert.equal(page.res.status, 200);
      page = await desk.submit('/admin/evidence', { csrf: Person.csrf(page.body), evidence_pid: c.who.pid, evidence_reason: 'fraud report 12' });
      const revoke = page.body.match(/action="(\/admin\/evidence\/\d+\/revoke)"/)![1]!;
      page = await desk.submit(revoke, { csrf: Person.csrf(page.body), reason: 'card reported stolen' });
      assert.equal(page.res.status, 200);
      await assertLoggedOut(c, before);
    });

    test('revoked with mpid evidence revoke: the same', async () => {
      const c = await citizenLoggedIn('310060000003');
      const before = listener.tokens.length;
      const cliEnv = { ...process.env, ...env, ...(url ? { DATABASE_URL: url } : {}), LOG_LEVEL: 'silent' };
      // asynchronously: the relying party's listener lives in this process and must answer meanwhile
      const mpid = async (args: string[], input: unknown): Promise<unknown> => {
        const child = spawn(process.execPath, [CLI, ...args], { env: cliEnv });
        child.stdin.end(JSON.stringify(input));
        const [stdout, stderr] = await Promise.all([text(child.stdout), text(child.stderr)]);
        const [status] = (await once(child, 'close')) as [number];
        assert.equal(status, 0, `mpid ${args.join(' ')}: ${stderr}`);
        return JSON.parse(stdout);
      };
      const pglite = target.name === 'pglite';
      if (pglite) {
        await server.close();
        await db.close();
      }
      const listed = (await mpid(['evidence', 'list'], { pid: c.who.pid })) as { ial: string; evidence: Array<{ id: number }> };
      assert.equal(listed.ial, '1.2');
      await mpid(['evidence', 'revoke'], { id: listed.evidence[0]!.id, operator: 'somchai', reason: 'card reported stolen' });
      if (pglite) {
        db = await openPglite(path.join(env.DATA_DIR!, 'pg'));
        server = await startTestServer(db, env);
      }
      await assertLoggedOut(c, before);
    });
  });
}
