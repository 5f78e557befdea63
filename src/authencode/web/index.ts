// The web pages: citizens confirm their own visits (and a family member's), staff confirm patients'
// visits, search, edit and cancel them, print the unit's QR codes and read reports.
import type { Middleware } from 'koa';
import type { Router } from '@koa/router';
import type { AuthencodeDeps } from '../app.ts';
import { webSessions } from './session.ts';
import { webErrors } from './errors.ts';
import { refuseUnknownMethods } from '../../kernel/http/methods.ts';
import { staticFiles } from './static.ts';
import { frameRoutes } from './frame.ts';
import { authRoutes } from './auth.ts';
import { citizenRoutes } from '../citizen/routes.ts';
import { staffRoutes } from '../staff/routes.ts';
import { reportRoutes } from '../report/routes.ts';

/** The web pages' middleware, in order, and their routers. */
export function webMiddleware(deps: AuthencodeDeps): { middleware: Middleware[]; routers: Router[] } {
  const routers = [frameRoutes(deps.config.idpIssuer), authRoutes(deps), citizenRoutes(deps), staffRoutes(deps), reportRoutes(deps)];
  const middleware = [
    webErrors(deps.log),
    refuseUnknownMethods(() => routers),
    staticFiles(),
    webSessions(deps.db, deps.config.url.startsWith('https:')),
    ...routers.flatMap((r) => [r.routes(), r.allowedMethods()]),
  ] as Middleware[];
  return { middleware, routers };
}
