// APDUs of the Thai ID card's MOI applet and the T=0 exchange around them.
import { CardError } from './errors.ts';

export type Transmit = (apdu: Buffer) => Promise<Buffer>;

export const MOI_AID = Buffer.from('A000000054480001', 'hex');

export function selectCommand(aid: Buffer): Buffer {
  return Buffer.from([0x00, 0xa4, 0x04, 0x00, aid.length, ...aid]);
}

/** The proprietary read: `80 B0 P1 P2 02 00 LL` (P1 P2 the offset, the length in the data field). */
export function readCommand(offset: number, length: number): Buffer {
  return Buffer.from([0x80, 0xb0, offset >> 8, offset & 0xff, 0x02, 0x00, length]);
}

/** Cards whose ATR starts 3B 67 want GET RESPONSE with P2=01; all others P2=00. */
export function getResponseP2(atr: Uint8Array): number {
  return atr[0] === 0x3b && atr[1] === 0x67 ? 0x01 : 0x00;
}

export function getResponseCommand(p2: number, le: number): Buffer {
  return Buffer.from([0x00, 0xc0, 0x00, p2, le]);
}

export interface Response { data: Buffer; sw: number }

export function splitResponse(raw: Buffer): Response {
  if (raw.length < 2) throw new CardError('malformed', `the card answered ${raw.length} byte(s), no status word`);
  return { data: raw.subarray(0, raw.length - 2), sw: raw.readUInt16BE(raw.length - 2) };
}

export function swHex(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, '0');
}

// Enough for any field of this card; a card that keeps asking for more is broken.
const MAX_EXCHANGES = 8;

/**
 * Sends a command and follows the card's T=0 answers: `61 xx` → GET RESPONSE with
 * our own P2 (smartcard's autoGetResponse always sends P2=00), `6C xx` → the same
 * command again with Le = xx.
 */
export async function exchange(transmit: Transmit, command: Buffer, p2: number): Promise<Response> {
  let data = Buffer.alloc(0);
  let next = command;
  for (let i = 0; i < MAX_EXCHANGES; i++) {
    const { data: chunk, sw } = splitResponse(await transmit(next));
    data = Buffer.concat([data, chunk]);
    const [sw1, sw2] = [sw >> 8, sw & 0xff];
    if (sw1 === 0x61) next = getResponseCommand(p2, sw2);
    else if (sw1 === 0x6c) next = Buffer.concat([next.subarray(0, next.length - 1), Buffer.from([sw2])]);
    else return { data, sw };
  }
  throw new CardError('malformed', 'the card kept asking for another GET RESPONSE');
}

/** Reads `length` bytes at `offset` of the MOI applet. */
export async function readBytes(transmit: Transmit, p2: number, offset: number, length: number): Promise<Buffer> {
  const { data, sw } = await exchange(transmit, readCommand(offset, length), p2);
  const where = `offset ${offset.toString(16).padStart(4, '0')}`;
  if (sw !== 0x9000) throw new CardError('malformed', `the card refused the read at ${where} (SW ${swHex(sw)})`);
  if (data.length !== length) {
    throw new CardError('malformed', `the card answered ${data.length} of ${length} bytes at ${where}`);
  }
  return data;
}
