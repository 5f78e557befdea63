// Instants as people in Thailand read them: Bangkok time (UTC+7, whatever the server's zone), with the
// Buddhist-era year and short Thai month on Thai pages: "2 ธ.ค. 2569 11:16 น." / "2 Dec 2026, 11:16".
import { toBuddhistYear } from './dates.ts';

const OFFSET_MS = 7 * 3600 * 1000;
const SHORT_MONTHS = {
  th: ['ม.ค.', 'ก.พ.', 'มี.ค.', 'เม.ย.', 'พ.ค.', 'มิ.ย.', 'ก.ค.', 'ส.ค.', 'ก.ย.', 'ต.ค.', 'พ.ย.', 'ธ.ค.'],
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
};

const bangkok = (at: Date | string | number) => {
  const d = new Date(new Date(at).getTime() + OFFSET_MS);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth(), d: d.getUTCDate(), hm: d.toISOString().slice(11, 16) };
};

/** The day in Bangkok, short: "2 ธ.ค. 2569" / "2 Dec 2026". */
export function formatShortDate(at: Date | string | number, lang: 'th' | 'en'): string {
  const b = bangkok(at);
  return lang === 'th' ? `${b.d} ${SHORT_MONTHS.th[b.m]} ${toBuddhistYear(b.y)}` : `${b.d} ${SHORT_MONTHS.en[b.m]} ${b.y}`;
}

/** Day and time in Bangkok: "2 ธ.ค. 2569 11:16 น." / "2 Dec 2026, 11:16". */
export function formatDateTime(at: Date | string | number, lang: 'th' | 'en'): string {
  const b = bangkok(at);
  return lang === 'th' ? `${formatShortDate(at, lang)} ${b.hm} น.` : `${formatShortDate(at, lang)}, ${b.hm}`;
}
