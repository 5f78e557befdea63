// Makes the face-comparison test photos in test/fixtures/faces/ from pictures shipped in npm packages
// (see test/fixtures/faces/README.md for each one's origin and licence): node scripts/face-fixtures.ts
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import sharp from 'sharp';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'test/fixtures/faces');
const human = (f: string) => path.join(root, 'node_modules/@vladmandic/human/assets', f);
const faceapi = (f: string) => path.join(root, 'node_modules/@vladmandic/face-api/demo', f);
mkdirSync(out, { recursive: true });

/** An ID-card-sized front (85.6 × 54 mm at 7.5 px/mm) with a portrait where the Thai card has it. */
async function cardFront(portrait: Buffer): Promise<Buffer> {
  const face = await sharp(portrait).resize(160, 200, { fit: 'cover' }).toBuffer();
  const lines = Buffer.from(`<svg width="642" height="405"><rect x="30" y="60" width="340" height="14" fill="#7a8aa8"/><rect x="30" y="110" width="280" height="12" fill="#7a8aa8"/><rect x="30" y="150" width="300" height="12" fill="#7a8aa8"/><rect x="30" y="190" width="220" height="12" fill="#7a8aa8"/></svg>`);
  return sharp({ create: { width: 642, height: 405, channels: 3, background: '#dfe8f2' } })
    .composite([{ input: lines, left: 0, top: 0 }, { input: face, left: 450, top: 170 }])
    .jpeg({ quality: 85 })
    .toBuffer();
}

const crop = (file: string, left: number, top: number, width: number, height: number) => sharp(file).extract({ left, top, width, height }).toBuffer();

// p1 (the author of Human) in two different pictures: the webcam frame of the Face ID demo, and his
// close-up from group-4 in the face-detect demo; another person: the woman beside him in group-4.
const p1Webcam = await crop(human('screenshot-faceid.jpg'), 14, 137, 142, 142);
const p1Group = await crop(human('screenshot-facedetect.jpg'), 4, 330, 152, 160);
const other = await crop(human('screenshot-facedetect.jpg'), 466, 322, 155, 165);

const p1Card = await cardFront(p1Group);
await sharp(p1Card).toFile(path.join(out, 'p1_card_front.jpg'));
await sharp(await cardFront(other)).toFile(path.join(out, 'other_card_front.jpg'));

// the photo "holding the card": p1's webcam face, and a small card below it
const live = await sharp(p1Webcam).resize(300, 300).toBuffer();
const held = await sharp(p1Card).resize(190).toBuffer();
await sharp({ create: { width: 480, height: 600, channels: 3, background: '#5d6770' } })
  .composite([{ input: live, left: 90, top: 40 }, { input: held, left: 150, top: 400 }])
  .jpeg({ quality: 85 })
  .toFile(path.join(out, 'p1_with_card.jpg'));

// two people of the same size: the left two of face-api's sample1
await sharp(faceapi('sample1.jpg')).extract({ left: 250, top: 200, width: 980, height: 620 }).resize(640).jpeg({ quality: 80 }).toFile(path.join(out, 'two_people.jpg'));
// no face: the ceiling of Human's group photo
await sharp(human('samples.jpg')).extract({ left: 500, top: 200, width: 640, height: 360 }).jpeg({ quality: 80 }).toFile(path.join(out, 'no_face.jpg'));
console.log(`written to ${path.relative(root, out)}`);
