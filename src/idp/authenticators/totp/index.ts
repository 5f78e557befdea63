// The authenticator app (TOTP, RFC 6238): a second factor that reaches AAL 2.2 with the password, and a
// strong authenticator. It joins the login (a code on the second-factor page), the security page (set
// up, remove) and the privacy export (whether one is set up, and since when).
import type { AuthenticatorDeps, AuthenticatorMethod } from '../method.ts';
import { createTotp, type Totp } from './store.ts';
import { totpLogin } from './login.ts';
import { totpSettings } from './settings.ts';

export { createTotp, type Totp, type TotpResult } from './store.ts';

export function totpMethod(deps: AuthenticatorDeps): AuthenticatorMethod & { store: Totp } {
  const store = createTotp(deps.db, deps.pii, { now: deps.now });
  const enrolled = async (sub: string) => (await store.status(sub)).enrolled;
  return {
    id: 'totp',
    factors: ['otp'],
    usable: async (sub) => ((await enrolled(sub)) ? ['otp'] : []),
    strongCount: async (sub) => ((await enrolled(sub)) ? 1 : 0),
    login: totpLogin(store),
    settings: totpSettings(store, deps.accounts),
    async exported(sub) {
      const totp = await store.status(sub);
      return { authenticator_app: totp.enrolled ? { confirmed_at: totp.confirmedAt } : null };
    },
    store,
  };
}
