// Self-registration: the form (Thai/English), then the phone proved with a one-time code, then the
// account at IAL 1.1, logged in at once (AAL 1): back to the relying party or to /account. A second
// registration for an ID number tells nothing about the existing account to someone who does not
// control its phone; its owner is told by SMS.
import { Router } from '@koa/router';
import type { Context } from 'koa';
import type { Database, Queryable } from '../../../kernel/db/index.ts';
import type { Accounts } from '../index.ts';
import { DuplicateAccountError, isValidPid, normalizePid, normalizeThaiMobile, type PasswordHasher } from '../index.ts';
import type { PhoneOtp } from '../../sms/otp.ts';
import type { SmsGateway } from '../../sms/index.ts';
import { parseBirthdate } from '../../../kernel/thai/dates.ts';
import { maskPhone } from '../../../kernel/thai/phone.ts';
import { checkPassword } from '../../authenticators/password/policy.ts';
import { PRIVACY_NOTICE_VERSION } from '../privacy_notice.ts';
import { createPendingRegistrations, type PendingRegistration } from './pending.ts';
import type { Pii } from '../../../kernel/pii/index.ts';
import { audit } from '../../../kernel/audit/index.ts';
import { issueCsrfToken, requireCsrf } from '../../../kernel/http/csrf.ts';
import { formBody } from '../../../kernel/http/form.ts';
import { sameOriginPath } from '../../../kernel/http/redirect.ts';
import { pickLang, type Lang } from '../../../kernel/http/i18n.ts';
import { HttpError } from '../../../kernel/http/errors.ts';
import { t } from '../../web/messages.ts';
import { OTP_ERRORS } from '../../sms/messages.ts';
import { PASSWORD_ERRORS } from '../../authenticators/password/messages.ts';
import type { FieldErrors } from '../../../kernel/web/form.ts';
import { nameErrors } from '../names.ts';
import { rememberRegistration } from '../../login/registered.ts';
import { flash } from '../pages/flash.ts';
import { duplicatePage, privacyPage, registerPage, verifyPhonePage, vouchedRefusedPage, type RegisterValues, type VouchedView } from './views.ts';
import type { DigitalIdRegistration, Vouched } from '../../proofing/index.ts';
import { UpstreamUnavailable, type UpstreamAssertion } from '../../upstream/index.ts';

const COOKIE = 'mpid.registration';

/** Only our own interaction pages are places to return to after registering (no open redirect). */
export function safeReturn(v: unknown, issuer: string): string | undefined {
  const path = sameOriginPath(v, issuer);
  return path && /^\/interaction\/[\w-]{1,64}$/.test(path) ? path : undefined;
}

export interface RegistrationDeps {
  db: Database;
  pii: Pii;
  accounts: Accounts;
  hasher: PasswordHasher;
  phoneOtp: PhoneOtp;
  sms: SmsGateway;
  issuer: string;
  /** "register with ThaID": the identity DOPA's digital ID vouched for, and its evidence */
  digitalId?: DigitalIdRegistration;
}

/** The form's fields for what a digital ID vouched for (the posted ones are never read for them). */
function vouchedValues(a: UpstreamAssertion): Record<string, string> {
  const i = a.identity;
  const [year, month, day] = i.birthdate!.split('-');
  return {
    pid: i.pid!,
    title: i.title ?? '',
    given_name: i.given_name!,
    family_name: i.family_name!,
    given_name_en: i.given_name_en ?? '',
    family_name_en: i.family_name_en ?? '',
    birth_day: String(Number(day)),
    birth_month: String(Number(month)),
    birth_year: year!,
  };
}

const vouchedView = (a: UpstreamAssertion): VouchedView => ({
  pid: a.identity.pid!,
  title: a.identity.title,
  given_name: a.identity.given_name!,
  family_name: a.identity.family_name!,
  given_name_en: a.identity.given_name_en,
  family_name_en: a.identity.family_name_en,
  birthdate: a.identity.birthdate!,
});

