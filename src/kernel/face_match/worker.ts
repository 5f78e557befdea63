// The face engine's worker thread: loads the models once, then analyses the photos it is sent, one
// task at a time, so model inference never runs on the server's event loop.
import { parentPort } from 'node:worker_threads';
import { analyseAll, loadEngine, type AnalyseOptions } from './engine.ts';

export interface Task {
  id: number;
  /** each photo, and how many of its largest faces need a descriptor */
  images: Array<{ bytes: Uint8Array } & AnalyseOptions>;
}

const port = parentPort!;
const started = performance.now();
loadEngine().then(
  () => port.postMessage({ ready: Math.round(performance.now() - started) }),
  (err: Error) => port.postMessage({ failed: err.message }),
);
port.on('message', async (task: Task) => {
  try {
    port.postMessage({ id: task.id, analyses: await analyseAll(task.images) });
  } catch (err) {
    port.postMessage({ id: task.id, error: (err as Error).message });
  }
});
