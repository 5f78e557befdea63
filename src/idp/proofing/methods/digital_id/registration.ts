// Registration with DOPA's digital ID, as the registration pages use it (through proofing/index.ts): a
// ThaID login begun from /register, the identity it vouched for (refused when the policy grants no level
// for it), and its evidence recorded in the transaction that creates the account.
import type { Context } from 'koa';
import type { Queryable } from '../../../../kernel/db/index.ts';
import type { Lang } from '../../../../kernel/http/i18n.ts';
import type { UpstreamAssertion, Upstreams } from '../../../upstream/index.ts';
import { PROVIDER, type DigitalId } from './index.ts';
import { refusalWords } from './routes.ts';

export const REGISTER_PURPOSE = 'register';

export type Vouched = { ok: true; assertion: UpstreamAssertion; returnTo?: string } | { ok: false; refusal(lang: Lang): string };

export interface DigitalIdRegistration {
  available: boolean;
  /** where to send the browser to log in at ThaID; throws UpstreamUnavailable */
  begin(ctx: Context, returnTo: string | undefined): Promise<string>;
  /** the identity ThaID vouched for in this browser's last login for a registration; `take` uses it up */
  vouched(ctx: Context, o: { take: boolean }): Promise<Vouched | undefined>;
  /** records the evidence for the new account (inside the transaction creating it) */
  record(q: Queryable, sub: string, assertion: UpstreamAssertion): Promise<void>;
}

export function digitalIdRegistration(digitalId: DigitalId, upstreams: Upstreams | undefined): DigitalIdRegistration {
  return {
    available: Boolean(upstreams && digitalId.available),
    begin: (ctx, returnTo) => upstreams!.begin(ctx, PROVIDER, REGISTER_PURPOSE, returnTo ? { returnTo } : {}),
    async vouched(ctx, o) {
      const taken = upstreams && (await upstreams.assertion(ctx, PROVIDER, REGISTER_PURPOSE, o));
      if (!taken) return undefined;
      const grant = digitalId.grant(taken.assertion);
      if (!grant.ok) return { ok: false, refusal: (lang) => refusalWords(lang, grant) };
      return { ok: true, assertion: taken.assertion, ...(taken.returnTo ? { returnTo: taken.returnTo } : {}) };
    },
    async record(q, sub, assertion) {
      const grant = digitalId.grant(assertion);
      if (grant.ok) await digitalId.record(q, sub, assertion, grant);
    },
  };
}
