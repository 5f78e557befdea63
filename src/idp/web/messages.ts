// UI text in Thai and English. Keys are shared; every key exists in both languages (checked by type).
// Each area keeps its strings beside its views; they are merged here.
import { createTranslator } from '../../kernel/web/i18n.ts';
import * as interaction from '../login/messages.ts';
import * as registration from '../account/registration/messages.ts';
import * as reset from '../account/recovery/messages.ts';
import * as authenticators from '../authenticators/messages.ts';
import * as account from '../account/pages/messages.ts';
import * as personnel from '../personnel/messages.ts';
import * as proofing from '../proofing/messages.ts';
import * as verifier from '../proofing/verifier/messages.ts';
import * as units from '../units/messages.ts';
import * as admin from '../admin/messages.ts';
import * as relyingParties from '../admin/relying_parties/messages.ts';
import * as auditLog from '../admin/audit_log/messages.ts';
import * as adminAccounts from '../admin/accounts/messages.ts';
import * as adminRoles from '../admin/roles/messages.ts';
import * as adminDeletion from '../admin/deletion/messages.ts';
import * as adminResourceServers from '../admin/resource_servers/messages.ts';
import * as adminUnits from '../admin/units/messages.ts';
import * as adminCardAgents from '../admin/card_agents/messages.ts';
import * as cardAgents from '../card_agents/messages.ts';
import * as info from './info/messages.ts';
import * as upstream from '../upstream/messages.ts';
import * as coverage from '../coverage/messages.ts';
const core = {
  appName: 'หมอพร้อม ดิจิทัลไอดี',
  otherLang: 'English',
  loginTitle: 'เข้าสู่ระบบ',
  loginFor: 'เข้าสู่ระบบเพื่อใช้งาน',
  pid: 'เลขประจำตัวประชาชน',
  pidHint: 'ตัวเลข 13 หลัก',
  password: 'รหัสผ่าน',
  logIn: 'เข้าสู่ระบบ',
  badCredentials: 'เลขประจำตัวประชาชนหรือรหัสผ่านไม่ถูกต้อง',
  tooManyAttempts: 'พยายามเข้าสู่ระบบหลายครั้งเกินไป กรุณารอ {seconds} วินาทีแล้วลองใหม่',
  locked: 'ระงับการเข้าสู่ระบบชั่วคราวเนื่องจากพยายามหลายครั้งเกินไป กรุณาลองใหม่ภายหลัง',
  consentTitle: 'ขอความยินยอม',
  consentIntro: '{client} ขอเข้าถึงข้อมูลต่อไปนี้ของคุณ',
  allow: 'อนุญาต',
  deny: 'ไม่อนุญาต',
  scope_openid: 'ตัวระบุบัญชีของคุณ',
  scope_profile: 'ชื่อ นามสกุล และวันเกิด',
  scope_phone: 'หมายเลขโทรศัพท์มือถือ',
  scope_pid: 'เลขประจำตัวประชาชน',
  scope_health_personnel: 'ข้อมูลบุคลากรด้านสุขภาพ (ตำแหน่ง ใบอนุญาตประกอบวิชาชีพ หน่วยบริการ)',
  scope_verified_claims: 'ข้อมูลตัวตนที่ยืนยันแล้ว (ชื่อ วันเกิด และวิธีที่ใช้ยืนยัน)',
  scope_offline_access: 'เข้าถึงต่อเนื่องเมื่อคุณไม่ได้ใช้งานอยู่',
  errorTitle: 'เกิดข้อผิดพลาด',
  errorBack: 'กลับไปยังบริการที่คุณใช้งาน แล้วลองใหม่อีกครั้ง',
  csrfError: 'แบบฟอร์มหมดอายุหรือไม่ถูกต้อง กรุณาลองใหม่อีกครั้ง',
  logoutTitle: 'ออกจากระบบ',
  logoutQuestion: 'ต้องการออกจากระบบหมอพร้อม ดิจิทัลไอดีด้วยหรือไม่',
  logoutYes: 'ออกจากระบบ',
  logoutNo: 'ไม่ ยังอยู่ในระบบ',
  loggedOut: 'คุณออกจากระบบแล้ว',
  deniedDescription: 'ผู้ใช้ไม่อนุญาตให้เข้าถึง',
  sessionExpired: 'คำขอเข้าสู่ระบบนี้หมดอายุหรือไม่ถูกต้อง กรุณากลับไปยังบริการที่คุณใช้งานแล้วเริ่มใหม่',
  badForm: 'ข้อมูลที่ส่งมาไม่ถูกต้อง กรุณาส่งแบบฟอร์มจากหน้านี้อีกครั้ง',
  badRequest: 'คำขอไม่ถูกต้อง',
  tooLarge: 'ข้อมูลที่ส่งมามีขนาดใหญ่เกินไป',
  notFound: 'ไม่พบหน้าที่ต้องการ',
  serverError: 'ระบบขัดข้องชั่วคราว กรุณาลองใหม่อีกครั้ง',
  unavailable: 'ระบบไม่พร้อมให้บริการชั่วคราว กรุณาลองใหม่ในอีกสักครู่',
};

