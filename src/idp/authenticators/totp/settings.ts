// The authenticator app on the security page: set it up (a QR code, then a first code) and remove it.
// Removing the last strong authenticator needs a fresh login.
import { issueCsrfToken } from '../../../kernel/http/csrf.ts';
import { t } from '../../web/messages.ts';
import type { Accounts } from '../../account/index.ts';
import type { SettingsPart } from '../method.ts';
import type { Totp } from './store.ts';
import { totpEnrolPage, totpSection } from './views.ts';

export function totpSettings(totp: Totp, accounts: Accounts): SettingsPart {
  return {
    async section(sub, { lang, csrf }) {
      return { body: totpSection({ lang, csrf, enrolled: (await totp.status(sub)).enrolled }) };
    },

    routes(router, page) {
      const { requireSession, form, state, body, str, html, back, needsFreshLogin, strongCount } = page;

      router.get('/totp', requireSession, async (ctx) => {
        const { session, lang } = state(ctx);
        const account = (await accounts.findBySub(session.sub))!;
        const { qrSvg, setupKey } = await totp.begin(session.sub, `${account.givenName} ${account.familyName}`);
        html(ctx, totpEnrolPage({ lang, csrf: issueCsrfToken(ctx), qrSvg, setupKey }));
      });

      router.post('/totp', ...form, async (ctx) => {
        const { session, lang } = state(ctx);
        const result = await totp.confirm(session.sub, str(body(ctx).code));
        if (result === 'ok') return back(ctx, '/account/security', { notice: t(lang, 'totpEnrolled') });
        if (result === 'no_pending') return back(ctx, '/account/security', { error: t(lang, 'totpNoPending') });
        // show the same secret again: a new one would break what the person has just scanned
        const account = (await accounts.findBySub(session.sub))!;
        const setup = await totp.pendingSetup(session.sub, `${account.givenName} ${account.familyName}`);
        if (!setup) return back(ctx, '/account/security', { error: t(lang, 'totpNoPending') });
        html(ctx, totpEnrolPage({ lang, csrf: issueCsrfToken(ctx), qrSvg: setup.qrSvg, setupKey: setup.setupKey, error: t(lang, 'wrongCode') }), 400);
      });

      router.post('/totp/remove', ...form, async (ctx) => {
        const { session, lang } = state(ctx);
        if ((await strongCount(session.sub)) <= 1 && needsFreshLogin(ctx, '/account/security')) return;
        await totp.remove(session.sub);
        back(ctx, '/account/security', { notice: t(lang, 'totpRemoved') });
      });
    },
  };
}
