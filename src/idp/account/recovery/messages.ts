// Account recovery ("Forgot password").
export const th = {
  recoverTitle: 'กู้คืนบัญชี',
  recoverIntro: 'กรอกเลขประจำตัวประชาชนและวันเกิด เราจะส่งรหัสยืนยันไปที่หมายเลขโทรศัพท์ที่ลงทะเบียนไว้กับบัญชี',
  recoverSubmit: 'ส่งรหัสยืนยัน',
  recoverSent: 'หากข้อมูลตรงกับบัญชี เราได้ส่งรหัส 6 หลักไปที่หมายเลขโทรศัพท์ที่ลงทะเบียนไว้แล้ว',
  recoverExpired: 'คำขอกู้คืนนี้หมดอายุแล้ว กรุณาเริ่มใหม่',
  recoverNewPassword: 'ตั้งรหัสผ่านใหม่',
  recoverSave: 'บันทึกรหัสผ่านใหม่',
  recoverDone: 'ตั้งรหัสผ่านใหม่แล้ว และออกจากระบบทุกอุปกรณ์แล้ว วิธียืนยันตัวตนอื่น ๆ (แอปยืนยันตัวตน พาสคีย์) ยังคงใช้ได้ คุณนำออกได้หลังเข้าสู่ระบบ',
  logInNow: 'เข้าสู่ระบบ',
};

export const en: typeof th = {
  recoverTitle: 'Recover your account',
  recoverIntro: 'Enter your national ID number and date of birth. We will send a code to the phone number registered on the account',
  recoverSubmit: 'Send a code',
  recoverSent: 'If the details match an account, we sent a 6-digit code to the phone number registered on it',
  recoverExpired: 'This recovery request has expired. Please start again',
  recoverNewPassword: 'Choose a new password',
  recoverSave: 'Save the new password',
  recoverDone: 'Your new password is set and you are logged out everywhere. Your other authenticators (app, passkeys) still work; you can remove them after you log in',
  logInNow: 'Log in',
};
