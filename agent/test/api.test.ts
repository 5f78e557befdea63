// The agent as hospital systems and Mor Prom ID pages meet it: `node src/main.ts start` in a child
// process against a private pcscd with emulated Thai ID cards (test/helpers/pcsc.ts), and small
// stand-ins for the IdP and Authen Code on free ports (the real ones are exercised end to end in the
// main project).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as jose from 'jose';
import { fixtures, startPcsc, type Pcsc } from './helpers/pcsc.ts';
import { assertSpring, freePort, json, listen, raw, run } from './helpers/agent_process.ts';

const AGENT_ID = 'agent-0123456789abcdef';
const HCODE = '10669';
const somchai = fixtures.somchai;
const agentDir = join(import.meta.dirname, '..');


describe('the agent program', () => {
  let pcsc: Pcsc;
  let agent: ChildProcess;
  let port: number;
  let base: string;
  let env: Record<string, string>;
  let dataDir: string;
  const logs: string[] = [];
  const seen = { pair: [] as Record<string, unknown>[], tokens: 0, registered: 0, probes: 0, latest: 0, bearers: [] as string[] };
  let idp: { server: Server; url: string };
  let authencode: { server: Server; url: string };
  let agentJwk: jose.JWK | undefined;

  before(async () => {
    pcsc = await startPcsc();
    idp = await listen(async (req, res, body) => {
      if (req.url === '/api/card-agents/pair' && req.method === 'POST') {
        const b = JSON.parse(body) as Record<string, unknown>;
        seen.pair.push(b);
        if (String(b.code).toUpperCase().replace(/[\s-]/g, '') !== 'ABCDEFGH') return json(res, 400, { error: 'invalid_grant', error_description: 'the pairing code is not valid (used, expired or mistyped)' });
        agentJwk = b.jwk as jose.JWK;
        return json(res, 201, { agent_id: AGENT_ID, hcode: HCODE, unit_name: 'โรงพยาบาลทดสอบ', issuer: idp.url, token_endpoint: `${idp.url}/token` });
      }
      if (req.url === '/token' && req.method === 'POST') {
        const form = new URLSearchParams(body);
        try {
          const { payload } = await jose.jwtVerify(form.get('client_assertion') ?? '', await jose.importJWK(agentJwk!, 'ES256'));
          assert.equal(payload.sub, AGENT_ID);
          assert.equal(form.get('grant_type'), 'client_credentials');
          assert.equal(form.get('resource'), `${authencode.url}/api`);
          assert.equal(form.get('scope'), 'authencode');
        } catch (err) {
          return json(res, 401, { error: 'invalid_client', error_description: String(err) });
        }
        seen.tokens++;
        return json(res, 200, { access_token: `token-${seen.tokens}`, token_type: 'Bearer', expires_in: 300 });
      }
      json(res, 404, {});
    });
    authencode = await listen((req, res, body) => {
      const bearer = req.headers.authorization ?? '';
      seen.bearers.push(bearer);
      if (!/^Bearer token-\d+$/.test(bearer)) return json(res, 401, { status: 401, message: 'no token' });
      if (req.url === '/api/card-agents/register') {
        seen.registered++;
        assert.deepEqual(JSON.parse(body).jwk, agentJwk);
        return json(res, 200, { agent_id: AGENT_ID, hcode: HCODE, lease_until: '2026-01-05T11:00:00+07:00' });
      }
      if (req.url === `/api/smartcard/probe/${somchai.pid}`) {
        seen.probes++;
        return json(res, 200, { pid: somchai.pid, titleName: 'register title', fname: 'register name', lname: 'x', nation: '099', birthDate: '25250315', sex: '1', transDate: '2026-01-05T10:00:00', mainInscl: '(UCS) สิทธิหลักประกันสุขภาพแห่งชาติ', subInscl: '(89) ช่วงอายุ 12-59 ปี', age: '43 ปี 9 เดือน 21 วัน', checkDate: '2026-01-05T10:00:00', claimTypes: [{ claimType: 'PG0060001', claimTypeName: 'เข้ารับบริการรักษาทั่วไป' }], correlationId: 'c0ffee00-0000-4000-8000-000000000001', hospMain: { hcode: HCODE, hname: 'รพ.' }, hospSub: { hcode: HCODE, hname: 'รพ.' }, hospMainOp: { hcode: HCODE, hname: 'รพ.' }, paidModel: null, startDateTime: null });
      }
      if (req.url === '/api/nhso-service/confirm-save' && req.method === 'POST') {
        const b = JSON.parse(body);
        return json(res, 201, { pid: b.pid, claimType: b.claimType, correlationId: b.correlationId, createdDate: '2026-01-05T10:01:00', claimCode: 'PP1234567890' });
      }
      if (req.url === `/api/nhso-service/latest-authen-code/${somchai.pid}`) {
        seen.latest++;
        // the first token is refused once: the agent fetches a fresh one and asks again
        if (seen.latest === 1) return json(res, 401, { status: 401, message: 'expired token' });
        return json(res, 200, { claimType: 'PG0060001', claimCode: 'PP1234567890', hcode: HCODE, claimDateTime: '2026-01-05T10:01:00', checkDate: '2026-01-05T10:00:00' });
      }
      json(res, 404, { status: 404, message: 'no such endpoint' });
    });

    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    dataDir = mkdtempSync(join(tmpdir(), 'mpid-agent-data-'));
    env = { ...pcsc.env, MPID_AGENT_PORT: String(port), MPID_AGENT_DATA_DIR: dataDir, MPID_AGENT_IDP_URL: idp.url, MPID_AGENT_AUTHENCODE_URL: authencode.url, MPID_AGENT_LOG_LEVEL: 'info' };
    agent = spawn(process.execPath, ['src/main.ts', 'start'], { cwd: agentDir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let partial = '';
    agent.stdout!.on('data', (c: Buffer) => {
      partial += c.toString();
      const lines = partial.split('\n');
      partial = lines.pop()!;
      logs.push(...lines);
    });
    for (let i = 0; ; i++) {
      try {
        const r = await fetch(`${base}/api/status`);
        if (r.ok && (await r.json()).pcsc) break;
      } catch {
        /* not listening yet */
      }
      if (i > 100 || agent.exitCode !== null) throw new Error(`the agent did not start: ${logs.join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  after(async () => {
    agent?.kill('SIGTERM');
    await pcsc?.stop();
    idp?.server.close();
    authencode?.server.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists the readers, without a card', async () => {
    const r = await fetch(`${base}/api/smartcard/terminals`);
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), [{ terminalName: pcsc.readerName(0), isPresent: false }, { terminalName: pcsc.readerName(1), isPresent: false }]);
  });

  it('no card: 500 in the Spring shape', async () => {
    const r = await fetch(`${base}/api/smartcard/read-card-only?readImageFlag=false`);
    assert.equal(r.status, 500);
    assertSpring(await r.json(), 500, 'no_card');
  });

  it('not paired: 503 not_paired for card-read and read', async () => {
    const r = await fetch(`${base}/api/mpid/card-read`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ nonce: 'a'.repeat(32), readImage: true }) });
    assert.equal(r.status, 503);
    const body = await r.json();
    assert.equal(body.error, 'not_paired');
    assert.equal(body.code, 'not_paired');
    const read = await fetch(`${base}/api/smartcard/read`);
    assert.equal(read.status, 503);
    assertSpring(await read.json(), 503, 'not_paired');
  });

  it('reads the card only, with and without the image', async () => {
    await pcsc.insert({ fixture: 'somchai' }, 0);
    const t = await (await fetch(`${base}/api/smartcard/terminals`)).json();
    assert.deepEqual(t[0], { terminalName: pcsc.readerName(0), isPresent: true });
    const r = await fetch(`${base}/api/smartcard/read-card-only?readImageFlag=false`);
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { pid: somchai.pid, titleName: 'นาย', fname: 'สมชาย', lname: 'ใจดี', birthDate: '25250315', sex: '1', nation: '099' });
    const withImage = await (await fetch(`${base}/api/smartcard/read-card-only?readImageFlag=true`)).json();
    assert.equal(withImage.image, somchai.photo.toString('base64'));
    assert.equal(Buffer.from(withImage.image, 'base64').subarray(0, 2).toString('hex'), 'ffd8');
    const bad = await fetch(`${base}/api/smartcard/read-card-only?readImageFlag=maybe`);
    assert.equal(bad.status, 400);
    assertSpring(await bad.json(), 400, 'invalid_request');
  });

  it('refuses a Host that is not the agent on loopback (421)', async () => {
    const r = await raw(port, { path: '/api/smartcard/terminals', headers: { host: `evil.example:${port}` } });
    assert.equal(r.status, 421);
    assertSpring(JSON.parse(r.body), 421, 'misdirected_request');
    assert.equal((await raw(port, { path: '/api/status', headers: { host: `localhost:${port}` } })).status, 200);
  });

  it('refuses a foreign Origin (403) before touching the card', async () => {
    const before = logs.filter((l) => l.includes('"card read"')).length;
    const r = await fetch(`${base}/api/smartcard/read-card-only`, { headers: { origin: 'https://evil.example' } });
    assert.equal(r.status, 403);
    assertSpring(await r.json(), 403, 'origin_not_allowed');
    assert.equal(r.headers.get('access-control-allow-origin'), null);
    const post = await fetch(`${base}/api/mpid/card-read`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, body: JSON.stringify({ nonce: 'a'.repeat(32) }) });
    assert.equal(post.status, 403);
    const hidden = await fetch(`${base}/api/smartcard/read-card-only`, { headers: { 'sec-fetch-site': 'cross-site' } });
    assert.equal(hidden.status, 403);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(logs.filter((l) => l.includes('"card read"')).length, before);
  });

  it('answers CORS preflight with Private Network Access for allowed origins only', async () => {
    const headers = { origin: idp.url, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type', 'access-control-request-private-network': 'true' };
    const r = await fetch(`${base}/api/mpid/card-read`, { method: 'OPTIONS', headers });
    assert.equal(r.status, 204);
    assert.equal(r.headers.get('access-control-allow-origin'), idp.url);
    assert.equal(r.headers.get('access-control-allow-private-network'), 'true');
    assert.match(r.headers.get('access-control-allow-methods')!, /POST/);
    assert.match(r.headers.get('access-control-allow-headers')!, /content-type/);
    const foreign = await fetch(`${base}/api/mpid/card-read`, { method: 'OPTIONS', headers: { ...headers, origin: 'https://evil.example' } });
    assert.equal(foreign.status, 403);
    assert.equal(foreign.headers.get('access-control-allow-private-network'), null);
    assert.equal(foreign.headers.get('access-control-allow-origin'), null);
  });

  it('pairing from a web page is refused; a wrong code is told', async () => {
    const page = await fetch(`${base}/api/mpid/pair`, { method: 'POST', headers: { origin: idp.url, 'content-type': 'application/json' }, body: JSON.stringify({ code: 'ABCD-EFGH' }) });
    assert.equal(page.status, 403);
    const wrong = await run(['pair', 'WXYZ-0000'], env);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /^mpid-card-agent: pairing refused: the pairing code is not valid/);
  });

  it('pairs through the running service, which registers at Authen Code', async () => {
    const r = await run(['pair', 'ABCD-EFGH', '--name', 'Counter 3'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /paired with Mor Prom ID \(through the running agent\): unit โรงพยาบาลทดสอบ \(10669\), agent agent-0123456789abcdef/);
    assert.match(r.stdout, /registered at Authen Code until 2026-01-05T11:00:00\+07:00/);
    const p = seen.pair.at(-1)!;
    assert.deepEqual(Object.keys(p).sort(), ['code', 'jwk', 'name', 'version']);
    assert.equal(p.name, 'Counter 3');
    assert.equal((p.jwk as jose.JWK).d, undefined);
    assert.equal(seen.registered, 1);
    const status = await (await fetch(`${base}/api/status`)).json();
    assert.deepEqual(status.pairing, { paired: true, agent_id: AGENT_ID, hcode: HCODE, unit_name: 'โรงพยาบาลทดสอบ', paired_at: status.pairing.paired_at });
    assert.equal(status.lease.until, '2026-01-05T11:00:00+07:00');
    const cli = await run(['status'], env);
    assert.equal(cli.code, 0);
    assert.match(cli.stdout, /paired: โรงพยาบาลทดสอบ \(10669\)/);
  });

  it('card-read: a document signed by the agent key, carrying the nonce, for an allowed origin', async () => {
    const nonce = 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA';
    const r = await fetch(`${base}/api/mpid/card-read`, { method: 'POST', headers: { origin: idp.url, 'content-type': 'application/json' }, body: JSON.stringify({ nonce, readImage: true }) });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('access-control-allow-origin'), idp.url);
    const body = await r.json();
    assert.equal(body.reader, pcsc.readerName(0));
    // what the services' card-read.js reads
    assert.equal(body.card.pid, somchai.pid);
    assert.equal(body.card.given_name_th, 'สมชาย');
    assert.equal(body.card.birthdate_be, '25250315');
    assert.equal(body.card.expiry_date_be, somchai.expiry_date_be);
    assert.equal(body.card.photo, somchai.photo.toString('base64'));
    const { payload, protectedHeader } = await jose.compactVerify(body.document, await jose.importJWK(agentJwk!, 'ES256'));
    assert.deepEqual(protectedHeader, { alg: 'ES256', typ: 'card-read+jwt', kid: AGENT_ID });
    const p = JSON.parse(new TextDecoder().decode(payload));
    assert.equal(p.nonce, nonce);
    assert.equal(p.iss, `agent:${AGENT_ID}`);
    assert.equal(p.hcode, HCODE);
    assert.equal(p.exp - p.iat, 120);
    assert.equal(p.card.pid, somchai.pid);
    assert.equal(p.card.chip_photo, somchai.photo.toString('base64'));
    const noNonce = await fetch(`${base}/api/mpid/card-read`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ nonce: 'short' }) });
    assert.equal(noNonce.status, 400);
    assert.equal((await noNonce.json()).code, 'invalid_request');
  });

  it('read: the card with its entitlement from Authen Code', async () => {
    const r = await fetch(`${base}/api/smartcard/read?readImageFlag=false`);
    assert.equal(r.status, 200);
    const body = await r.json();
    assert.equal(body.pid, somchai.pid);
    assert.equal(body.fname, 'สมชาย', 'the person comes from the chip');
    assert.equal(body.titleName, 'นาย');
    assert.equal(body.mainInscl, '(UCS) สิทธิหลักประกันสุขภาพแห่งชาติ');
    assert.equal(body.correlationId, 'c0ffee00-0000-4000-8000-000000000001');
    assert.deepEqual(body.claimTypes, [{ claimType: 'PG0060001', claimTypeName: 'เข้ารับบริการรักษาทั่วไป' }]);
    assert.equal(body.image, undefined);
    assert.equal(seen.probes, 1);
  });

  it('forwards nhso-service calls with the agent token; once more with a fresh token after a 401', async () => {
    const save = await fetch(`${base}/api/nhso-service/confirm-save`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pid: somchai.pid, claimType: 'PG0060001', mobile: '0812345678', correlationId: 'c0ffee00-0000-4000-8000-000000000001' }) });
    assert.equal(save.status, 201);
    assert.equal((await save.json()).claimCode, 'PP1234567890');
    const tokensBefore = seen.tokens;
    const latest = await fetch(`${base}/api/nhso-service/latest-authen-code/${somchai.pid}`);
    assert.equal(latest.status, 200);
    assert.equal((await latest.json()).claimCode, 'PP1234567890');
    assert.equal(seen.tokens, tokensBefore + 1);
    const bad = await fetch(`${base}/api/nhso-service/latest-authen-code/123`);
    assert.equal(bad.status, 400);
    assert.equal((await fetch(`${base}/api/preference`).then((r) => r.json())).token, null);
    assert.equal((await fetch(`${base}/api/openapi.json`).then((r) => r.json())).openapi, '3.1.0');
  });

  it('the status page: bilingual, strict CSP, no person data', async () => {
    const r = await fetch(`${base}/`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-security-policy')!, /default-src 'none'/);
    assert.doesNotMatch(r.headers.get('content-security-policy')!, /script-src|unsafe-inline/);
    const html = await r.text();
    assert.match(html, /เครื่องอ่านบัตร/);
    assert.match(html, /Card readers/);
    assert.doesNotMatch(html, /<script/i);
    for (const secret of [somchai.pid, 'สมชาย', 'ใจดี', 'Somchai', 'Jaidee']) assert.ok(!html.includes(secret), `the page shows ${secret}`);
    const status = JSON.stringify(await (await fetch(`${base}/api/status`)).json());
    for (const secret of [somchai.pid, 'สมชาย', 'Somchai']) assert.ok(!status.includes(secret));
    assert.equal((await fetch(`${base}/status.css`)).status, 200);
  });

  it('Authen Code down: 503 entitlement_unavailable after the read, 502 for forwarded calls', async () => {
    await new Promise((r) => { authencode.server.close(r); authencode.server.closeAllConnections(); });
    const r = await fetch(`${base}/api/smartcard/read`);
    assert.equal(r.status, 503);
    const body = await r.json();
    assertSpring(body, 503, 'entitlement_unavailable');
    assert.match(body.message, /the card was read but the entitlement could not be checked/);
    const f = await fetch(`${base}/api/nhso-service/latest-5-authen-code-all-hospital/${somchai.pid}`);
    assert.equal(f.status, 502);
    const fb = await f.json();
    assertSpring(fb, 502, 'authencode_unreachable');
    assert.equal(fb.path, '/api/nhso-service/latest-5-authen-code-all-hospital/{pid}');
  });

  it('a busy port: one line and exit code 1', async () => {
    const r = await run(['start'], env);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`^mpid-card-agent: port ${port} on 127\\.0\\.0\\.1 is in use`));
  });

  it('pcscd stopped: 418 no reader', async () => {
    await pcsc.stopDaemon();
    await new Promise((r) => setTimeout(r, 500));
    const t = await fetch(`${base}/api/smartcard/terminals`);
    assert.equal(t.status, 418);
    assertSpring(await t.json(), 418, 'pcsc_unavailable');
    const read = await fetch(`${base}/api/smartcard/read-card-only`);
    assert.equal(read.status, 418);
    const status = await (await fetch(`${base}/api/status`)).json();
    assert.equal(status.pcsc, false);
  });

  it('pair with no service running: pairs directly, writing the same files', async () => {
    agent.kill('SIGTERM');
    await new Promise((r) => agent.once('exit', r));
    const fresh = mkdtempSync(join(tmpdir(), 'mpid-agent-data-'));
    try {
      const r = await run(['pair', 'abcd efgh'], { ...env, MPID_AGENT_DATA_DIR: fresh });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /paired with Mor Prom ID \(directly; start the agent to serve card reads\)/);
      assert.match(r.stdout, /not registered at Authen Code yet: Authen Code at .* cannot be reached/);
      const p = JSON.parse(readFileSync(join(fresh, 'pairing.json'), 'utf8'));
      assert.equal(p.agent_id, AGENT_ID);
      assert.equal(statSync(join(fresh, 'pairing.json')).mode & 0o777, 0o600);
      assert.equal(statSync(join(fresh, 'agent-key.pem')).mode & 0o777, 0o600);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('never logs an ID number, a name or a token', () => {
    const all = logs.join('\n');
    assert.ok(logs.length > 10);
    for (const secret of [somchai.pid, 'สมชาย', 'Somchai', 'token-1', 'ABCD-EFGH']) assert.ok(!all.includes(secret), `the log has ${secret}`);
    for (const line of logs) JSON.parse(line);
  });
});
