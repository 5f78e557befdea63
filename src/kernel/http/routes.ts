// The routes a service's @koa/router routers serve, read from the routers themselves: a test or a
// tool walking them sees every new route without a hand-kept list.
import type { Router } from '@koa/router';

export interface RouteInfo {
  /** the router's path pattern, with its prefix (e.g. /admin/evidence/:id/revoke) */
  path: string;
  /** the methods it answers (HEAD, added for every GET, left out) */
  methods: string[];
}

export function routesOf(routers: Router[]): RouteInfo[] {
  return routers.flatMap((r) =>
    r.stack
      .filter((layer) => layer.methods.length > 0 && typeof layer.path === 'string')
      .map((layer) => ({ path: layer.path as string, methods: layer.methods.filter((m) => m !== 'HEAD') })),
  );
}

/** Whether one of the routers has a route at this path, whatever the method. */
export function servesPath(routers: Router[], path: string): boolean {
  return routers.some((r) => r.match(path, 'GET').path.some((layer) => layer.methods.length > 0));
}
