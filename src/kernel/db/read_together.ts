// Identical reads asked for while one of them is in flight are answered by one more statement, sent when
// that one ends and shared by all who asked meanwhile. Every answer comes from a statement that began
// after its caller asked, so it is as fresh as a read of its own (a row changed a moment before is seen);
// a busy key costs one statement per round trip instead of one per request.
interface Slot<R> {
  /** the read in flight has ended (either way) */
  settled: Promise<void>;
  /** the read that starts then, shared by everyone who asked meanwhile */
  next?: Promise<R>;
}

export function readTogether<R>() {
  const slots = new Map<string, Slot<R>>();

  const begin = (key: string, run: () => Promise<R>): Promise<R> => {
    const answer = run();
    const slot: Slot<R> = {
      settled: answer.then(
        () => undefined,
        () => undefined,
      ).then(() => {
        if (slots.get(key) === slot && !slot.next) slots.delete(key);
      }),
    };
    slots.set(key, slot);
    return answer;
  };

  /** `run` makes the read; `key` names everything it depends on (the same key, the same statement). */
  return (key: string, run: () => Promise<R>): Promise<R> => {
    const slot = slots.get(key);
    if (!slot) return begin(key, run);
    return (slot.next ??= slot.settled.then(() => begin(key, run)));
  };
}
