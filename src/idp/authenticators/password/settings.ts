// Changing the password on the security page: the current password first (a credential check like a
// login, with the same counters), the new one against the policy; every other session then ends.
import { audit } from '../../../kernel/audit/index.ts';
import type { Database } from '../../../kernel/db/index.ts';
import type { FieldErrors } from '../../../kernel/web/form.ts';
import { t } from '../../web/messages.ts';
import type { Accounts, PasswordHasher } from '../../account/index.ts';
import type { LoginThrottle } from '../../login/throttle.ts';
import { createSessionRecords } from '../../oidc/sessions.ts';
import type { SettingsPart } from '../method.ts';
import { checkPassword } from './policy.ts';
import { passwordSection } from './views.ts';
import { PASSWORD_ERRORS } from './messages.ts';


export function passwordSettings(deps: { db: Database; accounts: Accounts; hasher: PasswordHasher; throttle: LoginThrottle }): SettingsPart {
  const { db, accounts, hasher, throttle } = deps;
  const records = createSessionRecords(db);
  return {
    async section(_sub, view) {
      return { body: passwordSection(view), scripts: ['password-strength.js'] };
    },

    routes(router, page) {
      const { form, state, body, back } = page;
      const renderSecurity = page.render;

      router.post('/password', ...form, async (ctx) => {
        const { session, lang } = state(ctx);
        const b = body(ctx);
        const account = (await accounts.findBySub(session.sub))!;
        const password = typeof b.password === 'string' ? b.password : '';
        const errors: FieldErrors = {};
        // the current password is a credential check like a login: same counters, back-off and lock
        const verdict0 = await throttle.check(account.pid, ctx.ip);
        if (!verdict0.ok) {
          ctx.set('Retry-After', String(verdict0.retryAfter));
          return renderSecurity(ctx, { current_password: verdict0.locked ? t(lang, 'locked') : t(lang, 'tooManyAttempts', { seconds: verdict0.retryAfter }) }, 429);
        }
        if (!(await accounts.verifyPassword(account.pid, typeof b.current_password === 'string' ? b.current_password : ''))) {
          await throttle.fail(account.pid, ctx.ip);
          errors.current_password = t(lang, 'wrongCurrentPassword');
        } else {
          await throttle.release(account.pid, ctx.ip);
        }
        const verdict = checkPassword(password, { pid: account.pid, phone: account.phoneNumber ?? undefined, birthdate: account.birthdate });
        if (!verdict.ok) errors.password = t(lang, PASSWORD_ERRORS[verdict.reason]!);
        else if (b.password_confirm !== password) errors.password_confirm = t(lang, 'errPasswordMismatch');
        if (Object.keys(errors).length) return renderSecurity(ctx, errors, 400);
        const hash = await hasher.hash(password);
        await db.tx(async (q) => {
          await accounts.setPasswordHash(q, session.sub, hash);
          await records.endSessions(q, session.sub, session.id);
          await audit(q, { actor: session.sub, action: 'password.changed', subject: session.sub, clientAddress: ctx.ip });
        });
        back(ctx, '/account/security', { notice: t(lang, 'passwordChanged') });
      });
    },
  };
}
