// Issue 11, item 1: a multipart file part cut off before its closing boundary once ended the whole
// process (IdP and Authen Code together). Now /visit/scan and /staff/visit (with a staff session)
// answer 400 with a message, nothing goes unhandled, and the service answers the next request.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openPglite } from '../../../src/kernel/db/index.ts';
import { startZone, type Zone } from '../../helpers/authencode.ts';
import { Person } from '../../helpers/person.ts';
import { TEST_PERSON } from '../../helpers/server.ts';
import { logInAtService } from '../../helpers/service_login.ts';
import { watchUncaught } from '../../helpers/uncaught.ts';
import { seedStaff } from '../../helpers/staff.ts';

const TRUNCATED = (name: string) => `--zzz\r\nContent-Disposition: form-data; name="${name}"; filename="a.png"\r\nContent-Type: image/png\r\n\r\nPNG`;

describe('a truncated multipart upload to the Authen Code service', () => {
  let zone: Zone;
  const uncaught = watchUncaught();
  before(async () => {
    zone = await startZone(await openPglite());
    await seedStaff(zone);
  });
  after(async () => {
    uncaught.stop();
    await zone.close();
    await zone.idp.db.close();
  });

  const send = (person: Person, path: string, name: string) =>
    person.request(path, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=zzz' }, body: TRUNCATED(name) });
  async function stillUp(what: string) {
    await uncaught.assertNone(what);
    assert.equal((await fetch(`${zone.ac.url}/healthz`)).status, 200, 'the Authen Code service still answers');
    assert.equal((await fetch(`${zone.idp.url}/healthz`)).status, 200, 'so does the IdP');
  }

  it('POST /visit/scan (no login needed): 400 with a message, and the process lives', async () => {
    const res = await send(new Person(zone.ac.url), '/visit/scan', 'qr_image');
    assert.equal(res.status, 400);
    assert.match(await res.text(), /role="alert"|<main/);
    await stillUp('/visit/scan');
  });

  it('POST /staff/visit with a staff session: 400 with a message, and the process lives', async () => {
    const staff = new Person(zone.ac.url);
    let page = await logInAtService(zone, staff, '/staff', { pid: TEST_PERSON.pid, password: TEST_PERSON.password, e164: '+66812345678' });
    page = await staff.submit('/staff/unit', { csrf: Person.csrf(page.body), hcode: '10699' });
    assert.equal(new URL(page.url).pathname, '/staff');
    const res = await send(staff, '/staff/visit', 'photo');
    assert.equal(res.status, 400);
    assert.ok((await res.text()).length > 0);
    await stillUp('/staff/visit');
    // without a staff session the body is never read: a 403 page, and still up
    assert.equal((await send(new Person(zone.ac.url), '/staff/visit', 'photo')).status, 403);
    await stillUp('/staff/visit without a session');
  });
});
