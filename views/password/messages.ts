// Password rules as the person reads them: no composition rules, length and what is refused.
export const th = {
  passwordHint: 'อย่างน้อย 8 ตัวอักษร ไม่บังคับตัวพิมพ์ใหญ่หรือสัญลักษณ์ วลีที่มีหลายคำจำง่ายและเดายากที่สุด ห้ามใช้เลขประจำตัวประชาชน เบอร์โทรศัพท์ หรือวันเกิด',
  passwordTooShort: 'รหัสผ่านต้องมีอย่างน้อย 8 ตัวอักษร',
  passwordTooLong: 'รหัสผ่านยาวเกิน 256 ตัวอักษร',
  passwordCommon: 'รหัสผ่านนี้ถูกใช้บ่อยและถูกเดาได้ง่าย กรุณาเลือกรหัสผ่านอื่น',
  passwordPersonal: 'รหัสผ่านต้องไม่มีเลขประจำตัวประชาชน เบอร์โทรศัพท์ หรือวันเกิดของคุณ',
};

export const en: typeof th = {
  passwordHint: 'At least 8 characters, no required capitals or symbols. A phrase of several words is easiest to remember and hardest to guess. Do not use your ID number, phone number or birth date',
  passwordTooShort: 'The password must have at least 8 characters',
  passwordTooLong: 'The password is longer than 256 characters',
  passwordCommon: 'This password is common and easy to guess. Please choose another one',
  passwordPersonal: 'The password must not contain your national ID number, phone number or birth date',
};
