// Deletion requests (PDPA) as an administrator handles them, one set of rules for the console and the
// admin API: the list, what carrying one out deletes, anonymises and keeps (and why, as data: PLAN), the
// carrying out (one account's records, in the modules that own them), a refusal with its reason, and
// the person told by SMS. An account that still holds a role is refused until the role is withdrawn.
import type { Database } from '../../../kernel/db/index.ts';
import { audit } from '../../../kernel/audit/index.ts';
import type { Accounts, DeletionRequest, DeletionStatus } from '../../account/index.ts';
import type { Authenticators } from '../../authenticators/index.ts';
import type { Personnel } from '../../personnel/index.ts';
import type { SmsGateway } from '../../sms/index.ts';
import type { Units } from '../../units/index.ts';
import { removeOidcRecordsOf } from '../../oidc/sessions.ts';
import { erasePhotosOf } from '../../proofing/index.ts';
import { tellPerson } from '../notice.ts';
import { actorId, type Actor } from '../relying_parties/index.ts';
import { AdminRefusal } from '../refusal.ts';

/** What happens to each kind of record; `why` is the reason it is kept (docs/operations.md, Deletion requests). */
export const PLAN = {
  deleted: ['sessions_and_tokens', 'connected_applications', 'password', 'authenticator_app', 'passkeys', 'recovery_codes', 'photos', 'health_personnel_link'],
  anonymised: ['names', 'phone_number', 'birthdate', 'national_id_number'],
  kept: [
    { record: 'audit_log', why: 'the append-only, hash-chained record of who did what (the Computer Crime Act and the PDPA’s accountability); it names the sub, never the ID number' },
    { record: 'proofing_evidence', why: 'the evidence of each identity proofing (method, checks, unit, verifier, date), required for claims and audits; it holds masked document numbers only' },
    { record: 'national_id_number_hash', why: 'a keyed hash of the ID number under its own key, not reversible: lets an auditor holding an ID number link it to the kept evidence; it no longer finds the account at login or registration' },
    { record: 'privacy_consents', why: 'the versions of the privacy notice accepted and when: the record of the legal basis of past processing' },
    { record: 'roles_history', why: 'appointments and withdrawals of roles, part of the audit trail' },
  ],
} as const;

export class DeletionError extends AdminRefusal {
  override name = 'DeletionError';
  declare readonly status: 400 | 404 | 409;
  constructor(status: 400 | 404 | 409, message: string) {
    super(status, message);
  }
}

export function createDeletionRequests(deps: { db: Database; accounts: Accounts; authenticators: Authenticators; personnel: Personnel; units: Units; sms: SmsGateway }) {
  const { db, accounts, authenticators, personnel, units } = deps;

  async function pending(id: number): Promise<DeletionRequest> {
    const [r] = await accounts.deletionRequests({ id });
    if (!r) throw new DeletionError(404, `no deletion request ${id}`);
    if (r.status !== 'pending') throw new DeletionError(409, `deletion request ${id} was decided already (${r.status})`);
    return r;
  }
  const reasonOf = (reason: string) => {
    const r = reason.trim().slice(0, 200);
    if (!r) throw new DeletionError(400, 'a reason is required');
    return r;
  };
  const tell = (sub: string, phone: string | null, key: 'dlSmsDone' | 'dlSmsRefused') => tellPerson(deps, sub, phone, key);


  return {
    plan: PLAN,

    list(o: { status?: DeletionStatus } = {}): Promise<DeletionRequest[]> {
      return accounts.deletionRequests(o);
    },

    async get(id: number): Promise<DeletionRequest> {
      const [r] = await accounts.deletionRequests({ id });
      if (!r) throw new DeletionError(404, `no deletion request ${id}`);
      return r;
    },

    /** Carries the request out: deletes and anonymises what may go, keeps what the law requires; answers the outcome. */
    async carryOut(actor: Actor, id: number, reason: string): Promise<{ outcome: Record<string, unknown>; notified: boolean }> {
      const why = reasonOf(reason);
      const r = await pending(id);
      if ((await units.roleHistory({ sub: r.sub, current: true })).length) throw new DeletionError(409, 'the account holds a role: withdraw it first (roles are part of the audit trail)');
      const account = await accounts.findBySub(r.sub);
      // the phone is read before it goes: the person is told on it
      const phone = account?.phoneNumber ?? null;
      const keys = await authenticators.passkeys.list(r.sub);
      const counts = { passkeys: keys.length, recovery_codes: await authenticators.recovery.remaining(r.sub), authenticator_app: await authenticators.totp.remove(r.sub) };
      for (const k of keys) await authenticators.passkeys.remove(r.sub, k.id);
      await authenticators.recovery.remove(r.sub);
      const personnelLink = await personnel.unlink(r.sub);
      const outcome = await db.tx(async (q) => {
        const oidc = await removeOidcRecordsOf(q, r.sub);
        const photos = await erasePhotosOf(q, r.sub);
        await accounts.anonymise(q, r.sub);
        const result = { deleted: PLAN.deleted, anonymised: PLAN.anonymised, kept: PLAN.kept.map((k) => k.record), counts: { ...counts, oidc_records: oidc, photos, health_personnel_link: personnelLink } };
        if (!(await accounts.decideDeletion(q, id, { status: 'done', by: actorId(actor), reason: why, outcome: result }))) throw new DeletionError(409, `deletion request ${id} was decided already`);
        await audit(q, { actor: actorId(actor), action: 'deletion.carried_out', subject: r.sub, detail: { request: id, reason: why, counts: result.counts, kept: result.kept } });
        return result;
      });
      return { outcome, notified: await tell(r.sub, phone, 'dlSmsDone') };
    },

    async refuse(actor: Actor, id: number, reason: string): Promise<{ notified: boolean }> {
      const why = reasonOf(reason);
      const r = await pending(id);
      await db.tx(async (q) => {
        if (!(await accounts.decideDeletion(q, id, { status: 'refused', by: actorId(actor), reason: why }))) throw new DeletionError(409, `deletion request ${id} was decided already`);
        await audit(q, { actor: actorId(actor), action: 'deletion.refused', subject: r.sub, detail: { request: id, reason: why } });
      });
      return { notified: await tell(r.sub, (await accounts.findBySub(r.sub))?.phoneNumber ?? null, 'dlSmsRefused') };
    },
  };
}

export type DeletionRequests = ReturnType<typeof createDeletionRequests>;
