// Revoking evidence (e.g. after a fraud report): the IAL drops at once (it is computed from unrevoked
// evidence), every session of the person ends, and relying parties that registered a back-channel
// logout URI are told (OpenID Connect Back-Channel Logout), all audited with who and why.
import type Provider from 'oidc-provider';
import type { Database } from '../../kernel/db/index.ts';
import { audit } from '../../kernel/audit/index.ts';
import { endSessionsOf, sessionAuthorizations } from '../oidc/sessions.ts';
import { evidenceOwner, revokeEvidence } from './evidence.ts';
import { accountIal } from './ial.ts';

export interface RevocationResult {
  sub: string;
  ialBefore: string | null;
  ialAfter: string | null;
  sessionsEnded: number;
  clientsNotified: number;
  clientsFailed: number;
}

export async function revokeEvidenceAndLogOut(deps: { db: Database; provider: Provider }, id: number, by: string, reason: string): Promise<RevocationResult | undefined> {
  const { db, provider } = deps;
  if (!reason.trim()) throw new Error('a reason is required');
  const sub = await evidenceOwner(db, id);
  if (!sub) return undefined;
  const ialBefore = (await accountIal(db, sub)) ?? null;
  await db.tx((q) => revokeEvidence(q, id, by, reason));

  let notified = 0;
  let failed = 0;
  for (const authorizations of await sessionAuthorizations(db, sub)) {
    for (const [clientId, auth] of Object.entries(authorizations)) {
      const client = await provider.Client.find(clientId);
      if (!client?.backchannelLogoutUri || !auth.sid) continue;
      try {
        await (client as unknown as { backchannelLogout(sub: string, sid: string): Promise<void> }).backchannelLogout(sub, auth.sid);
        notified++;
      } catch {
        failed++; // the relying party did not answer 200: counted in the audit detail, the revocation stands
      }
    }
  }
  const ended = await endSessionsOf(db, sub);
  await audit(db, { actor: by, action: 'sessions.ended_by_revocation', subject: sub, detail: { evidence: id, reason, sessions: ended, clients_notified: notified, clients_failed: failed } });
  return { sub, ialBefore, ialAfter: (await accountIal(db, sub)) ?? null, sessionsEnded: ended, clientsNotified: notified, clientsFailed: failed };
}
