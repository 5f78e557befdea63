// A bounded pool of face-engine workers: `size` workers (each one core at most), and at most `queue`
// tasks waiting. A burst of uploads beyond that is refused at once with FaceMatcherBusy ("try again")
// rather than queued, so face comparisons can never pile up and starve logins. Workers start on the
// first task (a server that never compares a face never loads the models) and are replaced when one
// fails or overruns its time.
import { Worker } from 'node:worker_threads';
import type { Analysis } from './engine.ts';
import type { Task } from './worker.ts';
import { FaceMatcherBusy, FaceMatcherUnavailable } from './errors.ts';

interface Pending {
  task: Task;
  resolve(a: Analysis[]): void;
  reject(e: Error): void;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  busy?: { pending: Pending; timer: NodeJS.Timeout };
  loadMs?: number;
}

export interface PoolOptions {
  size: number;
  queue: number;
  /** one task's limit, model load included */
  timeoutMs: number;
}

export class FaceWorkerPool {
  readonly options: PoolOptions;
  #slots: Slot[] = [];
  #waiting: Pending[] = [];
  #nextId = 1;
  #closed = false;

  constructor(options: PoolOptions) {
    this.options = options;
  }

  /** Tasks running or waiting now. */
  get load(): number {
    return this.#waiting.length + this.#slots.filter((s) => s.busy).length;
  }

  /** Model load time of the first worker, once it is known. */
  get loadMs(): number | undefined {
    return this.#slots.find((s) => s.loadMs !== undefined)?.loadMs;
  }

  run(images: Task['images']): Promise<Analysis[]> {
    if (this.#closed) return Promise.reject(new FaceMatcherUnavailable('the face engine is shut down'));
    if (this.load >= this.options.size + this.options.queue) return Promise.reject(new FaceMatcherBusy());
    return new Promise((resolve, reject) => {
      this.#waiting.push({ task: { id: this.#nextId++, images }, resolve, reject });
      this.#pump();
    });
  }

  /** Starts the workers now (at start-up, or before a benchmark) instead of on the first task. */
  async warm(): Promise<void> {
    while (this.#slots.length < this.options.size) this.#slots.push(this.#spawn());
    await Promise.all(this.#slots.map((s) => s.ready));
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const p of this.#waiting.splice(0)) p.reject(new FaceMatcherUnavailable('the face engine is shut down'));
    await Promise.all(this.#slots.splice(0).map((s) => s.worker.terminate()));
  }

  #pump() {
    while (this.#waiting.length) {
      let slot = this.#slots.find((s) => !s.busy);
      if (!slot && this.#slots.length < this.options.size) {
        slot = this.#spawn();
        this.#slots.push(slot);
      }
      if (!slot) return;
      const pending = this.#waiting.shift()!;
      const timer = setTimeout(() => this.#fail(slot!, new FaceMatcherUnavailable('the face comparison took too long')), this.options.timeoutMs);
      slot.busy = { pending, timer };
      const s = slot;
      slot.ready.then(
        () => s.busy?.pending === pending && s.worker.postMessage(pending.task, pending.task.images.map((i) => i.bytes.buffer as ArrayBuffer)),
        () => undefined,
      );
    }
  }

  #spawn(): Slot {
    const worker = new Worker(new URL('./worker.ts', import.meta.url));
    worker.unref();
    let markReady!: () => void;
    let markFailed!: (e: Error) => void;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      markFailed = reject;
    });
    ready.catch(() => undefined);
    const slot: Slot = { worker, ready };
    worker.on('message', (m: { ready?: number; failed?: string; id?: number; analyses?: Analysis[]; error?: string }) => {
      if (m.ready !== undefined) {
        slot.loadMs = m.ready;
        return markReady();
      }
      if (m.failed !== undefined) return this.#fail(slot, new FaceMatcherUnavailable(`the face models could not be loaded: ${m.failed}`), markFailed);
      const busy = slot.busy;
      if (!busy || busy.pending.task.id !== m.id) return;
      clearTimeout(busy.timer);
      slot.busy = undefined;
      if (m.error !== undefined) busy.pending.reject(new FaceMatcherUnavailable(`the face engine failed: ${m.error}`));
      else busy.pending.resolve(m.analyses!);
      this.#pump();
    });
    worker.on('error', (err: Error) => this.#fail(slot, new FaceMatcherUnavailable(`the face engine stopped: ${err.message}`), markFailed));
    worker.on('exit', () => this.#fail(slot, new FaceMatcherUnavailable('the face engine stopped'), markFailed));
    return slot;
  }

  /** Ends a worker whose task failed or overran; its task fails, the next task gets a new worker. */
  #fail(slot: Slot, err: Error, markFailed?: (e: Error) => void) {
    const i = this.#slots.indexOf(slot);
    if (i < 0) return;
    this.#slots.splice(i, 1);
    markFailed?.(err);
    if (slot.busy) {
      clearTimeout(slot.busy.timer);
      slot.busy.pending.reject(err);
      slot.busy = undefined;
    }
    void slot.worker.terminate();
    if (!this.#closed) this.#pump();
  }
}
