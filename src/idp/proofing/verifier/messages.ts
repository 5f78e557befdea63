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
};
