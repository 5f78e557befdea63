// A private EC P-256 key (JWK with kid, alg ES256) kept in a file of its own, mode 0600, created on
// first use: written beside the file and linked into place, so two processes starting at once keep
// one key. The test zone's client key and QR signing key both live this way.
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

export async function ensureEcKeyFile(file: string, kidOf: (publicJwk: JWK) => Promise<string>): Promise<JWK> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await createKeyFile(file, kidOf);
    text = await readFile(file, 'utf8');
  }
  try {
    return JSON.parse(text) as JWK;
  } catch (cause) {
    throw new Error(`key file ${file} is not JSON`, { cause });
  }
}

async function createKeyFile(file: string, kidOf: (publicJwk: JWK) => Promise<string>): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  const { kty, crv, x, y } = jwk;
  const full: JWK = { ...jwk, kid: await kidOf({ kty, crv, x, y }), alg: 'ES256', use: 'sig' };
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, `${JSON.stringify(full, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // another process created it first
  } finally {
    await unlink(tmp).catch(() => {});
  }
}
