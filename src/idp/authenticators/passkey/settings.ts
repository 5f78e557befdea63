// Passkeys on the security page: register one (WebAuthn, JSON), rename and remove. Removing the last
// strong authenticator needs a fresh login.
import { jsonBody } from '../../../kernel/http/json.ts';
import { HttpError } from '../../../kernel/http/errors.ts';
import { t } from '../../web/messages.ts';
import type { Accounts } from '../../account/index.ts';
import type { SettingsPart } from '../method.ts';
import type { Passkeys } from './store.ts';
import { passkeysSection } from './views.ts';
import { formatDateTime } from '../../../kernel/thai/time.ts';

export function passkeySettings(passkeys: Passkeys, accounts: Accounts): SettingsPart {
  return {
    async section(sub, { lang, csrf }) {
      const keys = await passkeys.list(sub);
      return {
        body: passkeysSection({
          lang,
          csrf,
          passkeys: keys.map((k) => ({ id: k.id, name: k.name, deviceBound: k.deviceBound, lastUsed: k.lastUsedAt ? formatDateTime(k.lastUsedAt, lang) : null })),
        }),
        scripts: ['passkey.js'],
      };
    },

    routes(router, page) {
      const { requireSession, form, state, body, back, flash, needsFreshLogin, strongCount } = page;

      router.post('/passkeys/options', jsonBody(), requireSession, async (ctx) => {
        const { session } = state(ctx);
        const account = (await accounts.findBySub(session.sub))!;
        ctx.set('Cache-Control', 'no-store');
        ctx.body = await passkeys.registrationOptions(session.sub, { name: `${account.givenName} ${account.familyName}`, displayName: `${account.givenName} ${account.familyName}` });
      });

      router.post('/passkeys', jsonBody(), requireSession, async (ctx) => {
        const { session, lang } = state(ctx);
        const b = body(ctx);
        const result = await passkeys.verifyRegistration(session.sub, b.challengeId, b.response, b.name);
        if (!result.ok) {
          ctx.status = 400;
          ctx.body = { error: t(lang, 'passkeyFailed') };
          return;
        }
        flash(ctx, { notice: t(lang, 'passkeyAdded') });
        ctx.body = { redirect: '/account/security' };
      });

      router.post('/passkeys/:id/rename', ...form, async (ctx) => {
        const { session, lang } = state(ctx);
        if (!(await passkeys.rename(session.sub, ctx.params.id!, body(ctx).name))) throw new HttpError(404, 'notFound');
        back(ctx, '/account/security', { notice: t(lang, 'saved') });
      });

      router.post('/passkeys/:id/remove', ...form, async (ctx) => {
        const { session, lang } = state(ctx);
        if ((await strongCount(session.sub)) <= 1 && needsFreshLogin(ctx, '/account/security')) return;
        if (!(await passkeys.remove(session.sub, ctx.params.id!))) throw new HttpError(404, 'notFound');
        back(ctx, '/account/security', { notice: t(lang, 'saved') });
      });
    },
  };
}
