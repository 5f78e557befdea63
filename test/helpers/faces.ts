// The face-comparison test photos (test/fixtures/faces/README.md says where each comes from).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

export type FacePhoto = 'p1_with_card' | 'p1_card_front' | 'other_card_front' | 'two_people' | 'no_face';

export const facePhoto = (name: FacePhoto): Buffer => readFileSync(path.join(import.meta.dirname, '../fixtures/faces', `${name}.jpg`));

/** A chip-style portrait (base64 JPEG, as a card read carries it) cut from a mock card front: 160 × 200 with a margin. */
export async function chipPhotoOf(cardFront: 'p1_card_front' | 'other_card_front'): Promise<string> {
  const portrait = sharp(facePhoto(cardFront)).extract({ left: 450, top: 170, width: 160, height: 200 });
  return (await portrait.extend({ top: 40, bottom: 40, left: 40, right: 40, background: '#dfe8f2' }).jpeg({ quality: 80 }).toBuffer()).toString('base64');
}
