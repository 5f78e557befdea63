// The entitlement (health-insurance right) of a person, as the NHSO register answers it for a national
// ID number on a given date: main right (UCS, SSS, OFC, LGO), sub right, main and secondary units.
// Two implementations behind one interface: the synthetic register of the test zone (derived from the
// synthetic population CSV, deterministic per ID number) and an HTTP connector for production
// (timeouts, a circuit breaker, no personal data in errors).
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { readCsvRecords } from '../../kernel/registry/csv.ts';
import { thaiDay } from '../../kernel/thai/time.ts';
import { fromBuddhistDate } from '../../kernel/thai/dates.ts';
import { basicAuth, CircuitBreaker, CircuitOpen } from '../../kernel/connectors/index.ts';

export interface Insurance {
  code: string;
  name: string;
}

export interface Unit {
  hcode: string;
  hname: string;
}

export interface Entitlement {
  pid: string;
  /** Thai title, e.g. นาย */
  titleName: string;
  fname: string;
  lname: string;
  /** ISO YYYY-MM-DD, common era */
  birthDate: string;
  sex: 'male' | 'female';
  mainInscl: Insurance;
  subInscl: Insurance;
  hospMain: Unit;
  hospSub: Unit;
}

export class EntitlementRegisterUnavailable extends Error {
  override name = 'EntitlementRegisterUnavailable';
}

export interface EntitlementRegister {
  /** undefined: no such person */
  lookup(pid: string, on: Date): Promise<Entitlement | undefined>;
}

export { insclLabel } from './messages.ts';

const PID = /^\d{13}$/;


// ---------------------------------------------------------------------------------------------------
// Calendar age

function parseIsoDate(iso: string, what: string): [year: number, month: number, day: number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const date = utc(y, mo - 1, d);
    if (date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d) return [y, mo, d];
  }
  throw new RangeError(`${what} is not a date (YYYY-MM-DD)`);
}

/** Date.UTC without its 0–99 → 1900–1999 mapping; month and day overflow into the next ones. */
function utc(year: number, monthIndex: number, day: number): Date {
  const d = new Date(0);
  d.setUTCFullYear(year, monthIndex, day);
  return d;
}

const DAY_MS = 86_400_000;

/**
 * Calendar age on a date: whole years, then whole months, then days. A month is counted when the same
 * day number is reached; a day the month does not have falls on the days after its end (born 29
 * February: a year older on 1 March of a common year; born 31 January: a month older on 3 March of a
 * common year). Born 2000-02-29, on 2001-02-28 → 0 y 11 m 30 d. RangeError when on is before birth.
 */
export function ageOn(birthDateIso: string, on: string): { years: number; months: number; days: number } {
  const [by, bm, bd] = parseIsoDate(birthDateIso, 'the birth date');
  const [oy, om, od] = parseIsoDate(on, 'the date');
  const target = utc(oy, om - 1, od).getTime();
  if (target < utc(by, bm - 1, bd).getTime()) throw new RangeError('the date is before the birth date');
  // birth + n months is increasing in n (each step adds 28 days or more, an overflow at most 3)
  let months = (oy - by) * 12 + (om - bm);
  while (months > 0 && utc(by, bm - 1 + months, bd).getTime() > target) months--;
  const days = Math.round((target - utc(by, bm - 1 + months, bd).getTime()) / DAY_MS);
  return { years: Math.floor(months / 12), months: months % 12, days };
}

// ---------------------------------------------------------------------------------------------------
// Rights

export const UCS: Insurance = { code: 'UCS', name: 'สิทธิหลักประกันสุขภาพแห่งชาติ' };
export const SSS: Insurance = { code: 'SSS', name: 'สิทธิประกันสังคม' };
export const OFC: Insurance = { code: 'OFC', name: 'สิทธิข้าราชการ/รัฐวิสาหกิจ' };
export const LGO: Insurance = { code: 'LGO', name: 'สิทธิเบิกจ่ายตรงท้องถิ่น' };

