// Linking an account to the health personnel register.
export const th = {
  personnelTitle: 'บุคลากรด้านสุขภาพ',
  personnelIntro: 'หากคุณเป็นบุคลากรด้านสุขภาพที่อยู่ในทะเบียนบุคลากร คุณเชื่อมบัญชีกับข้อมูลบุคลากรได้ เมื่อเลขประจำตัวประชาชน ชื่อ นามสกุล และวันเกิดในบัญชีตรงกับทะเบียน บริการที่ได้รับอนุญาตจะได้รับข้อมูลวิชาชีพของคุณเมื่อคุณยินยอม',
  personnelLink: 'เชื่อมข้อมูลบุคลากร',
  personnelLinked: 'เชื่อมข้อมูลบุคลากรแล้ว',
  personnelNoMatch: 'ไม่พบข้อมูลบุคลากรที่ตรงกับบัญชีของคุณ กรุณาตรวจสอบชื่อและวันเกิดในบัญชี หรือติดต่อฝ่ายบุคคลของหน่วยงานเพื่อปรับปรุงทะเบียน',
  providerId: 'Provider ID',
  licence: 'ใบอนุญาตประกอบวิชาชีพ',
  licenceExpiry: 'หมดอายุ',
  units: 'หน่วยบริการ',
  position: 'ตำแหน่ง',
};

export const en: typeof th = {
  personnelTitle: 'Health personnel',
  personnelIntro: 'If you are health personnel listed in the personnel register, you can link your account to your record when the ID number, names and birth date of your account match it. Services allowed to will then receive your professional details when you consent',
  personnelLink: 'Link my record',
  personnelLinked: 'Your personnel record is linked',
  personnelNoMatch: 'No personnel record matches your account. Check the names and birth date of your account, or ask your unit’s human-resources office to update the register',
  providerId: 'Provider ID',
  licence: 'Professional licence',
  licenceExpiry: 'expires',
  units: 'Service units',
  position: 'Position',
};
