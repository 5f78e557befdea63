// The bodies of the NHSO agent's API (docs/smartcard.md §2 in the main project), as hospital systems
// parse them: titleName the Thai title as on the card, birthDate YYYYMMDD in the Buddhist era, sex
// '1' male / '2' female, nation '099' (Thai: every holder of this card), image base64 JPEG when
// readImageFlag=true.
import type { ThaiIdCard } from '../card/thai_id.ts';
import type { ReaderState } from '../pcsc/readers.ts';

export interface NhsoCard {
  pid: string;
  titleName: string;
  fname: string;
  lname: string;
  birthDate: string;
  sex: string;
  nation: '099';
  image?: string;
}

/** The fields /read takes from Authen Code's probe; the person's own fields always come from the chip. */
export const ENTITLEMENT_FIELDS = ['mainInscl', 'subInscl', 'hospMain', 'hospSub', 'hospMainOp', 'claimTypes', 'correlationId', 'age', 'checkDate', 'transDate', 'paidModel', 'startDateTime'] as const;

export const terminalsBody = (readers: ReaderState[]) => readers.map((r) => ({ terminalName: r.name, isPresent: r.card }));

export function nhsoCard(card: ThaiIdCard, o: { image: boolean }): NhsoCard {
  const fname = [card.given_name_th, card.middle_name_th].filter(Boolean).join(' ');
  const out: NhsoCard = { pid: card.pid, titleName: card.title_th, fname, lname: card.family_name_th, birthDate: card.birthdate_be, sex: card.gender, nation: '099' };
  if (o.image && card.photo) out.image = card.photo.toString('base64');
  return out;
}

/** /read: the card's fields with the entitlement Authen Code gave for it. */
export function nhsoRead(card: ThaiIdCard, entitlement: Record<string, unknown>, o: { image: boolean }) {
  const out: Record<string, unknown> = {};
  const c = nhsoCard(card, o);
  const { image, ...person } = c;
  Object.assign(out, person);
  for (const f of ENTITLEMENT_FIELDS) if (f in entitlement) out[f] = entitlement[f];
  if (image !== undefined) out.image = image;
  return out;
}

/** readImageFlag as clients send it: true/false in any case; absent is false */
export function imageFlag(v: string | null): boolean | undefined {
  if (v === null || v === '') return false;
  const s = v.toLowerCase();
  if (s === 'true' || s === '1') return true;
  if (s === 'false' || s === '0') return false;
  return undefined;
}
