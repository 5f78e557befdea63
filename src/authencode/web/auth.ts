// Logging in at Mor Prom ID and back. Citizens: the least IAL their service needs (min_ial), the
// pid claim names their visits. Staff: an authentication level from configuration and the
// health_personnel claim, whose organizations are the units they may act for.
import { Router } from '@koa/router';
import type { Context } from 'koa';
import { html } from '../../kernel/web/html.ts';
import { at } from './messages.ts';
import { formBody } from '../../kernel/http/form.ts';
import { sameOriginPath } from '../../kernel/http/redirect.ts';
import { acrRank, IAL_LEVELS, type Ial } from '../../kernel/assurance.ts';
import type { AuthencodeDeps } from '../app.ts';
import { minIalFor } from '../config.ts';
import { LoginRefused } from '../relying_party.ts';
import { langOf, render, requireCsrf } from './context.ts';
import { sessionOf, type Person } from './session.ts';

interface Organization { hcode?: unknown }

function displayName(claims: Record<string, unknown>): string {
  const given = typeof claims.given_name === 'string' ? claims.given_name : '';
  const family = typeof claims.family_name === 'string' ? claims.family_name : '';
  return `${given} ${family}`.trim() || (typeof claims.name === 'string' ? claims.name : '');
}

export function authRoutes(deps: AuthencodeDeps) {
  const { rp, config, db } = deps;
  const router = new Router();

  router.get('/login', async (ctx) => {
    const role = ctx.query.as === 'staff' ? 'staff' : 'citizen';
    const session = sessionOf(ctx);
    const returnTo = sameOriginPath(ctx.query.return, config.url) ?? (role === 'staff' ? '/staff' : session.picked ? '/visit/confirm' : '/visit');
    const picked = session.picked;
    const asked = typeof ctx.query.ial === 'string' && IAL_LEVELS.includes(ctx.query.ial as Ial) ? (ctx.query.ial as Ial) : undefined;
    const minIal = asked ?? (picked ? minIalFor(config, picked.claimType) : config.minIal.default);
    const params: Record<string, string> =
      role === 'staff'
        ? { scope: 'openid profile health_personnel', acr_values: config.staffAcr }
        : { scope: 'openid profile phone pid', min_ial: minIal, claims: JSON.stringify({ id_token: { ial: null }, userinfo: { ial: null } }) };
    let login;
    try {
      login = await rp.startLogin({ ...params, ui_locales: langOf(ctx) });
    } catch {
      render(ctx, { title: at(langOf(ctx), 'errorTitle'), body: html`<p role="alert">${at(langOf(ctx), 'idpUnreachable')}</p>` }, 503);
      return;
    }
    session.pending = { ...login.pending, role, returnTo };
    ctx.redirect(login.url);
  });

  router.get('/auth/callback', async (ctx) => {
    const lang = langOf(ctx);
    const session = sessionOf(ctx);
    const pending = session.pending;
    if (!pending) {
      render(ctx, { title: at(lang, 'errorTitle'), body: html`<p role="alert">${at(lang, 'loginFailed')}</p><p><a href="/">${at(lang, 'homeTitle')}</a></p>` }, 400);
      return;
    }
    delete session.pending;
    let result;
    try {
      result = await rp.finishLogin(new URL(ctx.originalUrl, config.url), pending);
    } catch (err) {
      if (err instanceof LoginRefused && err.error === 'unmet_authentication_requirements' && pending.role === 'citizen') {
        const needed = session.picked ? minIalFor(config, session.picked.claimType) : config.minIal.default;
        render(ctx, {
          title: at(lang, 'ialUnmetTitle'),
          body: html`<p role="alert">${at(lang, 'ialUnmet', { ial: needed })}</p>
<p><a class="button" href="${config.idpIssuer}/account">${at(lang, 'ialRaise')}</a></p>
<p><a href="/login?as=citizen">${at(lang, 'ialRetry')}</a></p>`,
        }, 403);
        return;
      }
      if (!(err instanceof LoginRefused)) deps.log.warn({ err: { name: (err as Error).name, message: (err as Error).message, code: (err as { code?: string }).code } }, 'login at the IdP failed');
      const key = err instanceof LoginRefused && err.error === 'access_denied' ? 'loginCancelled' : 'loginFailed';
      render(ctx, { title: at(lang, 'errorTitle'), body: html`<p role="alert">${at(lang, key)}</p><p><a href="/login?as=${pending.role}">${at(lang, 'ialRetry')}</a></p>` }, 400);
      return;
    }
    const c = result.claims;
    const person: Person = {
      sub: result.sub,
      name: displayName(c),
      idToken: result.idToken,
      role: pending.role,
      acr: typeof c.acr === 'string' ? c.acr : undefined,
      ial: typeof c.ial === 'string' ? c.ial : undefined,
    };
    if (pending.role === 'citizen') {
      person.pid = typeof c.pid === 'string' ? c.pid : undefined;
      if (typeof c.phone_number === 'string' && /^\+66\d{8,9}$/.test(c.phone_number)) person.phone = `0${c.phone_number.slice(3)}`;
      if (!person.pid) {
        render(ctx, { title: at(lang, 'errorTitle'), body: html`<p role="alert">${at(lang, 'loginFailed')}</p>` }, 403);
        return;
      }
    } else {
      // the IdP was asked for this level; a relying party still checks what it got
      if (acrRank(person.acr) < acrRank(config.staffAcr)) {
        render(ctx, { title: at(lang, 'errorTitle'), body: html`<p role="alert">${at(lang, 'loginFailed')}</p>` }, 403);
        return;
      }
      const orgs = ((c.health_personnel as { organizations?: Organization[] } | undefined)?.organizations ?? []).map((o) => o.hcode).filter((h): h is string => typeof h === 'string');
      if (!orgs.length) {
        render(ctx, { title: at(lang, 'errorTitle'), body: html`<p role="alert">${at(lang, 'staffNotPersonnel')}</p>` }, 403);
        return;
      }
      const { rows } = await db.query<{ hcode: string }>('SELECT hcode FROM authencode.units WHERE hcode = ANY($1::text[]) ORDER BY hcode', [orgs]);
      if (!rows.length) {
        render(ctx, { title: at(lang, 'errorTitle'), body: html`<p role="alert">${at(lang, 'staffNoUnit')}</p>` }, 403);
        return;
      }
      person.hcodes = rows.map((r) => r.hcode);
      if (person.hcodes.length === 1) person.hcode = person.hcodes[0];
    }
    await (ctx.state.renewSession as () => Promise<void>)();
    session.person = person;
    // checked again: a login started before this check existed may hold anything
    ctx.redirect(sameOriginPath(pending.returnTo, config.url) ?? '/');
  });

  router.post('/logout', formBody(), async (ctx: Context) => {
    requireCsrf(ctx, (ctx.request.body as Record<string, unknown>).csrf);
    const idToken = sessionOf(ctx).person?.idToken;
    await (ctx.state.endSession as () => Promise<void>)();
    try {
      ctx.redirect(await rp.logoutUrl(idToken, `${config.url}/`));
    } catch {
      ctx.redirect('/');
    }
  });

  router.get('/', (ctx) => {
    const lang = langOf(ctx);
    render(ctx, {
      title: at(lang, 'homeTitle'),
      path: '/',
      body: html`<p>${at(lang, 'homeIntro')}</p>
<p><a class="button" href="/visit">${at(lang, 'homeCitizen')}</a></p>
<p><a class="button secondary" href="/staff">${at(lang, 'homeStaff')}</a></p>
<p><a href="/api/openapi.json">API (OpenAPI 3.1)</a></p>`,
    });
  });
  return router;
}
