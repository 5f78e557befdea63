// Recovery codes at login: a second factor for when the app is not at hand; each code works once.
import type { Context } from 'koa';
import type { LoginFlow, LoginPart } from '../method.ts';
import type { RecoveryCodes } from './store.ts';
import { recoveryLoginForm } from './views.ts';

export function recoveryLogin(recovery: RecoveryCodes): LoginPart {
  return {
    routes: (flow) => [{ path: 'recovery', body: 'form', steps: [flow.checkCsrf, flow.inLoginPrompt, flow.loginUnderWay, flow.notThrottled, (ctx) => checkRecoveryCode(flow, recovery, ctx)] }],
    secondFactor: async (page) => ({ body: recoveryLoginForm(page) }),
  };
}

/** Uses up the code if it is one of the account's unused ones. */
export async function checkRecoveryCode(flow: LoginFlow, recovery: RecoveryCodes, ctx: Context): Promise<void> {
  const p = flow.attempt(ctx);
  if (!(await recovery.use(p.sub, flow.field(ctx, 'code')))) return flow.factorFailed(ctx, 'recovery', 'wrong');
  await flow.factorPassed(ctx, 'recovery');
}
