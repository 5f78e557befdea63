// What backs a staff confirmation, checked before any visit is saved: a card read from this unit's
// agent of this very patient, a photo of the patient with their card (kept sealed; compared with the
// chip photo when the card was read too, face_check.ts), or a certifier.
// Two steps: `evidenceErrors` checks every field of the chosen method with the rest of the form (one
// pass, nothing used up or stored); `recordEvidence`, once the whole form is valid, uses the card read
// and seals the photo. Only the chosen method's fields are read; the others' are ignored.
import { createHash } from 'node:crypto';
import * as jose from 'jose';
import sharp from 'sharp';
import type { Database } from '../../kernel/db/index.ts';
import type { Pii } from '../../kernel/pii/index.ts';
import type { Lang } from '../../kernel/http/i18n.ts';
import { isValidPid, normalizePid } from '../../kernel/thai/pid.ts';
import { verifyAgentCardRead } from '../agents.ts';
import { postedCardRead } from '../../kernel/web/card_reader/index.ts';
import { at } from '../web/messages.ts';
import { st } from './messages.ts';
import { CERTIFIER_RELATIONSHIPS } from './views.ts';
import type { Method } from '../visits/index.ts';
import { formatBytes, imageFormat } from '../uploads.ts';
import type { FaceMatcher } from '../../kernel/face_match/index.ts';
import { checkPhotoAgainstChip } from './face_check.ts';

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
/** what the form reads of a file before refusing the request outright: a larger photo still gets the form back with its error */
export const MAX_PHOTO_READ_BYTES = 3 * MAX_PHOTO_BYTES;
export const STAFF_METHODS = ['card', 'photo', 'certification'] as const;

export interface PostedEvidence {
  pid: string;
  method: string | undefined;
  fields: Record<string, string>;
  photo: Buffer | undefined;
  /** the photo's file name on the staff member's device, to say which file cannot be used */
  photoName?: string;
}

const photoFile = (o: PostedEvidence) => ({ file: o.photoName || '—', size: formatBytes(o.photo?.length ?? 0) });

export type EvidenceResult = { ok: true; method: Method; evidence: Record<string, unknown> } | { ok: false; errors: Record<string, string> };

/** The ID number a card-read document says it holds, unverified: used only to refuse another person's card early. */
function claimedPid(jws: string): string | undefined {
  try {
    const card = (jose.decodeJwt(jws) as { card?: { pid?: unknown } }).card;
    return typeof card?.pid === 'string' ? card.pid : undefined;
  } catch {
    return undefined;
  }
}

/** Every error of the chosen method's fields (field name → text); none when they are complete. Uses nothing up. */
export async function evidenceErrors(lang: Lang, o: PostedEvidence): Promise<Record<string, string>> {
  const f = o.fields;
  const errors: Record<string, string> = {};
  if (o.method === 'card') {
    const jws = postedCardRead(f);
    if (!jws) errors.card_read = st(lang, 'cardReadMissing');
    else {
      const pid = claimedPid(jws);
      if (pid === undefined) errors.card_read = at(lang, 'cardReadInvalid');
      else if (pid !== o.pid) errors.card_read = at(lang, 'cardReadOtherPerson');
    }
  } else if (o.method === 'photo') {
    const photo = o.photo;
    if (!photo?.length) errors.photo = st(lang, 'photoMissing');
    else if (photo.length > MAX_PHOTO_BYTES) errors.photo = st(lang, 'photoTooLarge', { ...photoFile(o), max: formatBytes(MAX_PHOTO_BYTES) });
    else {
      const format = await imageFormat(photo);
      if (!format) errors.photo = st(lang, 'photoNotImage', photoFile(o));
      else if (format !== 'jpeg' && format !== 'png') errors.photo = st(lang, 'photoWrongFormat', { file: photoFile(o).file, format: format.toUpperCase() });
    }
    // a card read beside the photo is optional; when there is one, it must be this patient's card
    const jws = postedCardRead(f);
    if (jws) {
      const pid = claimedPid(jws);
      if (pid === undefined) errors.card_read = at(lang, 'cardReadInvalid');
      else if (pid !== o.pid) errors.card_read = at(lang, 'cardReadOtherPerson');
    }
  } else if (o.method === 'certification') {
    const certifier = normalizePid(f.certifier_pid ?? '');
    if (!certifier || !isValidPid(certifier)) errors.certifier_pid = at(lang, 'visitPidInvalid');
    else if (certifier === o.pid) errors.certifier_pid = st(lang, 'certifierIsPatient');
    const name = (f.certifier_name ?? '').trim();
    if (!name || name.length > 200) errors.certifier_name = st(lang, 'certifierNameRequired');
    if (!CERTIFIER_RELATIONSHIPS.includes((f.certifier_relationship ?? '') as never)) errors.certifier_relationship = st(lang, 'certifierRelationshipRequired');
    const reason = (f.cert_reason ?? '').trim();
    if (!reason || reason.length > 500) errors.cert_reason = st(lang, 'certReasonRequired');
  } else {
    errors.method = st(lang, 'chooseMethod');
  }
  return errors;
}

