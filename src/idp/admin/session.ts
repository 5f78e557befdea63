// Who is at the administration console: a person logged in to the account client at AAL 2.1 or above
// (else a page is sent to log in, a form refused), whose forms carry the CSRF token, and whether they
// hold the admin role (the pages say they do not, and do nothing, when they do not).
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { Units } from '../units/index.ts';
import { accountSession } from '../account/pages/session.ts';
import { acrRank } from '../oidc/acr.ts';
import { checkCsrfToken } from '../../kernel/http/csrf.ts';
import { pickLang, type Lang } from '../../kernel/http/i18n.ts';
import { HttpError } from '../../kernel/http/errors.ts';

export const ADMIN_ACR = 'urn:th:etda:aal:2.1';

export interface AdminSession {
  sub: string;
  lang: Lang;
  isAdmin: boolean;
}

export async function adminSession(ctx: Context, deps: { provider: Provider; units: Units }): Promise<AdminSession | undefined> {
  const session = await accountSession(ctx, deps.provider);
  if (!session || acrRank(session.acr) < acrRank(ADMIN_ACR)) {
    if (ctx.method !== 'GET') throw new HttpError(401, 'sessionExpired');
    // the language chosen (?lang= or the cookie) is remembered and goes to the login page too
    ctx.redirect(`/admin/login?lang=${pickLang(ctx)}&next=${encodeURIComponent(ctx.path)}`);
    return undefined;
  }
  const body = (ctx.request.body ?? {}) as Record<string, unknown>;
  if (ctx.method !== 'GET' && !checkCsrfToken(ctx, body.csrf)) throw new HttpError(403, 'csrfError');
  return { sub: session.sub, lang: pickLang(ctx), isAdmin: await deps.units.hasRole(session.sub, 'admin') };
}
