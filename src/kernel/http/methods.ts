// Methods outside the everyday set (TRACE, PROPFIND, MKCOL, …) are refused before any route runs:
// 405 with an Allow header naming what the path takes (or the everyday reading methods when no route
// of ours has it), thrown for the service's error pages to answer in their own shape.
import type { Context, Next } from 'koa';
import type { Router } from '@koa/router';

const EVERYDAY = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const UNROUTED = ['GET', 'HEAD', 'POST'];

export class MethodNotAllowed extends Error {
  override name = 'MethodNotAllowed';
  readonly status = 405;
  readonly expose = true;
  readonly allow: string[];
  constructor(method: string, allow: string[]) {
    super(`${method} is not allowed here`);
    this.allow = allow;
  }
}

/** The methods our routers answer on `path` (HEAD comes with GET). */
export function allowedMethods(routers: Router[], path: string): string[] {
  const allowed = new Set<string>();
  for (const router of routers) for (const layer of router.match(path, 'GET').path) for (const m of layer.methods) allowed.add(m);
  return [...allowed];
}

/** `routers` is read per request, so it may name routers built after this middleware is added. */
export function refuseUnknownMethods(routers: () => Router[]) {
  return async function refuseUnknownMethodsMiddleware(ctx: Context, next: Next) {
    if (EVERYDAY.has(ctx.method)) return next();
    const found = allowedMethods(routers(), ctx.path);
    const allow = found.length ? found : UNROUTED;
    ctx.set('Allow', allow.join(', '));
    throw new MethodNotAllowed(ctx.method, allow);
  };
}
