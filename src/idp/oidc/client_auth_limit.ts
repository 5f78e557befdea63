// Failed client authentication is limited per client address: after CLIENT_AUTH_FAILURES_PER_ADDRESS
// answers of invalid_client at the client-authenticated endpoints (or 401 at /reg: a wrong initial or
// registration access token) in the window, the address gets 429 with an OIDC error object and
// Retry-After until the window ends. Only failures count, never the requests of a busy relying party.
// Each failure is counted and decided in one statement (src/kernel/rate_limit); secrets and signed
// assertions are not guessable, so requests already under way when the limit is reached may finish.
// With HTTP Basic client authentication the client id is known before the body is read: the limit's
// read then also reads that client's stored record in the same statement (one round trip fewer), and
// oidc-provider's lookup of that client in this request takes it (src/idp/oidc/adapter.ts) instead of
// reading it again. It is read fresh in every request, so a client disabled in any process is refused.
import type { Context, Next } from 'koa';
import type { Pii } from '../../kernel/pii/index.ts';
import type { Limit, RateLimiter } from '../../kernel/rate_limit/index.ts';
import { DatabaseUnavailable } from '../../kernel/db/index.ts';
import { prefetch } from './prefetch.ts';


/** The client id of an `Authorization: Basic` header (RFC 6749 2.3.1: form-encoded), or undefined. */
export function basicClientId(header: string | undefined): string | undefined {
  if (!header || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  try {
    return decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, '%20'));
  } catch {
    return undefined;
  }
}

const CLIENT_SQL = `SELECT payload AS client_payload FROM oidc_models WHERE model = 'Client' AND id = $4 AND (expires_at IS NULL OR expires_at > now())`;

const CLIENT_AUTHENTICATED = new Set(['/token', '/token/introspection', '/token/revocation', '/request']);
const isRegistration = (path: string) => path === '/reg' || path.startsWith('/reg/');

export function clientAuthLimit(limiter: RateLimiter, pii: Pii, limit: Limit) {
  // the keys of the addresses seen lately: a relying party's backend asks from the same few addresses,
  // and an HMAC per request was 3 % of a client-credentials token's CPU
  const keys = new Map<string, Buffer>();
  const keyOf = (ip: string) => {
    let key = keys.get(ip);
    if (!key) {
      if (keys.size >= 10_000) keys.clear();
      keys.set(ip, (key = pii.index(ip, 'rate:client-auth:address')));
    }
    return key;
  };
  return async function limitClientAuth(ctx: Context, next: Next): Promise<void> {
    const registration = isRegistration(ctx.path);
    if (!registration && !(ctx.method === 'POST' && CLIENT_AUTHENTICATED.has(ctx.path))) return next();
    const key = keyOf(ctx.ip);
    let verdict: Awaited<ReturnType<RateLimiter['blocked']>>;
    try {
      const clientId = registration ? undefined : basicClientId(ctx.get('authorization'));
      if (clientId === undefined) verdict = await limiter.blocked(key, limit);
      else {
        const both = await limiter.blockedWith<{ client_payload: unknown }>(key, limit, { sql: CLIENT_SQL, params: [clientId] });
        verdict = both.verdict;
        // not found is remembered too: oidc-provider then answers invalid_client without asking again
        if (verdict.ok) prefetch('Client', clientId, both.row?.client_payload);
      }
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
