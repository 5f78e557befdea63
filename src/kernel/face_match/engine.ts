// The in-server face engine (runs inside a worker thread, see pool.ts): decodes a photo with sharp
// (EXIF orientation applied, sRGB, 3 channels), finds faces and their 468-point mesh with Human's
// BlazeFace + FaceMesh (Google MediaPipe models, Apache-2.0), aligns each face by a 5-point similarity
// transform onto dlib's 150×150 face-chip template, and computes dlib's 128-D ResNet descriptor
// (public domain; its weights loaded by @vladmandic/face-api, run by descriptor.ts) — compared by Euclidean distance. Human's
// anti-spoofing and liveness models give passive presentation-attack scores (recorded, not a gate).
// Everything loads from node_modules; nothing is fetched. See docs/face-comparison.md.
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { dlibDescriptor, type DlibDescriptor, type DlibParams } from './descriptor.ts';

const require = createRequire(import.meta.url);
/** A package's folder (found from its entry point: some export maps hide package.json). */
function pkgDir(name: string): string {
  for (let dir = path.dirname(require.resolve(name)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === name) return dir;
  }
  throw new Error(`package ${name} not found`);
}

export const MODEL = {
  name: 'mpid-face: blazeface+facemesh (mediapipe) → dlib_face_recognition_resnet_model_v1',
  version: `human-${readVersion('@vladmandic/human')}+face-api-${readVersion('@vladmandic/face-api')}`,
};
function readVersion(name: string): string {
  return (JSON.parse(readFileSync(path.join(pkgDir(name), 'package.json'), 'utf8')) as { version: string }).version;
}

/** Longest side a photo is analysed at: faces stay large enough, detection stays fast, memory stays low. */
export const ANALYSE_SIDE = 1024;
export const CHIP = 150;
/**
 * dlib's mean-face template (its get_face_chip_details with padding 0.25, 150 px), at the five points
 * we take from the mesh: the eye centres, the nose tip and the mouth corners, in image order (the
 * face's right eye first, as seen in the image's left half).
 */
const TEMPLATE: ReadonlyArray<readonly [number, number]> = [
  [47.55, 46.6],
  [100.46, 46.6],
  [74.01, 76.56],
  [50.41, 103.02],
  [97.61, 103.02],
];
/** FaceMesh indices: the eyes' corners, the nose tip, the mouth corners. */
const MESH = { eyeA: [33, 133], eyeB: [362, 263], nose: 1, mouthA: 61, mouthB: 291 } as const;

export interface AnalysedFace {
  /** x, y, width, height in the analysed image's pixels */
  box: [number, number, number, number];
  /** detector confidence, 0–1 */
  score: number;
  /** head pose in degrees */
  pose: { yaw: number; pitch: number; roll: number };
  /** Human's anti-spoofing (real) and liveness (live) scores, 0–1 */
  real?: number;
  live?: number;
  /** mean luma of the aligned face, 0–255 */
  brightness: number;
  /** variance of the Laplacian of the aligned face's luma: low means blurred */
  sharpness: number;
  /** dlib's 128-D descriptor of the aligned face (only for the faces asked for) */
  descriptor?: number[];
}

export interface Analysis {
  width: number;
  height: number;
  /** largest first */
  faces: AnalysedFace[];
  ms: number;
}

type Tf = typeof import('@tensorflow/tfjs-core');
interface GraphModel {
  inputs: Array<{ shape?: number[] }>;
  execute(input: unknown): { data(): Promise<ArrayLike<number>>; dispose(): void };
}
interface Engine {
  tf: Tf;
  human: { detect(input: unknown, config?: unknown): Promise<{ face: HumanFace[] }>; models: { models: Record<string, GraphModel | null> } };
  /** dlib's descriptor network on face-api's weights (descriptor.ts) */
  descriptor: DlibDescriptor;
}
interface HumanFace {
  box: [number, number, number, number];
  score: number;
  mesh: Array<[number, number, number?]>;
  real?: number;
  live?: number;
  rotation?: { angle: { roll: number; yaw: number; pitch: number } };
  /** the face's crop, when the detector is asked to return it */
  tensor?: { dispose(): void };
}

