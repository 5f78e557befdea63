// Starts a real server on a free port against a test database, with its own keys and data folders.
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../../src/idp/server.ts';
import type { Database } from '../../src/kernel/db/index.ts';
import type { Logger } from '../../src/kernel/http/log.ts';
import { registerClient } from '../../src/idp/oidc/clients.ts';

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

export async function startTestServer(db: Database, env: Record<string, string> = {}, log?: Logger): Promise<RunningServer> {
  const port = await freePort();
  return startServer({
    db,
    log,
    env: { ...testDirs(), PORT: String(port), LOG_LEVEL: 'silent', ARGON2_MEMORY_KIB: '8192', ARGON2_TIME_COST: '1', ...env },
  });
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
