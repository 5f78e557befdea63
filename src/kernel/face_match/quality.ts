// Quality rules applied before any score is given, on what the engine measured. The photo of the
// person holding the card shows two faces by design: the live face, and the card's small printed
// portrait. The rule: the largest face is the live face; any other face at least `secondFaceRatio`
// of its width is a second person ("two people"); smaller ones are the card's portrait (or faces far
// behind) and are ignored. The card-front photo's largest face is the card's portrait.
import type { AnalysedFace, Analysis } from './engine.ts';
import { FaceQualityError } from './errors.ts';

export type QualityReason = 'no_face' | 'two_people' | 'face_too_small' | 'too_dark' | 'too_bright' | 'blurred' | 'pose' | 'card_face_not_found' | 'card_face_unclear';

export interface QualityRules {
  /** detector confidence below which a detection is not counted as a face */
  minDetection: number;
  /** the live face's width in pixels (the photo analysed at most 1024 px on its longest side) */
  minFacePx: number;
  /** the card portrait's width in pixels */
  minCardFacePx: number;
  /** mean luma of the aligned face, 0–255 */
  minBrightness: number;
  maxBrightness: number;
  /** variance of the Laplacian of the aligned 150 px face */
  minSharpness: number;
  minCardSharpness: number;
  /** head turned or tilted further than this, in degrees */
  maxYaw: number;
  maxPitch: number;
  /** another face at least this fraction of the live face's width is a second person */
  secondFaceRatio: number;
}

export const DEFAULT_RULES: QualityRules = {
  minDetection: 0.6,
  minFacePx: 90,
  minCardFacePx: 45,
  minBrightness: 45,
  maxBrightness: 235,
  minSharpness: 12,
  minCardSharpness: 6,
  maxYaw: 35,
  maxPitch: 35,
  secondFaceRatio: 0.5,
};

export interface FaceQuality {
  /** faces counted in the photo with the card (live face and card portrait included) */
  facesInPhoto: number;
  faceWidthPx: number;
  cardFaceWidthPx: number;
  brightness: number;
  sharpness: number;
  pose: AnalysedFace['pose'];
}

const counted = (a: Analysis, rules: QualityRules) => a.faces.filter((f) => f.score >= rules.minDetection);

/** The live face of the photo with the card, or the reason the photo cannot be used. */
export function liveFace(a: Analysis, rules: QualityRules): AnalysedFace {
  const faces = counted(a, rules);
  const face = faces[0];
  if (!face) throw new FaceQualityError('no_face');
  if (faces.slice(1).some((f) => f.box[2] >= rules.secondFaceRatio * face.box[2])) throw new FaceQualityError('two_people');
  if (face.box[2] < rules.minFacePx) throw new FaceQualityError('face_too_small');
  if (face.brightness < rules.minBrightness) throw new FaceQualityError('too_dark');
  if (face.brightness > rules.maxBrightness) throw new FaceQualityError('too_bright');
  if (face.sharpness < rules.minSharpness) throw new FaceQualityError('blurred');
  if (Math.abs(face.pose.yaw) > rules.maxYaw || Math.abs(face.pose.pitch) > rules.maxPitch) throw new FaceQualityError('pose');
  return face;
}

/** The card's printed portrait in the card-front photo, or the reason it cannot be used. */
export function cardFace(a: Analysis, rules: QualityRules): AnalysedFace {
  const face = counted(a, rules)[0];
  if (!face) throw new FaceQualityError('card_face_not_found');
  if (face.box[2] < rules.minCardFacePx || face.brightness < rules.minBrightness || face.sharpness < rules.minCardSharpness) throw new FaceQualityError('card_face_unclear');
  return face;
}

export function qualityOf(photo: Analysis, live: AnalysedFace, card: AnalysedFace, rules: QualityRules): FaceQuality {
  return {
    facesInPhoto: counted(photo, rules).length,
    faceWidthPx: live.box[2],
    cardFaceWidthPx: card.box[2],
    brightness: live.brightness,
    sharpness: live.sharpness,
    pose: live.pose,
  };
}
