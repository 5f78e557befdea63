// Ids, days and uuids from paths, queries and forms, validated by parsing (not by a pattern that
// lets `1e309`, `2026-02-30` or 36 dashes through to a database cast). Undefined when not valid.

/** A database id (bigserial): decimal digits only, 1 … 2^53−1. Never `abc`, `-1`, `1e3`, `0x10`, `1e309`. */
export function parseId(v: unknown): number | undefined {
  if (typeof v !== 'string' || !/^[1-9]\d{0,15}$/.test(v)) return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A calendar day YYYY-MM-DD that exists (2026-02-28, not 2026-02-30 or 2026-13-01), years 0001–9999. */
export function parseDay(v: unknown): string | undefined {
  const m = typeof v === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(v) : null;
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d); // setUTCFullYear, unlike Date.UTC, does not read 0099 as 1999
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d ? (v as string) : undefined;
}

/** A uuid in its textual form (8-4-4-4-12 hex digits), lower-cased. */
export function parseUuid(v: unknown): string | undefined {
  return typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v) ? v.toLowerCase() : undefined;
}
