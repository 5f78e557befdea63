// What the administration console's tests share: logging in at /admin (password and the test zone's
// SMS code, AAL 2.1) as a person the test created, and an admin API token for a client registered with
// admin_api (client credentials for the resource ${issuer}/admin/api, scope admin); and for the browser
// walks, a server with two administrators (one a language) and Chromium.
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { openPglite } from '../../src/kernel/db/index.ts';
import type { RunningServer } from '../../src/idp/server.ts';
import { Person } from './person.ts';
import { launchBrowser } from './browser.ts';
import { pidWithCheckDigit, startTestServer, TEST_PERSON } from './server.ts';

export interface ConsolePerson {
  pid: string;
  password: string;
  phone_number: string;
}

/** The test zone's outbox for one phone (E.164). */
export const smsTo = async (url: string, to: string) => (await (await fetch(`${url}/test-zone/sms?to=${encodeURIComponent(to)}`)).json()) as Array<{ text: string }>;
export const e164 = (phone: string) => `+66${phone.slice(1)}`;

/** Logs in from `start` (a console page) with password and SMS; answers the last page. */
export async function logInToConsole(url: string, who: ConsolePerson, o: { person?: Person; start?: string } = {}) {
  const person = o.person ?? new Person(url);
  let page = await person.follow(o.start ?? '/admin');
  page = await person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: who.pid, password: who.password });
  page = await person.submit(Person.action(page.body, '/sms/send'), { csrf: Person.csrf(page.body) });
  const sent = await smsTo(url, e164(who.phone_number));
  page = await person.submit(Person.action(page.body, '/sms'), { csrf: Person.csrf(page.body), code: sent[0]!.text.match(/\b(\d{6})\b/)![1]! });
  return { person, page };
}

/** A fresh admin API access token for the client. */
export async function adminApiToken(url: string, client: { client_id: string; client_secret?: string }): Promise<string> {
  const res = await fetch(`${url}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'admin', resource: `${url}/admin/api` }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

/** Two administrators, one a language (a second SMS to one phone would wait for its resend interval); `series`: one digit, a test file's own. */
export function consoleAdmins(series: string) {
  const admin = (n: number) => ({ ...TEST_PERSON, pid: pidWithCheckDigit(`3101${series}000000${n}`), phone_number: `0861${series}0000${n}`, phone_verified: true });
  return { th: admin(1), en: admin(2) };
}

/** A PGlite test server where both administrators can log in to /admin (the sample units imported when asked), and Chromium. */
export async function startConsoleInBrowser(admins: ReturnType<typeof consoleAdmins>, o: { units?: boolean } = {}): Promise<{ server: RunningServer; browser: Browser; stop(): Promise<void> }> {
  const server = await startTestServer(await openPglite());
  const { accounts, units } = server.app();
  if (o.units) await units.importFile(path.resolve(import.meta.dirname, '../../samples/units.csv'));
  for (const a of Object.values(admins)) {
    await accounts.create(a);
    await units.bootstrapAdmin({ pid: a.pid, operator: 'somchai', reason: 'an administrator' });
  }
  const browser = await launchBrowser();
  return {
    server,
    browser,
    async stop() {
      await browser.close();
      await server.close();
      await server.db.close();
    },
  };
}
