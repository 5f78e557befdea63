// The face matcher's configuration, declared once and read by both services (the same FACE_MATCH_*
// variables), and the matcher it names: the in-server engine, an external HTTP service, or none.
import { ConfigError, decimal, int, oneOf, text, url } from '../config.ts';
import { BuiltinFaceMatcher } from './builtin.ts';
import { HttpFaceMatcher, type FaceMatcher } from './index.ts';

export const faceMatchVars = {
  FACE_MATCHER: {
    doc: 'who compares faces: `builtin` (in this server, from npm-shipped models; see Face comparison), `http` (the service at `FACE_MATCH_URL`) or `none`',
    shownDefault: '`http` when `FACE_MATCH_URL` is set, else `builtin`',
    parse: oneOf(['builtin', 'http', 'none']),
  },
  FACE_MATCH_URL: { doc: 'the external face-verification service (`FACE_MATCHER=http`)', parse: url },
  FACE_MATCH_USERNAME: { doc: "the face-verification service's user name", parse: text },
  FACE_MATCH_SECRET: { doc: "the face-verification service's secret", parse: text, secret: true },
  FACE_MATCH_THRESHOLD: {
    doc: 'the lowest automated face score (0–1) a verifier may confirm as a match; the builtin one is calibrated in docs/face-comparison.md, an HTTP service needs its own',
    shownDefault: '`0.47` (builtin), `0.9` (http)',
    parse: decimal(0, 1),
  },
  FACE_MATCH_WORKERS: { doc: 'builtin matcher: worker threads comparing faces at once (each uses one core and about 350 MiB, started on the first comparison)', default: 1, parse: int(1, 64) },
  FACE_MATCH_QUEUE: { doc: 'builtin matcher: comparisons that may wait for a worker; beyond it an upload is asked to try again', default: 4, parse: int(0, 1000) },
  FACE_MATCH_MIN_FACE_PX: { doc: 'builtin matcher: the smallest live face, in pixels wide (photos analysed at 1024 px at most)', default: 90, parse: int(20, 1000) },
  FACE_MATCH_MIN_BRIGHTNESS: { doc: "builtin matcher: the darkest usable face (its mean luma, 0–255)", default: 45, parse: int(0, 255) },
  FACE_MATCH_MIN_SHARPNESS: { doc: 'builtin matcher: the least sharp usable face (variance of the Laplacian of the aligned face)', default: 12, parse: decimal(0, 10000) },
} as const;

/** The builtin matcher's threshold, from the calibration in docs/face-comparison.md. */
export const BUILTIN_FACE_THRESHOLD = 0.47;

interface FaceMatchEnv {
  FACE_MATCHER?: 'builtin' | 'http' | 'none';
  FACE_MATCH_URL?: string;
  FACE_MATCH_USERNAME?: string;
  FACE_MATCH_SECRET?: string;
  FACE_MATCH_THRESHOLD?: number;
  FACE_MATCH_WORKERS: number;
  FACE_MATCH_QUEUE: number;
  FACE_MATCH_MIN_FACE_PX: number;
  FACE_MATCH_MIN_BRIGHTNESS: number;
  FACE_MATCH_MIN_SHARPNESS: number;
}

const kindOf = (e: FaceMatchEnv) => e.FACE_MATCHER ?? (e.FACE_MATCH_URL ? 'http' : 'builtin');

/** An HTTP service's scores are on its own scale: it keeps the former default unless one is set. */
export function faceMatchThreshold(e: FaceMatchEnv): number {
  return e.FACE_MATCH_THRESHOLD ?? (kindOf(e) === 'http' ? 0.9 : BUILTIN_FACE_THRESHOLD);
}

export type FaceMatchSettings = ReturnType<typeof faceMatchSettings>;

export function faceMatchSettings(e: FaceMatchEnv) {
  const kind = kindOf(e);
  if (kind === 'none') return undefined;
  if (kind === 'http') {
    if (!e.FACE_MATCH_URL) throw new ConfigError('FACE_MATCHER=http needs FACE_MATCH_URL');
    return { kind, url: e.FACE_MATCH_URL, username: e.FACE_MATCH_USERNAME, secret: e.FACE_MATCH_SECRET, threshold: faceMatchThreshold(e) } as const;
  }
  return {
    kind,
    threshold: faceMatchThreshold(e),
    size: e.FACE_MATCH_WORKERS,
    queue: e.FACE_MATCH_QUEUE,
    rules: { minFacePx: e.FACE_MATCH_MIN_FACE_PX, minBrightness: e.FACE_MATCH_MIN_BRIGHTNESS, minSharpness: e.FACE_MATCH_MIN_SHARPNESS },
  } as const;
}

/** The matcher the settings name (the builtin one starts its workers on the first comparison). */
export function createFaceMatcher(s: FaceMatchSettings): FaceMatcher | undefined {
  return s?.kind === 'http' ? new HttpFaceMatcher(s) : s?.kind === 'builtin' ? new BuiltinFaceMatcher(s) : undefined;
}
