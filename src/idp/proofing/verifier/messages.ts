// The verifier console's shell: the unit, the search for a person, the verifier's own history.
export const th = {
  verifierTitle: 'ผู้ยืนยันตัวตน',
  verifierUnit: 'หน่วยบริการ: {unit}',
  verifierNotAppointed: 'บัญชีของคุณยังไม่ได้รับแต่งตั้งเป็นผู้ยืนยันตัวตนของหน่วยบริการใด',
  verifierSearchHeading: 'ค้นหาผู้รับบริการด้วยเลขประจำตัวประชาชน',
  verifierSearchReason: 'เหตุผลในการค้นหา (บันทึกไว้)',
  verifierSearch: 'ค้นหา',
  verifierNotFound: 'ไม่พบบัญชีของเลขประจำตัวประชาชนนี้',
  verifierReasonRequired: 'กรุณาระบุเหตุผลในการค้นหา',
  verifierPersonHeading: 'ผู้รับบริการ',
  verifierSelf: 'ไม่สามารถยืนยันตัวตนของตนเองได้',
  verifierHistoryHeading: 'ประวัติการยืนยันตัวตนของฉัน',
  verifierNavSearch: 'ค้นหาบุคคล',
  verifierNavQueue: 'คิวตรวจภาพถ่าย',
  verifierNavUnit: 'หน่วยบริการของฉัน',
  verifierCurrentLevel: 'ระดับปัจจุบัน',
  verifierHistoryMethod: 'วิธี',
  verifierHistoryChecks: 'สิ่งที่ตรวจ',
  verifierHistoryNone: 'ยังไม่มีรายการ',
  queueNeeds12: 'บัญชีนี้ยังไม่ผ่านการตรวจสอบกับทะเบียนราษฎร (ระดับ 1.2) หากอนุมัติภาพถ่าย ระดับจะยังไม่เปลี่ยนจนกว่าเจ้าของบัญชีจะตรวจสอบกับทะเบียนราษฎร'
};

export const en: typeof th = {
  verifierTitle: 'Verifier',
  verifierUnit: 'Service unit: {unit}',
  verifierNotAppointed: 'Your account is not appointed as a verifier at any service unit',
  verifierSearchHeading: 'Find a person by national ID number',
  verifierSearchReason: 'Reason for the search (recorded)',
  verifierSearch: 'Search',
  verifierNotFound: 'No account has this national ID number',
  verifierReasonRequired: 'Please give the reason for the search',
  verifierPersonHeading: 'Person',
  verifierSelf: 'You cannot verify yourself',
  verifierHistoryHeading: 'My verifications',
  verifierNavSearch: 'Find a person',
  verifierNavQueue: 'Photo review queue',
  verifierNavUnit: 'My unit',
  verifierCurrentLevel: 'Current level',
  verifierHistoryMethod: 'Method',
  verifierHistoryChecks: 'Checked',
  verifierHistoryNone: 'Nothing yet',
  queueNeeds12: 'This account has not been checked against the civil register (level 1.2). Approving the photo changes its level only once its owner does that check'
};
