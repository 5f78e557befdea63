// What a person reads in the SMS that carries a one-time code (one text per purpose, in the person's
// language) and when a code is refused: an SMS code (otp.ts's VerifyResult) or an authenticator app's
// code ('replayed', 'none'). The refusals' texts themselves are in login/messages.ts.
import type { MessageKey } from '../web/messages.ts';
import type { Lang } from '../../kernel/http/i18n.ts';

export const OTP_ERRORS: Record<string, MessageKey> = {
  wrong: 'wrongCode',
  expired: 'codeExpired',
  too_many_tries: 'codeTooManyTries',
  // no code to compare (none sent, or used meanwhile): asking for a new one is the way on
  unknown: 'codeExpired',
  replayed: 'codeReplayed',
  none: 'wrongCode',
};

/** What a one-time code is for: each has its own SMS text, and its own resend wait. */
export const OTP_PURPOSES = ['register', 'login', 'recover', 'phone-change'] as const;
export type OtpPurpose = (typeof OTP_PURPOSES)[number];

/**
 * The SMS texts: what the code is for, the code (six digits standing alone), how long it lasts and
 * not to give it to anyone. Kept short: a Thai SMS is 70 characters a part.
 */
export const OTP_SMS: Record<Lang, Record<OtpPurpose, string>> = {
  th: {
    register: 'รหัสสำหรับลงทะเบียนหมอพร้อม ดิจิทัลไอดี: {code} (ใช้ได้ {minutes} นาที) อย่าบอกรหัสนี้แก่ผู้ใด',
    login: 'รหัสสำหรับเข้าสู่ระบบหมอพร้อม ดิจิทัลไอดี: {code} (ใช้ได้ {minutes} นาที) อย่าบอกรหัสนี้แก่ผู้ใด',
    recover: 'รหัสสำหรับตั้งรหัสผ่านใหม่ (ลืมรหัสผ่าน) หมอพร้อม ดิจิทัลไอดี: {code} (ใช้ได้ {minutes} นาที) อย่าบอกรหัสนี้แก่ผู้ใด',
    'phone-change': 'รหัสสำหรับเปลี่ยนเบอร์โทรศัพท์ของบัญชีหมอพร้อม ดิจิทัลไอดี: {code} (ใช้ได้ {minutes} นาที) อย่าบอกรหัสนี้แก่ผู้ใด',
  },
  en: {
    register: 'Mor Prom ID registration code: {code} (valid {minutes} minutes). Do not share it.',
    login: 'Mor Prom ID login code: {code} (valid {minutes} minutes). Do not share it.',
    recover: 'Mor Prom ID password reset code (forgotten password): {code} (valid {minutes} minutes). Do not share it.',
    'phone-change': 'Mor Prom ID code to change your phone number: {code} (valid {minutes} minutes). Do not share it.',
  },
};

/** The SMS that carries a code, in the person's language. */
export function otpSmsText(purpose: OtpPurpose, code: string, ttlSeconds: number, lang: Lang = 'th'): string {
  const minutes = String(Math.max(1, Math.round(ttlSeconds / 60)));
  return OTP_SMS[lang][purpose].replace('{code}', code).replace('{minutes}', minutes);
}
