// The authenticator app at login: a second factor, a code from the app checked on top of the password.
import type { Context } from 'koa';
import type { LoginFlow, LoginPart } from '../method.ts';
import type { Totp } from './store.ts';
import { totpLoginForm } from './views.ts';

export function totpLogin(totp: Totp): LoginPart {
  return {
    routes: (flow) => [{ path: 'totp', body: 'form', steps: [flow.checkCsrf, flow.inLoginPrompt, flow.loginUnderWay, flow.notThrottled, (ctx) => checkTotp(flow, totp, ctx)] }],
    secondFactor: async (page) => ({ body: totpLoginForm(page) }),
  };
}

/** Checks the code against the app's secret; a code already used (replayed) fails like a wrong one. */
export async function checkTotp(flow: LoginFlow, totp: Totp, ctx: Context): Promise<void> {
  const p = flow.attempt(ctx);
  const result = await totp.verify(p.sub, flow.field(ctx, 'code'));
  if (result !== 'ok') return flow.factorFailed(ctx, 'otp', result);
  await flow.factorPassed(ctx, 'otp');
}
