// A browser's User-Agent as a person names their device: the browser and the system, in a few words
// ("Chrome" and "Windows"). Simple on purpose: it labels sessions, it proves nothing.
import type { Queryable } from '../../kernel/db/index.ts';

const BROWSERS: Array<[RegExp, string]> = [
  [/Edg(e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/SamsungBrowser\//, 'Samsung Internet'],
  [/Line\//, 'LINE'],
  [/FBAN|FBAV/, 'Facebook'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/Chrome\/|CriOS\/|Chromium\//, 'Chrome'],
  [/Safari\//, 'Safari'],
];
const SYSTEMS: Array<[RegExp, string]> = [
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Android/, 'Android'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

export interface Device {
  browser?: string;
  system?: string;
}

export function deviceOf(userAgent: string | undefined): Device {
  const ua = userAgent ?? '';
  return { browser: BROWSERS.find(([re]) => re.test(ua))?.[1], system: SYSTEMS.find(([re]) => re.test(ua))?.[1] };
}

/** What a login step needs to know of the account's latest logins (up to EARLIER_LOGINS_SEEN of them). */
export interface EarlierLogins {
  logins: number;
  /** the latest login time among them (0 when none has one) */
  lastTs: number;
  /** whether this device is among them */
  known: boolean;
}

export const EARLIER_LOGINS_SEEN = 200;

// Summed up inside PostgreSQL: three values come back instead of up to 200 events' details to parse.
// The same device is the same browser and system names (a missing name counts as '?'): a login on a
// device not among them is "a login on a new device".
export const EARLIER_LOGINS_SQL = `SELECT count(*) AS logins,
    coalesce(max(CASE WHEN jsonb_typeof(detail -> 'ts') = 'number' THEN (detail ->> 'ts')::numeric END), 0) AS last_ts,
    coalesce(bool_or(coalesce(detail -> 'device' ->> 'browser', '?') = $3 AND coalesce(detail -> 'device' ->> 'system', '?') = $4), false) AS known
  FROM (SELECT detail FROM audit_events WHERE subject = $1 AND action = 'login.succeeded' ORDER BY at DESC, id DESC LIMIT $2) earlier`;

export async function earlierLogins(q: Queryable, sub: string, device: Device): Promise<EarlierLogins> {
  const { rows } = await q.query<{ logins: string | number; last_ts: string | number; known: boolean }>(EARLIER_LOGINS_SQL, [
    sub,
    EARLIER_LOGINS_SEEN,
    device.browser ?? '?',
    device.system ?? '?',
  ]);
  const r = rows[0]!;
  return { logins: Number(r.logins), lastTs: Number(r.last_ts), known: r.known };
}
