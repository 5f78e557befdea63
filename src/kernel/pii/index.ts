// Personal data at rest: AES-256-GCM ciphertext plus a keyed HMAC blind index for exact lookups.
// Both keys are derived from one configured key (HKDF), so one secret is rotated and kept safe.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

export interface Pii {
  encrypt(plain: string, context: string): string;
  decrypt(sealed: string, context: string): string;
  /** Deterministic keyed hash for equality lookups; context separates kinds (pid, phone). */
  index(value: string, context: string): Buffer;
}

const VERSION = 'v1';

export function createPii(masterKey: Buffer): Pii {
  const encKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'mpid pii encryption', 32));
  const idxKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'mpid pii blind index', 32));
  return {
    encrypt(plain, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    decrypt(sealed, context) {
      const [version, iv, body, tag] = sealed.split('.');
      if (version !== VERSION || !iv || body === undefined || !tag) throw new Error('unreadable personal-data ciphertext');
      const decipher = createDecipheriv('aes-256-gcm', encKey, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
    index(value, context) {
      return createHmac('sha256', idxKey).update(context).update('\0').update(value).digest();
    },
  };
}

export { maskPid } from '../thai/pid.ts';
