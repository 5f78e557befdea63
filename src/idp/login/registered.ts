// Registration ends logged in (AAL 1): a signed, httpOnly cookie for the interaction pages names the new
// account for ten minutes, and the next login prompt in this browser takes it once as the password factor
// (the interaction the registration started from, or, when it started nowhere, the account pages' own).
// It works for an account that has never logged in: a copied cookie cannot log in again.
import type { Context } from 'koa';
import type { Queryable } from '../../kernel/db/index.ts';
import { activityOf } from '../../kernel/audit/index.ts';

const COOKIE = 'mpid.registered';
const OPTIONS = { signed: true, httpOnly: true, sameSite: 'lax', path: '/interaction', overwrite: true } as const;
const TTL_MS = 10 * 60 * 1000;

/** After the account is made: `uid` is the interaction it returns to (only that one may take it). */
export function rememberRegistration(ctx: Context, sub: string, uid?: string, now = Date.now()): void {
  ctx.cookies.set(COOKIE, [sub, uid ?? '', String(now + TTL_MS)].join('~'), { ...OPTIONS, maxAge: TTL_MS });
}

/** The account just registered in this browser, for this interaction; the cookie is gone afterwards. */
export async function takeRegistration(ctx: Context, db: Queryable, uid: string, now = Date.now()): Promise<string | undefined> {
  const raw = ctx.cookies.get(COOKIE, { signed: true });
  if (!raw) return undefined;
  ctx.cookies.set(COOKIE, null, OPTIONS);
  const [sub, forUid, until] = raw.split('~');
  if (!sub || (forUid && forUid !== uid) || !(Number(until) > now)) return undefined;
  const events = await activityOf(db, sub, 50);
  return events.some((e) => e.action === 'login.succeeded') ? undefined : sub;
}
