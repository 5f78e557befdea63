// The account pages at /account: profile (names, phone re-verified), security (password, authenticator
// app, recovery codes, passkeys), sessions and connected applications, privacy (export, deletion
// request, activity). Every page needs the person's IdP session; every change is an audit event.
import { Router } from '@koa/router';
import type { Context, Next } from 'koa';
import type Provider from 'oidc-provider';
import type { Database } from '../../../kernel/db/index.ts';
import type { Pii } from '../../../kernel/pii/index.ts';
import type { Accounts, PasswordHasher } from '../index.ts';
import { normalizeThaiMobile } from '../index.ts';
import type { PhoneOtp } from '../../sms/otp.ts';
import type { Authenticators } from '../../authenticators/index.ts';
import type { LoginThrottle } from '../../login/throttle.ts';
import { checkPassword } from '../../authenticators/password/policy.ts';
import { displayPhone, maskPhone } from '../../../kernel/thai/phone.ts';
import { formatDate } from '../../../kernel/thai/dates.ts';
import { audit } from '../../../kernel/audit/index.ts';
import { checkCsrfToken, issueCsrfToken } from '../../../kernel/http/csrf.ts';
import { formBody } from '../../../kernel/http/form.ts';
import { jsonBody } from '../../../kernel/http/json.ts';
import { pickLang, type Lang } from '../../../kernel/http/i18n.ts';
import { HttpError } from '../../../kernel/http/errors.ts';
import { t, type MessageKey } from '../../web/messages.ts';
import type { FieldErrors } from '../../../kernel/web/form.ts';
import { messagePage } from '../../login/views/message.ts';
import { codePage, privacyAccountPage, profilePage, recoveryCodesPage, securityPage, sessionsPage, totpEnrolPage, type Flash } from './views.ts';
import { accountSession, finishAccountLogin, isFresh, startAccountLogin, ACCOUNT_CLIENT_ID, type AccountSession } from './session.ts';
import { createSessionRecords } from '../../oidc/sessions.ts';
import type { Personnel } from '../../personnel/index.ts';
import { personnelPage } from '../../personnel/views.ts';

export interface ConsoleDeps {
  provider: Provider;
  db: Database;
  pii: Pii;
  accounts: Accounts;
  hasher: PasswordHasher;
  phoneOtp: PhoneOtp;
  authenticators: Authenticators;
  personnel: Personnel;
  throttle: LoginThrottle;
  issuer: string;
  /** the account's IAL, passed in by app.ts from proofing (account must not import proofing) */
  accountIal: (db: Database, sub: string) => Promise<string | undefined>;
}

const PHONE_COOKIE = 'mpid.phone_change';
const FLASH_COOKIE = 'mpid.flash';
const PASSWORD_ERRORS: Record<string, MessageKey> = { too_short: 'passwordTooShort', too_long: 'passwordTooLong', common: 'passwordCommon', personal: 'passwordPersonal' };
const OTP_ERRORS: Record<string, MessageKey> = { wrong: 'wrongCode', expired: 'codeExpired', too_many_tries: 'codeTooManyTries', unknown: 'codeExpired' };

type State = { session: AccountSession; lang: Lang };

