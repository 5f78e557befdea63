// Issue 11, item 2: `/login?as=citizen&ial=1.1&return=//2130706433` ended in `302 Location:
// //2130706433` (a browser reads it as 127.0.0.1) for a person with a session and consent. Now every
// return that could leave the service lands on the safe default; the service's own paths still work.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openPglite } from '../../../src/kernel/db/index.ts';
import { startZone, type Zone } from '../../helpers/authencode.ts';
import { Person } from '../../helpers/person.ts';
import { pidWithCheckDigit, TEST_PERSON } from '../../helpers/server.ts';
import { logInAtService } from '../../helpers/service_login.ts';

const ATTACKS = ['//2130706433', '//2130706433/visit', '/\\2130706433', '//evil.example', '/\\evil.example', '/\t/evil.example', '/a/..//evil.example', 'https://evil.example/', 'javascript:alert(1)'];

describe('the Authen Code login sends a person back only to its own pages', () => {
  let zone: Zone;
  const citizen = { ...TEST_PERSON, pid: pidWithCheckDigit('310090000123'), phone_number: '0867770001', phone_verified: true };
  let person: Person;
  before(async () => {
    zone = await startZone(await openPglite());
    await zone.idp.app().accounts.create(citizen);
    // a person with a session at the IdP who has already allowed the service
    person = new Person(zone.ac.url);
    const first = await logInAtService(zone, person, '/login?as=citizen&ial=1.1', { pid: citizen.pid, password: citizen.password, e164: '+66867770001' });
    assert.equal(new URL(first.url).pathname, '/visit');
  });
  after(async () => {
    await zone.close();
    await zone.idp.db.close();
  });

  /** The Location the service answers at the end of a login started with `return`: no password, no consent page. */
  async function landing(ret: string) {
    const toIdp = await person.follow(`/login?as=citizen&ial=1.1&return=${encodeURIComponent(ret)}`);
    const atIdp = new Person(zone.idp.url);
    atIdp.jar = person.jar;
    const back = await atIdp.follow(toIdp.external!);
    assert.ok(back.external?.startsWith(`${zone.ac.url}/auth/callback`), `straight back from the IdP, got ${back.res.status} ${back.body.slice(0, 200)}`);
    const res = await person.request(back.external!);
    assert.equal(res.status, 302);
    return res.headers.get('location')!;
  }

  it('the attack from the issue and its variants land on /visit', async () => {
    for (const ret of ATTACKS) assert.equal(await landing(ret), '/visit', JSON.stringify(ret));
  });

  it("the service's own return paths still work", async () => {
    assert.equal(await landing('/visit/confirm'), '/visit/confirm');
    assert.equal(await landing('/visit/history'), '/visit/history');
  });
});
