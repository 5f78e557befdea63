// A person's authenticators taken together. Every method is listed once, in `methods`; the login flow,
// the account security page and the privacy export loop over that list through the functions below,
// and never name a method. The order of the list is the order the pages show them.
import type { Router } from '@koa/router';
import type { FieldErrors } from '../../kernel/web/form.ts';
import type { Lang } from '../../kernel/http/i18n.ts';
import type { Factor } from '../oidc/acr.ts';
import type { AuthenticatorDeps, AuthenticatorMethod, LoginFlow, LoginRoute, PagePart, SecondFactorPage, SecurityPage } from './method.ts';
import { passkeyMethod } from './passkey/index.ts';
import { totpMethod } from './totp/index.ts';
import { smsMethod } from './sms/index.ts';
import { recoveryCodesMethod } from './recovery_codes/index.ts';
import { passwordMethod } from './password/index.ts';
import { upstreamMethod } from './upstream/index.ts';

export type { AuthenticatorDeps, AuthenticatorMethod } from './method.ts';
export { LOGIN_PURPOSE as UPSTREAM_LOGIN_PURPOSE, loginPurpose as upstreamLoginPurpose } from './upstream/index.ts';

export function createAuthenticators(deps: AuthenticatorDeps) {
  const passkey = passkeyMethod(deps);
  const totp = totpMethod(deps);
  const recoveryCodes = recoveryCodesMethod(deps);
  const methods: readonly AuthenticatorMethod[] = [passkey, totp, smsMethod(deps), recoveryCodes, passwordMethod(deps), upstreamMethod(deps.upstreamLogin)];

  return {
    methods,
    // the stores that account recovery and the tests reach directly
    totp: totp.store,
    recovery: recoveryCodes.store,
    passkeys: passkey.store,

    /** Factors this account can use at login. */
    async factorsOf(sub: string): Promise<Factor[]> {
      return (await Promise.all(methods.map((m) => m.usable(sub)))).flat();
    },

    /** Authenticators that reach AAL 2.2 (apps, passkeys): removing the last one needs a fresh login. */
    async strongCount(sub: string): Promise<number> {
      const counts = await Promise.all(methods.map((m) => m.strongCount?.(sub) ?? 0));
      return counts.reduce((a, b) => a + b, 0);
    },

    /** Every method's routes in the login interaction. */
    loginRoutes(flow: LoginFlow): LoginRoute[] {
      return methods.flatMap((m) => m.login?.routes(flow) ?? []);
    },

    /** The second-factor page's parts for the factors offered. */
    async secondFactorParts(offered: readonly Factor[], page: SecondFactorPage): Promise<PagePart[]> {
      const shown = methods.filter((m) => m.login?.secondFactor && m.factors.some((f) => offered.includes(f)));
      return Promise.all(shown.map((m) => m.login!.secondFactor!(page)));
    },

    /** The first login page's buttons of the methods that begin a login by themselves. */
    firstFactorParts(page: { lang: Lang; uid: string; csrf: string }): PagePart[] {
      return methods.flatMap((m) => m.login?.firstFactor?.(page) ?? []);
    },

    /** Every method's settings routes under /account. */
    settingsRoutes(router: Router, page: SecurityPage): void {
      for (const m of methods) m.settings?.routes(router, page);
    },

    /** The security page's sections. */
    async securityParts(sub: string, view: { lang: Lang; csrf: string; errors: FieldErrors }): Promise<PagePart[]> {
      return Promise.all(methods.flatMap((m) => (m.settings ? [m.settings.section(sub, view)] : [])));
    },

    /** The privacy export's `authenticators`: what each method holds for this account. */
    async exported(sub: string): Promise<Record<string, unknown>> {
      const parts = await Promise.all(methods.map((m) => m.exported?.(sub) ?? {}));
      return Object.assign({}, ...parts);
    },
  };
}

export type Authenticators = ReturnType<typeof createAuthenticators>;
