// Passkeys (WebAuthn, user-verifying): a synced one is `swk`, one bound to a single device `hwk`; alone
// they reach AAL 2.2, a device-bound one with the password AAL 3. They join the login (as a first or a
// second factor), the security page (add, rename, remove) and the privacy export (each passkey).
import type { AuthenticatorDeps, AuthenticatorMethod } from '../method.ts';
import type { Factor } from '../../oidc/acr.ts';
import { createPasskeys, type Passkeys } from './store.ts';
import { passkeyLogin } from './login.ts';
import { passkeySettings } from './settings.ts';

export { createPasskeys, type PasskeyInfo, type Passkeys } from './store.ts';

export function passkeyMethod(deps: AuthenticatorDeps): AuthenticatorMethod & { store: Passkeys } {
  const store = createPasskeys(deps.db, { ...deps.relyingParty, now: deps.now });
  return {
    id: 'passkey',
    factors: ['swk', 'hwk'],
    async usable(sub) {
      const keys = await store.list(sub);
      const factors: Factor[] = [];
      if (keys.some((k) => !k.deviceBound)) factors.push('swk');
      if (keys.some((k) => k.deviceBound)) factors.push('hwk');
      return factors;
    },
    strongCount: (sub) => store.count(sub),
    login: passkeyLogin(store, deps.db),
    settings: passkeySettings(store, deps.accounts),
    async exported(sub) {
      const keys = await store.list(sub);
      return { passkeys: keys.map((k) => ({ name: k.name, created_at: k.createdAt, last_used_at: k.lastUsedAt, device_bound: k.deviceBound })) };
    },
    store,
  };
}
