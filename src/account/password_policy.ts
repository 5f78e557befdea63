// Passwords per ASSURANCE.md (NIST 800-63B): 8 to 256 characters, no composition rules; refused when
// among the ~49,000 most common passwords (the zxcvbn-ts common list, MIT) or when it contains the
// person's ID number, phone number or birth date (Christian or Buddhist era, any usual form).
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

export const MIN_LENGTH = 8;
export const MAX_LENGTH = 256;

export type PasswordVerdict = { ok: true; strength: 0 | 1 | 2 | 3 | 4 } | { ok: false; reason: 'too_short' | 'too_long' | 'common' | 'personal' };

let common: Set<string> | undefined;
let zxcvbn: ZxcvbnFactory | undefined;

const commonPasswords = () => (common ??= new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase())));

/** A common password, also with digits or punctuation added at its end ("password123!"). */
function isCommon(password: string): boolean {
  const lower = password.toLowerCase();
  const list = commonPasswords();
  if (list.has(lower)) return true;
  const stem = lower.replace(/[\d\W_]+$/u, '');
  return stem.length >= 4 && stem !== lower && list.has(stem);
}

function personalForms(person: { pid?: string; phone?: string; birthdate?: string }): string[] {
  const forms: string[] = [];
  if (person.pid) forms.push(person.pid);
  if (person.phone) {
    const national = person.phone.replace(/^\+66/, '');
    forms.push(`0${national}`, national, person.phone.replace(/^\+/, ''));
  }
  if (person.birthdate && /^\d{4}-\d{2}-\d{2}$/.test(person.birthdate)) {
    const [y, m, d] = person.birthdate.split('-') as [string, string, string];
    for (const year of [y, String(Number(y) + 543)]) {
      const yy = year.slice(2);
      forms.push(`${year}${m}${d}`, `${d}${m}${year}`, `${d}${m}${yy}`, `${year}-${m}-${d}`, `${d}/${m}/${year}`, `${d}-${m}-${year}`, `${d}.${m}.${year}`);
    }
  }
  return forms;
}

export function checkPassword(password: string, person: { pid?: string; phone?: string; birthdate?: string } = {}): PasswordVerdict {
  const length = [...password].length;
  if (length < MIN_LENGTH) return { ok: false, reason: 'too_short' };
  if (length > MAX_LENGTH) return { ok: false, reason: 'too_long' };
  if (isCommon(password)) return { ok: false, reason: 'common' };
  const compact = password.replace(/[\s]/g, '');
  if (personalForms(person).some((f) => compact.includes(f))) return { ok: false, reason: 'personal' };
  return { ok: true, strength: passwordStrength(password) };
}

/** zxcvbn's 0–4 estimate, for the hint shown to the person (long input is cut: the estimate is slow). */
export function passwordStrength(password: string): 0 | 1 | 2 | 3 | 4 {
  zxcvbn ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
  return zxcvbn.check(password.slice(0, 64)).score as 0 | 1 | 2 | 3 | 4;
}

export const commonPasswordCount = () => commonPasswords().size;
