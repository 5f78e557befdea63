// Records errors nothing handled (an 'error' event without a listener, a rejected promise nobody
// awaited): in a service process each would end it, so a test asserts there were none.
import assert from 'node:assert/strict';

export function watchUncaught() {
  const seen: string[] = [];
  const record = (err: unknown) => seen.push(String((err as Error)?.message ?? err));
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
  return {
    /** Fails if anything went unhandled since the last call (it lets the event loop turn first). */
    async assertNone(what: string) {
      await new Promise((r) => setTimeout(r, 20));
      const found = seen.splice(0);
      assert.deepEqual(found, [], `${what}: nothing goes unhandled (it would end the process)`);
    },
    stop() {
      process.off('uncaughtException', record);
      process.off('unhandledRejection', record);
    },
  };
}
