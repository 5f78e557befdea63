// Logging in like a browser across both services: follows redirects between them and fills in what
// the IdP asks on the way (password, SMS code from the test-zone outbox, consent) until `target`.
import assert from 'node:assert/strict';
import { Person } from './person.ts';

export interface Who {
  pid: string;
  password: string;
  /** 0XXXXXXXXX: where the SMS code goes */
  phone_number: string;
}

/** Returns the body of the page at `target` (origin and path, no query). */
export async function logInThrough(person: Person, idp: string, start: string, who: Who, target: string): Promise<string> {
  let url = new URL(start);
  let res = await person.request(url);
  for (let step = 0; step < 25; step++) {
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location')!, url);
      res = await person.request(url);
      continue;
    }
    const body = await res.text();
    if (`${url.origin}${url.pathname}` === target) return body;
    const action = (end: string) => body.match(new RegExp(`action="([^"]*${end})"`))?.[1];
    let next: string | undefined;
    let fields: Record<string, string> = {};
    if ((next = action('/login')) && body.includes('name="password"')) fields = { pid: who.pid, password: who.password };
    else if ((next = action('/sms')) && body.includes('name="code"')) {
      const outbox = (await (await fetch(`${idp}/test-zone/sms?to=${encodeURIComponent(`+66${who.phone_number.slice(1)}`)}`)).json()) as Array<{ text: string }>;
      fields = { code: outbox[0]!.text.match(/\b(\d{6})\b/)![1]! };
    } else if ((next = action('/sms/send'))) fields = {};
    else if ((next = action('/confirm'))) fields = {};
    else assert.fail(`login stopped at ${url} (${res.status}): ${body.slice(0, 300)}`);
    url = new URL(next, url);
    res = await person.request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf: Person.csrf(body), ...fields }).toString() });
  }
  assert.fail(`login did not reach ${target}`);
}

/** A member of staff at the Authen Code service, acting for `hcode` (chosen when they have several). */
export async function logInStaff(person: Person, idp: string, ac: string, who: Who, hcode: string): Promise<void> {
  const page = await logInThrough(person, idp, `${ac}/staff`, who, `${ac}/staff`);
  if (!page.includes('action="/staff/unit"')) return;
  const chosen = await person.request(`${ac}/staff/unit`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf: Person.csrf(page), hcode }).toString() });
  assert.equal(chosen.status, 302, `acts for unit ${hcode}`);
}
