// Remote proofing by photo (IAL 2.1 on top of 1.2): the person uploads a photo of their face holding
// their ID card and a photo of the card's front. Only JPEG and PNG within size and pixel limits are
// accepted; each is decoded and re-encoded as JPEG by sharp (which drops EXIF and anything appended
// to the file) and stored encrypted. A verifier of the chosen unit (or any unit) approves or rejects
// with a reason; nobody reviews their own photos. With a face matcher, a photo that cannot be compared
// (no face, two people, too small, dark, blurred, turned away, no portrait on the card) is refused at
// upload with its reason, and a usable one arrives with the comparison (score, threshold, model,
// liveness), which is kept with the evidence once a verifier confirms it.
import sharp from 'sharp';
import type { Database, Queryable } from '../../../../kernel/db/index.ts';
import type { Pii } from '../../../../kernel/pii/index.ts';
import type { Accounts } from '../../../account/index.ts';
import { audit } from '../../../../kernel/audit/index.ts';
import { recordEvidence } from '../../evidence.ts';
import { FaceMatcherUnavailable, type FaceComparison, type FaceMatcher } from '../../../../kernel/face_match/index.ts';

export const METHOD = 'photo_with_card';
export const MAX_UPLOAD_BYTES = 8 * 1024 * 1024;
const MAX_PIXELS = 40_000_000; // refuses decompression bombs before they are decoded
const MIN_SIDE = 320;
const MAX_SIDE = 8000;

export type PhotoUpload = 'face_with_card' | 'card_front';

export class PhotoError extends Error {
  override name = 'PhotoError';
  reason: 'type' | 'dimensions' | 'unreadable';
  /** which of the two uploads it is */
  upload: PhotoUpload;
  constructor(reason: 'type' | 'dimensions' | 'unreadable', upload: PhotoUpload) {
    super(`photo refused: ${reason} (${upload})`);
    this.reason = reason;
    this.upload = upload;
  }
}

/** Validates and re-encodes one uploaded image; the original bytes are never kept. */
export async function cleanPhoto(input: Buffer, upload: PhotoUpload): Promise<Buffer> {
  let meta;
  try {
    meta = await sharp(input, { limitInputPixels: MAX_PIXELS, failOn: 'error' }).metadata();
  } catch {
    throw new PhotoError('unreadable', upload);
  }
  if (meta.format !== 'jpeg' && meta.format !== 'png') throw new PhotoError('type', upload);
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  if (Math.min(w, h) < MIN_SIDE || Math.max(w, h) > MAX_SIDE) throw new PhotoError('dimensions', upload);
  try {
    return await sharp(input, { limitInputPixels: MAX_PIXELS, failOn: 'error' })
      .rotate()
      .resize({ width: 1600, height: 1600, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 85, mozjpeg: true })
      .toBuffer();
  } catch {
    throw new PhotoError('unreadable', upload);
  }
}

export type Decision = 'approved' | 'rejected';

/** A deletion request carried out: the person's photos go (the evidence record of a decision stays, in evidence); answers how many. */
export async function erasePhotosOf(q: Queryable, sub: string): Promise<number> {
  return (await q.query('DELETE FROM photo_submissions WHERE sub = $1', [sub])).rowCount;
}

