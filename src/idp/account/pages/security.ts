// The security page (/account/security): one section per authenticator method, in the methods' order,
// and each method's own settings routes (src/idp/authenticators/<method>/settings.ts) mounted here.
import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { issueCsrfToken } from '../../../kernel/http/csrf.ts';
import type { FieldErrors } from '../../../kernel/web/form.ts';
import type { SecurityPage } from '../../authenticators/method.ts';
import { securityPage } from './views.ts';
import type { PagesContext } from './context.ts';

export function securityRoutes(router: Router, c: PagesContext) {
  const { authenticators } = c.deps;
  const { state, takeFlash, html, requireSession } = c;

  async function renderSecurity(ctx: Context, errors: FieldErrors = {}, status = 200) {
    const { session, lang } = state(ctx);
    const parts = await authenticators.securityParts(session.sub, { lang, csrf: issueCsrfToken(ctx), errors });
    html(
      ctx,
      securityPage({
        lang,
        sections: parts.map((p) => p.body),
        scripts: [...new Set(parts.flatMap((p) => p.scripts ?? []))],
        flash: takeFlash(ctx),
      }),
      status,
    );
  }

  router.get('/security', requireSession, (ctx) => renderSecurity(ctx));

  const page: SecurityPage = { ...c, render: renderSecurity, strongCount: (sub) => authenticators.strongCount(sub) };
  authenticators.settingsRoutes(router, page);
}
