// The keys that sign cookies, in the shape Koa and oidc-provider take instead of a list of strings
// (the `cookies` package's Keygrip interface). The signatures are Keygrip's own (HMAC-SHA1 under the
// newest key, base64url), so cookies signed before stay valid and a rotated-out key still reads its
// cookies. What differs is the check, made on every request that reads a signed cookie: Keygrip
// compares with `tsscmp`, two more HMACs per key to hide the length of a digest whose length is
// public; here one HMAC and `timingSafeEqual` (a third of the work, as constant in time).
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

export interface CookieKeys {
  sign(data: string): string;
  verify(data: string, digest: string): boolean;
  /** which key signed `data` (0 the newest), or -1 */
  index(data: string, digest: string): number;
}

/** `keys`: newest first (the first signs, every one verifies). */
export function cookieKeys(keys: readonly string[]): CookieKeys {
  if (!keys.length) throw new TypeError('cookie keys: at least one is needed');
  const secrets: KeyObject[] = keys.map((k) => createSecretKey(Buffer.from(k)));
  const mac = (data: string, key: KeyObject) => createHmac('sha1', key).update(data).digest('base64url');
  const index = (data: string, digest: string) => {
    const given = Buffer.from(String(digest));
    for (let i = 0; i < secrets.length; i++) {
      const expected = Buffer.from(mac(data, secrets[i]!));
      if (expected.length === given.length && timingSafeEqual(expected, given)) return i;
    }
    return -1;
  };
  return { sign: (data) => mac(data, secrets[0]!), verify: (data, digest) => index(data, digest) > -1, index };
}
