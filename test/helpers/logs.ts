// Captured pino output for tests that check what reaches the logs, and the check itself: a secret is
// found however it is written inside a logged value (as given, digits only, percent-decoded).
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/kernel/http/log.ts';

export interface CapturedLog {
  log: Logger;
  lines: string[];
}

/** A logger at `level` (default trace: everything any level writes) whose lines are kept. */
export function capturedLog(level = 'trace'): CapturedLog {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  return { log: createLogger(level, sink), lines };
}

/** Every key and string value in a parsed log line; numbers go to `numbers`. */
function strings(v: unknown, out: string[] = [], numbers: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (typeof v === 'number') numbers.push(String(v));
  else if (Array.isArray(v)) for (const x of v) strings(x, out, numbers);
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.push(k);
      strings(x, out, numbers);
    }
  }
  return out;
}

const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** Fails naming the first secret found in a line; `numeric` secrets (ID numbers, phones, codes) are also
 *  looked for among each value's digits alone, so 1-2345-… and 081 234 5678 are found too. */
export function assertNotLogged(lines: string[], secrets: Record<string, { value: string; numeric?: boolean }>) {
  for (const line of lines) {
    let parsed: unknown = line;
    try {
      parsed = JSON.parse(line);
    } catch {
      // not JSON: checked as one string
    }
    // each value on its own, so that digits of different fields (a timestamp, a status) never join up
    const numbers: string[] = [];
    const values = strings(parsed, [], numbers).flatMap((s) => [s, decode(s)]);
    for (const [name, { value, numeric }] of Object.entries(secrets)) {
      const digits = value.replace(/\D/g, '');
      // numbers are looked for within each value only: a timestamp may contain any short run of digits
      const found =
        (!numeric && line.includes(value) ? line : undefined) ??
        values.find((s) => s.includes(value) || (numeric && s.replace(/\D/g, '').includes(digits))) ??
        (numeric ? numbers.find((n) => n === digits) : undefined);
      assert.equal(found, undefined, `the log holds the ${name}: ${line.slice(0, 300)}`);
    }
  }
}
