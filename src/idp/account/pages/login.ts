// The account pages log in through the IdP itself (session.ts): /account/login starts it, /callback
// finishes it and goes back to the page asked for, /logout ends the IdP session and /logged-out says so.
import type { Router } from '@koa/router';
import { pickLang } from '../../../kernel/http/i18n.ts';
import { t } from '../../web/messages.ts';
import { messagePage } from '../../login/views/message.ts';
import { loggedOutPage } from '../../oidc/pages.ts';
import { finishAccountLogin, startAccountLogin, ACCOUNT_CLIENT_ID } from './session.ts';
import type { PagesContext } from './context.ts';

export function loginRoutes(router: Router, c: PagesContext) {
  const { provider, issuer } = c.deps;
  const { html } = c;

  router.get('/login', (ctx) => {
    pickLang(ctx); // remembers ?lang= for the account pages
    startAccountLogin(ctx, issuer, { next: ctx.query.next, fresh: ctx.query.fresh === '1' });
  });

  router.get('/callback', async (ctx) => {
    const next = await finishAccountLogin(ctx, provider);
    if (!next) return html(ctx, messagePage({ lang: pickLang(ctx), title: t(pickLang(ctx), 'errorTitle'), message: t(pickLang(ctx), 'accountLoginFailed') }), 400);
    ctx.redirect(next);
  });

  router.get('/logout', (ctx) => {
    ctx.redirect(`/session/end?client_id=${ACCOUNT_CLIENT_ID}&post_logout_redirect_uri=${encodeURIComponent(`${issuer}/account/logged-out`)}`);
  });

  router.get('/logged-out', (ctx) => html(ctx, loggedOutPage(pickLang(ctx))));
}
