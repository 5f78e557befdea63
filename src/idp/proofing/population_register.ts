// The population register's card-status check (as DOPA's CheckCardByLaser): ID number, names,
// Buddhist-era birth date and the laser code from the back of the card → valid / not valid.
// Two implementations behind one interface: the synthetic register of the test zone (a generated CSV)
// and an HTTP connector for production (timeouts, a circuit breaker, no personal data in errors).
import { readCsvRecords } from '../../kernel/registry/csv.ts';
import { CircuitBreaker, CircuitOpen, postJson, type JsonRequestOptions } from '../../kernel/connectors/index.ts';

export interface CardCheck {
  pid: string;
  givenName: string;
  familyName: string;
  /** YYYYMMDD in the Buddhist era, as the register takes it */
  birthdateBE: string;
  /** 2 letters + 10 digits, without dashes */
  laserCode: string;
}

/** valid: the card is current and every field matches; invalid: mismatch or card not current. */
export type CardStatus = 'valid' | 'invalid';

export class PopulationRegisterUnavailable extends Error {
  override name = 'PopulationRegisterUnavailable';
}

export interface PopulationRegister {
  checkCard(input: CardCheck): Promise<CardStatus>;
}

/** AB0-1234567-89, ab0123456789 → AB0123456789; undefined when it is not a laser code. */
export function normalizeLaserCode(input: string): string | undefined {
  const compact = input.replace(/[\s-]/g, '').toUpperCase();
  return /^[A-Z]{2}\d{10}$/.test(compact) ? compact : undefined;
}

export { toBuddhistDate as birthdateToBE } from '../../kernel/thai/dates.ts';

const sameName = (a: string, b: string) => a.normalize('NFC').replace(/\s+/g, ' ').trim() === b.normalize('NFC').replace(/\s+/g, ' ').trim();

export class SyntheticPopulationRegister implements PopulationRegister {
  readonly people = new Map<string, { givenName: string; familyName: string; birthdateBE: string; laserCode: string; cardStatus: string; province?: string; district?: string; subdistrict?: string }>();

  static async load(file: string): Promise<SyntheticPopulationRegister> {
    const register = new SyntheticPopulationRegister();
    for await (const { row } of readCsvRecords(file)) {
      register.people.set(row.pid!, {
        givenName: row.given_name_th!,
        familyName: row.family_name_th!,
        birthdateBE: row.birthdate_be!,
        laserCode: row.laser_code!.replace(/-/g, ''),
        cardStatus: row.card_status!,
        province: row.province ?? '',
        district: row.district ?? '',
        subdistrict: row.subdistrict ?? '',
      });
    }
    return register;
  }

  async checkCard(input: CardCheck): Promise<CardStatus> {
    const p = this.people.get(input.pid);
    const ok =
      p &&
      p.cardStatus === 'valid' &&
      p.laserCode === input.laserCode &&
      p.birthdateBE === input.birthdateBE &&
      sameName(p.givenName, input.givenName) &&
      sameName(p.familyName, input.familyName);
    return ok ? 'valid' : 'invalid';
  }

  /** Where the register says the person lives, by Thai names (the coverage figures' residence look-up). */
  async residence(pid: string): Promise<{ province: string; district: string; subdistrict: string } | undefined> {
    const p = this.people.get(pid);
    return p?.province && p.district && p.subdistrict ? { province: p.province, district: p.district, subdistrict: p.subdistrict } : undefined;
  }
}

export interface HttpRegisterOptions {
  url: string;
  username?: string;
  secret?: string;
  timeoutMs?: number;
  /** consecutive failures that open the breaker, and how long it stays open */
  breakerThreshold?: number;
  breakerOpenMs?: number;
  now?: () => number;
}

/**
 * Production connector to a card-status service: POST JSON {pid, first_name, last_name, birth_date,
 * laser} → {code}: 0 valid, 4 not valid, 5 incomplete input (DOPA's codes). Anything else, a timeout or
 * an open breaker is PopulationRegisterUnavailable, which never grants a level.
 */
export class HttpPopulationRegister implements PopulationRegister {
  readonly #url: string;
  readonly #request: JsonRequestOptions;
  readonly #breaker: CircuitBreaker;

  constructor({ url, username, secret, timeoutMs = 5000, breakerThreshold = 5, breakerOpenMs = 30_000, now }: HttpRegisterOptions) {
    this.#url = url;
    this.#request = { timeoutMs, username, secret };
    this.#breaker = new CircuitBreaker({ threshold: breakerThreshold, openMs: breakerOpenMs, now });
  }

  async checkCard(input: CardCheck): Promise<CardStatus> {
    try {
      return await this.#breaker.call(() => this.#check(input));
    } catch (err) {
      if (err instanceof PopulationRegisterUnavailable) throw err;
      if (err instanceof CircuitOpen) throw new PopulationRegisterUnavailable('the population register is not answering (circuit open)');
      // a timeout or a refused connection: say so, without the request (personal data)
      throw new PopulationRegisterUnavailable(`the population register could not be reached (${(err as Error).name})`);
    }
  }

  async #check(input: CardCheck): Promise<CardStatus> {
    const body = { pid: input.pid, first_name: input.givenName, last_name: input.familyName, birth_date: input.birthdateBE, laser: input.laserCode };
    const res = await postJson(this.#url, body, this.#request);
    if (!res.ok) throw new PopulationRegisterUnavailable(`the population register answered HTTP ${res.status}`);
    const code = ((await res.json().catch(() => undefined)) as { code?: unknown } | undefined)?.code;
    if (code !== 0 && code !== 4 && code !== 5 && code !== '0' && code !== '4' && code !== '5') throw new PopulationRegisterUnavailable('the population register gave an answer that cannot be read');
    return Number(code) === 0 ? 'valid' : 'invalid';
  }
}
