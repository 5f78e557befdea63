// Texts of the citizen pages beyond the service's shared ones in ../web/messages.ts: why a unit code
// or a QR photo was not accepted, said so the person knows what to check.
import { createTranslator } from '../../kernel/web/i18n.ts';

export const th = {
  unitCodeUnknown: 'ไม่รู้จักรหัสหน่วยบริการ {code} กรุณาตรวจสอบรหัสที่พิมพ์ไว้ใต้คิวอาร์โค้ดแล้วลองอีกครั้ง',
  qrUnitUnknown: 'คิวอาร์โค้ดนี้มีรหัสหน่วยบริการ {code} ซึ่งระบบไม่รู้จัก กรุณาแจ้งเจ้าหน้าที่ให้ตรวจสอบ',
  unitCodeLabel: 'รหัสหน่วยบริการ',
  unitCodeHint: 'ตัวเลข 5 หลัก ขีด และตัวเลข 4 หลัก ที่พิมพ์ไว้ใต้คิวอาร์โค้ด',
  qrPhotoMissing: 'เลือกรูปคิวอาร์โค้ดที่จะอัปโหลด',
  qrPhotoNotImage: 'ไฟล์ที่อัปโหลด (ขนาด {size}) ไม่ใช่รูปภาพ หรือเปิดอ่านไม่ได้ กรุณาถ่ายรูปคิวอาร์โค้ดใหม่',
  qrPhotoTooLarge: 'รูปที่อัปโหลดมีขนาดใหญ่เกิน {max} กรุณาถ่ายใหม่หรือลดขนาดรูป',
  historyNone: 'ยังไม่มี Authen Code',
};

export const en: typeof th = {
  unitCodeUnknown: 'The unit code {code} is not known. Check the code printed under the QR code and try again.',
  qrUnitUnknown: 'This QR code names the unit code {code}, which is not known here. Ask the staff to check it.',
  unitCodeLabel: 'Unit code',
  unitCodeHint: 'Five digits, a dash and four digits, printed under the QR code',
  qrPhotoMissing: 'Choose a photo of the QR code to upload',
  qrPhotoNotImage: 'The uploaded file ({size}) is not a picture or cannot be read; take a new photo of the QR code',
  qrPhotoTooLarge: 'The uploaded photo is larger than {max}; take a new one or make it smaller',
  historyNone: 'No Authen Codes yet',
};

export const ct = createTranslator({ th, en }, { keepUnfilled: true });
