// A code by SMS at login: sending it to the account's phone, and typing it in.
export const th = {
  smsSend: 'ส่งรหัสทาง SMS ไปที่ {phone}',
  smsSendAgain: 'ส่งรหัสใหม่',
  smsLabel: 'รหัส 6 หลักที่ได้รับทาง SMS',
  smsSent: 'ส่งรหัสไปที่ {phone} แล้ว',
  codeNotSent: 'กรุณากดส่งรหัสก่อน',
};

export const en: typeof th = {
  smsSend: 'Send a code by SMS to {phone}',
  smsSendAgain: 'Send a new code',
  smsLabel: '6-digit code from the SMS',
  smsSent: 'We sent a code to {phone}',
  codeNotSent: 'Ask for a code first',
};