export function createPhotoReview(opts: { db: Database; pii: Pii; accounts: Pick<Accounts, 'findBySub'>; matcher?: FaceMatcher; threshold?: number }) {
  const { db, pii, accounts } = opts;
  const threshold = opts.threshold ?? 0.9;
  const seal = (sub: string, which: string, jpeg: Buffer) => pii.encrypt(jpeg.toString('base64'), `photo:${which}:${sub}`);
  const open = (sub: string, which: string, sealed: string) => Buffer.from(pii.decrypt(sealed, `photo:${which}:${sub}`), 'base64');

  /**
   * The matcher's comparison, or null when it cannot answer (the review goes on without it). An
   * unusable photo (FaceQualityError) or a busy matcher (FaceMatcherBusy) is thrown to the upload.
   */
  async function compareFaces(sub: string, face: Buffer, card: Buffer): Promise<FaceComparison | null> {
    const account = await accounts.findBySub(sub);
    if (!account) return null;
    try {
      return await opts.matcher!.compare({ pid: account.pid, faceWithCard: face, cardFront: card });
    } catch (err) {
      if (err instanceof FaceMatcherUnavailable) return null;
      throw err;
    }
  }

  return {
    threshold,

    async submit(sub: string, faceWithCard: Buffer, cardFront: Buffer, hcode: string | null): Promise<number> {
      const [face, card] = await Promise.all([cleanPhoto(faceWithCard, 'face_with_card'), cleanPhoto(cardFront, 'card_front')]);
      const check = opts.matcher ? await compareFaces(sub, face, card) : null;
      return db.tx(async (q) => {
        // a new submission replaces one still waiting
        await q.query(`UPDATE photo_submissions SET status = 'rejected', reason = 'replaced by a newer submission', decided_at = now() WHERE sub = $1 AND status = 'pending'`, [sub]);
        const { rows } = await q.query<{ id: string }>(
          'INSERT INTO photo_submissions (sub, face_with_card_cipher, card_front_cipher, unit_hcode, face_score, face_check) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
          [sub, seal(sub, 'face', face), seal(sub, 'card', card), hcode, check?.score ?? null, check ? JSON.stringify(check) : null],
        );
        await audit(q, { actor: sub, action: 'photo.submitted', subject: sub, detail: { unit: hcode, faceScore: check?.score ?? null } });
        return Number(rows[0]!.id);
      });
    },

    async latest(sub: string): Promise<{ id: number; status: string; reason: string | null } | undefined> {
      const { rows } = await db.query<{ id: string; status: string; reason: string | null }>('SELECT id, status, reason FROM photo_submissions WHERE sub = $1 ORDER BY created_at DESC, id DESC LIMIT 1', [sub]);
      return rows[0] && { id: Number(rows[0].id), status: rows[0].status, reason: rows[0].reason };
    },

    /** Waiting submissions a verifier of `hcode` may review: those for the unit and those for any unit. */
    async queue(hcode: string): Promise<Array<{ id: number; sub: string; createdAt: Date; faceScore: number | null }>> {
      const { rows } = await db.query<{ id: string; sub: string; created_at: Date; face_score: number | null }>(
        `SELECT id, sub, created_at, face_score FROM photo_submissions WHERE status = 'pending' AND (unit_hcode = $1 OR unit_hcode IS NULL) ORDER BY created_at LIMIT 50`,
        [hcode],
      );
      return rows.map((r) => ({ id: Number(r.id), sub: r.sub, createdAt: r.created_at, faceScore: r.face_score === null ? null : Number(r.face_score) }));
    },

    async photo(id: number, which: 'face' | 'card', hcode: string): Promise<Buffer | undefined> {
      const { rows } = await db.query<{ sub: string; face_with_card_cipher: string; card_front_cipher: string }>(
        `SELECT sub, face_with_card_cipher, card_front_cipher FROM photo_submissions WHERE id = $1 AND status = 'pending' AND (unit_hcode = $2 OR unit_hcode IS NULL)`,
        [id, hcode],
      );
      const r = rows[0];
      return r && open(r.sub, which, which === 'face' ? r.face_with_card_cipher : r.card_front_cipher);
    },

    /** faceConfirmed: the verifier confirms the automated match; it counts only above the threshold. */
    async decide(d: { id: number; verifierSub: string; hcode: string; decision: Decision; reason: string; faceConfirmed?: boolean }): Promise<'done' | 'self' | 'not_found' | 'reason_required'> {
      if (!d.reason.trim()) return 'reason_required';
      return db.tx(async (q) => {
        const { rows } = await q.query<{ sub: string; face_score: number | null; face_check: FaceComparison | null }>(
          `SELECT sub, face_score, face_check FROM photo_submissions WHERE id = $1 AND status = 'pending' AND (unit_hcode = $2 OR unit_hcode IS NULL) FOR UPDATE`,
          [d.id, d.hcode],
        );
        const sub = rows[0]?.sub;
        if (!sub) return 'not_found';
        if (sub === d.verifierSub) return 'self';
        await q.query('UPDATE photo_submissions SET status = $2, decided_by = $3, decided_at = now(), reason = $4 WHERE id = $1', [d.id, d.decision, d.verifierSub, d.reason]);
        // the face counts when the verifier confirms a score at or above today's threshold
        const check = rows[0]!.face_check;
        const faceMatched = Boolean(d.faceConfirmed) && rows[0]!.face_score !== null && Number(rows[0]!.face_score) >= threshold;
        await recordEvidence(q, {
          sub,
          method: METHOD,
          checks: faceMatched ? ['photo_with_card_review', 'face_match'] : ['photo_with_card_review'],
          ...(faceMatched && check
            ? { faceCheck: { score: check.score, threshold, matched: true, model: check.model, ...(check.liveness ? { liveness: check.liveness } : {}), against: 'card_portrait_photo' as const } }
            : {}),
          documents: [{ type: 'idcard', issuer: 'DOPA', number: 'photo' }],
          unitHcode: d.hcode,
          verifierSub: d.verifierSub,
          decision: d.decision,
          reason: d.reason,
        });
        return 'done';
      });
    },
  };
}

export type PhotoReview = ReturnType<typeof createPhotoReview>;
