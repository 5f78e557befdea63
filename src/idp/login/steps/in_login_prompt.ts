// A factor is accepted only while the interaction asks for a login (not at consent, not after it).
import type { Context, Next } from 'koa';
import { HttpError } from '../../../kernel/http/errors.ts';
import { loginState } from './state.ts';

export async function inLoginPrompt(ctx: Context, next: Next): Promise<void> {
  if (loginState(ctx).interaction.prompt.name !== 'login') throw new HttpError(400, 'sessionExpired');
  await next();
}
