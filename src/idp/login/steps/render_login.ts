// The first login page: the ID number and password form, a passkey, and the ways to register or recover.
import type { Context } from 'koa';
import { issueCsrfToken } from '../../../kernel/http/csrf.ts';
import { loginPage } from '../views/login.ts';
import { clientName, langOf, loginState } from './state.ts';

export async function renderLogin(ctx: Context, extra: { pid?: string; error?: string; missing?: Array<'pid' | 'password'> } = {}): Promise<void> {
  const d = loginState(ctx).interaction;
  const lang = langOf(ctx);
  ctx.type = 'html';
  const csrf = issueCsrfToken(ctx);
  const alternatives = loginState(ctx).deps.authenticators.firstFactorParts({ lang, uid: d.uid, csrf });
  ctx.body = loginPage({ lang, uid: d.uid, csrf, clientName: await clientName(ctx), alternatives: alternatives.map((a) => a.body), ...extra });
}
