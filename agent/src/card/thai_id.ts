// What the MOI applet of a Thai national ID card holds, and how to read it.
import { MOI_AID, getResponseP2, readBytes, selectCommand, splitResponse, swHex, type Transmit } from './apdu.ts';
import { decodeAddress, decodeName, decodeText, isBeDate, isValidPid, trimJpeg, type Address } from './decode.ts';
import { CardError } from './errors.ts';

export type ThaiIdAddress = Address;

export interface ThaiIdCard {
  pid: string;
  title_th: string;
  given_name_th: string;
  middle_name_th?: string;
  family_name_th: string;
  title_en?: string;
  given_name_en?: string;
  middle_name_en?: string;
  family_name_en?: string;
  /** YYYYMMDD, Buddhist Era, as on the chip */
  birthdate_be: string;
  gender: '1' | '2';
  issuer: string;
  issue_date_be: string;
  expiry_date_be: string;
  address?: ThaiIdAddress;
  /** JPEG */
  photo?: Buffer;
}

const FIELDS = {
  pid: [0x0004, 0x0d],
  name_th: [0x0011, 0x64],
  name_en: [0x0075, 0x64],
  birthdate: [0x00d9, 0x08],
  gender: [0x00e1, 0x01],
  issuer: [0x00f6, 0x64],
  issue_date: [0x0167, 0x08],
  expiry_date: [0x016f, 0x08],
  address: [0x1579, 0x64],
} as const;

const PHOTO_OFFSET = 0x017b;
const PHOTO_CHUNK = 0xff;
const PHOTO_CHUNKS = 20;

/** Reads a Thai national ID card through `transmit` (one APDU in, its raw answer out). */
export async function readThaiIdCard(transmit: Transmit, atr: Buffer, o: { photo: boolean }): Promise<ThaiIdCard> {
  const select = splitResponse(await transmit(selectCommand(MOI_AID)));
  // A real card answers 61 xx or 90 00 here; nothing it holds is needed, so no GET RESPONSE follows.
  if (select.sw >> 8 !== 0x61 && select.sw !== 0x9000) {
    throw new CardError('not_thai_id', `the card has no MOI applet (SW ${swHex(select.sw)})`);
  }
  const p2 = getResponseP2(atr);
  const read = (field: keyof typeof FIELDS) => readBytes(transmit, p2, FIELDS[field][0], FIELDS[field][1]);

  const pid = decodeText(await read('pid'));
  if (!isValidPid(pid)) throw new CardError('malformed', 'the citizen ID is not 13 digits with a valid check digit');
  const th = decodeName(await read('name_th'));
  const en = decodeName(await read('name_en'));
  const birthdate_be = decodeText(await read('birthdate'));
  const gender = decodeText(await read('gender'));
  const issuer = decodeText(await read('issuer'));
  const issue_date_be = decodeText(await read('issue_date'));
  const expiry_date_be = decodeText(await read('expiry_date'));
  const address = decodeAddress(await read('address'));

  if (!th.given) throw new CardError('malformed', 'the Thai name is empty');
  if (gender !== '1' && gender !== '2') throw new CardError('malformed', 'the gender is neither 1 nor 2');
  if (!isBeDate(birthdate_be)) throw new CardError('malformed', 'the birth date is not a YYYYMMDD BE date');
  if (!isBeDate(issue_date_be)) throw new CardError('malformed', 'the issue date is not a YYYYMMDD BE date');
  if (!isBeDate(expiry_date_be, { lifetime: true })) throw new CardError('malformed', 'the expiry date is not a YYYYMMDD BE date');

  const card: ThaiIdCard = {
    pid,
    title_th: th.title,
    given_name_th: th.given,
    ...optional('middle_name_th', th.middle),
    family_name_th: th.family,
    ...optional('title_en', en.title),
    ...optional('given_name_en', en.given),
    ...optional('middle_name_en', en.middle),
    ...optional('family_name_en', en.family),
    birthdate_be,
    gender,
    issuer,
    issue_date_be,
    expiry_date_be,
  };
  if (Object.values(address).some((v) => v !== '')) card.address = address;
  if (o.photo) card.photo = await readPhoto(transmit, p2);
  return card;
}

async function readPhoto(transmit: Transmit, p2: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (let n = 0; n < PHOTO_CHUNKS; n++) {
    chunks.push(await readBytes(transmit, p2, PHOTO_OFFSET + n * PHOTO_CHUNK, PHOTO_CHUNK));
  }
  return trimJpeg(Buffer.concat(chunks));
}

function optional<K extends string>(key: K, value: string): { [P in K]?: string } {
  return (value ? { [key]: value } : {}) as { [P in K]?: string };
}
