// CSRF protection for every form: a random secret in a signed, httpOnly cookie and, in the form, a
// token that is an HMAC of the issue time under that secret. Forged, foreign or expired tokens fail.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, Next } from 'koa';
import { HttpError } from './errors.ts';

const COOKIE = 'mpid.csrf';
export const CSRF_MAX_AGE_MS = 2 * 3600 * 1000;

function mac(secret: string, issuedAt: string): string {
  return createHmac('sha256', secret).update(issuedAt).digest('base64url');
}

function secretOf(ctx: Context, create: boolean, cookie: string): string | undefined {
  // a secret made earlier in this same request is not in the request's cookies yet
  const made = `csrf:${cookie}`;
  let secret = ctx.cookies.get(cookie, { signed: true }) ?? (ctx.state[made] as string | undefined);
  if (!secret && create) {
    secret = randomBytes(32).toString('base64url');
    ctx.state[made] = secret;
    ctx.cookies.set(cookie, secret, { signed: true, httpOnly: true, sameSite: 'lax', overwrite: true });
  }
  return secret;
}

/** `cookie`: each service on a host needs its own (cookies do not tell ports apart). */
export function issueCsrfToken(ctx: Context, now = Date.now(), cookie = COOKIE): string {
  const secret = secretOf(ctx, true, cookie)!;
  const issuedAt = String(now);
  return `${issuedAt}.${mac(secret, issuedAt)}`;
}

export function checkCsrfToken(ctx: Context, token: unknown, now = Date.now(), cookie = COOKIE): boolean {
  const secret = secretOf(ctx, false, cookie);
  if (!secret || typeof token !== 'string') return false;
  const [issuedAt, sig] = token.split('.');
  if (!issuedAt || !sig || !/^\d+$/.test(issuedAt)) return false;
  const age = now - Number(issuedAt);
  if (age < 0 || age > CSRF_MAX_AGE_MS) return false;
  const expected = Buffer.from(mac(secret, issuedAt));
  const given = Buffer.from(sig);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export interface CsrfCheck {
  /** the token to check; by default the form's `csrf` field */
  token?: unknown;
  cookie?: string;
  /** what to throw on failure; by default a 403 with the text 'csrfError' */
  error?: () => Error;
}

/** Refuses a form whose CSRF token fails. */
export function requireCsrf(ctx: Context, check: CsrfCheck = {}): void {
  const token = 'token' in check ? check.token : (ctx.request.body as Record<string, unknown> | undefined)?.csrf;
  if (!checkCsrfToken(ctx, token, Date.now(), check.cookie)) throw check.error?.() ?? new HttpError(403, 'csrfError');
}

/** requireCsrf as middleware, after the form's body is parsed. */
export const csrfGuard = (check: Omit<CsrfCheck, 'token'> = {}) =>
  async function csrfGuardMiddleware(ctx: Context, next: Next) {
    requireCsrf(ctx, check);
    await next();
  };
