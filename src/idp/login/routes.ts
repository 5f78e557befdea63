// Login and consent: our own interaction pages for oidc-provider. A login collects factors (password,
// passkey, then a second factor when the relying party asks for more) until the level requested is
// reached, then finishes the interaction with the acr and amr those factors earn. Every route is the
// list of steps below (src/idp/login/steps, one file each); each authenticator method adds its own.
import { Router } from '@koa/router';
import type { Middleware } from 'koa';
import { formBody } from '../../kernel/http/form.ts';
import { jsonBody } from '../../kernel/http/json.ts';
import { abortInteraction, checkCsrf, flow, giveUp, grantConsent, loadInteraction, showPrompt, type InteractionDeps } from './steps/index.ts';

export type { InteractionDeps } from './steps/index.ts';

const BODY = { form: () => [formBody()], json: () => [jsonBody()], none: () => [] };

export function interactionRoutes(deps: InteractionDeps) {
  const router = new Router({ prefix: '/interaction' });
  const provide: Middleware = (ctx, next) => {
    ctx.state.login = { deps };
    return next();
  };

  /** Every route of an interaction, and the steps a request to it passes, in order. */
  const routes: Array<[method: 'get' | 'post', path: string, steps: Middleware[]]> = [
    ['get', '/:uid', [loadInteraction, showPrompt]],
    // each method's own: /login (password), /passkey/options and /passkey, /totp, /sms/send and /sms, /recovery, /upstream/:id
    ...deps.authenticators.loginRoutes(flow).map((r): [method: 'get' | 'post', path: string, steps: Middleware[]] => [r.method ?? 'post', `/:uid/${r.path}`, [...BODY[r.body](), loadInteraction, ...r.steps]]),
    ['post', '/:uid/unmet', [formBody(), loadInteraction, checkCsrf, giveUp]],
    ['post', '/:uid/confirm', [formBody(), loadInteraction, checkCsrf, grantConsent]],
    ['post', '/:uid/abort', [formBody(), loadInteraction, checkCsrf, abortInteraction]],
  ];

  for (const [method, path, steps] of routes) router[method](path, provide, ...steps);
  return router;
}
