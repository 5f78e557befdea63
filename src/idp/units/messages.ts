// Unit administration: appointing and withdrawing the verifiers of a unit.
export const th = {
  unitAdminTitle: 'ผู้ยืนยันตัวตนของหน่วยบริการ',
  unitAdminNotAppointed: 'บัญชีของคุณไม่ได้เป็นผู้ดูแลหน่วยบริการใด',
  unitAdminAppoint: 'แต่งตั้งผู้ยืนยันตัวตน',
  unitAdminReason: 'เหตุผล (บันทึกไว้)',
  unitAdminWithdraw: 'ถอดถอน',
  unitAdminAppointed: 'แต่งตั้งแล้ว',
  unitAdminWithdrawn: 'ถอดถอนแล้ว',
  unitAdminRefused: 'แต่งตั้งไม่ได้: {why}',
  unitAdminCurrent: 'ปัจจุบัน',
  unitAdminPast: 'ถอดถอนแล้ว: {reason}',
};

export const en: typeof th = {
  unitAdminTitle: 'Verifiers of the unit',
  unitAdminNotAppointed: 'Your account does not administer any service unit',
  unitAdminAppoint: 'Appoint a verifier',
  unitAdminReason: 'Reason (recorded)',
  unitAdminWithdraw: 'Withdraw',
  unitAdminAppointed: 'Appointed',
  unitAdminWithdrawn: 'Withdrawn',
  unitAdminRefused: 'Cannot appoint: {why}',
  unitAdminCurrent: 'current',
  unitAdminPast: 'withdrawn: {reason}',
};
