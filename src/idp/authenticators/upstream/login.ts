// The upstream login in the interaction: a button on the first login page per provider that allows it,
// POST /interaction/:uid/upstream/:id sends the browser there (purpose `login`, bound to this
// interaction), and its callback comes back to GET /interaction/:uid/upstream/:id, which takes the
// assertion once and records `fed` for the account that assertion's subject was proofed into.
import type { Context } from 'koa';
import { html } from '../../../kernel/web/html.ts';
import { audit } from '../../../kernel/audit/index.ts';
import type { Database } from '../../../kernel/db/index.ts';
import { t } from '../../web/messages.ts';
import { UpstreamUnavailable, type Purpose, type UpstreamAssertion, type UpstreamProvider, type Upstreams } from '../../upstream/index.ts';
import type { LoginFlow, LoginPart } from '../method.ts';
import { count } from '../../metrics.ts';

export const LOGIN_PURPOSE = 'login';

/** Where an upstream login for a login here comes back to: this method's route in the interaction that began it. */
export const loginPurpose: Purpose = {
  done: (w, upstream) => `/interaction/${w.interaction}/upstream/${upstream}`,
  back: (w) => `/interaction/${w.interaction}`,
};

export interface UpstreamLoginDeps {
  db: Database;
  upstreams: Upstreams;
  /** the account this validated assertion proved (its upstream subject on the account's evidence), if any */
  accountOf(a: UpstreamAssertion): Promise<string | undefined>;
}

export function upstreamLogin(deps: UpstreamLoginDeps): LoginPart {
  const { db, upstreams } = deps;
  /** The provider the path names when it allows logins; otherwise the login page says so (404). */
  async function offered(flow: LoginFlow, ctx: Context): Promise<UpstreamProvider | undefined> {
    const p = upstreams.provider(String(ctx.params.id));
    if (p?.login) return p;
    ctx.status = 404;
    await flow.loginPage(ctx, { error: t(flow.lang(ctx), 'upstreamLoginNotOffered') });
    return undefined;
  }

  async function begin(flow: LoginFlow, ctx: Context): Promise<void> {
    const lang = flow.lang(ctx);
    const p = await offered(flow, ctx);
    if (!p) return;
    try {
      const url = await upstreams.begin(ctx, p.id, LOGIN_PURPOSE, { interaction: flow.interaction(ctx).uid });
      ctx.status = 303;
      ctx.redirect(url);
    } catch (err) {
      if (!(err instanceof UpstreamUnavailable)) throw err;
      ctx.status = 503;
      return flow.loginPage(ctx, { error: t(lang, 'upstreamUnavailable', { name: p.name[lang] }) });
    }
  }

  async function finish(flow: LoginFlow, ctx: Context): Promise<void> {
    const lang = flow.lang(ctx);
    const p = await offered(flow, ctx);
    if (!p) return;
    const { uid, clientId } = flow.interaction(ctx);
    const taken = await upstreams.assertion(ctx, p.id, LOGIN_PURPOSE, { take: true });
    // a login begun for another interaction (another tab) is not this one's
    if (!taken || taken.interaction !== uid) {
      ctx.status = 400;
      return flow.loginPage(ctx, { error: t(lang, 'upstreamExpired', { name: p.name[lang] }) });
    }
    const sub = await deps.accountOf(taken.assertion);
    if (!sub) {
      count.loginFailed('fed');
      await audit(db, { actor: null, action: 'login.failed', clientAddress: ctx.ip, detail: { client_id: clientId, upstream: p.id, reason: 'not_proofed_with_upstream' } });
      ctx.status = 403;
      return flow.loginPage(ctx, { error: t(lang, 'upstreamLoginNoAccount', { name: p.name[lang] }) });
    }
    await flow.passFactor(ctx, sub, 'fed');
  }

  return {
    routes: (flow) => [
      { path: 'upstream/:id', body: 'form', steps: [flow.checkCsrf, flow.inLoginPrompt, (ctx) => begin(flow, ctx)] },
      { path: 'upstream/:id', method: 'get', body: 'none', steps: [flow.inLoginPrompt, (ctx) => finish(flow, ctx)] },
    ],
    firstFactor: ({ lang, uid, csrf }) => {
      const buttons = upstreams.providers().filter((p) => p.login);
      if (!buttons.length) return undefined;
      return {
        body: html`${buttons.map((p) => html`<form method="post" action="/interaction/${uid}/upstream/${p.id}"><input type="hidden" name="csrf" value="${csrf}"><button type="submit" class="secondary">${t(lang, 'upstreamLogin', { name: p.name[lang] })}</button></form>`)}`,
      };
    },
  };
}
