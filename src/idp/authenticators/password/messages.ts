// What the person reads about passwords: the hint beside every new-password field (no composition
// rules), why a password is refused (one key per refusal of checkPassword), the strength words 0–4, and
// the password's section of the security page.
import type { PasswordRefusal } from './policy.ts';

export const th = {
  passwordHint: 'ใช้อย่างน้อย 8 ตัวอักษร วลียาวที่มีหลายคำจำง่ายและเดายากที่สุด ไม่จำเป็นต้องมีตัวพิมพ์ใหญ่ ตัวเลข หรือสัญลักษณ์ ห้ามใช้เลขประจำตัวประชาชน เบอร์โทรศัพท์ หรือวันเกิดของคุณ',
  passwordTooShort: 'รหัสผ่านต้องมีอย่างน้อย 8 ตัวอักษร',
  passwordTooLong: 'รหัสผ่านยาวเกิน 256 ตัวอักษร',
  passwordCommon: 'รหัสผ่านนี้มีคนใช้มากและถูกเดาได้ง่าย กรุณาเลือกรหัสผ่านอื่น',
  passwordPersonal: 'รหัสผ่านต้องไม่มีเลขประจำตัวประชาชน เบอร์โทรศัพท์ หรือวันเกิดของคุณ',
  passwordStrengthLabel: 'ความปลอดภัยของรหัสผ่าน: {strength}',
  passwordStrength0: 'อ่อนมาก',
  passwordStrength1: 'อ่อน',
  passwordStrength2: 'ปานกลาง',
  passwordStrength3: 'ดี',
  passwordStrength4: 'ดีมาก',
  passwordHeading: 'เปลี่ยนรหัสผ่าน',
  currentPassword: 'รหัสผ่านปัจจุบัน',
  changePassword: 'เปลี่ยนรหัสผ่าน',
  passwordChanged: 'เปลี่ยนรหัสผ่านแล้ว และออกจากระบบในอุปกรณ์อื่นแล้ว',
  wrongCurrentPassword: 'รหัสผ่านปัจจุบันไม่ถูกต้อง',
};

export const en: typeof th = {
  passwordHint: 'Use at least 8 characters; a long phrase of several words is easiest to remember and hardest to guess. Capitals, digits and symbols are not required. Do not use your ID number, phone number or birth date',
  passwordTooShort: 'The password must have at least 8 characters',
  passwordTooLong: 'The password is longer than 256 characters',
  passwordCommon: 'Many people use this password, so it is easy to guess. Please choose another one',
  passwordPersonal: 'The password must not contain your national ID number, phone number or birth date',
  passwordStrengthLabel: 'Password strength: {strength}',
  passwordStrength0: 'Very weak',
  passwordStrength1: 'Weak',
  passwordStrength2: 'Fair',
  passwordStrength3: 'Good',
  passwordStrength4: 'Strong',
  passwordHeading: 'Change password',
  currentPassword: 'Current password',
  changePassword: 'Change password',
  passwordChanged: 'Your password is changed, and your other devices are logged out',
  wrongCurrentPassword: 'The current password is not correct',
};

/** The text for each refusal of checkPassword. */
export const PASSWORD_ERRORS: Record<PasswordRefusal, keyof typeof th> = { too_short: 'passwordTooShort', too_long: 'passwordTooLong', common: 'passwordCommon', personal: 'passwordPersonal' };
