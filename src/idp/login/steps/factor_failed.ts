// A failed second factor counts against the account (back-off, then lock), is audited, and the page
// says why in the person's words.
import type { Context } from 'koa';
import { audit } from '../../../kernel/audit/index.ts';
import type { Factor } from '../../oidc/acr.ts';
import { t } from '../../web/messages.ts';
import { OTP_ERRORS } from '../../sms/messages.ts';
import { advance } from './advance.ts';
import { attemptOf, langOf, loginState, secondFactorKey } from './state.ts';

/** Counts a failed second factor against the account. */
export async function countFailure(ctx: Context, sub: string): Promise<void> {
  await loginState(ctx).deps.throttle.fail(secondFactorKey(sub), ctx.ip);
}

export async function factorFailed(ctx: Context, factor: Factor, reason: string): Promise<void> {
  const { deps, interaction: d } = loginState(ctx);
  const p = attemptOf(ctx);
  await countFailure(ctx, p.sub);
  await audit(deps.db, { actor: p.sub, action: 'login.factor_failed', subject: p.sub, clientAddress: ctx.ip, detail: { factor, client_id: d.params.client_id } });
  await advance(ctx, t(langOf(ctx), OTP_ERRORS[reason]!));
}
