// npm run bench (part 5): the builtin face matcher. Model load time (a worker thread's start to its
// models loaded), one comparison's latency with the models loaded (both photos decoded, faces found,
// aligned, described and compared, on one worker = one core), comparisons per second per core, peak
// added memory (the process's RSS over its baseline), and the event loop's delay while comparing (the
// work is off the loop, so logins are not held up). BENCH_FACE_RUNS sets the number of comparisons.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import sharp from 'sharp';
import { BuiltinFaceMatcher } from '../src/kernel/face_match/builtin.ts';
import { facePhoto } from '../test/helpers/faces.ts';

const runs = Number(process.env.BENCH_FACE_RUNS ?? 40);
const mib = (b: number) => Math.round(b / 2 ** 20);
const baseline = process.memoryUsage().rss;
let peak = baseline;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);

const matcher = new BuiltinFaceMatcher({ threshold: 0.47, size: 1, queue: 0 });
const t0 = performance.now();
await matcher.warm();
const loadWall = performance.now() - t0;

const card = facePhoto('p1_card_front');
const photos = {
  'photo with card 480×600 vs card front 642×405': facePhoto('p1_with_card'),
  // a phone upload as stored (1600 px on its longest side)
  'photo with card 1280×1600 vs card front 642×405': await sharp(facePhoto('p1_with_card')).resize(1280, 1600).jpeg({ quality: 85 }).toBuffer(),
};

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
console.log(`face comparison (builtin: Human BlazeFace+FaceMesh → dlib ResNet), one worker thread, ${runs} comparisons each`);
console.log(`  model load: ${matcher.pool.loadMs} ms in the worker, ${Math.round(loadWall)} ms from the worker's start`);
const first = performance.now();
await matcher.compare({ faceWithCard: photos['photo with card 480×600 vs card front 642×405'], cardFront: card });
console.log(`  first comparison after load: ${Math.round(performance.now() - first)} ms`);
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
for (const [what, photo] of Object.entries(photos)) {
  const ms: number[] = [];
  const cpu0 = process.cpuUsage();
  const w0 = performance.now();
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await matcher.compare({ faceWithCard: photo, cardFront: card });
    ms.push(performance.now() - s);
  }
  const wall = (performance.now() - w0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cores = (cpu.user + cpu.system) / 1e6 / wall;
  console.log(`  ${what}: p50 ${Math.round(pct(ms, 50))} ms, p99 ${Math.round(pct(ms, 99))} ms, ${(runs / wall).toFixed(2)} comparisons/s on ${cores.toFixed(2)} cores busy → ${(runs / wall / cores).toFixed(2)} per core-second`);
}
loop.disable();
clearInterval(sampler);
console.log(`  event loop delay while comparing: p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(1)} ms`);
console.log(`  memory: baseline RSS ${mib(baseline)} MiB, peak ${mib(peak)} MiB, added ${mib(peak - baseline)} MiB`);
await matcher.close();