const coreEn: typeof core = {
  appName: 'Mor Prom Digital ID',
  otherLang: 'ภาษาไทย',
  loginTitle: 'Log in',
  loginFor: 'Log in to continue to',
  pid: 'National ID number',
  pidHint: '13 digits',
  password: 'Password',
  logIn: 'Log in',
  badCredentials: 'The national ID number or password is not correct',
  tooManyAttempts: 'Too many attempts. Please wait {seconds} seconds and try again',
  locked: 'Logging in is locked for a while after too many attempts. Please try again later',
  consentTitle: 'Allow access',
  consentIntro: '{client} asks to receive the following about you',
  allow: 'Allow',
  deny: 'Deny',
  scope_openid: 'An identifier for your account',
  scope_profile: 'Your names and birth date',
  scope_phone: 'Your mobile phone number',
  scope_pid: 'Your national ID number',
  scope_health_personnel: 'Your health personnel record (position, professional licence, units)',
  scope_verified_claims: 'Your verified identity (names, birth date and how they were verified)',
  scope_offline_access: 'Continued access while you are not using it',
  errorTitle: 'Something went wrong',
  errorBack: 'Go back to the service you were using and try again',
  csrfError: 'The form has expired or is not valid. Please try again',
  logoutTitle: 'Log out',
  logoutQuestion: 'Do you also want to log out of Mor Prom Digital ID?',
  logoutYes: 'Log out',
  logoutNo: 'No, stay logged in',
  loggedOut: 'You are logged out',
  deniedDescription: 'The person did not allow access',
  sessionExpired: 'This login request has expired or is not valid. Go back to the service you were using and start again',
  badForm: 'The submitted data is not valid. Please submit the form from this page again',
  badRequest: 'The request is not valid',
  tooLarge: 'The submitted data is too large',
  notFound: 'The page was not found',
  serverError: 'A temporary error occurred. Please try again',
  unavailable: 'The service is briefly unavailable. Please try again in a moment',
};

const th = { ...core, ...interaction.th, ...registration.th, ...reset.th, ...authenticators.th, ...account.th, ...personnel.th, ...proofing.th, ...verifier.th, ...units.th, ...admin.th, ...relyingParties.th, ...auditLog.th, ...adminAccounts.th, ...adminRoles.th, ...adminDeletion.th, ...adminResourceServers.th, ...adminUnits.th, ...adminCardAgents.th, ...cardAgents.th, ...info.th, ...upstream.th, ...coverage.th };
const en: typeof th = { ...coreEn, ...interaction.en, ...registration.en, ...reset.en, ...authenticators.en, ...account.en, ...personnel.en, ...proofing.en, ...verifier.en, ...units.en, ...admin.en, ...relyingParties.en, ...auditLog.en, ...adminAccounts.en, ...adminRoles.en, ...adminDeletion.en, ...adminResourceServers.en, ...adminUnits.en, ...adminCardAgents.en, ...cardAgents.en, ...info.en, ...upstream.en, ...coverage.en };

export type MessageKey = keyof typeof th;
export const messages = { th, en };

export const t = createTranslator(messages);
