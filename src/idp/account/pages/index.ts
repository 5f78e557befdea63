// The account pages at /account, one file per area: the account's own login, profile, security (each
// authenticator method's section and settings), sessions and connected applications, health
// personnel, privacy (identity verification is proofing's, src/idp/proofing/routes.ts). Every page needs the person's IdP session (context.ts);
// every change is an audit event.
import { Router } from '@koa/router';
import { pagesContext, type ConsoleDeps } from './context.ts';
import { loginRoutes } from './login.ts';
import { profileRoutes } from './profile.ts';
import { securityRoutes } from './security.ts';
import { sessionsRoutes } from './sessions.ts';
import { personnelRoutes } from './personnel.ts';
import { privacyRoutes } from './privacy.ts';

export type { ConsoleDeps } from './context.ts';

const AREAS = [loginRoutes, profileRoutes, securityRoutes, sessionsRoutes, personnelRoutes, privacyRoutes];

export function accountConsoleRoutes(deps: ConsoleDeps) {
  const router = new Router({ prefix: '/account' });
  const c = pagesContext(deps);
  for (const area of AREAS) area(router, c);
  return router;
}
