// Passwords per docs/assurance.md §1 (NIST 800-63B): 8 to 256 characters, no composition rules; refused when
// among the 49,233 most common passwords (the zxcvbn-ts common list, MIT) or when it contains the
// person's ID number, phone number or birth date (Christian or Buddhist era, any usual form).
import { createRequire } from 'node:module';
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { toBuddhistYear } from '../../../kernel/thai/dates.ts';

export const MIN_LENGTH = 8;
export const MAX_LENGTH = 256;
/** zxcvbn's estimate is superlinear in length (about 15 ms at 32 characters, 50 ms at 64 on one core). */
const STRENGTH_INPUT_LENGTH = 32;

export type PasswordStrength = 0 | 1 | 2 | 3 | 4;
export type PasswordRefusal = 'too_short' | 'too_long' | 'common' | 'personal';
export type PasswordVerdict = { ok: true; strength: PasswordStrength } | { ok: false; reason: PasswordRefusal };
export interface PersonalData {
  /** 13-digit national ID number */
  pid?: string;
  /** E.164, like +66812345678 */
  phone?: string;
  /** ISO date YYYY-MM-DD */
  birthdate?: string;
}

// The dictionaries (about 50,000 words) are loaded on first use, not when the server starts.
const require = createRequire(import.meta.url);
type Zxcvbn = typeof import('@zxcvbn-ts/core');
type CommonLanguage = typeof import('@zxcvbn-ts/language-common');
const language = () => require('@zxcvbn-ts/language-common') as CommonLanguage;

let common: Set<string> | undefined;
let zxcvbn: ZxcvbnFactory | undefined;

/** The list as published, most common first. */
export const commonPasswordList = (): readonly string[] => language().dictionary['passwords-common'] as string[];
const commonPasswords = () => (common ??= new Set(commonPasswordList().map((p) => p.toLowerCase())));
export const commonPasswordCount = () => commonPasswords().size;

/**
 * A common password, compared case-insensitively after NFKC (so full-width letters count), also with
 * digits, punctuation, symbols or spaces added at its end ("Password2024!"): appending those is the
 * first rule of every guessing tool. Only a stem of 4 or more characters counts, so "abc" + digits is
 * judged as typed; letters in any script (Thai included) are never stripped.
 */
function isCommon(password: string): boolean {
  const lower = password.normalize('NFKC').toLowerCase();
  const list = commonPasswords();
  if (list.has(lower)) return true;
  const stem = lower.replace(/[\p{N}\p{P}\p{S}\s]+$/u, '');
  return stem !== lower && [...stem].length >= 4 && list.has(stem);
}

const THAI_DIGITS = /[\u0E50-\u0E59]/g;
/** Digits in ASCII, and the separators people put in dates and numbers (space - / . ,) removed. */
const compact = (s: string) =>
  s
    .normalize('NFKC')
    .replace(THAI_DIGITS, (d) => String(d.charCodeAt(0) - 0x0e50))
    .replace(/[\s\-/.,]/g, '');

/** The person's numbers as digit strings; the password is compared without separators. */
function personalForms(person: PersonalData): string[] {
  const forms: string[] = [];
  const pid = person.pid?.replace(/\D/g, '');
  if (pid && pid.length >= 8) forms.push(pid);
  const phone = person.phone?.replace(/[^\d+]/g, '');
  if (phone?.startsWith('+66') && phone.length > 10) {
    const national = phone.slice(3); // 812345678: also matches 0812345678 and 66812345678
    forms.push(`0${national}`, national, `66${national}`);
  } else if (phone && phone.replace('+', '').length >= 8) {
    forms.push(phone.replace('+', ''));
  }
  const date = person.birthdate?.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (date) {
    const [, y, m, d] = date as unknown as [string, string, string, string];
    for (const year of [y, String(toBuddhistYear(Number(y)))]) {
      const yy = year.slice(2);
      forms.push(`${year}${m}${d}`, `${d}${m}${year}`, `${d}${m}${yy}`);
      // 1/3/2528 as many write it: day and month without their leading zero
      const unpadded = `${Number(d)}${Number(m)}${year}`;
      if (unpadded !== `${d}${m}${year}`) forms.push(unpadded);
    }
  }
  return forms;
}

export function checkPassword(password: string, person: PersonalData = {}): PasswordVerdict {
  const length = [...password].length;
  if (length < MIN_LENGTH) return { ok: false, reason: 'too_short' };
  if (length > MAX_LENGTH) return { ok: false, reason: 'too_long' };
  // personal data first: "call0812345678" is refused for the phone number, the more useful reason
  const digits = compact(password);
  if (personalForms(person).some((f) => digits.includes(f))) return { ok: false, reason: 'personal' };
  if (isCommon(password)) return { ok: false, reason: 'common' };
  return { ok: true, strength: passwordStrength(password) };
}

/** zxcvbn's 0–4 estimate, for the hint shown to the person; only the first 32 characters are judged. */
export function passwordStrength(password: string): PasswordStrength {
  if (!zxcvbn) {
    const { ZxcvbnFactory } = require('@zxcvbn-ts/core') as Zxcvbn;
    const { dictionary, adjacencyGraphs } = language();
    zxcvbn = new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
  }
  return zxcvbn.check([...password].slice(0, STRENGTH_INPUT_LENGTH).join('')).score as PasswordStrength;
}
