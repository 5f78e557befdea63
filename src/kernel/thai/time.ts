// Days of service are Thai calendar days (UTC+7, no daylight saving), whatever the server's zone; every
// time a page shows is Bangkok time (formatDateTime and friends), with Buddhist-era years in Thai.
import { formatDate, formatShortDate } from './dates.ts';

const OFFSET_MS = 7 * 3600 * 1000;

/** 2026-12-01T18:30:00Z → '2026-12-02' (already the next day in Bangkok). */
export function thaiDay(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** '2026-12-02', '08:30' → the instant in Bangkok; undefined when either is not a real date/time. */
export function thaiInstant(day: string, time: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !/^\d{2}:\d{2}$/.test(time)) return undefined;
  const at = new Date(`${day}T${time}:00+07:00`);
  if (Number.isNaN(at.getTime()) || thaiDay(at) !== day) return undefined;
  return at;
}

/** The local time of day in Bangkok, HH:MM. */
export function thaiTime(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(11, 16);
}

/** An instant as Thai local time with its offset: 2026-12-02T08:30:12+07:00. */
export function thaiIso(at: Date): string {
  return `${new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 19)}+07:00`;
}

type Instant = Date | string | number;

/** 2026-12-02T04:16Z → "2 ธ.ค. 2569 11:16 น." (Thai) or "2 Dec 2026, 11:16": Bangkok time, to the minute. */
export function formatDateTime(at: Instant, lang: 'th' | 'en'): string {
  const d = new Date(at);
  const day = formatShortDate(thaiDay(d), lang);
  return lang === 'th' ? `${day} ${thaiTime(d)} น.` : `${day}, ${thaiTime(d)}`;
}

/** The Bangkok calendar day of an instant: "2 ธ.ค. 2569" / "2 Dec 2026" (`long`: "2 ธันวาคม 2569" / "2 December 2026"). */
export function formatDay(at: Instant, lang: 'th' | 'en', style: 'short' | 'long' = 'short'): string {
  const day = thaiDay(new Date(at));
  return style === 'long' ? formatDate(day, lang) : formatShortDate(day, lang);
}

/** The Bangkok time of day: "11:16 น." / "11:16". */
export function formatTimeOfDay(at: Instant, lang: 'th' | 'en'): string {
  const t = thaiTime(new Date(at));
  return lang === 'th' ? `${t} น.` : t;
}
