// Login and consent: our own interaction pages for oidc-provider. A login collects factors (password,
// passkey, then a second factor when the relying party asks for more) until the level requested is
// reached, then finishes the interaction with the acr and amr those factors earn.
import { Router } from '@koa/router';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { Accounts } from '../account/index.ts';
import { normalizePid } from '../account/index.ts';
import type { LoginThrottle } from './throttle.ts';
import type { Authenticators } from '../authenticators/index.ts';
import type { PhoneOtp } from '../sms/otp.ts';
import { audit } from '../../kernel/audit/index.ts';
import type { Database } from '../../kernel/db/index.ts';
import { issueCsrfToken, requireCsrf } from '../../kernel/http/csrf.ts';
import { formBody } from '../../kernel/http/form.ts';
import { jsonBody } from '../../kernel/http/json.ts';
import { pickLang, type Lang } from '../../kernel/http/i18n.ts';
import { HttpError } from '../../kernel/http/errors.ts';
import { aalOf, acrRank, amrOf, factorsOfAmr, requiredAcr, type Acr, type Factor } from '../oidc/acr.ts';
import { accountIal, ialRank, requiredIal } from '../proofing/ial.ts';
import { maskPhone } from '../../kernel/thai/phone.ts';
import type { LoginProgressStore, LoginProgress } from './progress.ts';
import type { Units } from '../units/index.ts';
import { loginPage } from './views/login.ts';
import { consentPage } from './views/consent.ts';
import { secondFactorPage, unmetPage } from './views/second_factor.ts';
import { t, type MessageKey } from '../web/messages.ts';
import { OTP_ERRORS } from '../sms/messages.ts';

export interface InteractionDeps {
  provider: Provider;
  db: Database;
  accounts: Accounts;
  throttle: LoginThrottle;
  progress: LoginProgressStore;
  authenticators: Authenticators;
  phoneOtp: PhoneOtp;
  units: Units;
}

type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

/** Reasons for a login prompt that an existing session can answer with more factors, not a new login. */
const STEP_UP_REASONS = new Set(['aal_step_up', 'ial_unmet']);

const levelLabel = (acr: string) => `AAL ${acr.split(':').pop()}`;

