// The face-comparison test photos (test/fixtures/faces/README.md says where each comes from).
import { readFileSync } from 'node:fs';
import path from 'node:path';

export type FacePhoto = 'p1_with_card' | 'p1_card_front' | 'other_card_front' | 'two_people' | 'no_face';

export const facePhoto = (name: FacePhoto): Buffer => readFileSync(path.join(import.meta.dirname, '../fixtures/faces', `${name}.jpg`));
