// Account recovery ("Forgot password"): the ID number and birth date, then a code sent to the account's
// verified phone, then a new password. It ends every session and keeps the second factors. Whether the
// details matched an account is never shown: a request that matched nothing looks the same and fails.
import { randomBytes } from 'node:crypto';
import { Router } from '@koa/router';
import type { Context } from 'koa';
import type { Database } from '../../../kernel/db/index.ts';
import type { Accounts, PasswordHasher } from '../index.ts';
import { isValidPid, normalizePid } from '../index.ts';
import type { PhoneOtp } from '../../sms/otp.ts';
import type { LoginThrottle } from '../../login/throttle.ts';
import { parseBirthdate } from '../../../kernel/thai/dates.ts';
import { checkPassword } from '../../authenticators/password/policy.ts';
import { safeReturn } from '../registration/routes.ts';
import { audit } from '../../../kernel/audit/index.ts';
import { endSessionsOf } from '../../oidc/sessions.ts';
import { issueCsrfToken, requireCsrf } from '../../../kernel/http/csrf.ts';
import { formBody } from '../../../kernel/http/form.ts';
import { pickLang } from '../../../kernel/http/i18n.ts';
import { HttpError } from '../../../kernel/http/errors.ts';
import { t } from '../../web/messages.ts';
import { OTP_ERRORS } from '../../sms/messages.ts';
import { PASSWORD_ERRORS } from '../../authenticators/password/messages.ts';
import type { FieldErrors } from '../../../kernel/web/form.ts';
import { newPasswordPage, recoverCodePage, recoveredPage, recoverPage } from './views.ts';

const COOKIE = 'mpid.recovery';
const TTL_SECONDS = 20 * 60;

