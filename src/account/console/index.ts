import { Router } from '@koa/router';
export function accountConsoleRoutes(_deps: unknown) {
  return new Router();
}
