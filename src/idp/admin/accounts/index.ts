// Accounts as an administrator manages them, one set of rules for the console and the admin API: found
// by ID number with a reason (audited); their levels, authenticators (what each method says of itself,
// never a secret), sessions, connected applications and roles; unlocked after throttling, sessions
// ended, second factors removed after an identity check (the check named in the audit event). The
// person is told by SMS. Separation of duties: nobody does any of this to their own account.
import type { Database } from '../../../kernel/db/index.ts';
import { audit } from '../../../kernel/audit/index.ts';
import { maskPid } from '../../../kernel/pii/index.ts';
import type { Accounts } from '../../account/index.ts';
import { normalizePid } from '../../account/index.ts';
import type { Authenticators } from '../../authenticators/index.ts';
import type { LoginThrottle } from '../../login/throttle.ts';
import type { SmsGateway } from '../../sms/index.ts';
import type { Units, RoleRecord } from '../../units/index.ts';
import { aalOf } from '../../oidc/acr.ts';
import { createSessionRecords, endSessionsOf } from '../../oidc/sessions.ts';
import { accountIal } from '../../proofing/index.ts';
import { tellPerson } from '../notice.ts';
import { actorId, type Actor } from '../relying_parties/index.ts';
import { AdminRefusal } from '../refusal.ts';

/** How the person's identity was checked before their second factors are removed (docs/assurance.md §2: a reset is a re-binding). */
export const IDENTITY_CHECKS = ['in_person_id_card', 'video_call_id_card', 'card_reader_chip'] as const;
export type IdentityCheck = (typeof IDENTITY_CHECKS)[number];

export class AccountAdminError extends AdminRefusal {
  override name = 'AccountAdminError';
}

export interface AccountOverview {
  sub: string;
  /** the ID number masked (x-xxxx-xxxxx-12-3): enough to compare with a card, not to copy */
  pidMasked: string;
  name: string;
  nameEn: string | null;
  birthdate: string;
  phoneMasked: string | null;
  phoneVerified: boolean;
  ial: string | null;
  /** the highest level the account's authenticators can reach */
  aal: string | null;
  factors: string[];
  authenticators: Record<string, unknown>;
  locked: { failures: number; lockedUntil: Date | null };
  sessions: Array<{ id: string; loginTs: number | null; acr: string | null }>;
  applications: Array<{ clientId: string; scope: string }>;
  roles: RoleRecord[];
}

const maskPhone = (p: string) => `${p.slice(0, p.length - 7).replace(/\d/g, 'x')}${'x'.repeat(3)}${p.slice(-4)}`;