export function resetRoutes(deps: { db: Database; accounts: Accounts; hasher: PasswordHasher; phoneOtp: PhoneOtp; throttle: LoginThrottle; issuer: string }) {
  const { db, accounts, hasher, phoneOtp, throttle, issuer } = deps;
  const router = new Router();

  const body = (ctx: Context) => ctx.request.body as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

  async function current(ctx: Context) {
    const id = ctx.cookies.get(COOKIE, { signed: true });
    const { rows } = id
      ? await db.query<{ sub: string | null; otp_id: string | null; phone_verified_at: Date | null }>(
          'SELECT sub, otp_id, phone_verified_at FROM account_recoveries WHERE id = $1 AND expires_at > now()',
          [id],
        )
      : { rows: [] };
    if (!id || !rows[0]) throw new HttpError(400, 'recoverExpired');
    return { id, ...rows[0] };
  }

  router.get('/recover', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'html';
    ctx.body = recoverPage({ lang: pickLang(ctx), csrf: issueCsrfToken(ctx), values: {}, errors: {}, returnTo: safeReturn(ctx.query.return, issuer) });
  });

  router.post('/recover', formBody(), async (ctx) => {
    requireCsrf(ctx);
    const lang = pickLang(ctx);
    const b = body(ctx);
    const values = { pid: str(b.pid), birth_day: str(b.birth_day), birth_month: str(b.birth_month), birth_year: str(b.birth_year) };
    const errors: FieldErrors = {};
    const pid = normalizePid(values.pid);
    if (!pid) errors.pid = t(lang, 'errPid');
    else if (!isValidPid(pid)) errors.pid = t(lang, 'errPidCheck');
    const birth = parseBirthdate(values.birth_day, values.birth_month, values.birth_year);
    if (!birth.ok) errors.birth_day = t(lang, birth.error === 'future' ? 'errBirthFuture' : 'errBirthInvalid');
    const again = (status: number, errs: FieldErrors) => {
      ctx.status = status;
      ctx.type = 'html';
      ctx.body = recoverPage({ lang, csrf: issueCsrfToken(ctx), values, errors: errs, returnTo: safeReturn(b.return, issuer) });
    };
    if (Object.keys(errors).length) return again(400, errors);

    const key = `recover:${pid}`;
    const verdict = await throttle.check(key, ctx.ip);
    if (!verdict.ok) {
      ctx.set('Retry-After', String(verdict.retryAfter));
      return again(429, { pid: verdict.locked ? t(lang, 'locked') : t(lang, 'tooManyAttempts', { seconds: verdict.retryAfter }) });
    }
    const account = await accounts.findByPid(pid!);
    const matches = account && account.birthdate === (birth as { iso: string }).iso && account.phoneNumber && account.phoneVerified;
    // only details that match nothing count against the ID number
    if (matches) await throttle.release(key, ctx.ip);
    else await throttle.fail(key, ctx.ip);
    let otpId: string | null = null;
    if (matches) {
      const issued = await phoneOtp.issue(account.phoneNumber!, 'recover', ctx.ip, lang);
      if (!issued.ok) {
        if (issued.reason !== 'sms_failed') ctx.set('Retry-After', String(issued.retryAfter));
        const message = issued.reason === 'sms_failed' ? t(lang, 'smsFailed') : issued.reason === 'resend_too_soon' ? t(lang, 'smsResendTooSoon', { seconds: issued.retryAfter }) : t(lang, 'smsLimit');
        return again(issued.reason === 'sms_failed' ? 502 : 429, { pid: message });
      }
      otpId = issued.id;
      await audit(db, { actor: null, action: 'recovery.requested', subject: account.sub, clientAddress: ctx.ip });
    }
    const id = randomBytes(18).toString('base64url');
    await db.query(
      'INSERT INTO account_recoveries (id, sub, otp_id, expires_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4::int))',
      [id, matches ? account.sub : null, otpId, TTL_SECONDS],
    );
    ctx.cookies.set(COOKIE, id, { signed: true, httpOnly: true, sameSite: 'lax', maxAge: TTL_SECONDS * 1000, overwrite: true });
    ctx.cookies.set(`${COOKIE}.return`, safeReturn(b.return, issuer) ?? null, { httpOnly: true, sameSite: 'lax', overwrite: true });
    ctx.status = 303;
    ctx.redirect('/recover/verify');
  });

  router.get('/recover/verify', async (ctx) => {
    await current(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'html';
    ctx.body = recoverCodePage({ lang: pickLang(ctx), csrf: issueCsrfToken(ctx) });
  });

  router.post('/recover/verify', formBody(), async (ctx) => {
    requireCsrf(ctx);
    const lang = pickLang(ctx);
    const r = await current(ctx);
    const code = str(body(ctx).code).replace(/\s/g, '');
    const account = r.sub ? await accounts.findBySub(r.sub) : undefined;
    const result = r.otp_id && account?.phoneNumber ? await phoneOtp.verify(r.otp_id, account.phoneNumber, code) : 'wrong';
    if (result !== 'ok') {
      ctx.status = 400;
      ctx.type = 'html';
      ctx.body = recoverCodePage({ lang, csrf: issueCsrfToken(ctx), error: t(lang, OTP_ERRORS[result]!) });
      return;
    }
    await db.query('UPDATE account_recoveries SET phone_verified_at = now() WHERE id = $1', [r.id]);
    ctx.status = 303;
    ctx.redirect('/recover/password');
  });

  const requireVerified = async (ctx: Context) => {
    const r = await current(ctx);
    if (!r.sub || !r.phone_verified_at) throw new HttpError(400, 'recoverExpired');
    return { ...r, sub: r.sub };
  };

  router.get('/recover/password', async (ctx) => {
    await requireVerified(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'html';
    ctx.body = newPasswordPage({ lang: pickLang(ctx), csrf: issueCsrfToken(ctx), errors: {} });
  });

  router.post('/recover/password', formBody(), async (ctx) => {
    requireCsrf(ctx);
    const lang = pickLang(ctx);
    const r = await requireVerified(ctx);
    const b = body(ctx);
    const password = typeof b.password === 'string' ? b.password : '';
    const account = (await accounts.findBySub(r.sub))!;
    const verdict = checkPassword(password, { pid: account.pid, phone: account.phoneNumber ?? undefined, birthdate: account.birthdate });
    const errors: FieldErrors = {};
    if (!verdict.ok) errors.password = t(lang, PASSWORD_ERRORS[verdict.reason]!);
    else if (b.password_confirm !== password) errors.password_confirm = t(lang, 'errPasswordMismatch');
    if (Object.keys(errors).length) {
      ctx.status = 400;
      ctx.type = 'html';
      ctx.body = newPasswordPage({ lang, csrf: issueCsrfToken(ctx), errors });
      return;
    }
    const hash = await hasher.hash(password);
    await db.tx(async (q) => {
      await accounts.setPasswordHash(q, r.sub, hash);
      // every session ends; grants (connected applications) and second factors stay
      await endSessionsOf(q, r.sub);
      await q.query('DELETE FROM account_recoveries WHERE sub = $1', [r.sub]);
      await audit(q, { actor: r.sub, action: 'account.recovered', subject: r.sub, clientAddress: ctx.ip });
    });
    await throttle.succeed(account.pid);
    ctx.cookies.set(COOKIE, null);
    const returnTo = safeReturn(ctx.cookies.get(`${COOKIE}.return`), issuer);
    ctx.cookies.set(`${COOKIE}.return`, null);
    ctx.type = 'html';
    ctx.body = recoveredPage({ lang, returnTo });
  });

  return router;
}
