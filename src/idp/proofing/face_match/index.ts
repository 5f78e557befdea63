// Automated face comparison for IAL 2.2: the face-with-card photo against the reference photo. A
// FaceMatcher answers a score from 0 to 1; a verifier still confirms. Production: an HTTP face-
// verification service (configurable, timeouts, no personal data in errors). Test zone: a perceptual
// comparison of the two uploaded photos (the card front carries the printed card photo), since the
// synthetic register has no photos.
import sharp from 'sharp';

export interface FaceMatcher {
  compare(input: { pid: string; faceWithCard: Buffer; cardFront: Buffer }): Promise<number>;
}

export class FaceMatcherUnavailable extends Error {
  override name = 'FaceMatcherUnavailable';
}

/** 16×16 grey thumbnails compared by their difference hash: 1 for the same picture, ~0.5 for unrelated ones. */
export class PerceptualFaceMatcher implements FaceMatcher {
  async compare(input: { faceWithCard: Buffer; cardFront: Buffer }): Promise<number> {
    const [a, b] = await Promise.all([dHash(input.faceWithCard), dHash(input.cardFront)]);
    let same = 0;
    for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
    return same / a.length;
  }
}

async function dHash(image: Buffer): Promise<boolean[]> {
  const { data } = await sharp(image).grayscale().resize(17, 16, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
  const bits: boolean[] = [];
  for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) bits.push(data[y * 17 + x]! > data[y * 17 + x + 1]!);
  return bits;
}

export class HttpFaceMatcher implements FaceMatcher {
  readonly url: string;
  readonly timeoutMs: number;
  readonly authorization?: string;
  constructor(o: { url: string; username?: string; secret?: string; timeoutMs?: number }) {
    this.url = o.url;
    this.timeoutMs = o.timeoutMs ?? 10_000;
    if (o.username && o.secret) this.authorization = `Basic ${Buffer.from(`${o.username}:${o.secret}`).toString('base64')}`;
  }
  async compare(input: { pid: string; faceWithCard: Buffer }): Promise<number> {
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: { 'content-type': 'application/json', ...(this.authorization ? { authorization: this.authorization } : {}) },
        body: JSON.stringify({ pid: input.pid, photo: input.faceWithCard.toString('base64') }),
      });
    } catch (err) {
      throw new FaceMatcherUnavailable(`the face-verification service could not be reached (${(err as Error).name})`);
    }
    const body = (await res.json().catch(() => undefined)) as { score?: unknown } | undefined;
    if (!res.ok || typeof body?.score !== 'number' || body.score < 0 || body.score > 1) throw new FaceMatcherUnavailable(`the face-verification service answered HTTP ${res.status} without a usable score`);
    return body.score;
  }
}