const UCS_CHILD: Insurance = { code: '75', name: 'เด็ก 0-12 ปี' };
const UCS_WORKING_AGE: Insurance = { code: '89', name: 'ช่วงอายุ 12-59 ปี' };
const UCS_ELDERLY: Insurance = { code: '74', name: 'ผู้สูงอายุ (60 ปีขึ้นไป)' };
const FIXED_SUB: Record<string, Insurance> = {
  SSS: { code: 'S1', name: 'ผู้ประกันตนมาตรา 33' },
  OFC: { code: 'O1', name: 'ข้าราชการ' },
  LGO: { code: 'L1', name: 'พนักงานส่วนท้องถิ่น' },
};

/** UCS sub right by whole years of age: under 12 → 75, 12 to 59 → 89, 60 and over → 74. */
export function ucsSubInscl(ageYears: number): Insurance {
  const sub = ageYears < 12 ? UCS_CHILD : ageYears < 60 ? UCS_WORKING_AGE : UCS_ELDERLY;
  return { ...sub };
}

// ---------------------------------------------------------------------------------------------------
// Synthetic register (test zone)

/** What the synthetic register keeps per person; the sub right depends on the age on the day asked. */
type SyntheticPerson = Omit<Entitlement, 'subInscl'>;

const MALE_TITLES = new Set(['นาย', 'เด็กชาย', 'ด.ช.']);

/**
 * The test zone's register: every person of the synthetic population file has an entitlement (an
 * expired ID card does not end a right), derived from a SHA-256 of the ID number: about 75 % UCS,
 * 15 % SSS, 7 % OFC, 3 % LGO; the main unit one in the person's province when there is one (else any
 * unit); the secondary unit the main one or another unit of its province.
 */
export class SyntheticEntitlementRegister implements EntitlementRegister {
  readonly #people = new Map<string, SyntheticPerson>();

  private constructor() {}

  static async load(populationFile: string, units: Array<{ hcode: string; name_th: string; province: string }>): Promise<SyntheticEntitlementRegister> {
    if (units.length === 0) throw new Error('the synthetic entitlement register needs at least one unit');
    const byProvince = new Map<string, Array<{ hcode: string; name_th: string; province: string }>>();
    for (const u of units) byProvince.set(u.province, [...(byProvince.get(u.province) ?? []), u]);

    const register = new SyntheticEntitlementRegister();
    for await (const { line, row } of readCsvRecords(populationFile)) {
      const pid = row.pid ?? '';
      const be = /^(\d{4})(\d{2})(\d{2})$/.exec(row.birthdate_be ?? '');
      if (!PID.test(pid) || !be) throw new Error(`the population file has an unreadable row at line ${line}`);

      const h = createHash('sha256').update(pid).digest();
      const bucket = h.readUInt32BE(0) % 100;
      const mainInscl = bucket < 75 ? UCS : bucket < 90 ? SSS : bucket < 97 ? OFC : LGO;
      const local = byProvince.get(row.province ?? '') ?? units;
      const main = local[h.readUInt32BE(4) % local.length]!;
      const others = (byProvince.get(main.province) ?? []).filter((u) => u.hcode !== main.hcode);
      const sub = others.length && h.readUInt32BE(8) % 2 === 1 ? others[h.readUInt32BE(12) % others.length]! : main;

      register.#people.set(pid, {
        pid,
        titleName: row.title_th ?? '',
        fname: row.given_name_th ?? '',
        lname: row.family_name_th ?? '',
        birthDate: fromBuddhistDate(be[0]),
        sex: MALE_TITLES.has(row.title_th ?? '') ? 'male' : 'female',
        mainInscl,
        hospMain: { hcode: main.hcode, hname: main.name_th },
        hospSub: { hcode: sub.hcode, hname: sub.name_th },
      });
    }
    return register;
  }

  get size(): number {
    return this.#people.size;
  }

  async lookup(pid: string, on: Date): Promise<Entitlement | undefined> {
    const p = this.#people.get(pid);
    if (!p) return undefined;
    const date = thaiDay(on);
    if (date < p.birthDate) return undefined; // not yet born on that date
    const subInscl = p.mainInscl.code === 'UCS' ? ucsSubInscl(ageOn(p.birthDate, date).years) : { ...FIXED_SUB[p.mainInscl.code]! };
    return {
      pid: p.pid,
      titleName: p.titleName,
      fname: p.fname,
      lname: p.lname,
      birthDate: p.birthDate,
      sex: p.sex,
      mainInscl: { ...p.mainInscl },
      subInscl,
      hospMain: { ...p.hospMain },
      hospSub: { ...p.hospSub },
    };
  }
}

