// The profile page (/account): names, and the phone number, changed only after a code sent to the new
// number is typed back (the number waits encrypted in a signed cookie until then). Names that evidence
// vouches for are shown verified and read-only; they change only when the person chooses to drop that
// verification (/account/profile/verified), through the identity lock app.ts passes in.
import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { normalizeThaiMobile } from '../index.ts';
import { displayPhone, maskPhone } from '../../../kernel/thai/phone.ts';
import { formatDate } from '../../../kernel/thai/dates.ts';
import { issueCsrfToken } from '../../../kernel/http/csrf.ts';
import { HttpError } from '../../../kernel/http/errors.ts';
import { t } from '../../web/messages.ts';
import type { FieldErrors } from '../../../kernel/web/form.ts';
import type { Lang } from '../../../kernel/http/i18n.ts';
import { changeVerifiedPage, codePage, deviceWords, profilePage, type NameFields } from './views.ts';
import { activityOf } from '../../../kernel/audit/index.ts';
import { formatDateTime } from '../../../kernel/thai/time.ts';
import type { Device } from '../../login/device.ts';
import type { Verification, VouchedFor } from '../index.ts';
import type { PagesContext } from './context.ts';
import { OTP_ERRORS } from '../../sms/messages.ts';
import { nameErrors } from '../names.ts';

const PHONE_COOKIE = 'mpid.phone_change';

export function profileRoutes(router: Router, c: PagesContext) {
  const { db, pii, accounts, phoneOtp, accountIal, identityLock } = c.deps;
  const { state, body, str, takeFlash, back, html, requireSession, form, needsFreshLogin } = c;
  const CHANGE_VERIFIED = '/account/profile/verified';

  const labels = (vs: Verification[], lang: Lang) => [...new Set(vs.map((v) => v.label(lang)))].join(', ');
  const verifiedTexts = (vouched: VouchedFor, lang: Lang): Record<string, string> =>
    Object.fromEntries(Object.entries(vouched).map(([a, vs]) => [a, labels(vs, lang)]));

  /** The page's names: the account's, or those just posted; a verified one is always the account's (read-only). */
  async function namesAndVerified(ctx: Context, values?: NameFields, keepVerified = true) {
    const { session, lang } = state(ctx);
    const a = (await accounts.findBySub(session.sub))!;
    const vouched = await identityLock.vouchedFor(a.sub);
    const stored: NameFields = { title: a.title ?? '', given_name: a.givenName, family_name: a.familyName, given_name_en: a.givenNameEn ?? '', family_name_en: a.familyNameEn ?? '' };
    const names = Object.fromEntries(
      (Object.keys(stored) as Array<keyof NameFields>).map((k) => [k, values && !(keepVerified && vouched[k]) ? values[k] : stored[k]]),
    ) as NameFields;
    return { a, vouched, names, verified: verifiedTexts(vouched, lang) };
  }

  async function renderProfile(ctx: Context, errors: FieldErrors = {}, status = 200, values?: NameFields) {
    const { lang } = state(ctx);
    const { a, names, verified } = await namesAndVerified(ctx, values);
    html(
      ctx,
      profilePage({
        lang,
        csrf: issueCsrfToken(ctx),
        names,
        birthdate: formatDate(a.birthdate, lang),
        phone: a.phoneNumber ? displayPhone(a.phoneNumber) : '',
        ial: (await accountIal(db, a.sub)) ?? '-',
        verified,
        errors,
        flash: takeFlash(ctx),
        newDevices: await newDeviceLogins(a.sub, lang),
      }),
      status,
    );
  }

  /** Logins on a device not seen before, in the last 14 days: a notice at the top of /account. */
  async function newDeviceLogins(sub: string, lang: Lang): Promise<string[]> {
    const since = Date.now() - 14 * 86400 * 1000;
    return (await activityOf(db, sub, 100))
      .filter((e) => e.action === 'login.new_device' && new Date(e.at).getTime() > since)
      .slice(0, 3)
      .map((e) => t(lang, 'newDeviceNotice', { device: deviceWords(lang, (e.detail as { device?: Device } | null)?.device ?? {}), at: formatDateTime(e.at, lang) }));
  }

  async function renderChangeVerified(ctx: Context, errors: FieldErrors = {}, status = 200, values?: NameFields) {
    const { lang } = state(ctx);
    const { vouched, names, verified } = await namesAndVerified(ctx, values, false);
    const verifications = [...new Set(Object.values(vouched).flat().map((v) => v.label(lang)))];
    html(ctx, changeVerifiedPage({ lang, csrf: issueCsrfToken(ctx), names, verified, verifications, errors }), status);
  }

  router.get('/', requireSession, (ctx) => renderProfile(ctx));

  router.get('/profile/verified', requireSession, async (ctx) => {
    if (needsFreshLogin(ctx, CHANGE_VERIFIED)) return;
    await renderChangeVerified(ctx);
  });

  router.post('/profile', ...form, async (ctx) => {
    const { session, lang } = state(ctx);
    const b = body(ctx);
    const values: NameFields = { title: str(b.title), given_name: str(b.given_name), family_name: str(b.family_name), given_name_en: str(b.given_name_en), family_name_en: str(b.family_name_en) };
    // the explicit choice of /account/profile/verified; dropping a verification needs a recent login
    const dropVerification = b.drop_verification === 'yes';
    if (dropVerification && needsFreshLogin(ctx, CHANGE_VERIFIED)) return;
    const errors: FieldErrors = {};
    Object.assign(errors, nameErrors(lang, values));
    if (values.title.length > 40) errors.title = t(lang, 'errTooLong');
    if (Object.keys(errors).length) return (dropVerification ? renderChangeVerified : renderProfile)(ctx, errors, 400, values);
    const result = await identityLock.changeNames(session.sub, values, { dropVerification, actor: session.sub });
    if (!result.saved) {
      // a changed field the form showed read-only (a crafted post, or a stale page): say which and why
      const locked = Object.fromEntries(Object.entries(result.locked).map(([a, vs]) => [a, t(lang, 'errVerifiedLocked', { by: labels(vs, lang) })]));
      return renderProfile(ctx, locked, 409, values);
    }
    if (!result.dropped.length) return back(ctx, '/account', { notice: t(lang, 'saved') });
    back(ctx, '/account', { notice: t(lang, 'verificationDropped', { dropped: labels(result.dropped, lang), ial: (await accountIal(db, session.sub)) ?? '-' }) });
  });

  router.post('/phone', ...form, async (ctx) => {
    const { session, lang } = state(ctx);
    const phone = normalizeThaiMobile(str(body(ctx).phone));
    if (!phone) return renderProfile(ctx, { phone: t(lang, 'errPhone') }, 400);
    const issued = await phoneOtp.issue(phone, 'phone-change', ctx.ip, lang);
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
}
