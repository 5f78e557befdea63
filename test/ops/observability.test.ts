// What an operator's signals may say about a person: after a registration, a failed and a good login
// through a relying party and a login at the Authen Code service, no metric label of either service and
// no log line carries the person's ID number, phone number or name (in any spelling they typed). And the
// request id: generated, answered in x-request-id, on every log line of the request, carried from the
// Authen Code service to the IdP (which trusts it from there), replaced when it comes from anyone else.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dbTargets } from '../helpers/db.ts';
import { pidWithCheckDigit, startTestServer } from '../helpers/server.ts';
import { startZone, type Zone } from '../helpers/authencode.ts';
import { Person } from '../helpers/person.ts';
import { capturedLog, assertNotLogged, type CapturedLog } from '../helpers/logs.ts';
import { finishConsent, loginForm, outbox, relyingParty, tryPassword } from '../helpers/login.ts';
import { logInAtService } from '../helpers/service_login.ts';
import { PRIVACY_NOTICE_VERSION } from '../../src/idp/account/privacy_notice.ts';

const dashed = (pid: string) => `${pid[0]}-${pid.slice(1, 5)}-${pid.slice(5, 10)}-${pid.slice(10, 12)}-${pid[12]}`;

/** Every label value of a Prometheus text exposition. */
function labelValues(text: string): string[] {
  const values: string[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const labels = line.match(/\{(.*)\}/)?.[1] ?? '';
    for (const m of labels.matchAll(/\w+="((?:[^"\\]|\\.)*)"/g)) values.push(m[1]!);
  }
  return values;
}

for (const target of dbTargets()) {
  describe(`metrics and logs on ${target.name}`, () => {
    let made: Awaited<ReturnType<typeof target.create>>;
    let zone: Zone;
    let idpLog: CapturedLog;
    let acLog: CapturedLog;
    const scrape = async (url: string) => {
      const res = await fetch(url);
      assert.equal(res.status, 200);
      return res.text();
    };

    before(async () => {
      made = await target.create();
      idpLog = capturedLog('trace');
      acLog = capturedLog('trace');
      zone = await startZone(made.db, { METRICS_PORT: '0', AUTHENCODE_METRICS_PORT: '0', TRUST_REQUEST_ID_FROM: '127.0.0.1,::1', AUTHENCODE_MIN_IAL: 'default=1.1' }, { idp: idpLog.log, ac: acLog.log });
    });
    after(async () => {
      await zone.close();
      await made.drop();
    });

    test('no metric label and no log line carries the ID number, phone number or name of a person who registered and logged in', async () => {
      const pid = pidWithCheckDigit('310070000011');
      const password = 'river stone quiet lantern';
      const person = new Person(zone.idp.url);
      let page = await person.follow('/register');
      page = await person.submit('/register', {
        csrf: Person.csrf(page.body), pid: dashed(pid), title: 'นาง', given_name: 'มาลี', family_name: 'ศรีสุข', given_name_en: 'Malee', family_name_en: 'Srisuk',
        birth_day: '5', birth_month: '6', birth_year: '2530', phone: '086 777 0011', password, password_confirm: password, accept_privacy: PRIVACY_NOTICE_VERSION,
      });
      assert.equal(page.res.status, 200, page.body.slice(0, 300));
      page = await person.submit('/register/verify', { csrf: Person.csrf(page.body), code: (await outbox(zone.idp, '+66867770011')).code! });
      assert.equal(new URL(page.url).pathname, '/account', 'registered and logged in');

      const rp = await relyingParty(zone.idp);
      const browser = new Person(zone.idp.url);
      const form = await loginForm(browser, rp.authUrl());
      assert.equal((await tryPassword(browser, form, pid, 'river stone quiet lanterns')).res.status, 401);
      const tokens = await rp.tokens(await finishConsent(browser, await tryPassword(browser, form, ` ${dashed(pid)} `, password)));
      assert.ok(tokens.claims()!.sub);

      const citizen = new Person(zone.ac.url);
      const landed = await logInAtService(zone, citizen, '/login?as=citizen&ial=1.1', { pid, password, e164: '+66867770011' });
      assert.equal(landed.res.status, 200, landed.body.slice(0, 200));

      const idpMetrics = await scrape(zone.idp.metricsUrl!);
      const acMetrics = await scrape(zone.ac.metricsUrl!);
      assert.match(idpMetrics, /mpid_logins_total\{[^}]*outcome="success"[^}]*\} [1-9]/, 'the logins were counted');
      assert.match(idpMetrics, /mpid_otp_codes_total\{[^}]*purpose="register"[^}]*result="sent"[^}]*\} [1-9]/, 'the registration code was counted');
      const labels = [...labelValues(idpMetrics), ...labelValues(acMetrics)];
      assert.ok(labels.length > 50, `${labels.length} label values`);
      const secrets = {
        'ID number': { value: pid, numeric: true },
        'phone number': { value: '867770011', numeric: true },
        'given name': { value: 'มาลี' },
        'family name': { value: 'ศรีสุข' },
        'English given name': { value: 'Malee' },
        'English family name': { value: 'Srisuk' },
        password: { value: password },
      };
      assertNotLogged(labels, secrets);
      assert.ok(idpLog.lines.length > 20 && acLog.lines.length >= 3, `${idpLog.lines.length} + ${acLog.lines.length} log lines`);
      assertNotLogged([...idpLog.lines, ...acLog.lines], secrets);
    });

    test('a request id on every log line of a request, answered in x-request-id and carried from the Authen Code service to the IdP', async () => {
      const res = await fetch(`${zone.idp.url}/healthz`);
      const id = res.headers.get('x-request-id');
      assert.match(id ?? '', /^[0-9a-f-]{36}$/, 'a generated id');
      const line = idpLog.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.request_id === id);
      assert.equal(line?.path, '/healthz');

      // the citizen login of the test before: the service's callback called the IdP's token endpoint with its id
      const acLines = acLog.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      const callback = acLines.find((l) => l.msg === 'request' && l.path === '/auth/callback');
      assert.ok(callback?.request_id, 'the service logged its callback with an id');
      const idpLines = idpLog.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.request_id === callback.request_id);
      assert.deepEqual(idpLines.map((l) => l.path).sort(), ['/me', '/token'], 'the IdP logged the token and userinfo calls under the same id');

      // a trusted peer's id is kept; one that is not an id is replaced
      const kept = await fetch(`${zone.idp.url}/healthz`, { headers: { 'x-request-id': 'edge-7f3a9c' } });
      assert.equal(kept.headers.get('x-request-id'), 'edge-7f3a9c');
      const odd = await fetch(`${zone.idp.url}/healthz`, { headers: { 'x-request-id': 'has spaces in it' } });
      assert.notEqual(odd.headers.get('x-request-id'), 'has spaces in it');
    });

    test('without TRUST_REQUEST_ID_FROM an id sent by the client is replaced; without METRICS_PORT there is no metrics listener', async () => {
      const untrusting = await startTestServer(made.db);
      try {
        assert.equal(untrusting.metricsUrl, undefined, 'no metrics listener unless METRICS_PORT is set');
        const res = await fetch(`${untrusting.url}/healthz`, { headers: { 'x-request-id': 'edge-7f3a9c' } });
        assert.match(res.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
      } finally {
        await untrusting.close();
      }
    });
  });
}
