// Upstream identity providers (ThaID first), as the rest of the IdP sees them: a login at one begun for
// a purpose (registration, raising a level), its callback at /upstream/<id>/callback, and the
// assertion it produced, taken once by the page of that purpose. Only what the provider's configuration
// trusts is read; the upstream's tokens are never kept. Refused callbacks (an expired or foreign state,
// an ID token that fails validation) count per client address; past the limit the callback answers 429.
import { Router } from '@koa/router';
import type { Context } from 'koa';
import type { Database } from '../../kernel/db/index.ts';
import type { Pii } from '../../kernel/pii/index.ts';
import type { Limit, RateLimiter } from '../../kernel/rate_limit/index.ts';
import { pickLang } from '../../kernel/http/i18n.ts';
import { t } from '../web/messages.ts';
import { upstreamClient, UpstreamRefused, UpstreamUnavailable, type LoginChecks, type UpstreamClient } from './client.ts';
import { readAssertion, type UpstreamAssertion, type UpstreamProvider } from './provider.ts';
import { createUpstreamStore } from './store.ts';
import { upstreamProblemPage } from './views.ts';

export { UpstreamRefused, UpstreamUnavailable } from './client.ts';
export { thaidProvider, THAID_ISSUER, THAID_SCOPES, type ThaidSettings } from './thaid.ts';
export type { ClientAuthentication, UpstreamAssertion, UpstreamProvider } from './provider.ts';

const LOGIN_SECONDS = 10 * 60;
const ASSERTION_SECONDS = 30 * 60;

/** What a purpose keeps with the login: the account it is for, the login interaction it is part of, where to go afterwards. */
export interface LoginContext {
  sub?: string;
  interaction?: string;
  returnTo?: string;
}

/** Where a purpose's login comes back to (done) and where to start again (back): fixed, or of the login's context. */
export interface Purpose {
  done: string | ((with_: LoginContext, upstream: string) => string);
  back: string | ((with_: LoginContext, upstream: string) => string);
}

const pathOf = (to: Purpose['done'], with_: LoginContext, upstream: string) => (typeof to === 'string' ? to : to(with_, upstream));

export interface Taken extends LoginContext {
  assertion: UpstreamAssertion;
}

export interface Upstreams {
  /** the configured provider of this id, if any */
  provider(id: string): UpstreamProvider | undefined;
  /** every configured provider */
  providers(): UpstreamProvider[];
  /** Begins a login: the URL to send the browser to; throws UpstreamUnavailable when it cannot be reached. */
  begin(ctx: Context, id: string, purpose: string, with_: LoginContext): Promise<string>;
  /** The assertion the last login of this browser for this purpose produced; `take` uses it up. */
  assertion(ctx: Context, id: string, purpose: string, o: { take: boolean }): Promise<Taken | undefined>;
  routes(): Router;
}

export function createUpstreams(deps: { db: Database; pii: Pii; issuer: string; providers: readonly UpstreamProvider[]; purposes: Record<string, Purpose>; limiter: RateLimiter; limit: Limit }): Upstreams {
  const { pii, issuer, purposes, limiter, limit } = deps;
  const store = createUpstreamStore(deps.db, deps.pii);
  const clients = new Map<string, UpstreamClient>(deps.providers.map((p) => [p.id, upstreamClient(p)]));
  const redirectUri = (id: string) => `${issuer}/upstream/${id}/callback`;
  const loginCookie = (id: string) => `mpid.upstream.${id}`;
  const assertionCookie = (id: string, purpose: string) => `mpid.upstream.${id}.${purpose}`;
  const cookieOptions = (seconds: number) => ({ signed: true, httpOnly: true, sameSite: 'lax' as const, maxAge: seconds * 1000, overwrite: true });

  return {
    provider: (id) => clients.get(id)?.provider,
    providers: () => [...clients.values()].map((c) => c.provider),

    async begin(ctx, id, purpose, with_) {
      const client = clients.get(id);
      if (!client || !purposes[purpose]) throw new UpstreamUnavailable(`no upstream ${id} for ${purpose}`);
      const { url, checks } = await client.start(redirectUri(id));
      const loginId = await store.put('login', id, purpose, { checks, ...with_ }, LOGIN_SECONDS);
      ctx.cookies.set(loginCookie(id), loginId, cookieOptions(LOGIN_SECONDS));
      return url.toString();
    },

    async assertion(ctx, id, purpose, o) {
      const rowId = ctx.cookies.get(assertionCookie(id, purpose), { signed: true });
      if (!rowId) return undefined;
      if (!o.take) return store.peek<Taken>('assertion', rowId, id, purpose);
      ctx.cookies.set(assertionCookie(id, purpose), null);
      return (await store.take<Taken>('assertion', rowId, id, purpose))?.data;
    },

    routes() {
      const router = new Router();
      router.get('/upstream/:id/callback', async (ctx) => {
        const id = ctx.params.id!;
        const client = clients.get(id);
        if (!client) return; // an upstream nobody configured: the not-found page
        const lang = pickLang(ctx);
        const name = client.provider.name[lang];
        ctx.set('Cache-Control', 'no-store');
        const address = pii.index(ctx.ip, 'rate:upstream-callback:address');
        const problem = (status: number, message: string, back = '/') => {
          ctx.status = status;
          ctx.type = 'html';
          ctx.body = upstreamProblemPage({ lang, name, message, back });
        };
        const blocked = await limiter.blocked(address, limit);
        if (!blocked.ok) {
          ctx.set('Retry-After', String(blocked.retryAfter));
          return problem(429, t(lang, 'upstreamTooMany', { name, seconds: blocked.retryAfter }));
        }
        const loginId = ctx.cookies.get(loginCookie(id), { signed: true });
        ctx.cookies.set(loginCookie(id), null);
        const login = loginId ? await store.take<LoginContext & { checks: LoginChecks }>('login', loginId, id) : undefined;
        const purpose = login && purposes[login.purpose];
        if (!login || !purpose) {
          await limiter.hit(address, limit);
          return problem(400, t(lang, 'upstreamExpired', { name }));
        }
        const { checks, ...with_ } = login.data;
        const back = pathOf(purpose.back, with_, id);
        let claims: Record<string, unknown>;
        try {
          claims = await client.finish(redirectUri(id), ctx.querystring, checks);
        } catch (err) {
          if (err instanceof UpstreamUnavailable) return problem(503, t(lang, 'upstreamUnavailable', { name }), back);
          if (!(err instanceof UpstreamRefused)) throw err;
          if (err.reason === 'denied') return problem(400, t(lang, 'upstreamDenied', { name }), back);
          await limiter.hit(address, limit);
          return problem(400, t(lang, 'upstreamInvalid', { name }), back);
        }
        const taken: Taken = { ...with_, assertion: readAssertion(client.provider, claims, new Date()) };
        const rowId = await store.put('assertion', id, login.purpose, taken, ASSERTION_SECONDS);
        ctx.cookies.set(assertionCookie(id, login.purpose), rowId, cookieOptions(ASSERTION_SECONDS));
        ctx.status = 303;
        ctx.redirect(pathOf(purpose.done, with_, id));
      });
      return router;
    },
  };
}
