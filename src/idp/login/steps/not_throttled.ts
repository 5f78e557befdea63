// Guessing second factors meets the same back-off and lock as guessing passwords: the attempt is
// reserved before the code is checked (factorPassed or factorFailed ends it); refused, 429 with
// Retry-After and the page again saying how long to wait.
import type { Context, Next } from 'koa';
import { t } from '../../web/messages.ts';
import { advance } from './advance.ts';
import { attemptOf, langOf, loginState, secondFactorKey } from './state.ts';

export async function notThrottled(ctx: Context, next: Next): Promise<void> {
  const p = attemptOf(ctx);
  const lang = langOf(ctx);
  const verdict = await loginState(ctx).deps.throttle.check(secondFactorKey(p.sub), ctx.ip);
  if (verdict.ok) return next();
  ctx.set('Retry-After', String(verdict.retryAfter));
  await advance(ctx, verdict.locked ? t(lang, 'locked') : t(lang, 'tooManyAttempts', { seconds: verdict.retryAfter }));
  ctx.status = 429;
}
