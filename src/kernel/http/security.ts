// Security headers on every response: a strict CSP without inline scripts, no framing, no sniffing.
// `connect` adds origins the pages' scripts may call besides their own (the unit's card reader agent).
import type { Context, Next } from 'koa';

export function securityHeaders(opts: { https: boolean; connect?: string[] }) {
  // origins only (a URL's path and anything else stay out of the header)
  const connect = ["'self'", ...(opts.connect ?? []).map((u) => new URL(u).origin)].join(' ');
  const csp = `default-src 'self'; script-src 'self'; style-src 'self'; font-src 'self'; img-src 'self' data:; connect-src ${connect}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`;
  return async function securityHeadersMiddleware(ctx: Context, next: Next) {
    ctx.set('Content-Security-Policy', csp);
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
    if (opts.https) ctx.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    await next();
  };
}