function validate(lang: Lang, body: Record<string, unknown>, issuer: string): { values: RegisterValues; errors: FieldErrors; reg?: Omit<PendingRegistration, 'passwordHash'> & { password: string } } {
  const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string).trim() : '');
  const values: RegisterValues = {
    pid: str('pid'),
    title: str('title'),
    given_name: str('given_name'),
    family_name: str('family_name'),
    given_name_en: str('given_name_en'),
    family_name_en: str('family_name_en'),
    birth_day: str('birth_day'),
    birth_month: str('birth_month'),
    birth_year: str('birth_year'),
    phone: str('phone'),
  };
  const errors: FieldErrors = {};
  const pid = normalizePid(values.pid!);
  if (!pid) errors.pid = t(lang, 'errPid');
  else if (!isValidPid(pid)) errors.pid = t(lang, 'errPidCheck');
  Object.assign(errors, nameErrors(lang, values));
  if (values.title && values.title.length > 40) errors.title = t(lang, 'errTooLong');
  const birth = parseBirthdate(values.birth_day!, values.birth_month!, values.birth_year!);
  if (!birth.ok) errors.birth_day = t(lang, birth.error === 'future' ? 'errBirthFuture' : birth.error === 'too_old' ? 'errBirthOld' : 'errBirthInvalid');
  const phone = normalizeThaiMobile(values.phone!);
  if (!phone) errors.phone = t(lang, 'errPhone');
  const password = typeof body.password === 'string' ? body.password : '';
  const verdict = checkPassword(password, { pid, phone, birthdate: birth.ok ? birth.iso : undefined });
  if (!verdict.ok) errors.password = t(lang, PASSWORD_ERRORS[verdict.reason]!);
  else if (body.password_confirm !== password) errors.password_confirm = t(lang, 'errPasswordMismatch');
  if (body.accept_privacy !== PRIVACY_NOTICE_VERSION) errors.accept_privacy = t(lang, 'errPrivacy');
  if (Object.keys(errors).length) return { values, errors };
  return {
    values,
    errors,
    reg: {
      fields: {
        pid: pid!,
        title: values.title || undefined,
        given_name: values.given_name!,
        family_name: values.family_name!,
        given_name_en: values.given_name_en || undefined,
        family_name_en: values.family_name_en || undefined,
        birthdate: (birth as { iso: string }).iso,
        phone_number: phone!,
      },
      password,
      privacyVersion: PRIVACY_NOTICE_VERSION,
      returnTo: safeReturn(body.return, issuer),
    },
  };
}