// ---------------------------------------------------------------------------------------------------
// HTTP connector (production)

const codeName = z.object({ code: z.string().min(1), name: z.string() });
const unitSchema = z.object({ hcode: z.string().min(1), hname: z.string() });
const entitlementSchema = z.object({
  pid: z.string().regex(PID),
  titleName: z.string(),
  fname: z.string(),
  lname: z.string(),
  birthDate: z.iso.date(),
  sex: z.enum(['male', 'female']),
  mainInscl: codeName,
  subInscl: codeName,
  hospMain: unitSchema,
  hospSub: unitSchema,
});

export interface HttpEntitlementRegisterOptions {
  url: string;
  username?: string;
  secret?: string;
  /** per request, headers and body included; default 5000 */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** consecutive failures that open the circuit (default 5), and how long it stays open (default 30 s) */
  breakerThreshold?: number;
  breakerOpenMs?: number;
  now?: () => number;
}

/**
 * Production connector: GET {url}/entitlements/{pid}?date=YYYY-MM-DD (the date in Thailand), Basic
 * auth when a username and secret are set. 200 with an Entitlement body → it; 404 → undefined;
 * anything else (another status, a body that does not read as an entitlement of that person, a
 * timeout, a network error) → EntitlementRegisterUnavailable, whose message never holds the ID number.
 * After breakerThreshold failures in a row the circuit opens: calls fail fast for breakerOpenMs, then
 * one trial call goes through (half-open); its success closes the circuit, its failure opens it again.
 */
export class HttpEntitlementRegister implements EntitlementRegister {
  readonly #url: string;
  readonly #authorization: { authorization?: string };
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch | undefined;
  readonly #breaker: CircuitBreaker;

  constructor(opts: HttpEntitlementRegisterOptions) {
    if ((opts.username === undefined) !== (opts.secret === undefined)) throw new TypeError('the entitlement register needs both a username and a secret, or neither');
    this.#url = opts.url.replace(/\/+$/, '');
    this.#authorization = basicAuth(opts.username, opts.secret);
    this.#timeoutMs = opts.timeoutMs ?? 5000;
    this.#fetch = opts.fetch;
    this.#breaker = new CircuitBreaker({ threshold: opts.breakerThreshold ?? 5, openMs: opts.breakerOpenMs ?? 30_000, now: opts.now });
  }

  async lookup(pid: string, on: Date): Promise<Entitlement | undefined> {
    if (!PID.test(pid)) return undefined; // no person has such a number; never put it in a URL
    try {
      return await this.#breaker.call(() => this.#request(pid, thaiDay(on)));
    } catch (err) {
      if (err instanceof EntitlementRegisterUnavailable) throw err;
      if (err instanceof CircuitOpen) throw new EntitlementRegisterUnavailable('the entitlement register is not answering (circuit open)');
      // a timeout or a refused connection: say which, without the request (it holds the ID number)
      throw new EntitlementRegisterUnavailable(`the entitlement register could not be reached (${(err as Error)?.name ?? 'error'})`);
    }
  }

  async #request(pid: string, date: string): Promise<Entitlement | undefined> {
    const doFetch = this.#fetch ?? fetch;
    const res = await doFetch(`${this.#url}/entitlements/${pid}?date=${date}`, {
      method: 'GET',
      signal: AbortSignal.timeout(this.#timeoutMs),
      headers: { accept: 'application/json', ...this.#authorization },
    });
    if (res.status === 404) {
      await res.body?.cancel().catch(() => {});
      return undefined;
    }
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => {});
      throw new EntitlementRegisterUnavailable(`the entitlement register answered HTTP ${res.status}`);
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch (err) {
      if ((err as Error)?.name === 'TimeoutError' || (err as Error)?.name === 'AbortError') throw err;
      throw new EntitlementRegisterUnavailable('the entitlement register answered with a body that is not JSON');
    }
    const parsed = entitlementSchema.safeParse(body);
    // the issues would quote the body (personal data): say only that it does not read
    if (!parsed.success) throw new EntitlementRegisterUnavailable('the entitlement register gave an answer that cannot be read');
    if (parsed.data.pid !== pid) throw new EntitlementRegisterUnavailable('the entitlement register answered for another person');
    return parsed.data;
  }
}
