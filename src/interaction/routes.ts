// Login and consent: our own interaction pages for oidc-provider. Each step reads the interaction,
// checks the form's CSRF token, and finishes the interaction with a login or consent result.
import { Router } from '@koa/router';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { Accounts } from '../account/index.ts';
import { normalizePid } from '../account/index.ts';
import type { LoginThrottle } from '../account/throttle.ts';
import { audit } from '../audit/index.ts';
import type { Database } from '../db/index.ts';
import { checkCsrfToken, issueCsrfToken } from '../http/csrf.ts';
import { formBody } from '../http/form.ts';
import { pickLang, type Lang } from '../http/i18n.ts';
import { HttpError } from '../http/errors.ts';
import { acrRank } from '../oidc/acr.ts';
import { loginPage } from '../../views/interaction/login.ts';
import { consentPage } from '../../views/interaction/consent.ts';
import { t } from '../../views/messages.ts';

export interface InteractionDeps {
  provider: Provider;
  db: Database;
  accounts: Accounts;
  throttle: LoginThrottle;
}

type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

/** What a password login achieves today; second factors (issue: authenticators) raise it. */
const PASSWORD_LOGIN = { acr: 'urn:th:etda:aal:1', amr: ['pwd'] };

export function interactionRoutes({ provider, db, accounts, throttle }: InteractionDeps) {
  const router = new Router({ prefix: '/interaction' });

  async function details(ctx: Context): Promise<Details> {
    try {
      return await provider.interactionDetails(ctx.req, ctx.res);
    } catch {
      throw new HttpError(400, 'sessionExpired');
    }
  }

  const langOf = (ctx: Context, d: Details): Lang => {
    const ui = d.params.ui_locales;
    return pickLang(ctx, typeof ui === 'string' ? ui : undefined);
  };

  async function clientName(d: Details): Promise<string> {
    const client = await provider.Client.find(String(d.params.client_id));
    return client?.clientName ?? String(d.params.client_id);
  }

  function requireCsrf(ctx: Context) {
    if (!checkCsrfToken(ctx, (ctx.request.body as Record<string, unknown> | undefined)?.csrf)) throw new HttpError(403, 'csrfError');
  }

  /** Essential acr values the login cannot reach end the request with unmet_authentication_requirements. */
  function unmetAcr(d: Details, achieved: string): boolean {
    const claims = d.params.claims ? (JSON.parse(String(d.params.claims)) as { id_token?: { acr?: { essential?: boolean; value?: string; values?: string[] } } }) : {};
    const acr = claims.id_token?.acr;
    if (!acr?.essential) return false;
    const wanted = acr.values ?? (acr.value ? [acr.value] : []);
    return wanted.length > 0 && !wanted.some((v) => acrRank(v) >= 0 && acrRank(v) <= acrRank(achieved));
  }

  async function renderLogin(ctx: Context, d: Details, extra: { pid?: string; error?: string } = {}) {
    const lang = langOf(ctx, d);
    ctx.type = 'html';
    ctx.body = loginPage({ lang, uid: d.uid, csrf: issueCsrfToken(ctx), clientName: await clientName(d), ...extra });
  }

  router.get('/:uid', async (ctx) => {
    const d = await details(ctx);
    if (d.uid !== ctx.params.uid) throw new HttpError(400, 'sessionExpired');
    ctx.set('Cache-Control', 'no-store');
    if (d.prompt.name === 'login') return renderLogin(ctx, d);
    const lang = langOf(ctx, d);
    const missingScopes = [...((d.prompt.details.missingOIDCScope as string[] | undefined) ?? [])];
    const missingClaims = [...((d.prompt.details.missingOIDCClaims as string[] | undefined) ?? [])];
    ctx.type = 'html';
    ctx.body = consentPage({ lang, uid: d.uid, csrf: issueCsrfToken(ctx), clientName: await clientName(d), scopes: missingScopes, claims: missingClaims });
  });

  router.post('/:uid/login', formBody(), async (ctx) => {
    const d = await details(ctx);
    requireCsrf(ctx);
    if (d.prompt.name !== 'login') throw new HttpError(400, 'sessionExpired');
    const lang = langOf(ctx, d);
    const body = ctx.request.body as Record<string, unknown>;
    const rawPid = typeof body.pid === 'string' ? body.pid : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const pid = normalizePid(rawPid) ?? rawPid.slice(0, 32);

    const verdict = await throttle.check(pid, ctx.ip);
    if (!verdict.ok) {
      ctx.status = 429;
      ctx.set('Retry-After', String(verdict.retryAfter));
      return renderLogin(ctx, d, { pid: rawPid, error: verdict.locked ? t(lang, 'locked') : t(lang, 'tooManyAttempts', { seconds: verdict.retryAfter }) });
    }
    const sub = await accounts.verifyPassword(pid, password);
    if (!sub) {
      await throttle.fail(pid, ctx.ip);
      await audit(db, { actor: null, action: 'login.failed', clientAddress: ctx.ip, detail: { client_id: d.params.client_id } });
      ctx.status = 401;
      return renderLogin(ctx, d, { pid: rawPid, error: t(lang, 'badCredentials') });
    }
    await throttle.succeed(pid);
    await audit(db, { actor: sub, action: 'login.succeeded', subject: sub, clientAddress: ctx.ip, detail: { client_id: d.params.client_id, acr: PASSWORD_LOGIN.acr } });
    if (unmetAcr(d, PASSWORD_LOGIN.acr)) {
      return provider.interactionFinished(ctx.req, ctx.res, {
        error: 'unmet_authentication_requirements',
        error_description: 'the requested authentication level cannot be reached with the authenticators of this account',
      });
    }
    await provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: sub, ...PASSWORD_LOGIN } }, { mergeWithLastSubmission: false });
  });

  router.post('/:uid/confirm', formBody(), async (ctx) => {
    const d = await details(ctx);
    requireCsrf(ctx);
    if (d.prompt.name !== 'consent' || !d.session?.accountId) throw new HttpError(400, 'sessionExpired');
    const { accountId } = d.session;
    const clientId = String(d.params.client_id);
    const grant = d.grantId ? await provider.Grant.find(d.grantId) : new provider.Grant({ accountId, clientId });
    if (!grant) throw new HttpError(400, 'sessionExpired');
    const det = d.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
    if (det.missingOIDCScope) grant.addOIDCScope(det.missingOIDCScope.join(' '));
    if (det.missingOIDCClaims) grant.addOIDCClaims(det.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(det.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
    const grantId = await grant.save();
    await audit(db, { actor: accountId, action: 'consent.granted', subject: accountId, clientAddress: ctx.ip, detail: { client_id: clientId, scope: det.missingOIDCScope ?? [] } });
    await provider.interactionFinished(ctx.req, ctx.res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  });

  router.post('/:uid/abort', formBody(), async (ctx) => {
    const d = await details(ctx);
    requireCsrf(ctx);
    await provider.interactionFinished(
      ctx.req,
      ctx.res,
      { error: 'access_denied', error_description: t('en', 'deniedDescription') },
      { mergeWithLastSubmission: false },
    );
    if (d.session?.accountId) await audit(db, { actor: d.session.accountId, action: 'consent.denied', subject: d.session.accountId, detail: { client_id: d.params.client_id } });
  });

  return router;
}