let engine: Promise<Engine> | undefined;

/** Loads the models once (about half a second); later calls reuse them. */
export function loadEngine(): Promise<Engine> {
  engine ??= load();
  return engine;
}

async function load(): Promise<Engine> {
  const tf = require('@tensorflow/tfjs-core') as Tf;
  const wasm = require('@tensorflow/tfjs-backend-wasm') as { setWasmPaths(p: string): void };
  const wasmDir = path.join(pkgDir('@tensorflow/tfjs-backend-wasm'), 'dist') + path.sep;
  wasm.setWasmPaths(wasmDir);
  // Human names its models by file:// URLs, which only tfjs-node can read: this reads them from disk
  const router = (url: string | string[]) => (typeof url === 'string' && url.startsWith('file://') ? { load: async () => readGraphModel(url.slice(7)) } : null);
  tf.io.registerLoadRouter(router as unknown as Parameters<Tf['io']['registerLoadRouter']>[0]);
  // Human's exports map has no "./dist/…" keys, so its node-wasm build is loaded by file path
  const { Human } = require(path.join(pkgDir('@vladmandic/human'), 'dist/human.node-wasm.js')) as { Human: new (config: unknown) => Engine['human'] & { load(): Promise<void> } };
  // loaded with the liveness models (the constructor's settings); each photo's settings then leave them
  // out of Human's own pass, and livenessOf runs them on the live face alone
  const faceapi = require(path.join(pkgDir('@vladmandic/face-api'), 'dist/face-api.node-wasm.js')) as { nets: { faceRecognitionNet: { params?: DlibParams; loadFromDisk(dir: string): Promise<void> } } };
  const human = new Human({
    backend: 'wasm',
    wasmPath: wasmDir,
    modelBasePath: `file://${path.join(pkgDir('@vladmandic/human'), 'models')}${path.sep}`,
    warmup: 'none',
    cacheSensitivity: 0,
    skipAllowed: false,
    debug: false,
    face: faceConfig({ live: false, maxFaces: 4, loadModels: true }),
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    gesture: { enabled: false },
    segmentation: { enabled: false },
    filter: { enabled: false },
  });
  await human.load();
  const recognition = faceapi.nets.faceRecognitionNet;
  await recognition.loadFromDisk(path.join(pkgDir('@vladmandic/face-api'), 'model'));
  if (!recognition.params) throw new Error('the dlib face descriptor model did not load');
  return { tf, human, descriptor: dlibDescriptor(tf, recognition.params) };
}

/**
 * Human's face settings for one photo. They are passed whole with every photo, since Human keeps what
 * it is given: the photo with the card needs its few largest faces (the live face, the card's portrait,
 * anyone else) and their crops for the liveness models; the card front only its portrait. Human would
 * run the liveness models on every face it keeps (the held card's portrait too): `livenessOf` runs them
 * on the largest face only, from its crop. The constructor's `loadModels` loads them.
 */
function faceConfig(o: { live: boolean; maxFaces: number; loadModels?: boolean }) {
  return {
    enabled: true,
    detector: { rotation: false, maxDetected: o.maxFaces, minConfidence: 0.5, return: o.live },
    mesh: { enabled: true },
    iris: { enabled: false },
    description: { enabled: false },
    emotion: { enabled: false },
    antispoof: { enabled: !!o.loadModels },
    liveness: { enabled: !!o.loadModels },
    attention: { enabled: false },
    gear: { enabled: false },
  };
}

function readGraphModel(file: string) {
  const json = JSON.parse(readFileSync(file, 'utf8')) as { modelTopology: unknown; format?: string; generatedBy?: string; convertedBy?: string; signature?: unknown; userDefinedMetadata?: Record<string, unknown>; weightsManifest: Array<{ paths: string[]; weights: unknown[] }> };
  const data = Buffer.concat(json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(path.join(path.dirname(file), p)))));
  return {
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength),
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    signature: json.signature,
    userDefinedMetadata: json.userDefinedMetadata,
  };
}

