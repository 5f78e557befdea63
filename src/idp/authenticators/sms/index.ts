// A code by SMS to the account's verified phone: a restricted second factor (AAL 2.1 with the password).
// It joins the login only; the phone number itself is changed on the profile page and exported with the
// account, and the codes are kept by src/idp/sms/otp.ts.
import type { AuthenticatorDeps, AuthenticatorMethod } from '../method.ts';
import { smsLogin } from './login.ts';

export function smsMethod(deps: AuthenticatorDeps): AuthenticatorMethod {
  return {
    id: 'sms',
    factors: ['sms'],
    usable: async (sub) => ((await deps.accounts.findBySub(sub))?.phoneVerified ? ['sms'] : []),
    login: smsLogin(deps.accounts, deps.phoneOtp),
  };
}
