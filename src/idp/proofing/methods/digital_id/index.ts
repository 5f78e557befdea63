// Proofing through DOPA's digital ID (ThaID): what its validated ID token vouches for becomes evidence.
// The level is the policy's: ThaID's `ial` through the provider's mapping, capped by our IAL table
// (policy.ts); a level it does not map grants nothing. The ID number, Thai names and birth date (and
// the English names, where the account has them) must match the account; a mismatch records nothing.
import type { Database, Queryable } from '../../../../kernel/db/index.ts';
import type { Pii } from '../../../../kernel/pii/index.ts';
import { maskPid } from '../../../../kernel/pii/index.ts';
import { ialRank, type Ial } from '../../../../kernel/assurance.ts';
import type { Account, Accounts, IdentityAttribute } from '../../../account/index.ts';
import type { UpstreamAssertion, UpstreamProvider } from '../../../upstream/index.ts';
import { approvedEvidence, recordEvidence, type UpstreamEvidence } from '../../evidence.ts';
import { IAL_POLICY, type Check } from '../../policy.ts';

export const METHOD = 'digital_id';
/** the upstream this method reads (upstream/thaid.ts) */
export const PROVIDER = 'thaid';

/** The check a digital ID's level is recorded as; the policy table turns it into a level. */
export const CHECK_OF_LEVEL: Partial<Record<Ial, Check>> = { '2.3': 'digital_id_ial_2_3' };

/** What the evidence vouches for, compared with the account (or, at registration, what the account is made of). */
export const COMPARED: readonly IdentityAttribute[] = ['pid', 'given_name', 'family_name', 'given_name_en', 'family_name_en', 'birthdate'];
/** What must be in the assertion for it to be used at all. */
export const REQUIRED: readonly IdentityAttribute[] = ['pid', 'given_name', 'family_name', 'birthdate'];

export type Grant = { ok: true; ial: Ial; check: Check; asserted: string } | { ok: false; reason: 'level_too_low'; asserted?: string } | { ok: false; reason: 'incomplete'; missing: IdentityAttribute[] };

/** The level the policy grants for this assertion: the provider's mapping, capped by the table. */
export function grantOf(p: UpstreamProvider, a: UpstreamAssertion, policy = IAL_POLICY): Grant {
  const missing = REQUIRED.filter((k) => !a.identity[k]);
  if (missing.length) return { ok: false, reason: 'incomplete', missing };
  const mapped = a.ial !== undefined ? p.levels[a.ial] : undefined;
  if (!mapped) return { ok: false, reason: 'level_too_low', asserted: a.ial };
  let best: { ial: Ial; check: Check } | undefined;
  for (const [ial, check] of Object.entries(CHECK_OF_LEVEL) as Array<[Ial, Check]>) {
    const inTable = policy.some((r) => r.ial === ial && r.requires.length === 1 && r.requires[0] === check);
    if (inTable && ialRank(ial) <= ialRank(mapped) && (!best || ialRank(ial) > ialRank(best.ial))) best = { ial, check };
  }
  return best ? { ok: true, ...best, asserted: a.ial! } : { ok: false, reason: 'level_too_low', asserted: a.ial };
}

const fold = (v: string | null | undefined) => (v ?? '').normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();

/** The attributes where the account and the assertion differ (English names only where the account has them). */
export function differences(account: Account, a: UpstreamAssertion): IdentityAttribute[] {
  const ours: Record<string, string | null> = {
    pid: account.pid,
    given_name: account.givenName,
    family_name: account.familyName,
    given_name_en: account.givenNameEn,
    family_name_en: account.familyNameEn,
    birthdate: account.birthdate,
  };
  return COMPARED.filter((k) => {
    if ((k === 'given_name_en' || k === 'family_name_en') && !ours[k]) return false;
    return fold(ours[k]) !== fold(a.identity[k]);
  });
}

