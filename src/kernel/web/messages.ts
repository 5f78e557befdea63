// The frame's own words, the same in both services: skip link, footer, show-password toggle, the way
// forward on error pages. Every key in both languages (checked by type).
import { createTranslator } from './i18n.ts';

export const th = {
  skipLink: 'ข้ามไปยังเนื้อหาหลัก',
  footerLabel: 'ข้อมูลเกี่ยวกับบริการ',
  help: 'ช่วยเหลือ',
  terms: 'ข้อกำหนดการใช้งาน',
  privacy: 'นโยบายความเป็นส่วนตัว',
  accessibility: 'การเข้าถึงได้',
  footerOperator: 'กระทรวงสาธารณสุข',
  showPassword: 'แสดงรหัสผ่าน',
  hidePassword: 'ซ่อนรหัสผ่าน',
  passwordShown: 'รหัสผ่านแสดงอยู่',
  passwordHidden: 'รหัสผ่านถูกซ่อน',
  goHome: 'ไปหน้าแรก',
  getHelp: 'ขอความช่วยเหลือ',
  notFoundTitle: 'ไม่พบหน้าที่ต้องการ',
  notFoundBody: 'ที่อยู่นี้อาจพิมพ์ผิด หรือหน้านี้ถูกย้ายไปแล้ว ตรวจสอบที่อยู่อีกครั้ง หรือเริ่มจากหน้าแรก',
};

export const en: typeof th = {
  skipLink: 'Skip to main content',
  footerLabel: 'About this service',
  help: 'Help',
  terms: 'Terms of use',
  privacy: 'Privacy',
  accessibility: 'Accessibility',
  footerOperator: 'Ministry of Public Health',
  showPassword: 'Show password',
  hidePassword: 'Hide password',
  passwordShown: 'Your password is shown',
  passwordHidden: 'Your password is hidden',
  goHome: 'Go to the home page',
  getHelp: 'Get help',
  notFoundTitle: 'Page not found',
  notFoundBody: 'The address may be mistyped, or the page has moved. Check the address, or start from the home page',
};

export type FrameKey = keyof typeof th;
export const frameText = createTranslator({ th, en });
