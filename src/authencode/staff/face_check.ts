// A photo of the patient with their card, checked against the chip photo when the card was read too:
// the face matcher (src/kernel/face_match) scores the face in the photo against the portrait the
// unit's card reader agent read from the chip. The read is looked at first and used up only once the
// face matched, so a refused photo leaves it usable for the next one. A score under the threshold is
// evidence against and refuses the photo; with no matcher (or it is down) the read still counts and
// the evidence says no automated comparison was made.
import type { Database } from '../../kernel/db/index.ts';
import type { Lang } from '../../kernel/http/i18n.ts';
import { FaceMatcherBusy, FaceMatcherUnavailable, FaceQualityError, type FaceComparison, type FaceMatcher } from '../../kernel/face_match/index.ts';
import { inspectAgentCardRead, verifyAgentCardRead } from '../agents.ts';
import { at } from '../web/messages.ts';
import { st } from './messages.ts';

/** what the visit's evidence keeps of the comparison */
export interface StaffFaceCheck {
  score: number;
  threshold: number;
  matched: boolean;
  model: { name: string; version: string };
  liveness?: { real: number; live: number; gate: false };
  against: 'chip_photo';
}

export type ChipCheck =
  | { ok: true; agent: string; faceCheck?: StaffFaceCheck; notCompared?: 'no_matcher' | 'matcher_unavailable' }
  | { ok: false; errors: Record<string, string> };

const faceCheckOf = (c: FaceComparison): StaffFaceCheck => ({ score: c.score, threshold: c.threshold, matched: c.matched, model: c.model, ...(c.liveness ? { liveness: c.liveness } : {}), against: 'chip_photo' });

export async function checkPhotoAgainstChip(
  deps: { db: Database; matcher?: FaceMatcher },
  lang: Lang,
  o: { jws: string; pid: string; hcode: string; actor: string; photo: Buffer },
): Promise<ChipCheck> {
  const seen = await inspectAgentCardRead(deps.db, o.jws, { hcode: o.hcode });
  if (!seen.ok) return { ok: false, errors: { card_read: at(lang, 'cardReadInvalid') } };
  if (seen.card.pid !== o.pid) return { ok: false, errors: { card_read: at(lang, 'cardReadOtherPerson') } };
  let faceCheck: StaffFaceCheck | undefined;
  let notCompared: 'no_matcher' | 'matcher_unavailable' | undefined = deps.matcher ? undefined : 'no_matcher';
  if (deps.matcher) {
    try {
      faceCheck = faceCheckOf(await deps.matcher.compare({ pid: o.pid, faceWithCard: o.photo, cardFront: Buffer.from(seen.card.chip_photo, 'base64') }));
    } catch (err) {
      if (err instanceof FaceQualityError) return { ok: false, errors: { photo: st(lang, `face_${err.reason}`) } };
      if (err instanceof FaceMatcherBusy) return { ok: false, errors: { photo: st(lang, 'faceBusy') } };
      if (!(err instanceof FaceMatcherUnavailable)) throw err;
      notCompared = 'matcher_unavailable';
    }
    if (faceCheck && !faceCheck.matched) return { ok: false, errors: { photo: st(lang, 'faceBelowThreshold', { score: faceCheck.score.toFixed(2), threshold: faceCheck.threshold.toFixed(2) }) } };
  }
  const used = await verifyAgentCardRead(deps.db, o.jws, { hcode: o.hcode, actor: o.actor });
  if (!used.ok) return { ok: false, errors: { card_read: at(lang, 'cardReadInvalid') } };
  return { ok: true, agent: used.agentId, ...(faceCheck ? { faceCheck } : {}), ...(notCompared ? { notCompared } : {}) };
}
