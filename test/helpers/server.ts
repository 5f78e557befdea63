// Starts a real server against a test database, with its own keys and data folders. The server binds
// port 0 itself (no port picked beforehand that another test could take) and its issuer names that port.
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../../src/idp/server.ts';
import type { Database } from '../../src/kernel/db/index.ts';
import type { Logger } from '../../src/kernel/http/log.ts';
import type { Clock } from '../../src/kernel/clock.ts';
import { registerClient } from '../../src/idp/oidc/clients.ts';
import type { DbTarget } from './db.ts';

/** A port free a moment ago: only for a test that must name a port before anything listens on it
 *  (an address where nothing answers); a server under test binds port 0 itself. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export function testDirs() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'mpid-test-'));
  return { DATA_DIR: path.join(root, 'data'), KEYS_DIR: path.join(root, 'certs') };
}

/** `now`: the clock of the IdP's own time rules (TOTP steps, code expiry, back-off), for tests that move time. */
export async function startTestServer(db: Database, env: Record<string, string> = {}, log?: Logger, now?: Clock): Promise<RunningServer> {
  return startServer({
    db,
    log,
    now,
    env: { ...testDirs(), PORT: '0', LOG_LEVEL: 'silent', ARGON2_MEMORY_KIB: '8192', ARGON2_TIME_COST: '1', ...env },
  });
}

/** An address where nothing answers: every connection is closed at once (a service that is down). */
export async function deadAddress(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export const TEST_PERSON = {
  pid: '1234567890121',
  given_name: 'สมหญิง',
  family_name: 'รักษ์สุขภาพ',
  given_name_en: 'Somying',
  family_name_en: 'Raksukkhaphap',
  birthdate: '1985-03-14',
  phone_number: '0812345678',
  password: 'long enough passphrase',
};

export async function addClient(server: RunningServer, metadata: Record<string, unknown>) {
  return registerClient(server.app().provider, server.db, metadata) as Promise<Record<string, unknown> & { client_id: string; client_secret?: string }>;
}

/** A valid national ID number from its first 12 digits (the 13th is the check digit). */
export function pidWithCheckDigit(twelve: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(twelve[i]) * (13 - i);
  return twelve + String((11 - (sum % 11)) % 10);
}

/** A test server on a fresh database of `target` holding TEST_PERSON's account, phone verified; `stop` closes the server and drops the database. */
export async function startWithPerson(target: DbTarget): Promise<{ server: RunningServer; sub: string; stop: () => Promise<void> }> {
  const made = await target.create();
  const server = await startTestServer(made.db);
  const { sub } = await server.app().accounts.create({ ...TEST_PERSON, phone_verified: true });
  return {
    server,
    sub,
    stop: async () => {
      await server.close();
      await made.drop();
    },
  };
}
