// The password: the first factor every account has (AAL 1 alone; with a second factor more), checked
// with argon2id (hash.ts) against the policy (policy.ts). It joins the login (the login form), the
// security page (change it) and the privacy export (that there is one; never the hash).
import type { AuthenticatorDeps, AuthenticatorMethod } from '../method.ts';
import { passwordLogin } from './login.ts';
import { passwordSettings } from './settings.ts';

export function passwordMethod(deps: AuthenticatorDeps): AuthenticatorMethod {
  return {
    id: 'password',
    factors: ['pwd'],
    usable: async () => ['pwd'],
    login: passwordLogin(deps),
    settings: passwordSettings(deps),
    exported: async () => ({ password: true }),
  };
}
