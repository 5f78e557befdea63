// A real Prometheus (Debian's `prometheus`, as .ci/run installs it) scrapes both services' metrics
// listeners, with the bearer token and the repository's alert rules, while a relying party logs people
// in (openid-client over HTTP); the login counter Prometheus answers is the number of logins made.
// On PostgreSQL only: the production database, whose pool metrics are checked too; the counters are
// the process's, so one server pair per run keeps the count exact.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { dbTargets } from '../helpers/db.ts';
import { freePort, pidWithCheckDigit, TEST_PERSON } from '../helpers/server.ts';
import { startZone, type Zone } from '../helpers/authencode.ts';
import { Person } from '../helpers/person.ts';
import { finishConsent, loginForm, relyingParty, sleep, tryPassword } from '../helpers/login.ts';

const root = path.resolve(import.meta.dirname, '../..');
const PROMETHEUS = process.env.PROMETHEUS_PATH ?? '/usr/bin/prometheus';
const LOGINS = 3;

interface Prometheus {
  url: string;
  process: ChildProcess;
  output: string[];
}

async function startPrometheus(targets: Record<string, string>, token: string): Promise<Prometheus> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mpid-prometheus-'));
  writeFileSync(path.join(dir, 'token'), token, { mode: 0o600 });
  const jobs = Object.entries(targets).map(([job, metricsUrl]) => {
    const u = new URL(metricsUrl);
    return `  - job_name: ${job}
    metrics_path: ${u.pathname}
    authorization: { credentials_file: ${path.join(dir, 'token')} }
    static_configs: [{ targets: ["${u.host}"] }]`;
  });
  writeFileSync(path.join(dir, 'prometheus.yml'), `global: { scrape_interval: 1s, evaluation_interval: 1s }
rule_files: ["${path.join(root, 'deploy/prometheus/alerts.yml')}"]
scrape_configs:
${jobs.join('\n')}
`);
  // Prometheus must be told its port: one free a moment ago, tried again if another process took it
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const output: string[] = [];
    const child = spawn(PROMETHEUS, [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, `data-${attempt}`)}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (c) => output.push(String(c)));
    child.stderr!.on('data', (c) => output.push(String(c)));
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100 && child.exitCode === null; i++) {
      if (await fetch(`${url}/-/ready`).then((r) => r.ok, () => false)) return { url, process: child, output };
      await sleep(100);
    }
    child.kill();
    if (attempt >= 2) throw new Error(`prometheus did not start: ${output.join('').slice(-2000)}`);
  }
}

