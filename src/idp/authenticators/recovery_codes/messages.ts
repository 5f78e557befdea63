// Recovery codes: their section of the security page, the page that shows a new set, and their use at login.
export const th = {
  recoveryHeading: 'รหัสกู้คืน',
  recoveryRemaining: 'เหลือ {count} รหัส',
  recoveryGenerate: 'สร้างรหัสกู้คืนชุดใหม่',
  recoveryCodesTitle: 'รหัสกู้คืนของคุณ',
  recoveryCodesIntro: 'เก็บรหัสเหล่านี้ไว้ในที่ปลอดภัย แต่ละรหัสใช้ได้ครั้งเดียว เมื่อไม่มีแอปยืนยันตัวตน รหัสชุดเดิมใช้ไม่ได้แล้ว',
  recoveryLabel: 'รหัสกู้คืน (ใช้ได้ครั้งเดียว)',
  useRecovery: 'ใช้รหัสกู้คืนแทน',
};

export const en: typeof th = {
  recoveryHeading: 'Recovery codes',
  recoveryRemaining: '{count} codes left',
  recoveryGenerate: 'Make a new set of recovery codes',
  recoveryCodesTitle: 'Your recovery codes',
  recoveryCodesIntro: 'Keep these codes somewhere safe. Each works once, when you do not have your authenticator app. Any earlier codes no longer work',
  recoveryLabel: 'Recovery code (works once)',
  useRecovery: 'Use a recovery code instead',
};
