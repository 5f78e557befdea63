// Recovery codes: ten single-use look-up secrets kept on paper, a restricted second factor (AAL 2.1
// with the password). They join the login (the fallback form), the security page (a new set) and the
// privacy export (how many are left).
import type { AuthenticatorDeps, AuthenticatorMethod } from '../method.ts';
import { createRecoveryCodes, type RecoveryCodes } from './store.ts';
import { recoveryLogin } from './login.ts';
import { recoverySettings } from './settings.ts';

export { createRecoveryCodes, type RecoveryCodes } from './store.ts';

export function recoveryCodesMethod(deps: AuthenticatorDeps): AuthenticatorMethod & { store: RecoveryCodes } {
  const store = createRecoveryCodes(deps.db, deps.pii);
  return {
    id: 'recovery_codes',
    factors: ['recovery'],
    usable: async (sub) => ((await store.remaining(sub)) > 0 ? ['recovery'] : []),
    login: recoveryLogin(store),
    settings: recoverySettings(store),
    exported: async (sub) => ({ recovery_codes_left: await store.remaining(sub) }),
    store,
  };
}
