// What the login steps share on ctx.state.login: the dependencies (set first, by routes.ts), the
// oidc-provider interaction (loadInteraction), and the login under way once a step has found it.
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { Database } from '../../../kernel/db/index.ts';
import { pickLang, type Lang } from '../../../kernel/http/i18n.ts';
import { HttpError } from '../../../kernel/http/errors.ts';
import type { Authenticators } from '../../authenticators/index.ts';
import type { Units } from '../../units/index.ts';
import type { LoginThrottle } from '../throttle.ts';
import type { LoginProgress, LoginProgressStore } from '../progress.ts';

export interface InteractionDeps {
  provider: Provider;
  db: Database;
  throttle: LoginThrottle;
  progress: LoginProgressStore;
  authenticators: Authenticators;
  units: Units;
}

export type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

export interface LoginState {
  deps: InteractionDeps;
  interaction: Interaction;
  /** the login under way, once loginUnderWay (or showPrompt) found it */
  progress?: LoginProgress;
  /** whether login_progress holds this interaction's row, once this request has read or written it */
  stored?: boolean;
  /** a factor passed in this request that login_progress does not hold yet (advance keeps it unless the login ends) */
  unsaved?: boolean;
}

export const loginState = (ctx: Context) => ctx.state.login as LoginState;

/** The login under way; a step that needs one runs after loginUnderWay. */
export function attemptOf(ctx: Context): LoginProgress {
  const p = loginState(ctx).progress;
  if (!p) throw new HttpError(400, 'sessionExpired');
  return p;
}

export const langOf = (ctx: Context): Lang => {
  const ui = loginState(ctx).interaction.params.ui_locales;
  return pickLang(ctx, typeof ui === 'string' ? ui : undefined);
};

export async function clientOf(ctx: Context) {
  const { deps, interaction } = loginState(ctx);
  return deps.provider.Client.find(String(interaction.params.client_id));
}

export async function clientName(ctx: Context): Promise<string> {
  const c = await clientOf(ctx);
  return c?.clientName ?? String(loginState(ctx).interaction.params.client_id);
}

export const field = (ctx: Context, name: string): string => {
  const v = (ctx.request.body as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : '';
};

export const interactionOf = (ctx: Context) => {
  const d = loginState(ctx).interaction;
  return { uid: d.uid, clientId: d.params.client_id };
};

/** Second factors share the account's failure counter (back-off, then lock) with the password. */
export const secondFactorKey = (sub: string) => `second-factor:${sub}`;
