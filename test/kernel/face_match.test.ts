// The in-server face matcher on real photos (test/fixtures/faces): the same person scores above the
// configured threshold and someone else below it; unusable photos are refused with their reason and
// a message in both languages; a burst beyond the worker pool's bound is refused at once.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { BuiltinFaceMatcher, similarity } from '../../src/kernel/face_match/builtin.ts';
import { FaceMatcherBusy, FaceMatcherUnavailable, FaceQualityError, HttpFaceMatcher, type QualityReason } from '../../src/kernel/face_match/index.ts';
import { en, th } from '../../src/kernel/face_match/messages.ts';
import { loadConfig } from '../../src/idp/config.ts';
import { facePhoto } from '../helpers/faces.ts';

const threshold = loadConfig({ DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'mpid-face-')) }).faceMatchThreshold;
const matcher = new BuiltinFaceMatcher({ threshold });
after(() => matcher.close());

const withCard = facePhoto('p1_with_card');
const p1Card = facePhoto('p1_card_front');
const refused = (reason: QualityReason) => (err: unknown) => err instanceof FaceQualityError && err.reason === reason;

test('the same person (two different pictures) scores above the threshold, with model, liveness and quality', async () => {
  const r = await matcher.compare({ faceWithCard: withCard, cardFront: p1Card });
  assert.ok(r.score >= threshold, `p1 against his own card: ${r.score} ≥ ${threshold}`);
  assert.equal(r.matched, true);
  assert.equal(r.threshold, threshold);
  assert.match(r.model.name, /dlib/);
  assert.match(r.model.version, /^human-\d+\.\d+\.\d+\+face-api-\d+\.\d+\.\d+$/);
  assert.ok(r.liveness && r.liveness.gate === false && r.liveness.real >= 0 && r.liveness.real <= 1 && r.liveness.live >= 0 && r.liveness.live <= 1);
  assert.equal(r.quality?.facesInPhoto, 2, 'the live face and the small portrait of the held card');
  assert.ok(r.quality!.faceWidthPx > 200 && r.quality!.cardFaceWidthPx > 100);
});

test('a different person scores below the threshold', async () => {
  const r = await matcher.compare({ faceWithCard: withCard, cardFront: facePhoto('other_card_front') });
  assert.ok(r.score < threshold, `p1 against another person's card: ${r.score} < ${threshold}`);
  assert.equal(r.matched, false);
});

test('unusable photos are refused with their reason: no face, two people, no portrait on the card', async () => {
  await assert.rejects(matcher.compare({ faceWithCard: facePhoto('no_face'), cardFront: p1Card }), refused('no_face'));
  await assert.rejects(matcher.compare({ faceWithCard: facePhoto('two_people'), cardFront: p1Card }), refused('two_people'));
  await assert.rejects(matcher.compare({ faceWithCard: withCard, cardFront: facePhoto('no_face') }), refused('card_face_not_found'));
});

test('a dark photo and a blurred photo are flagged; a tiny face too', async () => {
  const dark = await sharp(withCard).linear(0.12, 0).jpeg().toBuffer();
  await assert.rejects(matcher.compare({ faceWithCard: dark, cardFront: p1Card }), refused('too_dark'));
  const blurred = await sharp(withCard).blur(5).jpeg().toBuffer();
  await assert.rejects(matcher.compare({ faceWithCard: blurred, cardFront: p1Card }), refused('blurred'));
  const small = await sharp({ create: { width: 1280, height: 960, channels: 3, background: '#5d6770' } })
    .composite([{ input: await sharp(withCard).resize(120).toBuffer(), left: 600, top: 400 }])
    .jpeg()
    .toBuffer();
  await assert.rejects(matcher.compare({ faceWithCard: small, cardFront: p1Card }), refused('face_too_small'));
});

test('every reason has a Thai and an English message', () => {
  for (const reason of ['no_face', 'two_people', 'face_too_small', 'too_dark', 'too_bright', 'blurred', 'pose', 'card_face_not_found', 'card_face_unclear'] as const) {
    assert.match(th[`face_${reason}`], /[\u0E00-\u0E7F]/, `${reason} in Thai`);
    assert.match(en[`face_${reason}`], /^[A-Z]/, `${reason} in English`);
  }
});

