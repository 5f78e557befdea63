// The agent's own key: P-256, made on first start and kept as PKCS#8 PEM in DATA_DIR/agent-key.pem,
// readable by the agent's user only. Its public half is what pairing registers; it signs card reads and
// the private_key_jwt client assertions for tokens.
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as jose from 'jose';

export interface AgentKey {
  privateKey: CryptoKey;
  publicJwk: jose.JWK;
  /** RFC 7638 thumbprint of the public key (what the IdP's tokens name as agent_jkt) */
  thumbprint: string;
  file: string;
  created: boolean;
}

export const KEY_FILE = 'agent-key.pem';

export async function loadOrCreateKey(dataDir: string): Promise<AgentKey> {
  const file = join(dataDir, KEY_FILE);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  let pem: string;
  let created = false;
  try {
    pem = readFileSync(file, 'utf8');
    if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    // 'wx': two agents starting at once must not overwrite each other's key
    try {
      writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
      created = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      pem = readFileSync(file, 'utf8');
    }
  }
  const keyObject = createPrivateKey(pem);
  if (keyObject.asymmetricKeyType !== 'ec' || keyObject.asymmetricKeyDetails?.namedCurve !== 'prime256v1') throw new Error(`${file} is not a P-256 private key`);
  const publicJwk = await jose.exportJWK(createPublicKey(keyObject));
  const minimal: jose.JWK = { kty: publicJwk.kty, crv: publicJwk.crv, x: publicJwk.x, y: publicJwk.y };
  return {
    privateKey: (await jose.importPKCS8(pem, 'ES256')) as CryptoKey,
    publicJwk: minimal,
    thumbprint: await jose.calculateJwkThumbprint(minimal, 'sha256'),
    file,
    created,
  };
}
