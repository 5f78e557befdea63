// The register check: its section of /account/verify.
export const th = {
  registerCheckHeading: 'ตรวจสอบกับฐานข้อมูลทะเบียนราษฎร (IAL 1.2)',
  registerCheckIntro: 'กรอกรหัสหลังบัตร (Laser ID) จากด้านหลังบัตรประจำตัวประชาชน เราจะตรวจสอบเลขประจำตัวประชาชน ชื่อ วันเกิด และรหัสหลังบัตรกับกรมการปกครอง',
  laserCode: 'รหัสหลังบัตร (Laser ID)',
  laserCodeHint: 'ตัวอักษร 2 ตัวและตัวเลข 10 หลัก เช่น JT0-1234567-89',
  registerCheckSubmit: 'ตรวจสอบ',
  registerCheckVerified: 'ตรวจสอบสำเร็จ ข้อมูลของคุณตรงกับทะเบียนราษฎร ตัวตนของคุณตอนนี้: {words}',
  registerCheckStepTitle: 'ตรวจสอบข้อมูลกับทะเบียนราษฎร',
  registerCheckStepNeeds: 'บัตรประจำตัวประชาชนของคุณ: รหัสหลังบัตร (Laser ID) ที่ด้านหลังบัตร ทำออนไลน์ได้ทันที',
  registerCheckStepGives: 'ยืนยันว่าเลขประจำตัวประชาชน ชื่อ และวันเกิดของคุณตรงกับทะเบียนราษฎร บริการที่ต้องการข้อมูลที่ตรวจสอบแล้วจึงใช้ได้',
  registerCheckNotValid: 'ข้อมูลไม่ตรงกับทะเบียน หรือบัตรไม่อยู่ในสถานะใช้งาน ตรวจสอบรหัสหลังบัตร ชื่อ และวันเกิดในบัญชีของคุณ',
  registerCheckBadLaser: 'รหัสหลังบัตรต้องเป็นตัวอักษร 2 ตัวตามด้วยตัวเลข 10 หลัก',
  registerCheckTooMany: 'ตรวจสอบครบ {tries} ครั้งในวันนี้แล้ว กรุณาลองใหม่พรุ่งนี้',
  registerCheckUnavailable: 'ขณะนี้ไม่สามารถตรวจสอบกับทะเบียนได้ กรุณาลองใหม่ภายหลัง (ไม่นับเป็นการตรวจสอบ)',
  registerCheckTriesLeft: 'ตรวจสอบได้อีก {tries} ครั้งในวันนี้',
};

export const en: typeof th = {
  registerCheckHeading: 'Check with the population register (IAL 1.2)',
  registerCheckIntro: 'Type the laser code from the back of your national ID card. We check your ID number, names, date of birth and the laser code with the Department of Provincial Administration',
  laserCode: 'Laser code (back of the card)',
  laserCodeHint: '2 letters and 10 digits, such as JT0-1234567-89',
  registerCheckSubmit: 'Check',
  registerCheckVerified: 'Checked: your details match the civil register. Your identity now: {words}',
  registerCheckStepTitle: 'Check your details with the civil register',
  registerCheckStepNeeds: 'Your national ID card: the laser code on its back. Done online, at once',
  registerCheckStepGives: 'Your ID number, names and date of birth confirmed by the civil register, so services that need checked details accept you',
  registerCheckNotValid: 'The details do not match the register, or the card is not current. Check the laser code and the names and date of birth of your account',
  registerCheckBadLaser: 'The laser code is 2 letters followed by 10 digits',
  registerCheckTooMany: 'You have used the {tries} checks of today. Please try again tomorrow',
  registerCheckUnavailable: 'The register cannot be reached right now. Please try again later (this did not count as a try)',
  registerCheckTriesLeft: '{tries} checks left today',
};
