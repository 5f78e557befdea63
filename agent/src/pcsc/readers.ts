// The PC/SC readers of this machine, watched through pcscd, and Thai ID card reads on them.
import { EventEmitter } from 'node:events';
import type { CardInterface, ContextInterface } from 'smartcard';
import { CardError, type CardErrorCode } from '../card/errors.ts';
import { readThaiIdCard, type ThaiIdCard } from '../card/thai_id.ts';

export interface ReaderState { name: string; card: boolean }

export type ReaderEvent = 'card-inserted' | 'card-removed' | 'reader-attached' | 'reader-detached';

export interface Readers {
  /** Throws CardError('pcsc_unavailable') when pcscd is not there. */
  terminals(): Promise<ReaderState[]>;
  /** Reads the card in `reader`, or in the first reader holding one. Never hangs. */
  read(o: { photo: boolean; reader?: string }): Promise<{ reader: string; atr: string; card: ThaiIdCard }>;
  /** Last known state, for the status page. */
  state(): { pcsc: boolean; readers: ReaderState[] };
  on(event: ReaderEvent, fn: (reader: string) => void): void;
  close(): Promise<void>;
}

type Smartcard = typeof import('smartcard');

const POLL_MS = 250;
// Another program may hold the card for a moment; after this long it counts as busy.
const BUSY_RETRY_MS = 1000;
// pcscd polls a reader for card presence a few times a second.
const CARD_GONE_MS = 1500;

export function openReaders(o: { apduTimeoutMs?: number; readTimeoutMs?: number } = {}): Readers {
  const apduTimeoutMs = o.apduTimeoutMs ?? 5000;
  const readTimeoutMs = o.readTimeoutMs ?? 20000;
  const events = new EventEmitter();
  let sc: Smartcard | undefined;
  let context: ContextInterface | undefined;
  let pcsc = false;
  let known = new Map<string, string | null>(); // reader name → ATR hex of its card, or null
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  const reading = new Set<string>();

  const loaded = import('smartcard').then((m) => { sc = m; }, () => { /* no addon: pcsc stays false */ });

  function readerStates(): ReaderState[] {
    return [...known].map(([name, atr]) => ({ name, card: atr !== null }));
  }

  /** Asks pcscd for the readers now, emits what changed, and reconnects after pcscd went away. */
  function refresh(): void {
    if (!sc || closed) return;
    let now = new Map<string, string | null>();
    try {
      context ??= new sc.Context();
      for (const r of context.listReaders()) {
        const present = (r.state & sc.SCARD_STATE_PRESENT) !== 0 && (r.atr?.length ?? 0) > 0;
        now.set(r.name, present ? r.atr!.toString('hex') : null);
      }
      pcsc = true;
    } catch {
      try { context?.close(); } catch { /* already gone */ }
      context = undefined;
      pcsc = false;
      now = new Map();
    }
    const before = known;
    known = now;
    for (const [name, atr] of before) {
      if (atr !== null && now.get(name) !== atr) events.emit('card-removed', name);
      if (!now.has(name)) events.emit('reader-detached', name);
    }
    for (const [name, atr] of now) {
      if (!before.has(name)) events.emit('reader-attached', name);
      if (atr !== null && before.get(name) !== atr) events.emit('card-inserted', name);
    }
  }

  function schedule(): void {
    if (closed) return;
    timer = setTimeout(() => { try { refresh(); } finally { schedule(); } }, POLL_MS);
    timer.unref();
  }
  void loaded.then(() => { refresh(); schedule(); });

  async function current(): Promise<void> {
    await loaded;
    refresh();
    if (!pcsc) throw new CardError('pcsc_unavailable', 'the PC/SC service (pcscd) is not running');
  }

  async function read(q: { photo: boolean; reader?: string }) {
    await current();
    if (known.size === 0) throw new CardError('no_reader', 'no card reader is attached');
    let reader: string;
    if (q.reader !== undefined) {
      if (!known.has(q.reader)) throw new CardError('no_reader', `no reader named ${JSON.stringify(q.reader)}`);
      if (known.get(q.reader) === null) throw new CardError('no_card', `no card in ${q.reader}`);
      reader = q.reader;
    } else {
      const withCard = [...known].find(([, atr]) => atr !== null);
      if (!withCard) throw new CardError('no_card', 'no card in any reader');
      reader = withCard[0];
    }
    if (reading.has(reader)) throw new CardError('reader_busy', `${reader} is reading another card`);
    reading.add(reader);
    const session = new ReadSession(sc!, reader, apduTimeoutMs);
    let deadline: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      deadline = setTimeout(() => reject(new CardError('timeout', `the card in ${reader} took over ${readTimeoutMs} ms`)), readTimeoutMs);
    });
    try {
      return await Promise.race([session.read(q.photo), timedOut]);
    } finally {
      clearTimeout(deadline);
      session.abort();
      void session.closed.then(() => reading.delete(reader));
    }
  }

  return {
    async terminals() {
      await current();
      return readerStates();
    },
    read,
    state: () => ({ pcsc, readers: readerStates() }),
    on(event, fn) { events.on(event, fn); },
    async close() {
      closed = true;
      clearTimeout(timer);
      try { context?.close(); } catch { /* already gone */ }
      context = undefined;
    },
  };
}

