// Verified identity data is locked: an attribute that unrevoked evidence vouches for (as its method
// declares in `evidence[…].covers`) does not change on the person's word. A change is refused, or, when
// the person chooses it, saved in the same transaction that supersedes every piece of evidence vouching
// for a changed attribute, so verified_claims never vouches for data no check confirmed.
import type { Database, Queryable } from '../../kernel/db/index.ts';
import { IDENTITY_ATTRIBUTES, changedAttributes, type Accounts, type IdentityAttribute, type IdentityLock, type Verification, type VouchedFor } from '../account/index.ts';
import { t } from '../web/messages.ts';
import { approvedEvidence, supersedeEvidence } from './evidence.ts';
import type { ProofingMethod } from './method.ts';

type Kind = ProofingMethod['evidence'][string];

export function createVerifiedAttributes(deps: { db: Database; accounts: Accounts; methods: readonly ProofingMethod[] }): IdentityLock {
  const { db, accounts } = deps;
  const kinds = new Map<string, Kind>(deps.methods.flatMap((m) => Object.entries(m.evidence)));
  // evidence no method declares (an operator's bootstrap check, an older method) vouches for everything
  const kindOf = (method: string): Kind => kinds.get(method) ?? { covers: IDENTITY_ATTRIBUTES, label: (lang) => t(lang, 'verificationOther', { method }) };

  async function vouchedFor(q: Queryable, sub: string): Promise<VouchedFor> {
    const out: VouchedFor = {};
    for (const e of await approvedEvidence(q, sub)) {
      const kind = kindOf(e.method);
      for (const a of kind.covers) (out[a] ??= []).push({ evidence: e.id, method: e.method, label: kind.label });
    }
    return out;
  }

  return {
    vouchedFor: (sub) => vouchedFor(db, sub),

    changeNames: (sub, names, { dropVerification, actor }) =>
      db.tx(async (q) => {
        // the row lock orders this change with a method recording evidence for the same account
        const account = await accounts.forUpdate(q, sub);
        if (!account) throw new Error('no such account');
        const changed = changedAttributes(account, names);
        const vouched = await vouchedFor(q, sub);
        const locked: VouchedFor = Object.fromEntries(changed.filter((a) => vouched[a]).map((a) => [a, vouched[a]]));
        if (Object.keys(locked).length && !dropVerification) return { saved: false, locked };
        const dropped = [...new Map(Object.values(locked).flat().map((v) => [v.evidence, v] as const)).values()];
        for (const v of dropped) {
          const covers: readonly IdentityAttribute[] = kindOf(v.method).covers;
          await supersedeEvidence(q, v.evidence, actor, changed.filter((a) => covers.includes(a)));
        }
        await accounts.updateNames(q, sub, names, { actor, detail: { changed, ...(dropped.length ? { evidence_superseded: dropped.map((v) => v.evidence) } : {}) } });
        return { saved: true, changed, dropped: dropped satisfies Verification[] };
      }),
  };
}
