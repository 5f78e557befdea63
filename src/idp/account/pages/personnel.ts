// Health personnel (/account/personnel): link the account to its entry in the personnel register, whose
// record then goes to relying parties as the health_personnel claim.
import type { Router } from '@koa/router';
import { issueCsrfToken } from '../../../kernel/http/csrf.ts';
import { t } from '../../web/messages.ts';
import { personnelPage } from '../../personnel/views.ts';
import type { PagesContext } from './context.ts';

export function personnelRoutes(router: Router, c: PagesContext) {
  const { accounts, personnel } = c.deps;
  const { state, takeFlash, back, html, requireSession, form } = c;

  router.get('/personnel', requireSession, async (ctx) => {
    const { session, lang } = state(ctx);
    html(ctx, personnelPage({ lang, csrf: issueCsrfToken(ctx), claim: await personnel.healthPersonnelClaim(session.sub), flash: takeFlash(ctx) }));
  });

  router.post('/personnel', ...form, async (ctx) => {
    const { session, lang } = state(ctx);
    const result = await personnel.link((await accounts.findBySub(session.sub))!);
    if (result === 'no_match') return back(ctx, '/account/personnel', { error: t(lang, 'personnelNoMatch') });
    back(ctx, '/account/personnel', { notice: t(lang, 'personnelLinked') });
  });
}
