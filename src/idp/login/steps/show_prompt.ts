// GET /interaction/:uid shows what the interaction asks for now: the login under way (or a step-up) from
// where it is, the account just registered in this browser (logged in at once), the first login page,
// or the consent page with the scopes and claims not yet allowed.
import type { Context } from 'koa';
import { issueCsrfToken } from '../../../kernel/http/csrf.ts';
import { consentPage } from '../views/consent.ts';
import { advance } from './advance.ts';
import { progressOf } from './progress_of.ts';
import { passFactor } from './record_factor.ts';
import { takeRegistration } from '../registered.ts';
import { takeFlash } from '../../account/pages/flash.ts';
import { renderLogin } from './render_login.ts';
import { clientName, langOf, loginState } from './state.ts';

export async function showPrompt(ctx: Context): Promise<void> {
  const state = loginState(ctx);
  const d = state.interaction;
  ctx.set('Cache-Control', 'no-store');
  if (d.prompt.name === 'login') {
    const p = await progressOf(ctx);
    if (!p) {
      // just registered in this browser: the password was set a moment ago, so that counts (AAL 1)
      const registered = await takeRegistration(ctx, state.deps.db, d.uid);
      if (!registered) return renderLogin(ctx);
      return passFactor(ctx, registered, 'pwd');
    }
    state.progress = p;
    return advance(ctx);
  }
  const lang = langOf(ctx);
  const missingScopes = [...((d.prompt.details.missingOIDCScope as string[] | undefined) ?? [])];
  const missingClaims = [...((d.prompt.details.missingOIDCClaims as string[] | undefined) ?? [])];
  ctx.type = 'html';
  ctx.body = consentPage({ lang, uid: d.uid, csrf: issueCsrfToken(ctx), clientName: await clientName(ctx), scopes: missingScopes, claims: missingClaims, notice: takeFlash(ctx)?.notice });
}
