// Recovery codes on the security page: how many are left, and a new set (shown once, replacing the old),
// left only through "I have saved them".
import type { Context } from 'koa';
import { t } from '../../web/messages.ts';
import { issueCsrfToken } from '../../../kernel/http/csrf.ts';
import { formatDateTime } from '../../../kernel/thai/time.ts';
import type { SettingsPart } from '../method.ts';
import type { RecoveryCodes } from './store.ts';
import { recoveryCodesPage, recoverySection } from './views.ts';

export function recoverySettings(recovery: RecoveryCodes): SettingsPart {
  return {
    async section(sub, { lang, csrf }) {
      return { body: recoverySection({ lang, csrf, remaining: await recovery.remaining(sub) }) };
    },

    routes(router, page) {
      const { form, state, html } = page;

      const show = (ctx: Context, codes: string[], error?: string) => {
        const { lang } = state(ctx);
        ctx.set('Cache-Control', 'no-store');
        html(ctx, recoveryCodesPage({ lang, csrf: issueCsrfToken(ctx), codes, madeAt: formatDateTime(new Date(), lang), error }), error ? 400 : 200);
      };

      router.post('/recovery-codes', ...form, async (ctx) => {
        show(ctx, await recovery.generate(state(ctx).session.sub));
      });

      // "I have saved them": the only way on from the codes; not ticked, the same codes again with the error
      router.post('/recovery-codes/saved', ...form, async (ctx) => {
        const { session, lang } = state(ctx);
        const b = page.body(ctx);
        const codes = page.str(b.codes).split(/\s+/).filter(Boolean).slice(0, 20);
        if (b.saved === 'yes') return page.back(ctx, '/account/security', { notice: t(lang, 'recoverySavedDone', { count: await recovery.remaining(session.sub) }) });
        if (!(await recovery.current(session.sub, codes))) return page.back(ctx, '/account/security', { error: t(lang, 'recoveryCodesStale') });
        show(ctx, codes, t(lang, 'recoverySavedRequired'));
      });
    },
  };
}
