// Logging in at the Authen Code service over plain HTTP, as a browser would: the service sends the
// person to the IdP, they log in (with an SMS code when the level asks for one) and allow, and come back.
import assert from 'node:assert/strict';
import { Person } from './person.ts';
import type { Zone } from './authencode.ts';

/** Follows `start` on the service through the IdP's login and consent; returns the service page it lands on. */
export async function logInAtService(zone: Zone, person: Person, start: string, who: { pid: string; password: string; e164: string }) {
  const toIdp = await person.follow(start);
  assert.ok(toIdp.external?.startsWith(zone.idp.url), `sent to the IdP, got ${toIdp.res.status} ${toIdp.body.slice(0, 200)}`);
  const atIdp = new Person(zone.idp.url);
  atIdp.jar = person.jar; // one browser: cookies do not tell the two ports apart
  let page = await atIdp.follow(toIdp.external!);
  page = await atIdp.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: who.pid, password: who.password });
  if (!page.external && /\/sms\/send/.test(page.body)) {
    page = await atIdp.submit(Person.action(page.body, '/sms/send'), { csrf: Person.csrf(page.body) });
    const outbox = (await (await fetch(`${zone.idp.url}/test-zone/sms?to=${encodeURIComponent(who.e164)}`)).json()) as Array<{ text: string }>;
    page = await atIdp.submit(Person.action(page.body, '/sms'), { csrf: Person.csrf(page.body), code: outbox[0]!.text.match(/\b(\d{6})\b/)![1]! });
  }
  if (!page.external) page = await atIdp.submit(Person.action(page.body, '/confirm'), { csrf: Person.csrf(page.body) });
  assert.ok(page.external?.startsWith(zone.ac.url), `back to the service, got ${page.res.status} ${page.body.slice(0, 300)}`);
  return person.follow(page.external!);
}
