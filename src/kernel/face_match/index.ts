// Automated face comparison for IAL 2.2: the live face in the photo of the person holding their card
// against the card's printed portrait in the card-front photo. A FaceMatcher checks that both photos
// are usable (FaceQualityError with a reason the person is told) and answers a score from 0 to 1 with
// the threshold it was judged against, the model, and a passive liveness score when the model has
// one; a verifier still confirms. Two matchers: the in-server engine (builtin.ts, the default) and an
// external HTTP face-verification service (configurable, timeouts, no personal data in errors).
import type { FaceQuality } from './quality.ts';

export { FaceMatcherBusy, FaceMatcherUnavailable, FaceQualityError } from './errors.ts';
export type { FaceQuality, QualityReason, QualityRules } from './quality.ts';
import { FaceMatcherUnavailable } from './errors.ts';
import { postJson, type JsonRequestOptions } from '../connectors/index.ts';

export interface FaceComparison {
  /** similarity 0–1, higher is more alike */
  score: number;
  threshold: number;
  matched: boolean;
  model: { name: string; version: string };
  /** passive presentation-attack scores of the live face, 0–1 (higher: more likely a live person); recorded only, not a gate until calibrated */
  liveness?: { real: number; live: number; gate: false };
  /** what was measured before scoring; absent when the service does not say */
  quality?: FaceQuality;
}

export interface FaceMatcher {
  compare(input: { pid: string; faceWithCard: Buffer; cardFront: Buffer }): Promise<FaceComparison>;
  close?(): Promise<void>;
}

export class HttpFaceMatcher implements FaceMatcher {
  readonly url: string;
  readonly threshold: number;
  readonly #request: JsonRequestOptions;
  constructor(o: { url: string; username?: string; secret?: string; timeoutMs?: number; threshold: number }) {
    this.url = o.url;
    this.threshold = o.threshold;
    this.#request = { timeoutMs: o.timeoutMs ?? 10_000, username: o.username, secret: o.secret };
  }
  async compare(input: { pid: string; faceWithCard: Buffer }): Promise<FaceComparison> {
    let res: Response;
    try {
      res = await postJson(this.url, { pid: input.pid, photo: input.faceWithCard.toString('base64') }, this.#request);
    } catch (err) {
      throw new FaceMatcherUnavailable(`the face-verification service could not be reached (${(err as Error).name})`);
    }
    const body = (await res.json().catch(() => undefined)) as { score?: unknown; model?: { name?: unknown; version?: unknown }; liveness?: unknown } | undefined;
    if (!res.ok || typeof body?.score !== 'number' || body.score < 0 || body.score > 1) throw new FaceMatcherUnavailable(`the face-verification service answered HTTP ${res.status} without a usable score`);
    const str = (v: unknown, fallback: string) => (typeof v === 'string' && v.length <= 100 ? v : fallback);
    const live = typeof body.liveness === 'number' && body.liveness >= 0 && body.liveness <= 1 ? body.liveness : undefined;
    return {
      score: body.score,
      threshold: this.threshold,
      matched: body.score >= this.threshold,
      model: { name: str(body.model?.name, `http:${new URL(this.url).host}`), version: str(body.model?.version, 'unknown') },
      ...(live !== undefined ? { liveness: { real: live, live, gate: false as const } } : {}),
    };
  }
}