/**
 * The evidence of a form whose fields all passed `evidenceErrors`: the card read is used, the photo
 * sealed — and, when the card was read beside the photo, the photo's face compared with the chip photo.
 */
export async function recordEvidence(deps: { db: Database; pii: Pii; matcher?: FaceMatcher }, lang: Lang, o: PostedEvidence & { hcode: string; actor: string }): Promise<EvidenceResult> {
  const { db, pii } = deps;
  const f = o.fields;
  if (o.method === 'card') {
    // read over the challenge of a page shown to this member of staff at this unit; the document's
    // times are the agent's, real time (not the service's clock of service days)
    const read = await verifyAgentCardRead(db, postedCardRead(f), { hcode: o.hcode, actor: o.actor });
    if (!read.ok) return { ok: false, errors: { card_read: at(lang, 'cardReadInvalid') } };
    if (read.card.pid !== o.pid) return { ok: false, errors: { card_read: at(lang, 'cardReadOtherPerson') } };
    return { ok: true, method: 'card', evidence: { agent: read.agentId } };
  }
  if (o.method === 'photo') {
    let jpeg: Buffer;
    try {
      // re-encoded: no metadata (location, device) is kept, and the size is bounded
      jpeg = await sharp(o.photo!).rotate().resize(1280, 1280, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 85 }).toBuffer();
    } catch {
      return { ok: false, errors: { photo: st(lang, 'photoNotImage', photoFile(o)) } };
    }
    const jws = postedCardRead(f);
    const chip = jws ? await checkPhotoAgainstChip(deps, lang, { jws, pid: o.pid, hcode: o.hcode, actor: o.actor, photo: jpeg }) : undefined;
    if (chip && !chip.ok) return chip;
    const sha256 = createHash('sha256').update(jpeg).digest('hex');
    await db.query('INSERT INTO authencode.evidence_photos (sha256, sealed) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING', [sha256, pii.encrypt(jpeg.toString('base64'), 'authencode.photo')]);
    const withChip = chip?.ok ? { card_read: { agent: chip.agent }, ...(chip.faceCheck ? { face_check: chip.faceCheck } : { face_check: { against: 'chip_photo', compared: false, why: chip.notCompared } }) } : {};
    return { ok: true, method: 'photo', evidence: { photo_sha256: sha256, ...withChip } };
  }
  const certifier = normalizePid(f.certifier_pid ?? '')!;
  return {
    ok: true,
    method: 'certification',
    evidence: { certifier: { pid_sealed: pii.encrypt(certifier, 'authencode.pid'), name: (f.certifier_name ?? '').trim() }, relationship: f.certifier_relationship, reason: (f.cert_reason ?? '').trim() },
  };
}