export function accountConsoleRoutes(deps: ConsoleDeps) {
  const { provider, db, pii, accounts, hasher, phoneOtp, authenticators, personnel, throttle, issuer, accountIal } = deps;
  const records = createSessionRecords(db);
  const router = new Router({ prefix: '/account' });

  const state = (ctx: Context) => ctx.state as State;
  const body = (ctx: Context) => ctx.request.body as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

  /** A notice or error for the next page, after a redirect (post/redirect/get). */
  const flash = (ctx: Context, f: Flash) => ctx.cookies.set(FLASH_COOKIE, Buffer.from(JSON.stringify(f)).toString('base64url'), { signed: true, httpOnly: true, sameSite: 'lax', overwrite: true });
  function takeFlash(ctx: Context): Flash | undefined {
    const raw = ctx.cookies.get(FLASH_COOKIE, { signed: true });
    if (!raw) return undefined;
    ctx.cookies.set(FLASH_COOKIE, null);
    try {
      return JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Flash;
    } catch {
      return undefined;
    }
  }
  const back = (ctx: Context, to: string, f?: Flash) => {
    if (f) flash(ctx, f);
    ctx.status = 303;
    ctx.redirect(to);
  };
  const html = (ctx: Context, page: string, status = 200) => {
    ctx.status = status;
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = page;
  };

  async function requireSession(ctx: Context, next: Next) {
    const session = await accountSession(ctx, provider);
    if (!session) {
      if (ctx.method === 'GET') return ctx.redirect(`/account/login?next=${encodeURIComponent(ctx.path)}`);
      throw new HttpError(401, 'sessionExpired');
    }
    ctx.state.session = session;
    ctx.state.lang = pickLang(ctx);
    await next();
  }
  async function requireCsrf(ctx: Context, next: Next) {
    if (!checkCsrfToken(ctx, body(ctx).csrf)) throw new HttpError(403, 'csrfError');
    await next();
  }
  const form = [formBody(), requireSession, requireCsrf] as const;

  /** Sensitive changes need a recent login; otherwise the person logs in again and comes back. */
  function needsFreshLogin(ctx: Context, returnTo: string): boolean {
    if (isFresh(state(ctx).session)) return false;
    flash(ctx, { error: t(state(ctx).lang, 'freshLoginNeeded') });
    ctx.status = 303;
    ctx.redirect(`/account/login?fresh=1&next=${encodeURIComponent(returnTo)}`);
    return true;
  }

  router.get('/login', (ctx) => {
    pickLang(ctx); // remembers ?lang= for the account pages
    startAccountLogin(ctx, issuer, { next: ctx.query.next, fresh: ctx.query.fresh === '1' });
  });

  router.get('/callback', async (ctx) => {
    const next = await finishAccountLogin(ctx, provider);
    if (!next) return html(ctx, messagePage({ lang: pickLang(ctx), title: t(pickLang(ctx), 'errorTitle'), message: t(pickLang(ctx), 'accountLoginFailed') }), 400);
    ctx.redirect(next);
  });

  router.get('/logout', (ctx) => {
    ctx.redirect(`/session/end?client_id=${ACCOUNT_CLIENT_ID}&post_logout_redirect_uri=${encodeURIComponent(`${issuer}/account`)}`);
  });

  // Profile
  async function renderProfile(ctx: Context, errors: FieldErrors = {}, status = 200, values?: Record<string, string>) {
    const { session, lang } = state(ctx);
    const a = (await accounts.findBySub(session.sub))!;
    html(
      ctx,
      profilePage({
        lang,
        csrf: issueCsrfToken(ctx),
        names: {
          title: values?.title ?? a.title ?? '',
          given_name: values?.given_name ?? a.givenName,
          family_name: values?.family_name ?? a.familyName,
          given_name_en: values?.given_name_en ?? a.givenNameEn ?? '',
          family_name_en: values?.family_name_en ?? a.familyNameEn ?? '',
        },
        birthdate: formatDate(a.birthdate, lang),
        phone: a.phoneNumber ? displayPhone(a.phoneNumber) : '',
        ial: (await accountIal(db, a.sub)) ?? '-',
        errors,
        flash: takeFlash(ctx),
      }),
      status,
    );
  }

  router.get('/', requireSession, (ctx) => renderProfile(ctx));

  router.post('/profile', ...form, async (ctx) => {
    const { session, lang } = state(ctx);
    const b = body(ctx);
    const values = { title: str(b.title), given_name: str(b.given_name), family_name: str(b.family_name), given_name_en: str(b.given_name_en), family_name_en: str(b.family_name_en) };
    const errors: FieldErrors = {};
    for (const k of ['given_name', 'family_name'] as const) if (!values[k]) errors[k] = t(lang, 'errRequired');
    for (const [k, v] of Object.entries(values)) if (v.length > (k === 'title' ? 40 : 100)) errors[k] = t(lang, 'errTooLong');
    if (Object.keys(errors).length) return renderProfile(ctx, errors, 400, values);
    await accounts.updateNames(session.sub, values);
    back(ctx, '/account', { notice: t(lang, 'saved') });
  });

  router.post('/phone', ...form, async (ctx) => {
    const { session, lang } = state(ctx);
    const phone = normalizeThaiMobile(str(body(ctx).phone));
    if (!phone) return renderProfile(ctx, { phone: t(lang, 'errPhone') }, 400);
    const issued = await phoneOtp.issue(phone, 'phone-change', ctx.ip);
    if (!issued.ok) {
      if (issued.reason !== 'sms_failed') ctx.set('Retry-After', String(issued.retryAfter));
      const message = issued.reason === 'sms_failed' ? t(lang, 'smsFailed') : issued.reason === 'resend_too_soon' ? t(lang, 'smsResendTooSoon', { seconds: issued.retryAfter }) : t(lang, 'smsLimit');
      return renderProfile(ctx, { phone: message }, issued.reason === 'sms_failed' ? 502 : 429);
    }
    // the new number waits encrypted (and bound to this account) in a signed cookie until it is proved
    ctx.cookies.set(PHONE_COOKIE, `${issued.id}.${pii.encrypt(phone, `phone-change:${session.sub}`)}`, { signed: true, httpOnly: true, sameSite: 'lax', maxAge: 10 * 60 * 1000, overwrite: true });
    back(ctx, '/account/phone/verify');
  });

  function pendingPhone(ctx: Context): { otpId: string; phone: string } {
    const raw = ctx.cookies.get(PHONE_COOKIE, { signed: true });
    const i = raw?.indexOf('.') ?? -1;
    if (!raw || i < 0) throw new HttpError(400, 'sessionExpired');
    try {
      return { otpId: raw.slice(0, i), phone: pii.decrypt(raw.slice(i + 1), `phone-change:${state(ctx).session.sub}`) };
    } catch {
      throw new HttpError(400, 'sessionExpired');
    }
  }
  const phoneCodePage = (ctx: Context, phone: string, error?: string) => {
    const { lang } = state(ctx);
    return codePage({ lang, csrf: issueCsrfToken(ctx), title: t(lang, 'phoneVerifyTitle'), intro: t(lang, 'verifyIntro', { phone: maskPhone(phone) }), action: '/account/phone/verify', label: t(lang, 'otpCode'), error });
  };

  router.get('/phone/verify', requireSession, (ctx) => html(ctx, phoneCodePage(ctx, pendingPhone(ctx).phone)));

  router.post('/phone/verify', ...form, async (ctx) => {
    const { session, lang } = state(ctx);
    const { otpId, phone } = pendingPhone(ctx);
    const result = await phoneOtp.verify(otpId, phone, str(body(ctx).code).replace(/\s/g, ''));
    if (result !== 'ok') return html(ctx, phoneCodePage(ctx, phone, t(lang, OTP_ERRORS[result]!)), 400);
    await accounts.setVerifiedPhone(session.sub, phone);
    ctx.cookies.set(PHONE_COOKIE, null);
    back(ctx, '/account', { notice: t(lang, 'phoneChanged') });
  });

  // Security
  async function renderSecurity(ctx: Context, errors: FieldErrors = {}, status = 200) {
    const { session, lang } = state(ctx);
    const [totp, remaining, keys] = await Promise.all([
      authenticators.totp.status(session.sub),
      authenticators.recovery.remaining(session.sub),
      authenticators.passkeys.list(session.sub),
    ]);
    html(
      ctx,
      securityPage({
        lang,
        csrf: issueCsrfToken(ctx),
        totp: totp.enrolled,
        recoveryRemaining: remaining,
        passkeys: keys.map((k) => ({ id: k.id, name: k.name, deviceBound: k.deviceBound, lastUsed: k.lastUsedAt ? k.lastUsedAt.toISOString().slice(0, 16).replace('T', ' ') : null })),
        errors,
        flash: takeFlash(ctx),
      }),
      status,
    );
  }

  router.get('/security', requireSession, (ctx) => renderSecurity(ctx));

  router.post('/password', ...form, async (ctx) => {
    const { session, lang } = state(ctx);
    const b = body(ctx);
    const account = (await accounts.findBySub(session.sub))!;
    const password = typeof b.password === 'string' ? b.password : '';
    const errors: FieldErrors = {};
    // the current password is a credential check like a login: same counters, back-off and lock
    const verdict0 = await throttle.check(account.pid, ctx.ip);
    if (!verdict0.ok) {
      ctx.set('Retry-After', String(verdict0.retryAfter));
      return renderSecurity(ctx, { current_password: verdict0.locked ? t(lang, 'locked') : t(lang, 'tooManyAttempts', { seconds: verdict0.retryAfter }) }, 429);
    }
    if (!(await accounts.verifyPassword(account.pid, typeof b.current_password === 'string' ? b.current_password : ''))) {
      await throttle.fail(account.pid, ctx.ip);
      errors.current_password = t(lang, 'wrongCurrentPassword');
    }
    const verdict = checkPassword(password, { pid: account.pid, phone: account.phoneNumber ?? undefined, birthdate: account.birthdate });
    if (!verdict.ok) errors.password = t(lang, PASSWORD_ERRORS[verdict.reason]!);
    else if (b.password_confirm !== password) errors.password_confirm = t(lang, 'errPasswordMismatch');
    if (Object.keys(errors).length) return renderSecurity(ctx, errors, 400);
    const hash = await hasher.hash(password);
    await db.tx(async (q) => {
      await accounts.setPasswordHash(q, session.sub, hash);
      await records.endSessions(q, session.sub, session.id);
      await audit(q, { actor: session.sub, action: 'password.changed', subject: session.sub, clientAddress: ctx.ip });
    });
    back(ctx, '/account/security', { notice: t(lang, 'passwordChanged') });
  });

  router.get('/totp', requireSession, async (ctx) => {
    const { session, lang } = state(ctx);
    const account = (await accounts.findBySub(session.sub))!;
    const { qrSvg, setupKey } = await authenticators.totp.begin(session.sub, `${account.givenName} ${account.familyName}`);
    html(ctx, totpEnrolPage({ lang, csrf: issueCsrfToken(ctx), qrSvg, setupKey }));
  });

  router.post('/totp', ...form, async (ctx) => {
    const { session, lang } = state(ctx);
    const result = await authenticators.totp.confirm(session.sub, str(body(ctx).code));
    if (result === 'ok') return back(ctx, '/account/security', { notice: t(lang, 'totpEnrolled') });
    if (result === 'no_pending') return back(ctx, '/account/security', { error: t(lang, 'totpNoPending') });
    // show the same secret again: a new one would break what the person has just scanned
    const account = (await accounts.findBySub(session.sub))!;
    const setup = await authenticators.totp.pendingSetup(session.sub, `${account.givenName} ${account.familyName}`);
    if (!setup) return back(ctx, '/account/security', { error: t(lang, 'totpNoPending') });
    html(ctx, totpEnrolPage({ lang, csrf: issueCsrfToken(ctx), qrSvg: setup.qrSvg, setupKey: setup.setupKey, error: t(lang, 'wrongCode') }), 400);
  });

  router.post('/totp/remove', ...form, async (ctx) => {
    const { session, lang } = state(ctx);
    if ((await authenticators.strongCount(session.sub)) <= 1 && needsFreshLogin(ctx, '/account/security')) return;
    await authenticators.totp.remove(session.sub);
    back(ctx, '/account/security', { notice: t(lang, 'totpRemoved') });
  });

  router.post('/recovery-codes', ...form, async (ctx) => {
    const { session, lang } = state(ctx);
    html(ctx, recoveryCodesPage({ lang, codes: await authenticators.recovery.generate(session.sub) }));
  });

  router.post('/passkeys/options', jsonBody(), requireSession, async (ctx) => {
    const { session } = state(ctx);
    const account = (await accounts.findBySub(session.sub))!;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await authenticators.passkeys.registrationOptions(session.sub, { name: `${account.givenName} ${account.familyName}`, displayName: `${account.givenName} ${account.familyName}` });
  });

  router.post('/passkeys', jsonBody(), requireSession, async (ctx) => {
    const { session, lang } = state(ctx);
    const b = body(ctx);
    const result = await authenticators.passkeys.verifyRegistration(session.sub, b.challengeId, b.response, b.name);
    if (!result.ok) {
      ctx.status = 400;
      ctx.body = { error: t(lang, 'passkeyFailed') };
      return;
    }
    flash(ctx, { notice: t(lang, 'passkeyAdded') });
    ctx.body = { redirect: '/account/security' };
  });

  router.post('/passkeys/:id/rename', ...form, async (ctx) => {
    const { session, lang } = state(ctx);
    if (!(await authenticators.passkeys.rename(session.sub, ctx.params.id!, body(ctx).name))) throw new HttpError(404, 'notFound');
    back(ctx, '/account/security', { notice: t(lang, 'saved') });
  });

  router.post('/passkeys/:id/remove', ...form, async (ctx) => {
    const { session, lang } = state(ctx);
    if ((await authenticators.strongCount(session.sub)) <= 1 && needsFreshLogin(ctx, '/account/security')) return;
    if (!(await authenticators.passkeys.remove(session.sub, ctx.params.id!))) throw new HttpError(404, 'notFound');
    back(ctx, '/account/security', { notice: t(lang, 'saved') });
  });

  // Sessions and connected applications
  router.get('/sessions', requireSession, async (ctx) => {
    const { session, lang } = state(ctx);
    const [sessions, grants] = await Promise.all([records.sessions(session.sub), records.grants(session.sub)]);
    const apps = await Promise.all(
      grants.map(async (g) => ({ grantId: g.id, name: (await provider.Client.find(g.clientId))?.clientName ?? g.clientId, scopes: g.scope })),
    );
    html(
      ctx,
      sessionsPage({
        lang,
        csrf: issueCsrfToken(ctx),
        sessions: sessions.map((s) => ({
          id: s.id,
          loggedInAt: s.loginTs ? new Date(s.loginTs * 1000).toISOString().slice(0, 16).replace('T', ' ') : '',
          level: s.acr ? `AAL ${s.acr.split(':').pop()}` : '',
          current: s.id === session.id,
        })),
        apps,
        flash: takeFlash(ctx),
      }),
    );
  });

  router.post('/sessions/end-all', ...form, async (ctx) => {
    const { session } = state(ctx);
    if (needsFreshLogin(ctx, '/account/sessions')) return;
    await db.tx(async (q) => {
      await records.endSessions(q, session.sub);
      await audit(q, { actor: session.sub, action: 'sessions.ended_all', subject: session.sub, clientAddress: ctx.ip });
    });
    ctx.status = 303;
    ctx.redirect('/account/login');
  });

  router.post('/sessions/:id/end', ...form, async (ctx) => {
    const { session, lang } = state(ctx);
    if (!(await records.endSession(session.sub, ctx.params.id!))) throw new HttpError(404, 'notFound');
    await audit(db, { actor: session.sub, action: 'session.ended', subject: session.sub, clientAddress: ctx.ip });
    back(ctx, '/account/sessions', { notice: t(lang, 'sessionEnded') });
  });

  router.post('/apps/:grantId/revoke', ...form, async (ctx) => {
    const { session, lang } = state(ctx);
    const clientId = await records.revokeGrant(session.sub, ctx.params.grantId!);
    if (!clientId) throw new HttpError(404, 'notFound');
    await audit(db, { actor: session.sub, action: 'grant.revoked', subject: session.sub, clientAddress: ctx.ip, detail: { client_id: clientId } });
    back(ctx, '/account/sessions', { notice: t(lang, 'appRevoked') });
  });

  // Health personnel: link the account to its register entry
  router.get('/personnel', requireSession, async (ctx) => {
    const { session, lang } = state(ctx);
    html(ctx, personnelPage({ lang, csrf: issueCsrfToken(ctx), claim: await personnel.healthPersonnelClaim(session.sub), flash: takeFlash(ctx) }));
  });

  router.post('/personnel', ...form, async (ctx) => {
    const { session, lang } = state(ctx);
    const result = await personnel.link((await accounts.findBySub(session.sub))!);
    if (result === 'no_match') return back(ctx, '/account/personnel', { error: t(lang, 'personnelNoMatch') });
    back(ctx, '/account/personnel', { notice: t(lang, 'personnelLinked') });
  });

  // Privacy
  async function activity(sub: string, limit: number) {
    const { rows } = await db.query<{ at: Date; action: string; detail: unknown }>(
      'SELECT at, action, detail FROM audit_events WHERE subject = $1 OR actor = $1 ORDER BY at DESC, id DESC LIMIT $2',
      [sub, limit],
    );
    return rows;
  }

  router.get('/privacy', requireSession, async (ctx) => {
    const { session, lang } = state(ctx);
    const rows = await activity(session.sub, 30);
    html(ctx, privacyAccountPage({ lang, csrf: issueCsrfToken(ctx), activity: rows.map((r) => ({ at: new Date(r.at).toISOString().slice(0, 16).replace('T', ' '), action: r.action })), flash: takeFlash(ctx) }));
  });

  router.get('/privacy/export', requireSession, async (ctx) => {
    const { session } = state(ctx);
    const sub = session.sub;
    const a = (await accounts.findBySub(sub))!;
    const [consents, deletion, totp, recoveryLeft, keys, sessions, grants, events] = await Promise.all([
      db.query<{ version: string; accepted_at: Date }>('SELECT version, accepted_at FROM privacy_consents WHERE sub = $1 ORDER BY accepted_at', [sub]),
      db.query<{ requested_at: Date; status: string; reason: string }>('SELECT requested_at, status, reason FROM deletion_requests WHERE sub = $1 ORDER BY requested_at', [sub]),
      authenticators.totp.status(sub),
      authenticators.recovery.remaining(sub),
      authenticators.passkeys.list(sub),
      records.sessions(sub),
      records.grants(sub),
      activity(sub, 1000),
    ]);
    await audit(db, { actor: sub, action: 'data.exported', subject: sub, clientAddress: ctx.ip });
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Disposition', 'attachment; filename="mor-prom-id-my-data.json"');
    ctx.type = 'application/json';
    ctx.body = {
      exported_at: new Date().toISOString(),
      account: {
        sub,
        national_id_number: a.pid,
        title: a.title,
        given_name: a.givenName,
        family_name: a.familyName,
        given_name_en: a.givenNameEn,
        family_name_en: a.familyNameEn,
        birthdate: a.birthdate,
        phone_number: a.phoneNumber,
        phone_number_verified: a.phoneVerified,
        identity_assurance_level: (await accountIal(db, sub)) ?? null,
      },
      privacy_consents: consents.rows,
      deletion_requests: deletion.rows,
      authenticators: {
        password: true,
        authenticator_app: totp.enrolled ? { confirmed_at: totp.confirmedAt } : null,
        recovery_codes_left: recoveryLeft,
        passkeys: keys.map((k) => ({ name: k.name, created_at: k.createdAt, last_used_at: k.lastUsedAt, device_bound: k.deviceBound })),
      },
      sessions: sessions.map((s) => ({ logged_in_at: s.loginTs ? new Date(s.loginTs * 1000).toISOString() : null, acr: s.acr })),
      connected_applications: grants.map((g) => ({ client_id: g.clientId, scope: g.scope })),
      activity: events.map((e) => ({ at: e.at, action: e.action, detail: e.detail })),
    };
  });

  router.post('/privacy/delete', ...form, async (ctx) => {
    const { session, lang } = state(ctx);
    const reason = str(body(ctx).reason).slice(0, 500);
    await db.tx(async (q) => {
      await q.query('INSERT INTO deletion_requests (sub, reason) VALUES ($1, $2)', [session.sub, reason]);
      await audit(q, { actor: session.sub, action: 'deletion.requested', subject: session.sub, clientAddress: ctx.ip });
    });
    back(ctx, '/account/privacy', { notice: t(lang, 'deleteRecorded') });
  });

  return router;
}
