// A code by SMS at login: a restricted second factor (AAL 2.1 with the password), sent to the account's
// verified phone. Sending is limited by the OTP store (src/idp/sms/otp.ts), checking by the login's
// failure counter like every second factor.
import type { Context, Next } from 'koa';
import { HttpError } from '../../../kernel/http/errors.ts';
import { maskPhone } from '../../../kernel/thai/phone.ts';
import { t } from '../../web/messages.ts';
import type { Accounts } from '../../account/index.ts';
import type { PhoneOtp } from '../../sms/otp.ts';
import type { LoginFlow, LoginPart } from '../method.ts';
import { smsLoginSection } from './views.ts';

export function smsLogin(accounts: Accounts, phoneOtp: PhoneOtp): LoginPart {
  return {
    routes: (flow) => [
      { path: 'sms/send', body: 'form', steps: [flow.checkCsrf, flow.inLoginPrompt, flow.loginUnderWay, (ctx) => sendSmsCode(flow, accounts, phoneOtp, ctx)] },
      { path: 'sms', body: 'form', steps: [flow.checkCsrf, flow.inLoginPrompt, flow.loginUnderWay, (ctx, next) => smsCodeSent(flow, ctx, next), flow.notThrottled, (ctx) => checkSmsCode(flow, accounts, phoneOtp, ctx)] },
    ],
    async secondFactor({ lang, uid, csrf, attempt, error }) {
      const account = await accounts.findBySub(attempt.sub);
      return { body: smsLoginSection({ lang, uid, csrf, error, smsSent: Boolean(attempt.smsOtpId), phone: account?.phoneNumber ? maskPhone(account.phoneNumber) : undefined }) };
    },
  };
}

/** Sends a code to the account's verified phone; refused (429, or 502 when the SMS fails) within the OTP limits. */
export async function sendSmsCode(flow: LoginFlow, accounts: Accounts, phoneOtp: PhoneOtp, ctx: Context): Promise<void> {
  const p = flow.attempt(ctx);
  const lang = flow.lang(ctx);
  const account = await accounts.findBySub(p.sub);
  if (!account?.phoneNumber || !account.phoneVerified) throw new HttpError(400, 'sessionExpired');
  const issued = await phoneOtp.issue(account.phoneNumber, 'login', ctx.ip, lang);
  if (!issued.ok) {
    if (issued.reason !== 'sms_failed') ctx.set('Retry-After', String(issued.retryAfter));
    const message =
      issued.reason === 'sms_failed'
        ? t(lang, 'smsFailed')
        : issued.reason === 'resend_too_soon'
          ? t(lang, 'smsResendTooSoon', { seconds: issued.retryAfter })
          : t(lang, 'smsLimit');
    await flow.advance(ctx, message);
    ctx.status = issued.reason === 'sms_failed' ? 502 : 429;
    return;
  }
  await flow.codeSent(ctx, issued.id);
}

/** A code typed before one was sent is not a failed attempt: the page asks to send one first. */
export async function smsCodeSent(flow: LoginFlow, ctx: Context, next: Next): Promise<void> {
  if (!flow.attempt(ctx).smsOtpId) return flow.advance(ctx, t(flow.lang(ctx), 'codeNotSent'));
  await next();
}

/** Checks the code against the one sent to the account's phone in this login. */
export async function checkSmsCode(flow: LoginFlow, accounts: Accounts, phoneOtp: PhoneOtp, ctx: Context): Promise<void> {
  const p = flow.attempt(ctx);
  const account = await accounts.findBySub(p.sub);
  const result = account?.phoneNumber ? await phoneOtp.verify(p.smsOtpId!, account.phoneNumber, flow.field(ctx, 'code').replace(/\s/g, '')) : 'unknown';
  if (result !== 'ok') return flow.factorFailed(ctx, 'sms', result);
  await flow.factorPassed(ctx, 'sms');
}