test('the pool is bounded: beyond workers + queue, a comparison is refused at once with "try again"', async () => {
  const small = new BuiltinFaceMatcher({ threshold, size: 1, queue: 1 });
  try {
    const burst = Array.from({ length: 4 }, () => small.compare({ faceWithCard: withCard, cardFront: p1Card }).then(() => 'done', (e: Error) => e));
    const results = await Promise.all(burst);
    assert.deepEqual(results.slice(0, 2), ['done', 'done'], 'one running and one waiting are served');
    assert.ok(results.slice(2).every((r) => r instanceof FaceMatcherBusy), 'the rest are told to try again');
    assert.equal(small.pool.load, 0);
  } finally {
    await small.close();
  }
  await assert.rejects(small.compare({ faceWithCard: withCard, cardFront: p1Card }), FaceMatcherUnavailable, 'a closed matcher fails closed');
});

test('similarity is 1 − Euclidean distance, within 0–1', () => {
  assert.equal(similarity([0, 0], [0, 0]), 1);
  assert.equal(similarity([0, 0], [0.3, 0.4]), 0.5);
  assert.equal(similarity([0, 0], [3, 4]), 0);
});

test('the HTTP matcher fails closed, and reports the threshold it was judged against', async () => {
  await assert.rejects(new HttpFaceMatcher({ url: 'http://127.0.0.1:9/none', timeoutMs: 300, threshold: 0.8 }).compare({ pid: '1', faceWithCard: withCard }), FaceMatcherUnavailable);
  const { createServer } = await import('node:http');
  const server = createServer((_req, res) => res.end(JSON.stringify({ score: 0.85, model: { name: 'vendor', version: '7' } })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as { port: number };
    const r = await new HttpFaceMatcher({ url: `http://127.0.0.1:${port}/`, threshold: 0.8 }).compare({ pid: '1', faceWithCard: withCard });
    assert.deepEqual({ score: r.score, threshold: r.threshold, matched: r.matched, model: r.model }, { score: 0.85, threshold: 0.8, matched: true, model: { name: 'vendor', version: '7' } });
  } finally {
    server.close();
  }
});

test("the folded descriptor network gives face-api's own dlib descriptors, one photo at a time or in a batch", async () => {
  const { loadEngine } = await import('../../src/kernel/face_match/engine.ts');
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const faceapi = require(path.join(path.dirname(require.resolve('@vladmandic/face-api')), 'face-api.node-wasm.js')) as { nets: { faceRecognitionNet: { computeFaceDescriptor(x: unknown): Promise<Float32Array> } } };
  const { tf, descriptor } = await loadEngine();
  // a real aligned face (the live face of the photo with the card) and an unlike one (noise)
  const [analysis] = await matcher.analyse([{ bytes: withCard, describe: 1, maxFaces: 1, live: false }]);
  const { data, info } = await sharp(withCard).resize(150, 150, { fit: 'cover' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.width, 150);
  const chips = [Float32Array.from(data), Float32Array.from({ length: 150 * 150 * 3 }, (_, i) => (i * 7919) % 256)];
  const ours = await descriptor.describe(chips);
  assert.equal(ours.length, 2);
  for (const [i, chip] of chips.entries()) {
    const input = tf.tensor4d(chip, [1, 150, 150, 3]);
    const theirs = await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(input);
    input.dispose();
    const diff = Math.max(...Array.from(theirs, (v, j) => Math.abs(v - ours[i]![j]!)));
    assert.ok(diff < 1e-4, `descriptor ${i} differs from face-api's by ${diff}`);
  }
  assert.ok(similarity(Array.from(ours[0]!), Array.from(ours[1]!)) < 0.5, 'two unlike pictures are far apart');
  assert.equal(analysis!.faces[0]!.descriptor!.length, 128);
});