export function createAccountAdmin(deps: { db: Database; accounts: Accounts; authenticators: Authenticators; throttle: LoginThrottle; sms: SmsGateway; units: Units }) {
  const { db, accounts, authenticators, throttle, units } = deps;
  const records = createSessionRecords(db);

  async function existing(sub: string) {
    const a = /^[\w-]{1,64}$/.test(sub) ? await accounts.findBySub(sub) : undefined;
    if (!a) throw new AccountAdminError(404, 'no such account');
    return a;
  }
  function notOwn(actor: Actor, sub: string) {
    if (actor.kind === 'person' && actor.sub === sub) throw new AccountAdminError(403, 'nobody manages their own account here: use your own account pages, or ask another administrator');
  }
  const reasonOf = (reason: string) => {
    const r = reason.trim().slice(0, 200);
    if (!r) throw new AccountAdminError(400, 'a reason is required');
    return r;
  };
  /** The person is told; a failed SMS does not undo the change (it is audited as not delivered). */
  const tell = (sub: string, phone: string | null, key: 'acSmsUnlocked' | 'acSmsSessionsEnded' | 'acSmsFactorsRemoved') => tellPerson(deps, sub, phone, key);


  return {
    /** The sub of the account holding this ID number: a reason is required and the search is audited, found or not. */
    async find(actor: Actor, pid: string, reason: string, clientAddress?: string): Promise<string> {
      const normal = normalizePid(pid);
      if (!normal) throw new AccountAdminError(400, 'the ID number is not valid');
      const why = reasonOf(reason);
      const sub = await accounts.subByPid(normal);
      await audit(db, { actor: actorId(actor), action: 'admin.person_search', subject: sub ?? null, clientAddress, detail: { reason: why, found: Boolean(sub), area: 'accounts' } });
      if (!sub) throw new AccountAdminError(404, 'no account with this ID number');
      return sub;
    },

    async overview(sub: string): Promise<AccountOverview> {
      const a = await existing(sub);
      const [ial, factors, methods, locked, sessions, grants, roles] = await Promise.all([
        accountIal(db, sub), authenticators.factorsOf(sub), authenticators.exported(sub), throttle.accountState(a.pid),
        records.sessions(sub), records.grants(sub), units.roleHistory({ sub }),
      ]);
      return {
        sub, pidMasked: maskPid(a.pid), name: [a.title, a.givenName, a.familyName].filter(Boolean).join(' '),
        nameEn: a.givenNameEn ? [a.givenNameEn, a.familyNameEn].filter(Boolean).join(' ') : null, birthdate: a.birthdate,
        phoneMasked: a.phoneNumber ? maskPhone(a.phoneNumber) : null, phoneVerified: a.phoneVerified,
        ial: ial ?? null, aal: aalOf(factors) ?? null, factors, authenticators: methods, locked, sessions,
        applications: grants.map((g) => ({ clientId: g.clientId, scope: g.scope })), roles,
      };
    },

    /** Clears the login back-off and lock of the account; 409 when it is not throttled. */
    async unlock(actor: Actor, sub: string, reason: string): Promise<{ notified: boolean }> {
      notOwn(actor, sub);
      const why = reasonOf(reason);
      const a = await existing(sub);
      const before = await throttle.accountState(a.pid);
      if (!before.failures && !before.lockedUntil) throw new AccountAdminError(409, 'the account is not locked or backing off');
      await throttle.unlock(a.pid);
      await audit(db, { actor: actorId(actor), action: 'admin.account_unlocked', subject: sub, detail: { reason: why, failures: before.failures, was_locked: Boolean(before.lockedUntil) } });
      return { notified: await tell(sub, a.phoneNumber, 'acSmsUnlocked') };
    },

    /** Ends every session of the account on every device. */
    async endSessions(actor: Actor, sub: string, reason: string): Promise<{ ended: number; notified: boolean }> {
      notOwn(actor, sub);
      const why = reasonOf(reason);
      const a = await existing(sub);
      const ended = await db.tx(async (q) => {
        const n = await endSessionsOf(q, sub);
        await audit(q, { actor: actorId(actor), action: 'admin.sessions_ended', subject: sub, detail: { reason: why, sessions: n } });
        return n;
      });
      return { ended, notified: await tell(sub, a.phoneNumber, 'acSmsSessionsEnded') };
    },

    /**
     * Removes the second factors (authenticator app, passkeys, recovery codes) after the person's
     * identity was checked as `check` says, and ends their sessions: they log in with password and
     * SMS and set up new ones. Recorded as such, the check named.
     */
    async removeSecondFactors(actor: Actor, sub: string, o: { check: string; reason: string }): Promise<{ removed: { authenticator_app: boolean; passkeys: number; recovery_codes: number }; notified: boolean }> {
      notOwn(actor, sub);
      if (!(IDENTITY_CHECKS as readonly string[]).includes(o.check)) throw new AccountAdminError(400, `check must be one of ${IDENTITY_CHECKS.join(', ')}: how the person's identity was checked`);
      const why = reasonOf(o.reason);
      const a = await existing(sub);
      const keys = await authenticators.passkeys.list(sub);
      const codes = await authenticators.recovery.remaining(sub);
      const app = await authenticators.totp.remove(sub);
      for (const k of keys) await authenticators.passkeys.remove(sub, k.id);
      await authenticators.recovery.remove(sub);
      const removed = { authenticator_app: app, passkeys: keys.length, recovery_codes: codes };
      await db.tx(async (q) => {
        const sessions = await endSessionsOf(q, sub);
        await audit(q, { actor: actorId(actor), action: 'admin.second_factors_removed', subject: sub, detail: { reason: why, identity_check: o.check, removed, sessions } });
      });
      return { removed, notified: await tell(sub, a.phoneNumber, 'acSmsFactorsRemoved') };
    },
  };
}

export type AccountAdmin = ReturnType<typeof createAccountAdmin>;