/**
 * One read on one reader with a context of its own. pcsc-lite holds a context's lock
 * during SCardTransmit and the addon's disconnect/close are synchronous, so they wait
 * until the last APDU has settled instead of blocking the event loop on a hung card.
 */
class ReadSession {
  private sc: Smartcard;
  private reader: string;
  private apduTimeoutMs: number;
  private context: ContextInterface | undefined;
  private card: CardInterface | undefined;
  private pending: Promise<unknown> = Promise.resolve();
  private aborted = false;
  private release!: () => void;
  /** Settles once the card and the context are released. */
  closed = new Promise<void>((resolve) => { this.release = resolve; });

  constructor(sc: Smartcard, reader: string, apduTimeoutMs: number) {
    this.sc = sc;
    this.reader = reader;
    this.apduTimeoutMs = apduTimeoutMs;
  }

  async read(photo: boolean): Promise<{ reader: string; atr: string; card: ThaiIdCard }> {
    try {
      return await this.readCard(photo);
    } catch (e) {
      throw cardErrorOf(e, 'card_removed');
    }
  }

  private async readCard(photo: boolean): Promise<{ reader: string; atr: string; card: ThaiIdCard }> {
    const card = await this.connect();
    const atr = card.atr ?? card.getStatus().atr;
    const transmit = async (apdu: Buffer) => {
      const answer = await this.step(() => card.transmit(apdu, { maxRecvLength: 258 }), 'card_removed');
      // vpcd, and some readers, answer nothing at all when the card leaves mid-APDU.
      if (answer.length < 2 && await this.cardGone()) throw new CardError('card_removed', `the card left ${this.reader}`);
      return answer;
    };
    return { reader: this.reader, atr: atr.toString('hex'), card: await readThaiIdCard(transmit, atr, { photo }) };
  }

  private async connect(): Promise<CardInterface> {
    const { sc } = this;
    let reader;
    try {
      this.context = new sc.Context();
      reader = this.context.listReaders().find((r) => r.name === this.reader);
    } catch (e) {
      throw cardErrorOf(e, 'pcsc_unavailable');
    }
    if (!reader) throw new CardError('no_reader', `${this.reader} is gone`);
    // Exclusive: the addon has no transactions, and another program's APDUs between our
    // read and its GET RESPONSE would corrupt both reads.
    const until = Date.now() + BUSY_RETRY_MS;
    for (;;) {
      try {
        this.card = await this.step(() => reader.connect(sc.SCARD_SHARE_EXCLUSIVE, sc.SCARD_PROTOCOL_T0 | sc.SCARD_PROTOCOL_T1), 'no_card');
        return this.card;
      } catch (e) {
        if (!(e instanceof CardError) || e.code !== 'reader_busy' || Date.now() > until) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  /** Whether the card is out of the reader, given pcscd a moment to notice. */
  private async cardGone(): Promise<boolean> {
    const { sc } = this;
    const until = Date.now() + CARD_GONE_MS;
    do {
      try {
        const reader = this.context?.listReaders().find((r) => r.name === this.reader);
        if (!reader || (reader.state & sc.SCARD_STATE_PRESENT) === 0) return true;
      } catch {
        return true;
      }
      await new Promise((r) => setTimeout(r, 100));
    } while (Date.now() < until);
    return false;
  }

  /** One call into pcscd, bounded by the APDU timeout, its errors as CardErrors. */
  private step<T>(call: () => Promise<T>, absent: CardErrorCode): Promise<T> {
    if (this.aborted) return Promise.reject(new CardError('timeout', 'the read was abandoned'));
    const attempt = call();
    this.pending = attempt.catch(() => {});
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CardError('timeout', `${this.reader} did not answer within ${this.apduTimeoutMs} ms`)), this.apduTimeoutMs);
    });
    return Promise.race([attempt.catch((e) => { throw cardErrorOf(e, absent); }), timedOut])
      .finally(() => clearTimeout(timer));
  }

  abort(): void {
    this.aborted = true;
    void this.pending.then(() => {
      try { this.card?.disconnect(this.sc.SCARD_LEAVE_CARD); } catch { /* removed already */ }
      try { this.context?.close(); } catch { /* pcscd gone */ }
      this.release();
    });
  }
}

/** pcsc-lite's errors reach us as message strings only (see smartcard's pcsc_errors.h). */
function cardErrorOf(e: unknown, absent: CardErrorCode): CardError {
  if (e instanceof CardError) return e;
  const message = e instanceof Error ? e.message : String(e);
  if (/service not running|service stopped|no service/i.test(message)) return new CardError('pcsc_unavailable', message);
  if (/sharing violation/i.test(message)) return new CardError('reader_busy', message);
  if (/unknown reader|reader unavailable|no readers/i.test(message)) return new CardError('no_reader', message);
  // A card pulled out mid-APDU shows up as a failed transaction or a communication error.
  if (/removed|no smart card|unpowered|unresponsive|reset|transaction failed|communication error/i.test(message)) {
    return new CardError(absent, message);
  }
  if (/timed out/i.test(message)) return new CardError('timeout', message);
  return new CardError(absent, message);
}
