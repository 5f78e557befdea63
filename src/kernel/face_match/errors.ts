// What a face matcher can fail with: unavailable (the review goes on without a score), busy (the person
// is asked to try again shortly), or an unusable photo (the person is told why, before any review).
import type { QualityReason } from './quality.ts';

export class FaceMatcherUnavailable extends Error {
  override name = 'FaceMatcherUnavailable';
}

/** More comparisons are running and waiting than the configured bound: try again in a moment. */
export class FaceMatcherBusy extends Error {
  override name = 'FaceMatcherBusy';
  constructor() {
    super('face comparison is busy: try again shortly');
  }
}

/** A photo cannot be used for a face comparison; `reason` names a message in messages.ts. */
export class FaceQualityError extends Error {
  override name = 'FaceQualityError';
  readonly reason: QualityReason;
  constructor(reason: QualityReason) {
    super(`photo unusable for face comparison: ${reason}`);
    this.reason = reason;
  }
}
