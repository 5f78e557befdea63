// Reads through a real pcscd (private, in a mount namespace) and the emulated Thai ID card. Needs root.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CardError } from '../src/card/errors.ts';
import { fixtures, startPcsc, type Pcsc } from './helpers/pcsc.ts';
import type { Readers } from '../src/pcsc/readers.ts';

const APDU_TIMEOUT_MS = 1000;
const READ_TIMEOUT_MS = 4000;

let pcsc: Pcsc;
let readers: Readers;
let slot0: string;
let slot1: string;

function isCardError(code: string) {
  return (e: unknown) => {
    assert.ok(e instanceof CardError, `expected a CardError, got ${e}`);
    assert.equal(e.code, code, e.message);
    return true;
  };
}

async function eventually(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function timed<T>(p: Promise<T>): Promise<{ ms: number; result: PromiseSettledResult<T> }> {
  const start = Date.now();
  const [result] = await Promise.allSettled([p]);
  return { ms: Date.now() - start, result };
}

before(async () => {
  pcsc = await startPcsc();
  // pcsc-lite takes its socket path from the environment once, on the first connection.
  process.env.PCSCLITE_CSOCK_NAME = pcsc.env.PCSCLITE_CSOCK_NAME;
  const { openReaders } = await import('../src/pcsc/readers.ts');
  readers = openReaders({ apduTimeoutMs: APDU_TIMEOUT_MS, readTimeoutMs: READ_TIMEOUT_MS });
  slot0 = pcsc.readerName(0);
  slot1 = pcsc.readerName(1);
});

after(async () => {
  await readers?.close();
  await pcsc?.stop();
});

describe('readers over pcscd', () => {
  it('lists both readers, empty, and says no_card / no_reader', async () => {
    assert.deepEqual(await readers.terminals(), [{ name: slot0, card: false }, { name: slot1, card: false }]);
    assert.equal(readers.state().pcsc, true);
    await assert.rejects(readers.read({ photo: false }), isCardError('no_card'));
    await assert.rejects(readers.read({ photo: false, reader: slot1 }), isCardError('no_card'));
    await assert.rejects(readers.read({ photo: false, reader: 'Nonexistent Reader 00 00' }), isCardError('no_reader'));
  });

  it('reads somchai, photo included, from a 3B 68 card', async () => {
    await pcsc.insert({ fixture: 'somchai', atr: '3b68' });
    const { reader, atr, card } = await readers.read({ photo: true });
    assert.equal(reader, slot0);
    assert.match(atr, /^3b68/);
    assert.deepEqual(card, fixtures.somchai);
    assert.equal(card.middle_name_th, undefined);
  });

  it('reads without the photo when not asked for it', async () => {
    const { card } = await readers.read({ photo: false });
    assert.equal(card.photo, undefined);
    assert.equal(card.pid, fixtures.somchai.pid);
  });

  it('reads a 3B 67 card with GET RESPONSE P2=01, which it needs', async () => {
    await pcsc.insert({ fixture: 'somchai', atr: '3b67' });
    const { atr, card } = await readers.read({ photo: true });
    assert.match(atr, /^3b67/);
    assert.deepEqual(card, fixtures.somchai);

    // The emulated 3B 67 card refuses P2=00: reading it as if it were a 3B 68 card fails.
    const sc = await import('smartcard');
    const { readThaiIdCard } = await import('../src/card/thai_id.ts');
    const context = new sc.Context();
    try {
      const handle = await context.listReaders().find((r) => r.name === slot0)!.connect(sc.SCARD_SHARE_SHARED, sc.SCARD_PROTOCOL_T0);
      try {
        await assert.rejects(readThaiIdCard((apdu) => handle.transmit(apdu), Buffer.from('3b68', 'hex'), { photo: false }),
          isCardError('malformed'));
      } finally {
        handle.disconnect();
      }
    } finally {
      context.close();
    }
  });

  it('reads malee in the second reader next to somchai, and picks the first reader with a card', async () => {
    await pcsc.insert({ fixture: 'somchai', atr: '3b68' }, 0);
    await pcsc.insert({ fixture: 'malee', atr: '3b79' }, 1);
    assert.deepEqual(await readers.terminals(), [{ name: slot0, card: true }, { name: slot1, card: true }]);
    const malee = await readers.read({ photo: true, reader: slot1 });
    assert.equal(malee.reader, slot1);
    assert.match(malee.atr, /^3b79/);
    assert.deepEqual(malee.card, fixtures.malee);
    assert.equal(malee.card.middle_name_th, 'ศรี');
    assert.equal((await readers.read({ photo: false })).card.pid, fixtures.somchai.pid);

    await pcsc.remove(0);
    const first = await readers.read({ photo: false });
    assert.equal(first.reader, slot1);
    assert.equal(first.card.pid, fixtures.malee.pid);
    await pcsc.remove(1);
  });

  it('tells of cards going in and out, and state() follows', async () => {
    const inSlot1 = () => readers.state().readers.find((r) => r.name === slot1)?.card;
    await eventually(() => inSlot1() === false, 3000, 'the last test\'s card to be gone');
    const seen: string[] = [];
    readers.on('card-inserted', (name) => seen.push(`in ${name}`));
    readers.on('card-removed', (name) => seen.push(`out ${name}`));
    await pcsc.insert({ fixture: 'malee' }, 1);
    await eventually(() => seen.length > 0, 3000, 'card-inserted');
    assert.deepEqual(seen, [`in ${slot1}`]);
    assert.equal(inSlot1(), true);
    await pcsc.remove(1);
    await eventually(() => seen.length > 1, 3000, 'card-removed');
    assert.deepEqual(seen, [`in ${slot1}`, `out ${slot1}`]);
    assert.equal(inSlot1(), false);
  });

  it('refuses a second read of the same reader while one runs', async () => {
    await pcsc.insert({ fixture: 'somchai', slowMs: 20 });
    const first = readers.read({ photo: false });
    await assert.rejects(readers.read({ photo: false }), isCardError('reader_busy'));
    assert.equal((await first).card.pid, fixtures.somchai.pid);
  });

  it('reads a slow card within the timeouts', async () => {
    await pcsc.insert({ fixture: 'somchai', slowMs: 100 });
    const { card } = await readers.read({ photo: false });
    assert.equal(card.pid, fixtures.somchai.pid);
  });

  it('gives up on an APDU the card does not answer in time', async () => {
    await pcsc.insert({ fixture: 'somchai', slowMs: APDU_TIMEOUT_MS * 3 });
    const { ms, result } = await timed(readers.read({ photo: false }));
    assert.equal(result.status, 'rejected');
    isCardError('timeout')((result as PromiseRejectedResult).reason);
    assert.ok(ms < APDU_TIMEOUT_MS + 1000, `took ${ms} ms`);
  });

  it('gives up on a read that takes too long as a whole', async () => {
    await pcsc.insert({ fixture: 'somchai', slowMs: 150 });
    const { ms, result } = await timed(readers.read({ photo: true }));
    assert.equal(result.status, 'rejected');
    isCardError('timeout')((result as PromiseRejectedResult).reason);
    assert.ok(ms >= READ_TIMEOUT_MS - 100 && ms < READ_TIMEOUT_MS + 1000, `took ${ms} ms`);
  });

  it('says not_thai_id for a card without the MOI applet', async () => {
    await pcsc.insert({ fixture: 'somchai', fault: 'wrong_aid' });
    await assert.rejects(readers.read({ photo: false }), isCardError('not_thai_id'));
  });

  it('says malformed for a citizen ID that is not digits', async () => {
    await pcsc.insert({ fixture: 'somchai', fault: 'garbage' });
    await assert.rejects(readers.read({ photo: false }), isCardError('malformed'));
  });

  it('says malformed for answers shorter than asked', async () => {
    await pcsc.insert({ fixture: 'malee', fault: 'short' });
    await assert.rejects(readers.read({ photo: false }), isCardError('malformed'));
  });

  it('says card_removed when the card goes away during the photo', async () => {
    await pcsc.insert({ fixture: 'malee', fault: 'remove_mid_read' });
    const { ms, result } = await timed(readers.read({ photo: true }));
    assert.equal(result.status, 'rejected');
    isCardError('card_removed')((result as PromiseRejectedResult).reason);
    assert.ok(ms < 3000, `took ${ms} ms`);
    await pcsc.remove(0);
  });

  it('survives pcscd going away, says pcsc_unavailable, and reconnects when it is back', async () => {
    await pcsc.stopDaemon();
    await eventually(() => !readers.state().pcsc, 3000, 'pcsc: false');
    assert.deepEqual(readers.state().readers, []);
    await assert.rejects(readers.terminals(), isCardError('pcsc_unavailable'));
    await assert.rejects(readers.read({ photo: false }), isCardError('pcsc_unavailable'));

    await pcsc.startDaemon();
    await eventually(() => readers.state().pcsc, 5000, 'pcsc: true');
    await pcsc.insert({ fixture: 'malee' });
    assert.equal((await readers.read({ photo: false })).card.pid, fixtures.malee.pid);
  });
});
