// Request rate and duration by method, route template and status. The route is the template the
// request matched (`/admin/evidence/:id/revoke`, oidc-provider's route name such as `oidc:token`),
// `/static/*` for static files, or `unmatched`: never the path itself, which may carry an ID number.
import type { Context, Next } from 'koa';
import { bounded, type ServiceMetrics } from './index.ts';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

export function routeTemplate(ctx: Context): string {
  const oidcRoute = (ctx as unknown as { oidc?: { route?: unknown } }).oidc?.route;
  if (typeof oidcRoute === 'string' && /^[a-z_]{1,64}$/.test(oidcRoute)) return `oidc:${oidcRoute}`;
  const matched = (ctx as unknown as { _matchedRoute?: unknown })._matchedRoute;
  if (typeof matched === 'string' || matched instanceof RegExp) return String(matched);
  if (ctx.path.startsWith('/static/')) return '/static/*';
  return 'unmatched';
}

export function httpMetrics(m: ServiceMetrics) {
  return async function httpMetricsMiddleware(ctx: Context, next: Next) {
    const end = m.http.duration.startTimer();
    let status: number | undefined;
    try {
      await next();
    } catch (err) {
      status = typeof (err as { status?: unknown }).status === 'number' ? (err as { status: number }).status : 500;
      throw err;
    } finally {
      const code = status ?? ctx.status;
      const labels = { method: bounded(ctx.method, METHODS), route: routeTemplate(ctx), status: String(code >= 100 && code <= 599 ? code : 500) };
      m.http.requests.inc(labels);
      end(labels);
    }
  };
}
