// Logins at an upstream identity provider (ThaID): what the person reads when it did not work.
export const th = {
  upstreamProblemTitle: 'ยืนยันตัวตนด้วย {name} ไม่สำเร็จ',
  upstreamUnavailable: 'ขณะนี้ติดต่อ {name} ไม่ได้ ไม่มีการบันทึกข้อมูลใด ๆ กรุณาลองใหม่ภายหลัง',
  upstreamDenied: 'คุณยกเลิกการยืนยันตัวตนที่ {name} ไม่มีการบันทึกข้อมูลใด ๆ',
  upstreamInvalid: 'คำตอบจาก {name} ตรวจสอบไม่ผ่าน จึงไม่ได้ใช้ ไม่มีการบันทึกข้อมูลใด ๆ กรุณาเริ่มใหม่',
  upstreamExpired: 'การยืนยันตัวตนด้วย {name} นี้หมดเวลา ใช้ไปแล้ว หรือเริ่มจากเบราว์เซอร์อื่น กรุณาเริ่มใหม่',
  upstreamTooMany: 'ลองยืนยันตัวตนด้วย {name} ไม่สำเร็จหลายครั้งเกินไป กรุณารอ {seconds} วินาทีแล้วลองใหม่',
  upstreamBack: 'กลับไปลองใหม่',
};

export const en: typeof th = {
  upstreamProblemTitle: 'Verifying with {name} did not work',
  upstreamUnavailable: '{name} cannot be reached right now. Nothing was recorded. Please try again later',
  upstreamDenied: 'You cancelled at {name}. Nothing was recorded',
  upstreamInvalid: "{name}'s answer failed our checks, so it was not used. Nothing was recorded. Please start again",
  upstreamExpired: 'This verification with {name} has expired, was already used, or was started in another browser. Please start again',
  upstreamTooMany: 'Too many failed verifications with {name}. Please wait {seconds} seconds and try again',
  upstreamBack: 'Go back and try again',
};
