// Where a person lives, from the population register entry of their ID number — never typed by the
// person. Two implementations behind one interface: the test zone's synthetic register (by Thai names,
// SyntheticPopulationRegister.residence) and an HTTP connector for production (POST {pid} →
// {subdistrict_code}; 5 s timeout, no personal data in errors). Unavailable → the change waits.
export interface Residence {
  /** the 6-digit sub-district code, when the register gives one */
  subdistrictCode?: string;
  /** or the Thai names */
  province?: string;
  district?: string;
  subdistrict?: string;
}

import { postJson } from '../../kernel/connectors/index.ts';

export interface ResidenceRegister {
  /** undefined: the register has no entry (or no address) for this ID number */
  residence(pid: string): Promise<Residence | undefined>;
}

export class ResidenceUnavailable extends Error {
  override name = 'ResidenceUnavailable';
}

export class HttpResidenceRegister implements ResidenceRegister {
  readonly options: { url: string; username?: string; secret?: string; timeoutMs?: number };
  constructor(options: { url: string; username?: string; secret?: string; timeoutMs?: number }) {
    this.options = options;
  }

  async residence(pid: string): Promise<Residence | undefined> {
    let res: Response;
    try {
      const { url, username, secret, timeoutMs = 5000 } = this.options;
      res = await postJson(url, { pid }, { timeoutMs, username, secret });
    } catch (err) {
      throw new ResidenceUnavailable(`the residence look-up could not be reached (${(err as Error).name})`);
    }
    if (res.status === 404) return undefined;
    if (!res.ok) throw new ResidenceUnavailable(`the residence look-up answered HTTP ${res.status}`);
    const body = (await res.json().catch(() => undefined)) as { subdistrict_code?: unknown } | undefined;
    const code = body?.subdistrict_code;
    if (code === null) return undefined;
    if (typeof code !== 'string' || !/^\d{6}$/.test(code)) throw new ResidenceUnavailable('the residence look-up gave an answer that cannot be read');
    return { subdistrictCode: code };
  }
}
