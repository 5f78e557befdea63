// Dates as Thai people write them: Buddhist-era years (CE + 543) are accepted and shown; ISO is stored.
export const BE_OFFSET = 543;

export const toBuddhistYear = (ce: number): number => ce + BE_OFFSET;
/** A year as people write it: 2400 and later is Buddhist era and becomes CE; an earlier one already is. */
export const toCommonEraYear = (year: number): number => (year >= 2400 ? year - BE_OFFSET : year);
/** 1985-03-14 → 25280314, the form of the card's chip and the registers. */
export const toBuddhistDate = (iso: string): string => `${toBuddhistYear(Number(iso.slice(0, 4)))}${iso.slice(5, 7)}${iso.slice(8, 10)}`;
/** 25280314 → 1985-03-14. */
export const fromBuddhistDate = (be: string): string => `${Number(be.slice(0, 4)) - BE_OFFSET}-${be.slice(4, 6)}-${be.slice(6, 8)}`;

const MONTHS = {
  th: ['มกราคม', 'กุมภาพันธ์', 'มีนาคม', 'เมษายน', 'พฤษภาคม', 'มิถุนายน', 'กรกฎาคม', 'สิงหาคม', 'กันยายน', 'ตุลาคม', 'พฤศจิกายน', 'ธันวาคม'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};
export const monthNames = (lang: 'th' | 'en') => MONTHS[lang];
const SHORT_MONTHS = {
  th: ['ม.ค.', 'ก.พ.', 'มี.ค.', 'เม.ย.', 'พ.ค.', 'มิ.ย.', 'ก.ค.', 'ส.ค.', 'ก.ย.', 'ต.ค.', 'พ.ย.', 'ธ.ค.'],
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
};

export type BirthdateError = 'invalid' | 'future' | 'too_old';

/** Day, month and year (BE when 2400 or more, else CE) to an ISO date, or why it is not a birth date. */
export function parseBirthdate(day: string, month: string, year: string, today = new Date()): { ok: true; iso: string } | { ok: false; error: BirthdateError } {
  if (![day, month, year].every((v) => /^\d{1,4}$/.test(v.trim()))) return { ok: false, error: 'invalid' };
  const d = Number(day);
  const m = Number(month);
  const y = toCommonEraYear(Number(year));
  if (y < 1000 || m < 1 || m > 12 || d < 1) return { ok: false, error: 'invalid' };
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return { ok: false, error: 'invalid' };
  const iso = date.toISOString().slice(0, 10);
  if (iso > today.toISOString().slice(0, 10)) return { ok: false, error: 'future' };
  if (y < today.getUTCFullYear() - 130) return { ok: false, error: 'too_old' };
  return { ok: true, iso };
}

/** 1985-03-14 → "14 มีนาคม 2528" (Thai, Buddhist era) or "14 March 1985". */
export function formatDate(iso: string, lang: 'th' | 'en'): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return lang === 'th' ? `${d} ${MONTHS.th[m - 1]} ${toBuddhistYear(y)}` : `${d} ${MONTHS.en[m - 1]} ${y}`;
}

/** 2026-12-02 → "2 ธ.ค. 2569" (Thai, Buddhist era) or "2 Dec 2026": lists, tables, expiry dates. */
export function formatShortDate(iso: string, lang: 'th' | 'en'): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return `${d} ${SHORT_MONTHS[lang][m - 1]} ${lang === 'th' ? toBuddhistYear(y) : y}`;
}
