// A person's authenticators taken together: which second factors they can use at login, and how many
// strong ones they have (removing the last one needs a fresh login).
import type { Factor } from '../oidc/acr.ts';
import type { Accounts } from '../account/index.ts';
import type { Totp } from './totp/index.ts';
import type { RecoveryCodes } from './recovery_codes/index.ts';
import type { Passkeys } from './passkey/index.ts';

export function createAuthenticators(deps: { accounts: Accounts; totp: Totp; recovery: RecoveryCodes; passkeys: Passkeys }) {
  const { accounts, totp, recovery, passkeys } = deps;
  return {
    totp,
    recovery,
    passkeys,

    /** Factors this account can add to a password (or to a passkey) at login. */
    async factorsOf(sub: string): Promise<Factor[]> {
      const [account, t, codes, keys] = await Promise.all([accounts.findBySub(sub), totp.status(sub), recovery.remaining(sub), passkeys.list(sub)]);
      const factors: Factor[] = [];
      if (account?.phoneVerified) factors.push('sms');
      if (t.enrolled) factors.push('otp');
      if (codes > 0) factors.push('recovery');
      if (keys.some((k) => !k.deviceBound)) factors.push('swk');
      if (keys.some((k) => k.deviceBound)) factors.push('hwk');
      return factors;
    },

    /** Authenticator apps and passkeys: the second factors that reach AAL 2.2. */
    async strongCount(sub: string): Promise<number> {
      const [t, keys] = await Promise.all([totp.status(sub), passkeys.count(sub)]);
      return (t.enrolled ? 1 : 0) + keys;
    },
  };
}

export type Authenticators = ReturnType<typeof createAuthenticators>;
