// Dates as Thai people write them: Buddhist-era years (CE + 543) are accepted and shown; ISO is stored.
export const BE_OFFSET = 543;

const MONTHS = {
  th: ['มกราคม', 'กุมภาพันธ์', 'มีนาคม', 'เมษายน', 'พฤษภาคม', 'มิถุนายน', 'กรกฎาคม', 'สิงหาคม', 'กันยายน', 'ตุลาคม', 'พฤศจิกายน', 'ธันวาคม'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};
export const monthNames = (lang: 'th' | 'en') => MONTHS[lang];

export type BirthdateError = 'invalid' | 'future' | 'too_old';

/** Day, month and year (BE when 2400 or more, else CE) to an ISO date, or why it is not a birth date. */
export function parseBirthdate(day: string, month: string, year: string, today = new Date()): { ok: true; iso: string } | { ok: false; error: BirthdateError } {
  if (![day, month, year].every((v) => /^\d{1,4}$/.test(v.trim()))) return { ok: false, error: 'invalid' };
  const d = Number(day);
  const m = Number(month);
  let y = Number(year);
  if (y >= 2400) y -= BE_OFFSET;
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
  return lang === 'th' ? `${d} ${MONTHS.th[m - 1]} ${y + BE_OFFSET}` : `${d} ${MONTHS.en[m - 1]} ${y}`;
}
