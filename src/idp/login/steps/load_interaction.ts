// Every interaction route starts here: oidc-provider's record of this browser's interaction, or 400 when
// it has expired or the uid in the path is not this browser's.
import type { Context, Next } from 'koa';
import { HttpError } from '../../../kernel/http/errors.ts';
import { DatabaseUnavailable } from '../../../kernel/db/index.ts';
import { loginState, type Interaction } from './state.ts';

export async function loadInteraction(ctx: Context, next: Next): Promise<void> {
  const state = loginState(ctx);
  let d: Interaction;
  try {
    d = await state.deps.provider.interactionDetails(ctx.req, ctx.res);
  } catch (err) {
    // a database outage is not an expired login: it answers 503 (src/kernel/db)
    if (err instanceof DatabaseUnavailable) throw err;
    throw new HttpError(400, 'sessionExpired');
  }
  if (ctx.params.uid && d.uid !== ctx.params.uid) throw new HttpError(400, 'sessionExpired');
  state.interaction = d;
  await next();
}
