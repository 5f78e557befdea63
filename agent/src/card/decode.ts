// Decoding of the fields of the Thai national ID card (MOI applet).
import { CardError } from './errors.ts';

const tis620 = new TextDecoder('windows-874');

/** TIS-620 text as stored on the chip, without its space and NUL padding. */
export function decodeText(bytes: Uint8Array): string {
  return trimPadding(tis620.decode(bytes));
}

function trimPadding(text: string): string {
  return text.replace(/^[\s\u0000]+|[\s\u0000]+$/g, '');
}

export interface PersonName { title: string; given: string; middle: string; family: string }

/** `prefix#first#middle#last` → its four parts (each trimmed, possibly empty). */
export function decodeName(bytes: Uint8Array): PersonName {
  const [title = '', given = '', middle = '', family = ''] = decodeText(bytes).split('#').map(trimPadding);
  return { title, given, middle, family };
}

export interface Address {
  house_no: string; moo: string; trok: string; soi: string; road: string;
  subdistrict: string; district: string; province: string;
}

const addressFields = ['house_no', 'moo', 'trok', 'soi', 'road', 'subdistrict', 'district', 'province'] as const;

/** The 8 `#`-separated address fields: house no # moo # trok # soi # road # tambon # amphoe # province. */
export function decodeAddress(bytes: Uint8Array): Address {
  const parts = decodeText(bytes).split('#').map(trimPadding);
  const address = {} as Address;
  addressFields.forEach((field, i) => { address[field] = parts[i] ?? ''; });
  return address;
}

/** The CID check digit of the first 12 digits: (11 − Σ d[i]·(13−i) mod 11) mod 10. */
export function pidCheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (13 - i);
  return (11 - (sum % 11)) % 10;
}

export function isValidPid(pid: string): boolean {
  return /^\d{13}$/.test(pid) && pidCheckDigit(pid) === Number(pid[12]);
}

/**
 * A `YYYYMMDD` Buddhist Era date as stored on the chip. Month and day may be 00
 * (people whose birth day is unknown), and a lifetime card's expiry is 99999999.
 */
export function isBeDate(text: string, o: { lifetime?: boolean } = {}): boolean {
  if (o.lifetime && text === '99999999') return true;
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return year >= 2400 && year <= 2800 && month <= 12 && day <= 31 && (month > 0 || day === 0);
}

/** The JPEG in the 5,100-byte photo area: from FF D8 up to its last FF D9, padding dropped. */
export function trimJpeg(area: Uint8Array): Buffer {
  const bytes = Buffer.from(area);
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new CardError('malformed', 'the photo is not a JPEG');
  for (let i = bytes.length - 2; i >= 2; i--) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return bytes.subarray(0, i + 2);
  }
  throw new CardError('malformed', 'the photo has no end of image marker');
}
