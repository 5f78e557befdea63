// npm run bench (coverage): the synthetic country's denominators and N accounts on PostgreSQL, then the
// coverage page's and the API's p50/p99 and the cost of keeping the counts current per registration.
// N = BENCH_COVERAGE_ACCOUNTS (default 100,000; the full size is 10,000,000). The N accounts are written
// in bulk with SQL (random ID-number indexes and ciphertexts, a tenth with a digital ID, members and
// counts as the refresher leaves them): a page never reads accounts, so what they are does not matter;
// registrations through the real code measure the refresher's cost.
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import * as oidc from 'openid-client';
import { openPostgres } from '../src/kernel/db/index.ts';
import { recordEvidence } from '../src/idp/proofing/evidence.ts';
import { syntheticPeople } from '../src/kernel/registry/synthetic_population.ts';
import { fromBuddhistDate } from '../src/kernel/thai/dates.ts';
import { startTestServer, addClient, pidWithCheckDigit, TEST_PERSON } from '../test/helpers/server.ts';
import { Person } from '../test/helpers/person.ts';
import { insecure } from '../test/helpers/login.ts';
import { withBenchPostgres } from './support.ts';

const N = Number(process.env.BENCH_COVERAGE_ACCOUNTS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_COVERAGE_REQUESTS ?? 300);
const REGISTRATIONS = Number(process.env.BENCH_COVERAGE_REGISTRATIONS ?? 200);

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!.toFixed(1);

async function timed(n: number, op: () => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await op();
    out.push(performance.now() - t);
  }
  return out;
}

console.log(`coverage: node ${process.version}, ${os.cpus()[0]?.model} × ${os.cpus().length}, ${N.toLocaleString('en-US')} accounts`);
await withBenchPostgres('coverage benchmark', async (url) => {
  const db = openPostgres(url);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mpid-bench-coverage-'));
  const server = await startTestServer(db, { ARGON2_MEMORY_KIB: '8192', ARGON2_TIME_COST: '1' });
  try {
    const { coverage, accounts, units } = server.app();
    let t = performance.now();
    await coverage.seedSyntheticCountry(dir);
    console.log(`denominators (77 provinces, ${(await db.query('SELECT count(*) AS n FROM coverage_population')).rows[0]!.n} sub-districts, 66,000,000 citizens) imported in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    // N accounts in bulk, in chunks; a tenth have a digital ID, spread over the sub-districts
    t = performance.now();
    const CHUNK = 200_000;
    for (let from = 0; from < N; from += CHUNK) {
      const to = Math.min(N, from + CHUNK);
      await db.query(
        `INSERT INTO accounts (sub, pid_index, pid_cipher, given_name_th, family_name_th, birthdate, phone_verified)
         SELECT 'bench' || g, decode(md5('pid' || g), 'hex'), md5('c' || g), 'ทดสอบ', 'ทดสอบ', date '1980-01-01', true FROM generate_series($1::int, $2::int - 1) g`,
        [from, to],
      );
      await db.query(
        `INSERT INTO coverage_members (sub, residence, residence_known, citizen_did)
         SELECT 'bench' || g, s.a[1 + g % array_length(s.a, 1)], true, g % 10 = 0 FROM generate_series($1::int, $2::int - 1) g,
           (SELECT array_agg(subdistrict ORDER BY subdistrict) AS a FROM coverage_population) s`,
        [from, to],
      );
    }
    await db.query(`INSERT INTO coverage_counts (area, kind, with_did) SELECT residence, 'citizen', count(*) FROM coverage_members WHERE citizen_did GROUP BY residence
                    ON CONFLICT (area, kind) DO UPDATE SET with_did = EXCLUDED.with_did`);
    await db.query('ANALYZE');
    console.log(`${N.toLocaleString('en-US')} accounts loaded in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    // the page, logged in as a coverage viewer at AAL 2.1 (password + SMS code)
    const viewer = { ...TEST_PERSON, pid: pidWithCheckDigit('399990000001'), phone_number: '0899990001', phone_verified: true };
    await accounts.create(viewer);
    await units.bootstrapAdmin({ pid: viewer.pid, operator: 'bench', reason: 'benchmark' });
    const person = new Person(server.url);
    let page = await person.follow('/coverage');
    page = await person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: viewer.pid, password: viewer.password });
    page = await person.submit(Person.action(page.body, '/sms/send'), { csrf: Person.csrf(page.body) });
    const box = (await (await fetch(`${server.url}/test-zone/sms?to=${encodeURIComponent('+66899990001')}`)).json()) as Array<{ text: string }>;
    page = await person.submit(Person.action(page.body, '/sms'), { csrf: Person.csrf(page.body), code: box[0]!.text.match(/\b(\d{6})\b/)![1]! });
    if (page.res.status !== 200) throw new Error(`login to /coverage failed: ${page.res.status}`);
    await coverage.tick();
    await coverage.reports.snapshot('2026-10-15');
    for (const [label, path] of [['country page', '/coverage'], ['province page (Sa Kaeo)', '/coverage/area/27'], ['district page', '/coverage/area/2701']] as const) {
      const ms = await timed(REQUESTS, async () => {
        const res = await person.request(path);
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
        await res.text();
      });
      console.log(`${label}: p50 ${pct(ms, 50)} ms, p99 ${pct(ms, 99)} ms (${REQUESTS} requests, one at a time)`);
    }

    const client = await addClient(server, { grant_types: ['client_credentials'], response_types: [], redirect_uris: [] });
    await coverage.apiClients.allow({ clientId: client.client_id, province: null, by: 'operator:bench', reason: 'the benchmark' });
    const rp = await oidc.discovery(new URL(server.url), client.client_id, client.client_secret, undefined, insecure);
    const { access_token } = await oidc.clientCredentialsGrant(rp, { resource: `${server.url}/api/coverage`, scope: 'coverage' });
    for (const [label, path] of [['API country', '/api/coverage'], ['API province', '/api/coverage/areas/27']] as const) {
      const ms = await timed(REQUESTS, async () => {
        const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${access_token}` } });
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
        await res.arrayBuffer();
      });
      console.log(`${label}: p50 ${pct(ms, 50)} ms, p99 ${pct(ms, 99)} ms`);
    }

    // registrations through the real code: account, register check evidence, the refresher's round
    const people = [...syntheticPeople(2000, 2569)].filter((p) => p.cardStatus === 'valid').slice(0, REGISTRATIONS);
    const subs: string[] = [];
    const noted = await timed(people.length, async () => {
      const p = people[subs.length]!;
      const { sub } = await accounts.create({ pid: p.pid, given_name: p.givenName, family_name: p.familyName, birthdate: fromBuddhistDate(p.birthdateBE), phone_number: `089${String(subs.length).padStart(7, '0')}`, phone_verified: true, password: 'long enough passphrase' });
      await db.tx((q) => recordEvidence(q, { sub, method: 'register_check', checks: ['register_check'], documents: [], decision: 'approved' }));
      subs.push(sub);
    });
    t = performance.now();
    const round = await coverage.tick();
    const refreshMs = performance.now() - t;
    console.log(`registration + evidence (noting the change included): p50 ${pct(noted, 50)} ms; refresher: ${round.done} people in ${refreshMs.toFixed(0)} ms = ${(refreshMs / Math.max(1, round.done)).toFixed(2)} ms per registration (counts current within the 10 s round)`);
  } finally {
    await server.close();
    await db.close();
  }
});
