// What backs a staff confirmation, checked before any visit is saved: a card read from this unit's
// agent of this very patient, a photo of the patient with their card (kept sealed), or a certifier.
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { Database } from '../../kernel/db/index.ts';
import type { Pii } from '../../kernel/pii/index.ts';
import { isValidPid, normalizePid } from '../../kernel/thai/pid.ts';
import { verifyAgentCardRead } from '../agents.ts';
import { postedCardRead } from '../../kernel/web/card_reader/index.ts';
import type { AcKey } from '../web/messages.ts';
import { CERTIFIER_RELATIONSHIPS } from './views.ts';
import type { Method } from '../visits/index.ts';

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

export type EvidenceResult = { ok: true; method: Method; evidence: Record<string, unknown> } | { ok: false; errors: Record<string, AcKey> };

export async function checkEvidence(
  db: Database,
  pii: Pii,
  o: { pid: string; hcode: string; actor: string; method: string | undefined; fields: Record<string, string>; photo: Buffer | undefined },
): Promise<EvidenceResult> {
  const f = o.fields;
  if (o.method === 'card') {
    const jws = postedCardRead(f);
    if (!jws) return { ok: false, errors: { card_read: 'cardReadInvalid' } };
    // read over the challenge of a page shown to this member of staff at this unit; the document's
    // times are the agent's, real time (not the service's clock of service days)
    const read = await verifyAgentCardRead(db, jws, { hcode: o.hcode, actor: o.actor });
    if (!read.ok) return { ok: false, errors: { card_read: 'cardReadInvalid' } };
    if (read.card.pid !== o.pid) return { ok: false, errors: { card_read: 'cardReadOtherPerson' } };
    return { ok: true, method: 'card', evidence: { agent: read.agentId } };
  }
  if (o.method === 'photo') {
    if (!o.photo?.length) return { ok: false, errors: { photo: 'photoInvalid' } };
    let jpeg: Buffer;
    try {
      const meta = await sharp(o.photo).metadata();
      if (meta.format !== 'jpeg' && meta.format !== 'png') return { ok: false, errors: { photo: 'photoInvalid' } };
      // re-encoded: no metadata (location, device) is kept, and the size is bounded
      jpeg = await sharp(o.photo).rotate().resize(1280, 1280, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 85 }).toBuffer();
    } catch {
      return { ok: false, errors: { photo: 'photoInvalid' } };
    }
    const sha256 = createHash('sha256').update(jpeg).digest('hex');
    await db.query('INSERT INTO authencode.evidence_photos (sha256, sealed) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING', [sha256, pii.encrypt(jpeg.toString('base64'), 'authencode.photo')]);
    return { ok: true, method: 'photo', evidence: { photo_sha256: sha256 } };
  }
  if (o.method === 'certification') {
    const errors: Record<string, AcKey> = {};
    const certifier = normalizePid(f.certifier_pid ?? '');
    if (!certifier || !isValidPid(certifier)) errors.certifier_pid = 'visitPidInvalid';
    const name = (f.certifier_name ?? '').trim();
    if (!name || name.length > 200) errors.certifier_name = 'certRequired';
    const relationship = f.certifier_relationship ?? '';
    if (!CERTIFIER_RELATIONSHIPS.includes(relationship as never)) errors.certifier_relationship = 'certRequired';
    const reason = (f.cert_reason ?? '').trim();
    if (!reason || reason.length > 500) errors.cert_reason = 'certRequired';
    if (Object.keys(errors).length) return { ok: false, errors };
    return { ok: true, method: 'certification', evidence: { certifier: { pid_sealed: pii.encrypt(certifier!, 'authencode.pid'), name }, relationship, reason } };
  }
  return { ok: false, errors: { method: 'badForm' } };
}
