// The profile page (/account): names, and the phone number, changed only after a code sent to the new
// number is typed back (the number waits encrypted in a signed cookie until then).
import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { normalizeThaiMobile } from '../index.ts';
import { displayPhone, maskPhone } from '../../../kernel/thai/phone.ts';
import { formatDate } from '../../../kernel/thai/dates.ts';
import { issueCsrfToken } from '../../../kernel/http/csrf.ts';
import { HttpError } from '../../../kernel/http/errors.ts';
import { t } from '../../web/messages.ts';
import type { FieldErrors } from '../../../kernel/web/form.ts';
import { codePage, profilePage } from './views.ts';
import type { PagesContext } from './context.ts';
import { OTP_ERRORS } from '../../sms/messages.ts';

const PHONE_COOKIE = 'mpid.phone_change';

export function profileRoutes(router: Router, c: PagesContext) {
  const { db, pii, accounts, phoneOtp, accountIal } = c.deps;
  const { state, body, str, takeFlash, back, html, requireSession, form } = c;

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
}
