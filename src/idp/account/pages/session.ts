// The account pages log a person in through the IdP itself, as the first-party account client
// (oidc/account_client.ts: code + PKCE, no consent screen); a page reads the IdP session that login made.
import { createHash, randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import { sameOriginPath } from '../../../kernel/http/redirect.ts';
import { ACCOUNT_CLIENT_ID } from '../../oidc/account_client.ts';

export { ACCOUNT_CLIENT_ID } from '../../oidc/account_client.ts';

/** Sensitive changes (removing the last second factor, ending all sessions) need a login this recent. */
export const FRESH_LOGIN_SECONDS = 10 * 60;
const LOGIN_COOKIE = 'mpid.account_login';

/** After an account login: one of the IdP's own consoles, else /account. */
function safeNext(v: unknown, issuer: string): string {
  const path = sameOriginPath(v, issuer);
  return path && /^\/(account|verifier|admin|coverage)(\/[\w/-]*)?$/.test(path) ? path : '/account';
}

export function startAccountLogin(ctx: Context, issuer: string, opts: { next?: unknown; fresh?: boolean; acr?: string }) {
  const state = randomBytes(16).toString('base64url');
  const verifier = randomBytes(32).toString('base64url');
  ctx.cookies.set(LOGIN_COOKIE, JSON.stringify({ state, verifier, next: safeNext(opts.next, issuer) }), { signed: true, httpOnly: true, sameSite: 'lax', maxAge: 15 * 60 * 1000, overwrite: true });
  const url = new URL('/auth', issuer);
  url.search = new URLSearchParams({
    client_id: ACCOUNT_CLIENT_ID,
    response_type: 'code',
    scope: 'openid',
    redirect_uri: `${issuer}/account/callback`,
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...(opts.fresh ? { prompt: 'login' } : {}),
    ...(opts.acr ? { acr_values: opts.acr } : {}),
    ...(ctx.query.lang === 'en' || ctx.query.lang === 'th' ? { ui_locales: String(ctx.query.lang) } : {}),
  }).toString();
  ctx.redirect(url.pathname + url.search);
}

/** Checks state and PKCE and consumes the code; returns where to go, or undefined if it is not ours. */
export async function finishAccountLogin(ctx: Context, provider: Provider): Promise<string | undefined> {
  const raw = ctx.cookies.get(LOGIN_COOKIE, { signed: true });
  ctx.cookies.set(LOGIN_COOKIE, null);
  if (!raw || typeof ctx.query.code !== 'string' || typeof ctx.query.state !== 'string') return undefined;
  let saved: { state: string; verifier: string; next: string };
  try {
    saved = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (saved.state !== ctx.query.state) return undefined;
  const code = await provider.AuthorizationCode.find(ctx.query.code);
  if (!code || code.clientId !== ACCOUNT_CLIENT_ID || (code as unknown as { consumed?: number }).consumed) return undefined;
  await code.consume();
  const challenge = createHash('sha256').update(saved.verifier).digest('base64url');
  if (code.codeChallenge !== challenge) return undefined;
  return safeNext(saved.next, provider.issuer);
}

export interface AccountSession {
  sub: string;
  acr?: string;
  amr?: string[];
  loginTs?: number;
  /** the oidc-provider session id (its jti), to tell the current session from others */
  id: string;
}

export async function accountSession(ctx: Context, provider: Provider): Promise<AccountSession | undefined> {
  const session = await provider.Session.get(ctx as never);
  if (!session.accountId) return undefined;
  return { sub: session.accountId, acr: session.acr, amr: session.amr, loginTs: session.loginTs, id: session.jti };
}

export const isFresh = (s: AccountSession, now = Date.now()) => Boolean(s.loginTs && now / 1000 - s.loginTs < FRESH_LOGIN_SECONDS);
