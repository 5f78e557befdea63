// Calibration of the builtin face matcher's threshold: scores labelled same-person and different-person
// pairs of faces found in pictures shipped in npm packages (@vladmandic/human assets, @vladmandic/face-api
// demo samples; see docs/face-comparison.md for their origin, licence, and how small this set is) and
// prints FAR/FRR by threshold as a Markdown table.   node bench/face_calibrate.ts
//
// Labels. Same person: "p1" (Human's author, the only identity confirmed in several different pictures)
// across his three pictures and their ID-chip-style copies (297×356 JPEG of about 5 KB). Also, as an
// optimistic check apart, each face against a chip-style copy of itself. Different people: every pair of
// faces within one group photo (certainly different people), and p1 against everyone else.
import path from 'node:path';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { BuiltinFaceMatcher, similarity } from '../src/kernel/face_match/builtin.ts';
import type { AnalysedFace } from '../src/kernel/face_match/engine.ts';

const root = path.resolve(import.meta.dirname, '..');
const human = (f: string) => path.join(root, 'node_modules/@vladmandic/human/assets', f);
const faceapi = (f: string) => path.join(root, 'node_modules/@vladmandic/face-api/demo', f);
const matcher = new BuiltinFaceMatcher({ threshold: 0.5, timeoutMs: 120_000 });

interface Face {
  id: string;
  person: string;
  photo: string;
  chip: boolean;
  descriptor: number[];
}

/** A face as an ID-card chip holds it: 297×356 portrait, about 5 KB of JPEG. */
async function chipOf(bytes: Buffer, box: AnalysedFace['box'], width: number): Promise<Buffer> {
  const meta = await sharp(bytes).metadata();
  const k = (meta.width ?? width) / width;
  const [x, y, w, h] = box.map((v) => v * k) as [number, number, number, number];
  const cw = w * 1.35, ch = cw * (356 / 297);
  const left = Math.max(0, Math.round(x + w / 2 - cw / 2)), top = Math.max(0, Math.round(y + h / 2 - ch * 0.45));
  const region = { left, top, width: Math.min(Math.round(cw), (meta.width ?? 0) - left), height: Math.min(Math.round(ch), (meta.height ?? 0) - top) };
  const portrait = await sharp(bytes).rotate().extract(region).resize(297, 356, { fit: 'cover' }).jpeg({ quality: 30 }).toBuffer();
  // padded so the detector sees context around the portrait, as on the card-front photo
  return sharp({ create: { width: 640, height: 480, channels: 3, background: '#dfe8f2' } }).composite([{ input: portrait, left: 300, top: 62 }]).jpeg({ quality: 90 }).toBuffer();
}

const photos: Array<{ photo: string; file: string; p1?: 'largest' | { x: number } }> = [
  { photo: 'human faceid', file: human('screenshot-faceid.jpg'), p1: 'largest' },
  { photo: 'human facedetect (group-4)', file: human('screenshot-facedetect.jpg'), p1: { x: 15 } },
  { photo: 'human facematch (selected face)', file: human('screenshot-facematch.jpg'), p1: 'largest' },
  ...[1, 2, 3, 4, 5, 6].map((n) => ({ photo: `face-api sample${n}`, file: faceapi(`sample${n}.jpg`) })),
];

const faces: Face[] = [];
let skippedSmall = 0;
for (const p of photos) {
  const bytes = readFileSync(p.file);
  const [a] = await matcher.analyse([{ bytes, describe: 4, maxFaces: 4 }]);
  for (const [i, f] of a!.faces.entries()) {
    if (!f.descriptor || f.score < 0.6) continue;
    if (f.box[2] < 90) {
      skippedSmall++;
      continue;
    }
    // p1 in the facematch screenshot is only the "selected face"; its grid of other faces is unlabelled
    if (p.photo.includes('facematch') && (f.box[0] > 20 || f.box[1] > 20)) continue;
    const isP1 = p.p1 === 'largest' ? i === 0 : p.p1 ? Math.abs(f.box[0] - p.p1.x) < 20 : false;
    const person = isP1 ? 'p1' : `${p.photo}#${i}`;
    faces.push({ id: `${p.photo}#${i}`, person, photo: p.photo, chip: false, descriptor: f.descriptor });
    const [c] = await matcher.analyse([{ bytes: await chipOf(bytes, f.box, a!.width) }]);
    const cf = c!.faces[0];
    // the chip copy counts only when its face is the portrait itself (not a neighbour caught in the crop)
    if (cf?.descriptor && cf.box[2] > 150) faces.push({ id: `${p.photo}#${i} chip`, person, photo: p.photo, chip: true, descriptor: cf.descriptor });
  }
}
await matcher.close();

const genuineCross: number[] = [];
const genuineSame: number[] = [];
const impostor: number[] = [];
for (let i = 0; i < faces.length; i++) {
  for (let j = i + 1; j < faces.length; j++) {
    const a = faces[i]!, b = faces[j]!;
    const s = similarity(a.descriptor, b.descriptor);
    if (a.person === b.person) (a.photo === b.photo ? genuineSame : genuineCross).push(s);
    else if (a.photo === b.photo || a.person === 'p1' || b.person === 'p1') impostor.push(s);
  }
}

const rate = (xs: number[], pass: (x: number) => boolean) => (xs.length ? `${((100 * xs.filter(pass).length) / xs.length).toFixed(1)} %` : '–');
const people = new Set(faces.map((f) => f.person)).size;
console.log(`faces: ${faces.filter((f) => !f.chip).length} originals + ${faces.filter((f) => f.chip).length} chip-style copies, ${people} people; ${skippedSmall} faces under 90 px left out`);
console.log(`pairs: ${genuineCross.length} same person across pictures (p1), ${genuineSame.length} same person same picture (face vs its chip copy), ${impostor.length} different people`);
const stat = (xs: number[]) => (xs.length ? `min ${Math.min(...xs).toFixed(3)}, median ${[...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(3)}, max ${Math.max(...xs).toFixed(3)}` : '–');
console.log(`scores: same person across pictures ${stat(genuineCross)}; same picture ${stat(genuineSame)}; different people ${stat(impostor)}\n`);
console.log('| threshold | FAR (different people accepted) | FRR across pictures (p1) | FRR same picture → chip |');
console.log('|---|---|---|---|');
const chosen = Number(process.env.FACE_MATCH_THRESHOLD ?? 0.47);
const steps = [...Array.from({ length: 13 }, (_, i) => Math.round((0.3 + i * 0.025) * 1000) / 1000), chosen].sort((a, b) => a - b);
const row = (t: number) => `| ${t === chosen ? `**${t.toFixed(3)}** (chosen)` : t.toFixed(3)} | ${rate(impostor, (x) => x >= t)} | ${rate(genuineCross, (x) => x < t)} | ${rate(genuineSame, (x) => x < t)} |`;
for (const t of new Set(steps)) console.log(row(t));
