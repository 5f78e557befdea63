// A synthetic population for the test zone: deterministic for a seed, valid ID-number check digits,
// realistic Thai names, and addresses in real provinces and districts (Sa Kaeo's among them). Every
// tenth card is not current, so the register check can say "not valid" for a real person too.
import { fromBuddhistDate } from '../thai/dates.ts';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';

const MALE = ['สมชาย', 'สมศักดิ์', 'ประเสริฐ', 'วิชัย', 'สุรชัย', 'อนุชา', 'ธนากร', 'กิตติพงษ์', 'ณัฐพล', 'พงศกร', 'ชัยวัฒน์', 'บุญมี', 'ประยูร', 'สุเมธ', 'อดิศักดิ์'];
const FEMALE = ['สมหญิง', 'มาลี', 'สุดารัตน์', 'วันเพ็ญ', 'กาญจนา', 'ปิยะนุช', 'ศิริพร', 'รัตนา', 'จันทร์เพ็ญ', 'อรุณี', 'นงลักษณ์', 'พิมพ์ชนก', 'ณัฐธิดา', 'ธิดารัตน์', 'บุษบา'];
const FAMILY = ['ใจดี', 'ศรีสุข', 'รักษ์สุขภาพ', 'สุขสวัสดิ์', 'แก้วมณี', 'บุญประเสริฐ', 'ทองดี', 'พรหมมา', 'จันทร์หอม', 'วงศ์สวัสดิ์', 'สมบูรณ์ชัย', 'ชัยมงคล', 'ปัญญาดี', 'ศรีวงศ์', 'มั่นคง', 'เพชรรัตน์', 'อินทร์แก้ว', 'ภูมิใจ'];
/** Where the synthetic people live: these provinces, districts and sub-districts exist in the synthetic country too (synthetic_country.ts). */
export const PLACES: Array<[province: string, district: string, subdistricts: string[]]> = [
  ['สระแก้ว', 'เมืองสระแก้ว', ['สระแก้ว', 'บ้านแก้ง', 'ศาลาลำดวน', 'โคกปี่ฆ้อง']],
  ['สระแก้ว', 'วัฒนานคร', ['วัฒนานคร', 'ท่าเกวียน', 'ผักขะ', 'หนองน้ำใส']],
  ['สระแก้ว', 'อรัญประเทศ', ['อรัญประเทศ', 'เมืองไผ่', 'หันทราย', 'คลองน้ำใส']],
  ['สระแก้ว', 'ตาพระยา', ['ตาพระยา', 'ทัพเสด็จ']],
  ['สระแก้ว', 'วังน้ำเย็น', ['วังน้ำเย็น', 'ตาหลังใน']],
  ['กรุงเทพมหานคร', 'ราชเทวี', ['ทุ่งพญาไท', 'ถนนพญาไท']],
  ['นนทบุรี', 'เมืองนนทบุรี', ['ตลาดขวัญ', 'บางกระสอ']],
  ['เชียงใหม่', 'เมืองเชียงใหม่', ['ศรีภูมิ', 'ช้างเผือก']],
  ['ขอนแก่น', 'เมืองขอนแก่น', ['ในเมือง', 'ศิลา']],
  ['สงขลา', 'หาดใหญ่', ['หาดใหญ่', 'คอหงส์']],
];
const LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';

/** `birthdate` repeats `birthdate_be` in the common era (YYYY-MM-DD), as a person trying the test zone types it when registering */
export const POPULATION_COLUMNS = ['pid', 'title_th', 'given_name_th', 'family_name_th', 'birthdate_be', 'laser_code', 'card_status', 'province', 'district', 'subdistrict', 'birthdate'];

/** mulberry32: a small, fast, seeded generator; the same seed gives the same population. */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function withCheckDigit(twelve: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(twelve[i]) * (13 - i);
  return twelve + String((11 - (sum % 11)) % 10);
}

export interface SyntheticPerson {
  pid: string;
  title: string;
  givenName: string;
  familyName: string;
  birthdateBE: string;
  laserCode: string;
  cardStatus: 'valid' | 'expired';
  province: string;
  district: string;
  subdistrict: string;
}

export function* syntheticPeople(count: number, seed = 2569): Generator<SyntheticPerson> {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  const seen = new Set<string>();
  for (let i = 0; i < count; ) {
    // first digit 1 or 3 (Thai nationals registered at birth or before 1984), no leading zeros
    const pid = withCheckDigit(`${pick(['1', '3'])}${digits(11)}`);
    if (seen.has(pid)) continue;
    seen.add(pid);
    const female = random() < 0.5;
    const year = 2480 + Math.floor(random() * 85); // 1937–2021 CE
    const month = 1 + Math.floor(random() * 12);
    const day = 1 + Math.floor(random() * 28);
    const adult = year <= 2551;
    const [province, district, subs] = pick(PLACES);
    yield {
      pid,
      title: female ? (adult ? pick(['นาง', 'นางสาว']) : 'เด็กหญิง') : adult ? 'นาย' : 'เด็กชาย',
      givenName: pick(female ? FEMALE : MALE),
      familyName: pick(FAMILY),
      birthdateBE: `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`,
      laserCode: `${pick([...LETTERS])}${pick([...LETTERS])}${digits(10)}`,
      cardStatus: random() < 0.9 ? 'valid' : 'expired',
      province,
      district,
      subdistrict: pick(subs),
    };
    i++;
  }
}

/** The printed form of a laser code: JT0-1234567-89. */
export const printedLaserCode = (code: string) => `${code.slice(0, 3)}-${code.slice(3, 10)}-${code.slice(10)}`;

export async function writePopulationCsv(out: NodeJS.WritableStream, count: number, seed?: number): Promise<void> {
  const write = async (line: string) => {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  };
  await write(POPULATION_COLUMNS.join(','));
  for (const p of syntheticPeople(count, seed)) {
    await write([p.pid, p.title, p.givenName, p.familyName, p.birthdateBE, printedLaserCode(p.laserCode), p.cardStatus, p.province, p.district, p.subdistrict, fromBuddhistDate(p.birthdateBE)].join(','));
  }
}

export async function writePopulationFile(file: string, count: number, seed?: number): Promise<void> {
  const out = createWriteStream(file, { mode: 0o600 });
  await writePopulationCsv(out, count, seed);
  out.end();
  await once(out, 'finish');
}

/** The test zone's synthetic population (the same for every service: 2000 people, seed 2569). */
export const SYNTHETIC_POPULATION = { count: 2000, seed: 2569 };

/** Writes the test zone's synthetic population file when it is missing; true when it did. */
export async function ensurePopulationFile(file: string): Promise<boolean> {
  if (existsSync(file)) return false;
  mkdirSync(path.dirname(file), { recursive: true });
  await writePopulationFile(file, SYNTHETIC_POPULATION.count, SYNTHETIC_POPULATION.seed);
  return true;
}
