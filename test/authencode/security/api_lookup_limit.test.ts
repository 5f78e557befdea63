// Issue 11, item 7 (Authen Code API): a hospital system's token reading many different people's codes in
// a row meets a limit of different ID numbers per caller and hour (429 with Retry-After), in sequence and
// in parallel; the same people again are answered; every lookup is audited with the ID number masked.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { dbTargets } from '../../helpers/db.ts';
import { addClient, pidWithCheckDigit } from '../../helpers/server.ts';
import { startZone, type Zone } from '../../helpers/authencode.ts';

const insecure = { execute: [oidc.allowInsecureRequests] };
const PEOPLE = 10;
let serial = 0;
const newPid = () => pidWithCheckDigit(`18${String(serial++).padStart(10, '0')}`);

for (const target of dbTargets()) {
  describe(`people looked up through the API on ${target.name}`, () => {
    let drop: () => Promise<void>;
    let zone: Zone;
    const tokens: Record<string, string> = {};

    before(async () => {
      const created = await target.create();
      drop = created.drop;
      zone = await startZone(created.db, { AUTHENCODE_API_PEOPLE_PER_HOUR: String(PEOPLE) });
      for (const [id, hcode] of [['his-a', '10699'], ['his-b', '13836'], ['his-c', '10699']] as const) {
        const c = await addClient(zone.idp, { client_id: id, grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'openid', hcode });
        const rp = await oidc.discovery(new URL(zone.idp.url), c.client_id, c.client_secret, undefined, insecure);
        tokens[id] = (await oidc.clientCredentialsGrant(rp, { resource: zone.ac.config.apiAudience, scope: 'authencode' })).access_token;
      }
    });
    after(async () => {
      await zone.close();
      await drop();
    });

    const latest5 = (token: string, pid: string) =>
      fetch(`${zone.ac.url}/api/nhso-service/latest-5-authen-code-all-hospital/${pid}`, { headers: { authorization: `Bearer ${token}` } });
    const latestHere = (token: string, pid: string) =>
      fetch(`${zone.ac.url}/api/nhso-service/latest-authen-code/${pid}`, { headers: { authorization: `Bearer ${token}` } });
    const auditOf = async (actor: string) =>
      (await zone.ac.db.query<{ action: string; detail: Record<string, unknown> }>('SELECT action, detail FROM authencode.audit_events WHERE actor = $1 ORDER BY id', [actor])).rows;

    test('100 different people in a row: the first ten are answered, then 429 with Retry-After; each lookup audited, masked', async () => {
      const pids = Array.from({ length: 100 }, newPid);
      const statuses: number[] = [];
      for (const pid of pids) {
        const res = await latest5(tokens['his-a']!, pid);
        statuses.push(res.status);
        const body = await res.json();
        if (res.status === 429) {
          assert.ok(Number(res.headers.get('retry-after')) > 0);
          assert.equal(body.errors[0].code, 'too_many_people');
          assert.match(body.errors[0].defaultMessage, /10 different people .* retry after \d+ seconds/);
        }
      }
      assert.deepEqual(statuses, [...Array(PEOPLE).fill(200), ...Array(100 - PEOPLE).fill(429)]);
      const events = await auditOf('client:his-a');
      assert.equal(events.filter((e) => e.action === 'authen_code.viewed').length, PEOPLE);
      assert.equal(events.filter((e) => e.action === 'api.lookup_refused').length, 100 - PEOPLE);
      assert.deepEqual(events[0]!.detail, { pid: `${pids[0]![0]}-${pids[0]!.slice(1, 5)}-xxxxx-${pids[0]!.slice(10, 12)}-${pids[0]![12]}`, via: 'api', hcode: 'all' });
      const text = JSON.stringify(events);
      for (const pid of pids) assert.ok(!text.includes(pid), 'no ID number in clear in the audit');

      // the people already looked up are answered again, through either lookup; a new one is not
      assert.equal((await latest5(tokens['his-a']!, pids[3]!)).status, 200);
      assert.equal((await latestHere(tokens['his-a']!, pids[3]!)).status, 404, 'looked up (no code at this unit), not limited');
      assert.equal((await latestHere(tokens['his-a']!, newPid())).status, 429);
      // another caller has its own allowance, even at the same unit
      assert.equal((await latest5(tokens['his-c']!, pids[50]!)).status, 200);
    });

    test('50 different people at once: exactly ten answered', async () => {
      const answers = await Promise.all(Array.from({ length: 50 }, () => latest5(tokens['his-b']!, newPid())));
      const statuses = answers.map((r) => r.status);
      assert.equal(statuses.filter((s) => s === 200).length, PEOPLE, statuses.join(','));
      assert.equal(statuses.filter((s) => s === 429).length, 50 - PEOPLE, statuses.join(','));
      assert.equal((await auditOf('client:his-b')).filter((e) => e.action === 'authen_code.viewed').length, PEOPLE);
    });
  });
}