export function interactionRoutes(deps: InteractionDeps) {
  const { provider, db, accounts, throttle, progress, authenticators, phoneOtp, units } = deps;
  const router = new Router({ prefix: '/interaction' });

  async function details(ctx: Context): Promise<Details> {
    let d: Details;
    try {
      d = await provider.interactionDetails(ctx.req, ctx.res);
    } catch {
      throw new HttpError(400, 'sessionExpired');
    }
    if (ctx.params.uid && d.uid !== ctx.params.uid) throw new HttpError(400, 'sessionExpired');
    return d;
  }

  const langOf = (ctx: Context, d: Details): Lang => {
    const ui = d.params.ui_locales;
    return pickLang(ctx, typeof ui === 'string' ? ui : undefined);
  };

  async function client(d: Details) {
    return provider.Client.find(String(d.params.client_id));
  }

  async function clientName(d: Details): Promise<string> {
    const c = await client(d);
    return c?.clientName ?? String(d.params.client_id);
  }

  const field = (ctx: Context, name: string): string => {
    const v = (ctx.request.body as Record<string, unknown>)[name];
    return typeof v === 'string' ? v : '';
  };

  async function renderLogin(ctx: Context, d: Details, extra: { pid?: string; error?: string } = {}) {
    const lang = langOf(ctx, d);
    ctx.type = 'html';
    ctx.body = loginPage({ lang, uid: d.uid, csrf: issueCsrfToken(ctx), clientName: await clientName(d), ...extra });
  }

  /** The progress of a login prompt in this interaction; a step-up starts from the session's factors. */
  async function progressOf(d: Details): Promise<LoginProgress | undefined> {
    const p = await progress.get(d.uid);
    if (p) return p;
    const reasons = d.prompt.reasons;
    const sub = d.session?.accountId;
    if (sub && reasons.length > 0 && reasons.every((r) => STEP_UP_REASONS.has(r))) {
      const factors = factorsOfAmr(d.session?.amr as string[] | undefined);
      if (factors.length) {
        await progress.seed(d.uid, sub, factors);
        return progress.get(d.uid);
      }
    }
    return undefined;
  }

  /** Which factor could be added next, on top of those passed, to reach the needed level. */
  async function nextFactors(p: LoginProgress, needed: Acr): Promise<Factor[]> {
    const candidates: Factor[] = ['pwd', ...(await authenticators.factorsOf(p.sub))];
    return candidates.filter((f) => !p.factors.includes(f) && acrRank(aalOf([...p.factors, f])) >= acrRank(needed));
  }

  /**
   * After every passed factor: finish the login if the level asked for is reached, or say what is
   * missing. On a GET it renders; after a POST it redirects back to the GET (so reloads are harmless).
   */
  async function advance(ctx: Context, d: Details, p: LoginProgress, error?: string): Promise<void> {
    const lang = langOf(ctx, d);
    const c = await client(d);
    const name = c?.clientName ?? String(d.params.client_id);
    const csrf = issueCsrfToken(ctx);

    const neededIal = requiredIal(d.params);
    if (neededIal !== undefined) {
      const has = await accountIal(db, p.sub);
      if (neededIal === null || ialRank(has) < ialRank(neededIal)) {
        ctx.type = 'html';
        ctx.body = unmetPage({ lang, uid: d.uid, csrf, clientName: name, kind: 'ial', needed: neededIal, has: has ?? '-', servicePoints: await units.servicePoints() });
        return;
      }
    }

    const needed = requiredAcr(d.params, c?.defaultAcrValues as string[] | undefined);
    const achieved = aalOf(p.factors);
    if (needed !== null && achieved && acrRank(achieved) >= acrRank(needed)) {
      await progress.clear(d.uid);
      await audit(db, { actor: p.sub, action: 'login.succeeded', subject: p.sub, clientAddress: ctx.ip, detail: { client_id: d.params.client_id, acr: achieved, amr: amrOf(p.factors) } });
      await provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: p.sub, acr: achieved, amr: amrOf(p.factors) } }, { mergeWithLastSubmission: false });
      return;
    }
    const options = needed === null ? [] : await nextFactors(p, needed);
    if (!options.length) {
      ctx.type = 'html';
      ctx.body = unmetPage({ lang, uid: d.uid, csrf, clientName: name, kind: 'aal', needed: needed && levelLabel(needed) });
      return;
    }
    if (ctx.method !== 'GET' && !error) {
      ctx.status = 303;
      ctx.redirect(`/interaction/${d.uid}`);
      return;
    }
    const account = options.includes('sms') ? await accounts.findBySub(p.sub) : undefined;
    if (error) ctx.status = 400;
    ctx.type = 'html';
    ctx.body = secondFactorPage({
      lang,
      uid: d.uid,
      csrf,
      clientName: name,
      level: levelLabel(needed!),
      options,
      phone: account?.phoneNumber ? maskPhone(account.phoneNumber) : undefined,
      smsSent: Boolean(p.smsOtpId),
      error,
    });
  }

  /** The login step in progress; POSTs to a second-factor step without one are stale. */
  async function loginStep(ctx: Context): Promise<{ d: Details; p: LoginProgress; lang: Lang }> {
    const d = await details(ctx);
    requireCsrf(ctx);
    if (d.prompt.name !== 'login') throw new HttpError(400, 'sessionExpired');
    const p = await progressOf(d);
    if (!p) throw new HttpError(400, 'sessionExpired');
    return { d, p, lang: langOf(ctx, d) };
  }

  /** Second factors share the account's failure counter (back-off, then lock) with the password. */
  const throttleKey = (sub: string) => `second-factor:${sub}`;
  async function throttled(ctx: Context, d: Details, p: LoginProgress, lang: Lang): Promise<boolean> {
    const verdict = await throttle.check(throttleKey(p.sub), ctx.ip);
    if (verdict.ok) return false;
    ctx.set('Retry-After', String(verdict.retryAfter));
    await advance(ctx, d, p, verdict.locked ? t(lang, 'locked') : t(lang, 'tooManyAttempts', { seconds: verdict.retryAfter }));
    ctx.status = 429;
    return true;
  }
  async function factorFailed(ctx: Context, d: Details, p: LoginProgress, lang: Lang, factor: Factor, key: MessageKey) {
    await throttle.fail(throttleKey(p.sub), ctx.ip);
    await audit(db, { actor: p.sub, action: 'login.factor_failed', subject: p.sub, clientAddress: ctx.ip, detail: { factor, client_id: d.params.client_id } });
    await advance(ctx, d, p, t(lang, key));
  }
  async function factorPassed(ctx: Context, d: Details, p: LoginProgress, factor: Factor) {
    await throttle.succeed(throttleKey(p.sub));
    await advance(ctx, d, await progress.pass(d.uid, p.sub, factor));
  }

  router.get('/:uid', async (ctx) => {
    const d = await details(ctx);
    ctx.set('Cache-Control', 'no-store');
    if (d.prompt.name === 'login') {
      const p = await progressOf(d);
      return p ? advance(ctx, d, p) : renderLogin(ctx, d);
    }
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
    const rawPid = field(ctx, 'pid');
    const password = field(ctx, 'password');
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
    await advance(ctx, d, await progress.pass(d.uid, sub, 'pwd'));
  });

  router.post('/:uid/totp', formBody(), async (ctx) => {
    const { d, p, lang } = await loginStep(ctx);
    if (await throttled(ctx, d, p, lang)) return;
    const result = await authenticators.totp.verify(p.sub, field(ctx, 'code'));
    if (result !== 'ok') return factorFailed(ctx, d, p, lang, 'otp', OTP_ERRORS[result]!);
    await factorPassed(ctx, d, p, 'otp');
  });

  router.post('/:uid/recovery', formBody(), async (ctx) => {
    const { d, p, lang } = await loginStep(ctx);
    if (await throttled(ctx, d, p, lang)) return;
    if (!(await authenticators.recovery.use(p.sub, field(ctx, 'code')))) return factorFailed(ctx, d, p, lang, 'recovery', 'wrongCode');
    await factorPassed(ctx, d, p, 'recovery');
  });

  router.post('/:uid/sms/send', formBody(), async (ctx) => {
    const { d, p, lang } = await loginStep(ctx);
    const account = await accounts.findBySub(p.sub);
    if (!account?.phoneNumber || !account.phoneVerified) throw new HttpError(400, 'sessionExpired');
    const issued = await phoneOtp.issue(account.phoneNumber, 'login', ctx.ip);
    if (!issued.ok) {
      if (issued.reason !== 'sms_failed') ctx.set('Retry-After', String(issued.retryAfter));
      const message =
        issued.reason === 'sms_failed'
          ? t(lang, 'smsFailed')
          : issued.reason === 'resend_too_soon'
            ? t(lang, 'smsResendTooSoon', { seconds: issued.retryAfter })
            : t(lang, 'smsLimit');
      await advance(ctx, d, p, message);
      ctx.status = issued.reason === 'sms_failed' ? 502 : 429;
      return;
    }
    await progress.setSmsOtp(d.uid, issued.id);
    await advance(ctx, d, { ...p, smsOtpId: issued.id });
  });

  router.post('/:uid/sms', formBody(), async (ctx) => {
    const { d, p, lang } = await loginStep(ctx);
    if (!p.smsOtpId) return advance(ctx, d, p, t(lang, 'codeNotSent'));
    if (await throttled(ctx, d, p, lang)) return;
    const account = await accounts.findBySub(p.sub);
    const result = account?.phoneNumber ? await phoneOtp.verify(p.smsOtpId, account.phoneNumber, field(ctx, 'code').replace(/\s/g, '')) : 'unknown';
    if (result !== 'ok') return factorFailed(ctx, d, p, lang, 'sms', OTP_ERRORS[result]!);
    await factorPassed(ctx, d, p, 'sms');
  });

  // Passkeys: a discoverable passkey logs in on its own; after a password it is a second factor.
  router.post('/:uid/passkey/options', jsonBody(), async (ctx) => {
    const d = await details(ctx);
    if (d.prompt.name !== 'login') throw new HttpError(400, 'sessionExpired');
    const p = await progressOf(d);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await authenticators.passkeys.authenticationOptions(p?.sub);
  });

  router.post('/:uid/passkey', jsonBody(), async (ctx) => {
    const d = await details(ctx);
    if (d.prompt.name !== 'login') throw new HttpError(400, 'sessionExpired');
    const lang = langOf(ctx, d);
    const body = ctx.request.body as { challengeId?: unknown; response?: unknown };
    const result = typeof body.challengeId === 'string' ? await authenticators.passkeys.verifyAuthentication(body.challengeId, body.response) : undefined;
    const p = await progressOf(d);
    if (!result?.ok) {
      if (p) await throttle.fail(throttleKey(p.sub), ctx.ip);
      await audit(db, { actor: p?.sub ?? null, action: 'login.factor_failed', subject: p?.sub, clientAddress: ctx.ip, detail: { factor: 'passkey', client_id: d.params.client_id } });
      ctx.status = 400;
      ctx.body = { error: t(lang, 'passkeyFailed') };
      return;
    }
    if (p && p.sub !== result.sub) {
      ctx.status = 400;
      ctx.body = { error: t(lang, 'passkeyOtherAccount') };
      return;
    }
    await progress.pass(d.uid, result.sub, result.deviceBound ? 'hwk' : 'swk');
    ctx.body = { redirect: `/interaction/${d.uid}` };
  });

  router.post('/:uid/unmet', formBody(), async (ctx) => {
    const d = await details(ctx);
    requireCsrf(ctx);
    await progress.clear(d.uid);
    await provider.interactionFinished(
      ctx.req,
      ctx.res,
      { error: 'unmet_authentication_requirements', error_description: 'the requested authentication or identity assurance level cannot be reached for this account' },
      { mergeWithLastSubmission: false },
    );
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
    await progress.clear(d.uid);
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
