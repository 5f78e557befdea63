// Days of service are Thai calendar days (UTC+7, no daylight saving), whatever the server's zone.
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

/** An instant to the minute in UTC, as the account, verifier and admin pages list it: 2026-12-02 01:30. */
export const utcMinute = (at: Date | string | number): string => new Date(at).toISOString().slice(0, 16).replace('T', ' ');
