// The password policy: length, the common-password list, the person's own numbers in every usual
// form (Buddhist-era dates included), no composition rules, and the strength estimate for the hint.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dictionary } from '@zxcvbn-ts/language-common';
import { checkPassword, commonPasswordCount, passwordStrength } from '../../../../src/idp/authenticators/password/policy.ts';
import { th, en } from '../../../../src/idp/authenticators/password/messages.ts';

const PERSON = { pid: '1103700012345', phone: '+66812345678', birthdate: '1985-03-14' };
const refused = (password: string, person = PERSON) => {
  const verdict = checkPassword(password, person);
  return verdict.ok ? 'accepted' : verdict.reason;
};

describe('password policy', () => {
  test('the common-password list is the zxcvbn-ts one, with at least 10,000 entries', () => {
    const published = dictionary['passwords-common'] as string[];
    assert.ok(published.length >= 10_000, `${published.length} entries`);
    assert.ok(commonPasswordCount() >= 10_000, `${commonPasswordCount()} distinct entries in use`);
    assert.ok(published.filter((p) => p.length >= 8).length >= 10_000, 'at least 10,000 of them are long enough to be chosen here');
  });

  test('length: fewer than 8 or more than 256 characters is refused, counted in characters not bytes', () => {
    assert.equal(refused('seven77'), 'too_short');
    assert.equal(refused(''), 'too_short');
    assert.equal(refused('ม้าลายกินหญ้า'.slice(0, 7)), 'too_short');
    assert.equal(refused('🐘🐘🐘🐘🐘🐘🐘'), 'too_short', 'seven emoji are seven characters, though fourteen UTF-16 units');
    assert.equal(refused('🐘🐘🐘🐘🐘🐘🐘🐘'), 'accepted');
    assert.equal(refused('quiet lantern '.repeat(18).slice(0, 256)), 'accepted');
    assert.equal(refused('quiet lantern '.repeat(19).slice(0, 257)), 'too_long');
  });

  test('common passwords are refused, whatever their case and with digits or symbols added at the end', () => {
    for (const p of ['password', '12345678', 'qwertyuiop', 'iloveyou', 'PASSWORD', 'Password1', 'Password2024!', 'sunshine 99', 'ｐａｓｓｗｏｒｄ', 'qwertyuiop!!']) {
      assert.equal(refused(p), 'common', p);
    }
  });

  test('no composition rules: long phrases in lower case, in Thai, or with a common word inside are fine', () => {
    for (const p of ['correct horse battery staple', 'mango river lantern quietly', 'แมวส้มนอนบนหลังคาบ้าน', 'my password is a long sentence', 'passwordรักเธอ', 'abc12345678x']) {
      const verdict = checkPassword(p, PERSON);
      assert.equal(verdict.ok, true, p);
    }
  });

  test('the 13-digit ID number is refused, also written with dashes or spaces', () => {
    for (const p of ['x1103700012345y', 'id 1-1037-00012-34-5', 'my id 1 1037 00012 34 5']) assert.equal(refused(p), 'personal', p);
    assert.equal(refused('x110370001234y'), 'accepted', 'twelve of the digits are not the number');
  });

  test('the phone number is refused in local, national and E.164 forms', () => {
    for (const p of ['zz0812345678', 'zz812345678zz', 'zz66812345678', '+66812345678zz', 'tel 081-234-5678', 'tel 081 234 5678']) {
      assert.equal(refused(p), 'personal', p);
    }
    assert.equal(refused('zz0812345679zz'), 'accepted');
  });

  test('the birth date is refused in every usual form, Christian and Buddhist era, with or without separators', () => {
    const ce = ['19850314', '14031985', '140385', '1985-03-14', '14/03/1985', '14-03-1985', '14.03.1985', '14/03/85'];
    const be = ['25280314', '14032528', '140328', '2528-03-14', '14/03/2528', '14-03-2528', '14.03.2528', '14/03/28'];
    for (const date of [...ce, ...be]) assert.equal(refused(`born ${date} zq`), 'personal', date);
    assert.equal(refused('วันเกิด ๑๔/๐๓/๒๕๒๘ นะ'), 'personal', 'in Thai digits too');
    assert.equal(refused('born 1/3/2528 zq', { ...PERSON, birthdate: '1985-03-01' }), 'personal', 'day and month without leading zeros');
    assert.equal(refused('born 15/03/2528 zq'), 'accepted', 'another day');
  });

  test('without personal data only length and the common list apply', () => {
    assert.deepEqual(checkPassword('tel 0812345678 zq'), checkPassword('tel 0812345679 zq'));
    assert.equal(checkPassword('tel 0812345678 zq').ok, true);
  });

  test('a good passphrase is accepted with a high strength; a weak accepted one gets a low score', () => {
    assert.deepEqual(checkPassword('mango river lantern quietly 47', PERSON), { ok: true, strength: 4 });
    assert.ok(passwordStrength('aaaaaaaaaaaa') <= 1);
    assert.ok(passwordStrength('abc12345678x') <= 2);
  });

  test('the strength estimate judges only the first 32 characters (zxcvbn is slow on long input)', () => {
    const weakStart = 'a'.repeat(32);
    assert.equal(passwordStrength(weakStart), 0);
    assert.equal(passwordStrength(`${weakStart} Vq7#mango river lantern quietly zebra`), 0, 'the strong tail is not judged');
    assert.equal(checkPassword(`${weakStart} Vq7#mango river lantern quietly zebra`).ok, true, 'a low estimate never refuses');
  });

  test('every refusal and every strength has a message in both languages', () => {
    for (const messages of [th, en]) {
      for (const key of ['passwordHint', 'passwordTooShort', 'passwordTooLong', 'passwordCommon', 'passwordPersonal'] as const) assert.ok(messages[key].length > 10, key);
      for (const score of [0, 1, 2, 3, 4] as const) assert.ok(messages[`passwordStrength${score}`].length > 0);
    }
    assert.doesNotMatch(en.passwordHint, /must (contain|include)/i, 'no composition rules');
  });
});
