// Server mode as operators run it: the IdP through PgBouncer (Debian's `pgbouncer`, as .ci/run installs
// it) in transaction pooling mode, with fewer server connections than the IdP's pool, so consecutive
// statements of one request land on different server connections (no session state may be relied on);
// migrations go to PostgreSQL directly (MIGRATION_DATABASE_URL). Then PostgreSQL restarts while the
// IdP serves: requests during the outage fail fast with 503 and an OIDC error object or the error page,
// never a 500, and the same process serves again when PostgreSQL is back.
// PostgreSQL only (PgBouncer and restarts are server things); a cluster of its own, since it is restarted.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPostgres, type Database } from '../../src/kernel/db/index.ts';
import type { RunningServer } from '../../src/idp/server.ts';
import { addClient, freePort, startTestServer, TEST_PERSON } from '../helpers/server.ts';
import { relyingParty, sleep } from '../helpers/login.ts';
import { Person } from '../helpers/person.ts';

const root = path.resolve(import.meta.dirname, '../..');
const script = path.join(root, 'scripts/throwaway-pg.sh');
const PGBOUNCER = process.env.PGBOUNCER_PATH ?? '/usr/sbin/pgbouncer';
const asRoot = process.getuid?.() === 0;

function pg(cmd: 'start' | 'stop' | 'pause' | 'resume', dir: string): string {
  const r = spawnSync('bash', [script, cmd, dir], { encoding: 'utf8' });
  assert.equal(r.status, 0, `throwaway-pg.sh ${cmd}: ${r.stderr}`);
  return r.stdout.trim();
}

