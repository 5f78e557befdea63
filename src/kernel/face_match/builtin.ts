// The in-server face matcher: both photos analysed in one task on the worker pool (pool.ts), the
// quality rules applied (quality.ts), and the live face's dlib descriptor compared with the card
// portrait's. dlib's descriptors are compared by Euclidean distance (about 0.6 separates people, as
// dlib trained them); the score is 1 − distance, so higher is more alike, and the threshold is
// configuration (FACE_MATCH_THRESHOLD, calibrated in docs/face-comparison.md).
import { MODEL, type AnalyseOptions, type Analysis } from './engine.ts';
import { FaceWorkerPool, type PoolOptions } from './pool.ts';
import { cardFace, DEFAULT_RULES, liveFace, qualityOf, type QualityRules } from './quality.ts';
import { FaceMatcherUnavailable } from './errors.ts';
import type { FaceComparison, FaceMatcher } from './index.ts';

export interface BuiltinOptions extends Partial<PoolOptions> {
  threshold: number;
  rules?: Partial<QualityRules>;
}

export class BuiltinFaceMatcher implements FaceMatcher {
  readonly threshold: number;
  readonly rules: QualityRules;
  readonly pool: FaceWorkerPool;
  constructor(o: BuiltinOptions) {
    this.threshold = o.threshold;
    this.rules = { ...DEFAULT_RULES, ...o.rules };
    this.pool = new FaceWorkerPool({ size: o.size ?? 1, queue: o.queue ?? 8, timeoutMs: o.timeoutMs ?? 20_000 });
  }

  /** Analyses photos as the matcher does (for calibration and the benchmark); `describe` faces get descriptors. */
  analyse(photos: Array<{ bytes: Uint8Array } & Partial<AnalyseOptions>>): Promise<Analysis[]> {
    // each photo is copied into its own buffer, which moves to the worker without a second copy
    return this.pool.run(photos.map((p) => ({ bytes: new Uint8Array(p.bytes), describe: p.describe ?? 1, live: p.live ?? true, maxFaces: p.maxFaces ?? 4 })));
  }

  async compare(input: { faceWithCard: Buffer; cardFront: Buffer }): Promise<FaceComparison> {
    // the photo with the card: the live face, the card's portrait and anyone else (3 largest faces);
    // the card front: its portrait only, without the liveness models
    const [photo, card] = await this.analyse([
      { bytes: input.faceWithCard, maxFaces: 3, live: true },
      { bytes: input.cardFront, maxFaces: 1, live: false },
    ]);
    const live = liveFace(photo!, this.rules);
    const portrait = cardFace(card!, this.rules);
    if (!live.descriptor || !portrait.descriptor) throw new FaceMatcherUnavailable('the face engine gave no descriptor');
    const score = similarity(live.descriptor, portrait.descriptor);
    return {
      score,
      threshold: this.threshold,
      matched: score >= this.threshold,
      model: MODEL,
      ...(live.real !== undefined && live.live !== undefined ? { liveness: { real: live.real, live: live.live, gate: false as const } } : {}),
      quality: qualityOf(photo!, live, portrait, this.rules),
    };
  }

  warm(): Promise<void> {
    return this.pool.warm();
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** 1 − the Euclidean distance between two dlib descriptors, kept within 0–1, to three decimals. */
export function similarity(a: number[], b: number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return Math.round(Math.max(0, Math.min(1, 1 - Math.sqrt(sum))) * 1000) / 1000;
}
