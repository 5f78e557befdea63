// CSRF protection for every form: a random secret in a signed, httpOnly cookie and, in the form, a
// token that is an HMAC of the issue time under that secret. Forged, foreign or expired tokens fail.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';

const COOKIE = 'mpid.csrf';
export const CSRF_MAX_AGE_MS = 2 * 3600 * 1000;

function mac(secret: string, issuedAt: string): string {
  return createHmac('sha256', secret).update(issuedAt).digest('base64url');
}

function secretOf(ctx: Context, create: boolean): string | undefined {
  let secret = ctx.cookies.get(COOKIE, { signed: true });
  if (!secret && create) {
    secret = randomBytes(32).toString('base64url');
    ctx.cookies.set(COOKIE, secret, { signed: true, httpOnly: true, sameSite: 'lax', overwrite: true });
  }
  return secret;
}

export function issueCsrfToken(ctx: Context, now = Date.now()): string {
  const secret = secretOf(ctx, true)!;
  const issuedAt = String(now);
  return `${issuedAt}.${mac(secret, issuedAt)}`;
}

export function checkCsrfToken(ctx: Context, token: unknown, now = Date.now()): boolean {
  const secret = secretOf(ctx, false);
  if (!secret || typeof token !== 'string') return false;
  const [issuedAt, sig] = token.split('.');
  if (!issuedAt || !sig || !/^\d+$/.test(issuedAt)) return false;
  const age = now - Number(issuedAt);
  if (age < 0 || age > CSRF_MAX_AGE_MS) return false;
  const expected = Buffer.from(mac(secret, issuedAt));
  const given = Buffer.from(sig);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
