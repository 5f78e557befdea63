// Failed client authentication is limited per client address: after CLIENT_AUTH_FAILURES_PER_ADDRESS
// answers of invalid_client at the client-authenticated endpoints (or 401 at /reg: a wrong initial or
// registration access token) in the window, the address gets 429 with an OIDC error object and
// Retry-After until the window ends. Only failures count, never the requests of a busy relying party.
// Each failure is counted and decided in one statement (src/kernel/rate_limit); secrets and signed
// assertions are not guessable, so requests already under way when the limit is reached may finish.
import type { Context, Next } from 'koa';
import type { Pii } from '../../kernel/pii/index.ts';
import type { Limit, RateLimiter } from '../../kernel/rate_limit/index.ts';
import { DatabaseUnavailable } from '../../kernel/db/index.ts';

const CLIENT_AUTHENTICATED = new Set(['/token', '/token/introspection', '/token/revocation', '/request']);
const isRegistration = (path: string) => path === '/reg' || path.startsWith('/reg/');

export function clientAuthLimit(limiter: RateLimiter, pii: Pii, limit: Limit) {
  return async function limitClientAuth(ctx: Context, next: Next): Promise<void> {
    const registration = isRegistration(ctx.path);
    if (!registration && !(ctx.method === 'POST' && CLIENT_AUTHENTICATED.has(ctx.path))) return next();
    const key = pii.index(ctx.ip, 'rate:client-auth:address');
    let verdict: Awaited<ReturnType<RateLimiter['blocked']>>;
    try {
      verdict = await limiter.blocked(key, limit);
    } catch (err) {
      if (!(err instanceof DatabaseUnavailable)) throw err;
      // a protocol endpoint answers in its own shape: an OIDC error object
      ctx.status = 503;
      ctx.set('Retry-After', '5');
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { error: err.message, error_description: err.error_description };
      return;
    }
    if (!verdict.ok) {
      ctx.status = 429;
      ctx.set('Retry-After', String(verdict.retryAfter));
      ctx.set('Cache-Control', 'no-store');
      const what = registration ? 'wrong access tokens at the registration endpoint' : 'failed client authentications';
      ctx.body = { error: 'invalid_request', error_description: `too many ${what} from this address; retry after ${verdict.retryAfter} seconds` };
      return;
    }
    await next();
    const error = (ctx.body as { error?: unknown } | undefined)?.error;
    if (registration ? ctx.status === 401 : error === 'invalid_client') await limiter.hit(key, limit);
  };
}