async function query(p: Prometheus, promql: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const res = await fetch(`${p.url}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await res.json()) as { status: string; data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
  assert.equal(body.status, 'success', JSON.stringify(body));
  return body.data.result;
}

/** Asks until `promql` gives a value that satisfies `done` (Prometheus scrapes every second), then returns its results. */
async function until(p: Prometheus, promql: string, done: (n: number) => boolean) {
  let last: Awaited<ReturnType<typeof query>> = [];
  for (let i = 0; i < 150; i++) {
    last = await query(p, promql);
    if (last.length && done(Number(last[0]!.value[1]))) return last;
    await sleep(200);
  }
  return last;
}

const postgres = dbTargets().find((t) => t.name === 'postgres')!;

describe('a real Prometheus scrapes both services', () => {
  let made: Awaited<ReturnType<typeof postgres.create>>;
  let zone: Zone;
  let prometheus: Prometheus;
  const token = randomBytes(32).toString('base64url');

  before(async () => {
    assert.ok(existsSync(PROMETHEUS), `${PROMETHEUS} is missing: apt-get install prometheus (.ci/run installs it), or set PROMETHEUS_PATH`);
    made = await postgres.create();
    zone = await startZone(made.db, { METRICS_PORT: '0', AUTHENCODE_METRICS_PORT: '0', METRICS_TOKEN: token });
    assert.ok(zone.idp.metricsUrl && zone.ac.metricsUrl, 'both services have a metrics listener');
    prometheus = await startPrometheus({ idp: zone.idp.metricsUrl, authencode: zone.ac.metricsUrl }, token);
  });
  after(async () => {
    prometheus?.process.kill();
    await zone?.close();
    await made?.drop();
  });

  test('the metrics listener wants the token, and serves nothing but /metrics', async () => {
    assert.equal((await fetch(zone.idp.metricsUrl!)).status, 401);
    assert.equal((await fetch(zone.idp.metricsUrl!, { headers: { authorization: 'Bearer wrong' } })).status, 401);
    const ok = await fetch(zone.idp.metricsUrl!, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(ok.status, 200);
    assert.match(ok.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
    assert.equal((await fetch(new URL('/', zone.idp.metricsUrl!))).status, 404);
    assert.equal((await fetch(`${zone.idp.url}/metrics`)).status, 404, 'not on the public port');
  });

  test('the login counter Prometheus answers is the number of logins made; requests by route template; the pool and event loop are there', async () => {
    const rp = await relyingParty(zone.idp);
    const people = [TEST_PERSON.pid, pidWithCheckDigit('310070000002'), pidWithCheckDigit('310070000003')];
    for (const [i, pid] of people.entries()) {
      await zone.idp.app().accounts.create({ ...TEST_PERSON, pid, phone_number: `08123450${10 + i}`, phone_verified: true });
    }
    // one wrong password (a failure, not a login)
    const stranger = new Person(zone.idp.url);
    assert.equal((await tryPassword(stranger, await loginForm(stranger, rp.authUrl()), people[0]!, 'not the password at all')).res.status, 401);
    for (let i = 0; i < LOGINS; i++) {
      const person = new Person(zone.idp.url);
      const page = await tryPassword(person, await loginForm(person, rp.authUrl()), people[i]!, TEST_PERSON.password);
      const tokens = await rp.tokens(await finishConsent(person, page));
      assert.ok(tokens.claims()!.sub);
    }

    const logins = await until(prometheus, 'sum(mpid_logins_total{job="idp",outcome="success"})', (n) => n >= LOGINS);
    assert.equal(Number(logins[0]?.value[1]), LOGINS, `Prometheus counted ${JSON.stringify(logins)}`);
    const byLabels = await query(prometheus, 'mpid_logins_total{job="idp",outcome="success"}');
    assert.deepEqual(byLabels.map((r) => [r.metric.method, r.metric.aal, r.metric.service]), [['password', '1', 'idp']]);
    const failures = await query(prometheus, 'sum(mpid_logins_total{job="idp",outcome="failure",method="password"})');
    assert.equal(Number(failures[0]?.value[1]), 1);
    const grants = await until(prometheus, 'sum(mpid_tokens_issued_total{grant_type="authorization_code"})', (n) => n >= LOGINS);
    assert.equal(Number(grants[0]?.value[1]), LOGINS);

    const routes = (await query(prometheus, 'sum by (route) (mpid_http_requests_total{job="idp"})')).map((r) => r.metric.route!);
    for (const r of ['oidc:authorization', 'oidc:token', '/interaction/:uid/login']) assert.ok(routes.includes(r), `${r} in ${routes.join(', ')}`);
    assert.ok(routes.every((r) => !/\d{6,}|[A-Za-z0-9_-]{20,}/.test(r.replace(/^oidc:/, ''))), `no raw path among ${routes.join(', ')}`);

    for (const job of ['idp', 'authencode']) {
      const up = await until(prometheus, `up{job="${job}"}`, (n) => n === 1);
      assert.equal(up[0]?.value[1], '1', `${job} is scraped`);
      assert.equal((await query(prometheus, `mpid_db_up{job="${job}"}`))[0]?.value[1], '1', `${job}'s database answers`);
      assert.equal((await query(prometheus, `mpid_db_pool_max_connections{job="${job}"}`))[0]?.value[1], '10');
      assert.ok((await query(prometheus, `nodejs_eventloop_lag_seconds{job="${job}"}`)).length, `${job}: event-loop lag`);
    }
    assert.ok(Number((await query(prometheus, 'sum(mpid_db_pool_wait_seconds_count{job="idp"})'))[0]?.value[1]) > 0, 'pool waits are timed');
    assert.equal((await query(prometheus, 'mpid_password_hash_queue_depth{job="idp"}'))[0]?.value[1], '0');

    // the alert rules loaded, and none fires on a healthy pair
    const rules = (await (await fetch(`${prometheus.url}/api/v1/rules`)).json()) as { data: { groups: Array<{ rules: Array<{ name: string; health: string; state: string }> }> } };
    const loaded = rules.data.groups.flatMap((g) => g.rules);
    assert.ok(loaded.some((r) => r.name === 'DatabaseDown') && loaded.some((r) => r.name === 'SmsGatewayFailures'), loaded.map((r) => r.name).join(', '));
    assert.deepEqual(loaded.filter((r) => r.health === 'err'), [], 'every rule evaluates');
    assert.deepEqual(loaded.filter((r) => r.state === 'firing').map((r) => r.name), []);
  });
});
