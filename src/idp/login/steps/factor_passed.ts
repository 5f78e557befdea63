// A second factor passed: the account's failure counter starts again from nothing, the factor is
// recorded, and the login moves on.
import type { Context } from 'koa';
import type { Factor } from '../../oidc/acr.ts';
import { passFactor } from './record_factor.ts';
import { attemptOf, loginState, secondFactorKey } from './state.ts';

export async function factorPassed(ctx: Context, factor: Factor): Promise<void> {
  const p = attemptOf(ctx);
  await loginState(ctx).deps.throttle.succeed(secondFactorKey(p.sub), ctx.ip);
  await passFactor(ctx, p.sub, factor);
}