async function startPgbouncer(dir: string, pgPort: number): Promise<{ url: string; process: ChildProcess; log: string[] }> {
  const port = await freePort();
  writeFileSync(path.join(dir, 'userlist.txt'), '"postgres" ""\n');
  writeFileSync(path.join(dir, 'pgbouncer.ini'), `[databases]
* = host=127.0.0.1 port=${pgPort}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_type = trust
auth_file = ${path.join(dir, 'userlist.txt')}
pool_mode = transaction
default_pool_size = 2
max_client_conn = 100
admin_users = postgres
server_connect_timeout = 2
query_wait_timeout = 5
`);
  // PgBouncer refuses to run as root: as the postgres system user then, as the cluster's own binaries
  if (asRoot) {
    const pw = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'))!.split(':');
    for (const f of ['', 'userlist.txt', 'pgbouncer.ini']) chownSync(path.join(dir, f), Number(pw[2]), Number(pw[3]));
    chmodSync(dir, 0o755);
  }
  const cmd = asRoot ? ['runuser', ['-u', 'postgres', '--', PGBOUNCER, path.join(dir, 'pgbouncer.ini')]] as const : [PGBOUNCER, [path.join(dir, 'pgbouncer.ini')]] as const;
  const child = spawn(cmd[0], [...cmd[1]], { stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  child.stdout!.on('data', (d: Buffer) => log.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => log.push(d.toString()));
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  for (let i = 0; i < 100; i++) {
    const probe = openPostgres(url, 1);
    try {
      await probe.query('SELECT 1');
      return { url, process: child, log };
    } catch {
      await sleep(100);
    } finally {
      await probe.close();
    }
  }
  child.kill();
  throw new Error(`pgbouncer did not start: ${log.join('')}`);
}

async function cc(server: RunningServer, client: { client_id: string; client_secret?: string }) {
  const started = performance.now();
  const res = await fetch(`${server.url}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  return { status: res.status, body: (await res.json()) as Record<string, string>, ms: performance.now() - started, retryAfter: res.headers.get('retry-after') };
}

const missing = !existsSync(PGBOUNCER) ? `no ${PGBOUNCER} (apt-get install pgbouncer; .ci/run installs it)` : undefined;

describe('PostgreSQL through PgBouncer, and a PostgreSQL restart during service', { skip: missing }, () => {
  let dir: string;
  let directUrl: string;
  let bouncer: Awaited<ReturnType<typeof startPgbouncer>>;
  let db: Database;
  let server: RunningServer;
  let namedRefused = 0;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mpid-pgb-'));
    chmodSync(dir, 0o755); // the postgres system user reaches the cluster inside
    directUrl = pg('start', path.join(dir, 'pg'));
    bouncer = await startPgbouncer(dir, Number(new URL(directUrl).port));
    // named statements on, as by default: PgBouncer 1.18 in transaction mode refuses them, and the first
    // refusal turns them off for the process (the statement is run again, unnamed)
    db = openPostgres(bouncer.url, 8, { onNamedRefused: () => namedRefused++ });
    server = await startTestServer(db, { MIGRATION_DATABASE_URL: directUrl });
    await server.app().accounts.create({ ...TEST_PERSON, phone_verified: true });
  });

  after(async () => {
    await server?.close();
    await db?.close();
    bouncer?.process.kill();
    if (dir) {
      pg('stop', path.join(dir, 'pg'));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('logins, refresh and client credentials in parallel through the transaction pooler', async () => {
    // the migrations were applied on the direct connection: the schema is there
    const direct = openPostgres(directUrl, 1);
    try {
      const { rows } = await direct.query<{ n: number }>('SELECT max(version) AS n FROM schema_migrations');
      assert.ok(rows[0]!.n >= 22, 'migrations applied');
    } finally {
      await direct.close();
    }
    const rp = await relyingParty(server, { scope: 'openid profile offline_access' });
    const machine = await addClient(server, { redirect_uris: ['https://m.example/cb'], grant_types: ['client_credentials'], scope: 'openid' });
    const login = async () => {
      const person = new Person(server.url);
      const callback = await person.logInAndConsent(rp.authUrl({ scope: 'openid profile offline_access', prompt: 'consent' }), TEST_PERSON.pid, TEST_PERSON.password);
      const tokens = await rp.tokens(callback);
      assert.equal(typeof tokens.claims()?.sub, 'string', 'an ID token, checked by openid-client');
      return tokens.refresh_token!;
    };
    // sequential logins (the throttle admits few at once for one account), tokens in parallel
    const refreshTokens = [await login(), await login(), await login()];
    const { refreshTokenGrant } = await import('openid-client');
    const results = await Promise.all([
      ...refreshTokens.map(async (rt) => (await refreshTokenGrant(rp.rp, rt)).access_token),
      ...Array.from({ length: 20 }, async () => (await cc(server, machine)).status),
    ]);
    assert.ok(results.slice(0, 3).every((t) => typeof t === 'string' && t.length > 20), 'every refresh answered with a token');
    assert.deepEqual(results.slice(3), Array(20).fill(200), 'every client-credentials grant answered 200');
    assert.equal(namedRefused, 1, 'the pooler refused a named statement once, and they were off from then on');
    // PgBouncer served it: its admin console shows more client connections (the IdP's pool) than the
    // two server connections they shared
    const admin = openPostgres(bouncer.url.replace(/\/postgres$/, '/pgbouncer'), 1);
    try {
      const { rows } = await admin.query<Record<string, string>>('SHOW POOLS');
      const pool = rows.find((r) => r.database === 'postgres')!;
      assert.ok(pool, 'PgBouncer has a pool for the database');
      assert.equal(pool.pool_mode, 'transaction');
      const servers = ['sv_active', 'sv_idle', 'sv_used', 'sv_tested', 'sv_login'].reduce((n, k) => n + Number(pool[k] ?? 0), 0);
      assert.ok(servers <= 2, `at most default_pool_size server connections, got ${servers}`);
      assert.ok(Number(pool.cl_active) + Number(pool.cl_waiting) > servers, `more client connections than server connections: ${JSON.stringify(pool)}`);
    } finally {
      await admin.close();
    }
  });

  test('PostgreSQL restarts: 503 at once during the outage, served again by the same process after', async () => {
    const direct = openPostgres(directUrl, 8);
    const viaDirect = await startTestServer(direct);
    try {
      const machine = await addClient(viaDirect, { redirect_uris: ['https://m.example/cb'], grant_types: ['client_credentials'], scope: 'openid' });
      assert.equal((await cc(viaDirect, machine)).status, 200);
      // a person whose login is under way when the database goes
      const web = await addClient(viaDirect, { redirect_uris: ['https://m.example/cb'], grant_types: ['authorization_code'], scope: 'openid' });
      const person = new Person(viaDirect.url);
      const loginPage = await person.follow(`/auth?client_id=${web.client_id}&response_type=code&scope=openid&redirect_uri=https://m.example/cb&state=s&nonce=n`);
      assert.equal(loginPage.res.status, 200);
      pg('pause', path.join(dir, 'pg'));
      try {
        for (let i = 0; i < 5; i++) {
          const r = await cc(viaDirect, machine);
          assert.equal(r.status, 503, `token endpoint during the outage: ${JSON.stringify(r.body)}`);
          assert.equal(r.body.error, 'temporarily_unavailable');
          assert.ok(r.ms < 2000, `answered in ${r.ms.toFixed(0)} ms`);
          assert.equal(r.retryAfter, '5');
        }
        // a browser at the authorization endpoint gets the error page in Thai, 503, no stack
        const page = await fetch(`${viaDirect.url}/auth?client_id=${machine.client_id}&response_type=code&scope=openid&redirect_uri=https://m.example/cb`, { headers: { accept: 'text/html' } });
        const body = await page.text();
        assert.equal(page.status, 503, body.slice(0, 300));
        assert.doesNotMatch(body, /at \w+ \(|node_modules|Error:/);
        // one of our own pages that reads the database: the error page with its 503
        const ours = await person.request(loginPage.url);
        const oursBody = await ours.text();
        assert.equal(ours.status, 503, `interaction page during the outage: ${oursBody.slice(0, 300)}`);
        assert.match(oursBody, /ระบบไม่พร้อมให้บริการชั่วคราว/);
        assert.equal(ours.headers.get('retry-after'), '5');
        assert.equal((await fetch(`${viaDirect.url}/readyz`)).status, 503);
      } finally {
        pg('resume', path.join(dir, 'pg'));
      }
      // the pool reconnects by itself: no restart of the IdP
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) {
        status = (await cc(viaDirect, machine)).status;
        if (status !== 200) await sleep(200);
      }
      assert.equal(status, 200, 'served again after PostgreSQL came back');
      assert.equal((await fetch(`${viaDirect.url}/readyz`)).status, 200);
      // and through PgBouncer too, once it has found the server again
      let viaBouncer = 0;
      const m2 = await addClient(server, { redirect_uris: ['https://m.example/cb'], grant_types: ['client_credentials'], scope: 'openid' });
      for (let i = 0; i < 50 && viaBouncer !== 200; i++) {
        viaBouncer = (await cc(server, m2)).status;
        if (viaBouncer !== 200) await sleep(200);
      }
      assert.equal(viaBouncer, 200, `served through PgBouncer after the restart: ${bouncer.log.join('').slice(-500)}`);
    } finally {
      await viaDirect.close();
      await direct.close();
    }
  });
});
