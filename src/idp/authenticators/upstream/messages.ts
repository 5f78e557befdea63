// A login at an upstream identity provider (ThaID), as the login page says it.
export const th = {
  upstreamLogin: 'เข้าสู่ระบบด้วย {name}',
  upstreamLoginNotOffered: 'ไม่มีการเข้าสู่ระบบด้วยผู้ให้บริการนี้ กรุณาเข้าสู่ระบบด้วยเลขประจำตัวประชาชนและรหัสผ่าน',
  upstreamLoginNoAccount: 'ยังไม่มีบัญชีที่ยืนยันตัวตนด้วย {name} ของคุณ กรุณาเข้าสู่ระบบด้วยรหัสผ่านแล้วยืนยันตัวตนด้วย {name} ที่หน้ายืนยันตัวตน หรือลงทะเบียนด้วย {name}',
};

export const en: typeof th = {
  upstreamLogin: 'Log in with {name}',
  upstreamLoginNotOffered: 'Logging in with this provider is not offered. Please log in with your ID number and password',
  upstreamLoginNoAccount: 'No account here has been verified with your {name} yet. Log in with your password and verify with {name} on the verification page, or register with {name}',
};