export interface AnalyseOptions {
  /** how many of the largest faces get a descriptor */
  describe: number;
  /** run the passive liveness models (the photo with the card: yes; the card front: no) */
  live: boolean;
  /** faces looked for, at most */
  maxFaces: number;
}

/**
 * Decodes, detects and measures the faces of each photo; descriptors for each photo's `describe`
 * largest, computed together in one batch (one pass of the network for all of them).
 */
export async function analyseAll(images: Array<{ bytes: Uint8Array } & AnalyseOptions>): Promise<Analysis[]> {
  const { descriptor } = await loadEngine();
  const found = [];
  for (const image of images) found.push(await detectFaces(image.bytes, image));
  const chips = found.flatMap((f) => f.chips);
  const descriptors = await descriptor.describe(chips.map((c) => c.chip));
  chips.forEach((c, i) => (c.face.descriptor = Array.from(descriptors[i]!)));
  return found.map((f) => ({ ...f.analysis, ms: Math.round(performance.now() - f.started) }));
}

/** One photo: decoded, its faces found and measured, the chips of those to describe set aside. */
async function detectFaces(image: Uint8Array, o: AnalyseOptions) {
  const started = performance.now();
  const { tf, human } = await loadEngine();
  const { data, info } = await sharp(image, { limitInputPixels: 40_000_000 })
    .rotate()
    .resize({ width: ANALYSE_SIDE, height: ANALYSE_SIDE, fit: 'inside', withoutEnlargement: true })
    .toColourspace('srgb')
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const input = tf.tensor4d(Float32Array.from(data), [1, height, width, 3], 'float32');
  let found: HumanFace[];
  try {
    found = (await human.detect(input, { face: faceConfig(o) })).face;
  } finally {
    input.dispose();
  }
  found.sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3]);
  try {
    if (o.live && found[0]?.tensor) Object.assign(found[0], await livenessOf(tf, human, found[0].tensor));
  } finally {
    for (const f of found) f.tensor?.dispose();
  }
  const faces: AnalysedFace[] = [];
  const chips: Array<{ face: AnalysedFace; chip: Float32Array }> = [];
  for (const [i, f] of found.entries()) {
    const chip = alignChip(data, width, height, f.mesh);
    const { brightness, sharpness } = chipQuality(chip);
    const face: AnalysedFace = {
      box: f.box.map((v) => Math.round(v)) as AnalysedFace['box'],
      score: round(f.score),
      pose: { yaw: deg(f.rotation?.angle.yaw), pitch: deg(f.rotation?.angle.pitch), roll: deg(f.rotation?.angle.roll) },
      ...(f.real !== undefined ? { real: round(f.real) } : {}),
      ...(f.live !== undefined ? { live: round(f.live) } : {}),
      brightness: Math.round(brightness),
      sharpness: Math.round(sharpness),
    };
    if (i < o.describe) chips.push({ face, chip });
    faces.push(face);
  }
  return { started, chips, analysis: { width, height, faces } };
}

/** Human's anti-spoofing and liveness models on one face's crop, as Human runs them (resized to each model's input). */
async function livenessOf(tf: Tf, human: Engine['human'], crop: unknown): Promise<{ real?: number; live?: number }> {
  const score = async (name: string) => {
    const model = human.models.models[name];
    const shape = model?.inputs[0]?.shape;
    if (!model || !shape) return undefined;
    // the returned crop is one image [h, w, 3]; the models take a batch of one
    const image = crop as Parameters<Tf['image']['resizeBilinear']>[0];
    const resized = tf.image.resizeBilinear(image, [shape[2]!, shape[1]!], false);
    const batch = resized.rank === 3 ? tf.expandDims(resized, 0) : resized;
    const out = model.execute(batch);
    try {
      return (await out.data())[0];
    } finally {
      tf.dispose([resized, batch, out as never]);
    }
  };
  return { real: await score('antispoof'), live: await score('liveness') };
}

