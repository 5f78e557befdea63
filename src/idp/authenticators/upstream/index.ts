// A login at an upstream identity provider (ThaID) standing for a login here: only where the provider's
// configuration allows it (THAID_LOGIN; off by default), only for the account that provider's login
// already proved (digital-ID evidence of that upstream subject, unrevoked), and at the level the AAL
// table gives the factor `fed` (oidc/acr.ts). It is a first factor only: never offered as a second one.
import type { AuthenticatorMethod } from '../method.ts';
import { upstreamLogin, type UpstreamLoginDeps } from './login.ts';

export { LOGIN_PURPOSE, loginPurpose, type UpstreamLoginDeps } from './login.ts';

export function upstreamMethod(deps: UpstreamLoginDeps | undefined): AuthenticatorMethod {
  return {
    id: 'upstream',
    factors: ['fed'],
    usable: async () => [],
    ...(deps ? { login: upstreamLogin(deps) } : {}),
  };
}
