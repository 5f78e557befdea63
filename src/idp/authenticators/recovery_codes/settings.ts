// Recovery codes on the security page: how many are left, and a new set (shown once, replacing the old).
import { t } from '../../web/messages.ts';
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

      router.post('/recovery-codes', ...form, async (ctx) => {
        const { session, lang } = state(ctx);
        html(ctx, recoveryCodesPage({ lang, codes: await recovery.generate(session.sub) }));
      });
    },
  };
}
