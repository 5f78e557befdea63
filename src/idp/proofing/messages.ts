// The identity verification page (/account/verify); each method's own strings are in its folder
// and merged here, so t() knows every key.
import * as registerCheck from './methods/register_check/messages.ts';
import * as photoWithCard from './methods/photo_with_card/messages.ts';
import * as inPerson from './methods/in_person/messages.ts';

export const th = {
  verifyIdTitle: 'ยืนยันตัวตน',
  verifyIdLevel: 'ระดับความน่าเชื่อถือของตัวตนของคุณตอนนี้: IAL {ial}',
  verificationOther: 'การยืนยันตัวตน ({method})',
  ...registerCheck.th,
  ...photoWithCard.th,
  ...inPerson.th,
};

export const en: typeof th = {
  verifyIdTitle: 'Verify your identity',
  verifyIdLevel: 'Your identity assurance level now: IAL {ial}',
  verificationOther: 'Identity verification ({method})',
  ...registerCheck.en,
  ...photoWithCard.en,
  ...inPerson.en,
};