const round = (v: number) => Math.round(v * 1000) / 1000;
const deg = (rad: number | undefined) => Math.round(((rad ?? 0) * 180) / Math.PI);

/** The five alignment points from the mesh, in image order. */
function fivePoints(mesh: HumanFace['mesh']): Array<[number, number]> {
  const p = (i: number): [number, number] => [mesh[i]![0], mesh[i]![1]];
  const mid = ([a, b]: readonly [number, number]): [number, number] => [(mesh[a]![0] + mesh[b]![0]) / 2, (mesh[a]![1] + mesh[b]![1]) / 2];
  return [mid(MESH.eyeA), mid(MESH.eyeB), p(MESH.nose), p(MESH.mouthA), p(MESH.mouthB)];
}

/**
 * Least-squares similarity transform (rotation, uniform scale, shift) of the five points onto the
 * template, then a bilinear warp into a 150×150 RGB chip (float 0–255). Outside the photo is black.
 */
export function alignChip(rgb: Uint8Array, width: number, height: number, mesh: HumanFace['mesh']): Float32Array {
  const src = fivePoints(mesh);
  const n = src.length;
  let sx = 0, sy = 0, dx = 0, dy = 0;
  for (let i = 0; i < n; i++) {
    sx += src[i]![0]; sy += src[i]![1];
    dx += TEMPLATE[i]![0]; dy += TEMPLATE[i]![1];
  }
  sx /= n; sy /= n; dx /= n; dy /= n;
  let a = 0, b = 0, norm = 0;
  for (let i = 0; i < n; i++) {
    const px = src[i]![0] - sx, py = src[i]![1] - sy;
    const qx = TEMPLATE[i]![0] - dx, qy = TEMPLATE[i]![1] - dy;
    a += px * qx + py * qy;
    b += px * qy - py * qx;
    norm += px * px + py * py;
  }
  // template = s·R·(image − mean) + mean'; each chip pixel is read back through the inverse
  const scale = Math.hypot(a, b) / (norm || 1);
  const theta = Math.atan2(b, a);
  const c = Math.cos(theta) / scale;
  const s = Math.sin(theta) / scale;
  const out = new Float32Array(CHIP * CHIP * 3);
  const at = (x: number, y: number, ch: number) => (x < 0 || y < 0 || x >= width || y >= height ? 0 : rgb[(y * width + x) * 3 + ch]!);
  for (let v = 0; v < CHIP; v++) {
    for (let u = 0; u < CHIP; u++) {
      const qx = u - dx, qy = v - dy;
      const x = c * qx + s * qy + sx;
      const y = -s * qx + c * qy + sy;
      const x0 = Math.floor(x), y0 = Math.floor(y);
      const fx = x - x0, fy = y - y0;
      for (let ch = 0; ch < 3; ch++) {
        const top = at(x0, y0, ch) * (1 - fx) + at(x0 + 1, y0, ch) * fx;
        const bottom = at(x0, y0 + 1, ch) * (1 - fx) + at(x0 + 1, y0 + 1, ch) * fx;
        out[(v * CHIP + u) * 3 + ch] = top * (1 - fy) + bottom * fy;
      }
    }
  }
  return out;
}

/** Brightness and sharpness of the aligned face's centre (eyes to mouth, away from hair and background). */
export function chipQuality(chip: Float32Array): { brightness: number; sharpness: number } {
  const luma = (u: number, v: number) => {
    const i = (v * CHIP + u) * 3;
    return 0.299 * chip[i]! + 0.587 * chip[i + 1]! + 0.114 * chip[i + 2]!;
  };
  let sum = 0, count = 0, lap = 0, lap2 = 0;
  for (let v = 35; v < 115; v++) {
    for (let u = 35; u < 115; u++) {
      const y = luma(u, v);
      sum += y;
      const l = 4 * y - luma(u - 1, v) - luma(u + 1, v) - luma(u, v - 1) - luma(u, v + 1);
      lap += l;
      lap2 += l * l;
      count++;
    }
  }
  const mean = lap / count;
  return { brightness: sum / count, sharpness: lap2 / count - mean * mean };
}