const maskCode = (code: string) => `${'x'.repeat(Math.max(0, code.length - 4))}${code.slice(-4)}`;

export type DigitalIdResult = { ok: true; ial: Ial } | { ok: false; reason: 'mismatch'; differs: IdentityAttribute[] } | Extract<Grant, { ok: false }> | { ok: false; reason: 'no_account' | 'unavailable' };

export function createDigitalId(deps: { db: Database; pii: Pii; accounts: Accounts; provider: UpstreamProvider | undefined }) {
  const { db, pii, accounts, provider } = deps;

  /** The evidence row: what the upstream asserted, the mapping applied, the level granted. */
  async function record(q: Queryable, sub: string, a: UpstreamAssertion, grant: Extract<Grant, { ok: true }>): Promise<number> {
    const p = provider!;
    const upstream: UpstreamEvidence = {
      provider: p.id,
      issuer: a.issuer,
      subject_cipher: pii.encrypt(a.subject, 'upstream_sub'),
      ial: grant.asserted,
      granted: grant.ial,
      mapping: { levels: { ...p.levels }, claims: Object.fromEntries(Object.entries(p.identityClaims)) as Record<string, string> },
      ...(a.card.smartcardCode ? { smartcard_code_cipher: pii.encrypt(a.card.smartcardCode, 'smartcard_code'), smartcard_code_masked: maskCode(a.card.smartcardCode) } : {}),
      ...(a.card.dateOfIssuance ? { date_of_issuance: a.card.dateOfIssuance } : {}),
      ...(a.card.dateOfExpiry ? { date_of_expiry: a.card.dateOfExpiry } : {}),
      ...(a.authTime ? { auth_time: a.authTime } : {}),
      verified_at: a.verifiedAt,
    };
    return recordEvidence(q, {
      sub,
      method: METHOD,
      checks: [grant.check],
      documents: [{ type: 'idcard', issuer: 'DOPA', number: maskPid(a.identity.pid!), ...(a.card.dateOfExpiry ? { expiry: a.card.dateOfExpiry } : {}) }],
      decision: 'approved',
      reason: `${p.name.en} asserted IAL ${grant.asserted}; ID number, names and birth date match`,
      upstream,
    });
  }

  return {
    available: Boolean(provider),
    provider,
    grant: (a: UpstreamAssertion): Grant => grantOf(provider!, a),
    record,

    /** The account this upstream login proved before: its ID number's account, if unrevoked evidence of this method names the same upstream subject. */
    async accountProvedBy(a: UpstreamAssertion): Promise<string | undefined> {
      const pid = a.identity.pid;
      if (!provider || !pid || a.provider !== provider.id) return undefined;
      const sub = await accounts.subByPid(pid);
      if (!sub) return undefined;
      const evidence = await approvedEvidence(db, sub);
      const proved = evidence.some((e) => e.method === METHOD && e.upstream?.provider === provider.id && e.upstream.issuer === a.issuer && pii.decrypt(e.upstream.subject_cipher, 'upstream_sub') === a.subject);
      return proved ? sub : undefined;
    },

    /** An existing account raises its level: the assertion must match it; nothing is recorded otherwise. */
    async verify(sub: string, a: UpstreamAssertion): Promise<DigitalIdResult> {
      if (!provider) return { ok: false, reason: 'unavailable' };
      const grant = grantOf(provider, a);
      if (!grant.ok) return grant;
      return db.tx(async (q) => {
        // the row lock orders this with a change of names (verified_attributes.ts)
        const account = await accounts.forUpdate(q, sub);
        if (!account) return { ok: false, reason: 'no_account' } as const;
        const differs = differences(account, a);
        if (differs.length) return { ok: false, reason: 'mismatch', differs } as const;
        await record(q, sub, a, grant);
        return { ok: true, ial: grant.ial } as const;
      });
    },
  };
}

export type DigitalId = ReturnType<typeof createDigitalId>;