export function registrationRoutes(deps: RegistrationDeps) {
  const { db, pii, accounts, hasher, phoneOtp, sms, issuer } = deps;
  const digitalId = deps.digitalId?.available ? deps.digitalId : undefined;
  const pending = createPendingRegistrations(db, pii);
  const router = new Router();

  const pendingId = (ctx: Context) => ctx.cookies.get(COOKIE, { signed: true });
  async function current(ctx: Context) {
    const id = pendingId(ctx);
    const reg = id ? await pending.get(id) : undefined;
    if (!id || !reg) throw new HttpError(400, 'registrationExpired');
    return { id, reg };
  }
  const otpMessage = (lang: Lang, r: Exclude<Awaited<ReturnType<PhoneOtp['issue']>>, { ok: true }>) =>
    r.reason === 'sms_failed' ? t(lang, 'smsFailed') : r.reason === 'resend_too_soon' ? t(lang, 'smsResendTooSoon', { seconds: r.retryAfter }) : t(lang, 'smsLimit');

  router.get('/privacy', (ctx) => {
    ctx.type = 'html';
    ctx.body = privacyPage({ lang: pickLang(ctx), version: PRIVACY_NOTICE_VERSION });
  });

  router.get('/register', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'html';
    ctx.body = registerPage({ lang: pickLang(ctx), csrf: issueCsrfToken(ctx), values: {}, errors: {}, returnTo: safeReturn(ctx.query.return, issuer), privacyVersion: PRIVACY_NOTICE_VERSION, digitalId: Boolean(digitalId) });
  });

  // "register with ThaID": to ThaID's login; it comes back to GET /register/digital-id
  router.post('/register/digital-id', formBody(), async (ctx) => {
    requireCsrf(ctx);
    const lang = pickLang(ctx);
    const returnTo = safeReturn((ctx.request.body as Record<string, unknown>).return, issuer);
    if (!digitalId) throw new HttpError(404, 'notFound');
    try {
      const url = await digitalId.begin(ctx, returnTo);
      ctx.status = 303;
      ctx.redirect(url);
    } catch (err) {
      if (!(err instanceof UpstreamUnavailable)) throw err;
      ctx.status = 503;
      ctx.type = 'html';
      ctx.body = registerPage({ lang, csrf: issueCsrfToken(ctx), values: {}, errors: { thaid: t(lang, 'digitalIdUnavailable') }, returnTo, privacyVersion: PRIVACY_NOTICE_VERSION, digitalId: true });
    }
  });

  /** The vouched identity of this browser's registration with ThaID, or the page saying why there is none. */
  async function vouchedFor(ctx: Context, lang: Lang): Promise<Extract<Vouched, { ok: true }> | undefined> {
    const vouched = digitalId && (await digitalId.vouched(ctx, { take: false }));
    if (vouched?.ok) return vouched;
    if (vouched) await digitalId!.vouched(ctx, { take: true }); // refused: used up, nothing kept
    ctx.status = 400;
    ctx.type = 'html';
    ctx.body = vouchedRefusedPage({ lang, message: vouched ? vouched.refusal(lang) : t(lang, 'digitalIdExpired') });
    return undefined;
  }

  router.get('/register/digital-id', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const lang = pickLang(ctx);
    const vouched = await vouchedFor(ctx, lang);
    if (!vouched) return;
    ctx.type = 'html';
    ctx.body = registerPage({ lang, csrf: issueCsrfToken(ctx), values: {}, errors: {}, returnTo: vouched.returnTo, privacyVersion: PRIVACY_NOTICE_VERSION, vouched: vouchedView(vouched.assertion) });
  });

  router.post('/register', formBody(), async (ctx) => {
    requireCsrf(ctx);
    const lang = pickLang(ctx);
    const posted = ctx.request.body as Record<string, unknown>;
    // with ThaID the identity is what it vouched for, whatever was posted for it
    const vouched = posted.via === 'thaid' ? await vouchedFor(ctx, lang) : undefined;
    if (posted.via === 'thaid' && !vouched) return;
    const body = vouched ? { ...posted, ...vouchedValues(vouched.assertion), return: vouched.returnTo } : posted;
    const { values, errors, reg } = validate(lang, body, issuer);
    const again = (status: number, errs: FieldErrors) => {
      ctx.status = status;
      ctx.type = 'html';
      ctx.body = registerPage({ lang, csrf: issueCsrfToken(ctx), values, errors: errs, returnTo: safeReturn(body.return, issuer), privacyVersion: PRIVACY_NOTICE_VERSION, accepted: body.accept_privacy === PRIVACY_NOTICE_VERSION, digitalId: Boolean(digitalId), ...(vouched ? { vouched: vouchedView(vouched.assertion) } : {}) });
    };
    if (!reg) return again(400, errors);
    const issued = await phoneOtp.issue(reg.fields.phone_number, 'register', ctx.ip, lang);
    if (!issued.ok) {
      if (issued.reason !== 'sms_failed') ctx.set('Retry-After', String(issued.retryAfter));
      return again(issued.reason === 'sms_failed' ? 502 : 429, { phone: otpMessage(lang, issued) });
    }
    const { password, ...rest } = reg;
    // the assertion moves into the pending registration: used once, whatever happens next
    const upstream = vouched && (await digitalId!.vouched(ctx, { take: true }));
    if (vouched && !upstream?.ok) return again(400, { thaid: t(lang, 'digitalIdExpired') });
    const id = await pending.add({ ...rest, passwordHash: await hasher.hash(password), ...(upstream?.ok ? { upstream: upstream.assertion } : {}) }, issued.id);
    ctx.cookies.set(COOKIE, id, { signed: true, httpOnly: true, sameSite: 'lax', maxAge: 30 * 60 * 1000, overwrite: true });
    ctx.status = 303;
    ctx.redirect('/register/verify');
  });

  router.get('/register/verify', async (ctx) => {
    const { reg } = await current(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'html';
    ctx.body = verifyPhonePage({ lang: pickLang(ctx), csrf: issueCsrfToken(ctx), phone: maskPhone(reg.fields.phone_number) });
  });

  router.post('/register/resend', formBody(), async (ctx) => {
    requireCsrf(ctx);
    const lang = pickLang(ctx);
    const { id, reg } = await current(ctx);
    const issued = await phoneOtp.issue(reg.fields.phone_number, 'register', ctx.ip, lang);
    const page = (status: number, p: { error?: string; notice?: string }) => {
      ctx.status = status;
      ctx.type = 'html';
      ctx.body = verifyPhonePage({ lang, csrf: issueCsrfToken(ctx), phone: maskPhone(reg.fields.phone_number), ...p });
    };
    if (!issued.ok) {
      if (issued.reason !== 'sms_failed') ctx.set('Retry-After', String(issued.retryAfter));
      return page(issued.reason === 'sms_failed' ? 502 : 429, { error: otpMessage(lang, issued) });
    }
    await pending.setOtp(id, issued.id);
    page(200, { notice: t(lang, 'resent') });
  });

  router.post('/register/verify', formBody(), async (ctx) => {
    requireCsrf(ctx);
    const lang = pickLang(ctx);
    const { id, reg } = await current(ctx);
    const code = String((ctx.request.body as Record<string, unknown>).code ?? '').replace(/\s/g, '');
    const result = await phoneOtp.verify(reg.otpId, reg.fields.phone_number, code);
    if (result !== 'ok') {
      ctx.status = 400;
      ctx.type = 'html';
      ctx.body = verifyPhonePage({ lang, csrf: issueCsrfToken(ctx), phone: maskPhone(reg.fields.phone_number), error: t(lang, OTP_ERRORS[result]!) });
      return;
    }
    await pending.remove(id);
    ctx.cookies.set(COOKIE, null);
    ctx.type = 'html';
    let sub: string;
    try {
      const upstream = reg.upstream;
      // registered with ThaID: its evidence in the same transaction, so the account starts at its level
      const then = upstream && digitalId ? (q: Queryable, sub: string) => digitalId.record(q, sub, upstream) : undefined;
      ({ sub } = await accounts.createRegistered({ ...reg.fields, phone_verified: true }, reg.passwordHash, reg.privacyVersion, then));
    } catch (err) {
      if (!(err instanceof DuplicateAccountError)) throw err;
      const ownPhone = await accounts.phoneMatches(reg.fields.pid, reg.fields.phone_number);
      const existing = await accounts.findByPid(reg.fields.pid);
      // the owner is told at most once a day, so repeated attempts cannot flood their phone
      const toldToday = existing
        ? (await db.query(`SELECT 1 FROM audit_events WHERE subject = $1 AND action = 'registration.duplicate' AND at > now() - interval '1 day' AND detail ->> 'owner_told' = 'true'`, [existing.sub])).rows.length > 0
        : true;
      const tell = !ownPhone && !toldToday && Boolean(existing?.phoneNumber);
      await audit(db, { actor: null, action: 'registration.duplicate', subject: existing?.sub, clientAddress: ctx.ip, detail: { own_phone: ownPhone, owner_told: tell } });
      if (tell && existing?.phoneNumber) {
        // best effort: the owner is told; the person at this browser learns nothing more either way
        await sms.send(existing.phoneNumber, t('th', 'duplicateSms', { url: `${issuer}/recover` })).catch(() => undefined);
      }
      ctx.status = 409;
      ctx.body = duplicatePage({ lang, ownPhone });
      return;
    }
    // logged in at once (AAL 1): back to the relying party's login, which goes on to its consent, or to
    // the account pages, whose own login takes the new account the same way
    rememberRegistration(ctx, sub, reg.returnTo?.slice('/interaction/'.length));
    flash(ctx, { notice: t(lang, 'registeredBody') });
    ctx.status = 303;
    ctx.redirect(reg.returnTo ?? '/account');
  });

  return router;
}
