// A synthetic country for the coverage denominators: 77 provinces (real codes and names), 66,000,000
// citizens as counts per sub-district (never one row per person), one hospital per district with its
// personnel by employment type. Deterministic for a seed. Sa Kaeo carries the seed document's figures
// exactly (537,792 citizens, 3,346 personnel, district by district); every place the synthetic people
// of synthetic_population.ts live in exists here, with the same Thai names.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { PLACES, prng } from './synthetic_population.ts';

/** [code, Thai, English] of the 77 provinces (TIS 1099 codes). */
export const PROVINCES: Array<[string, string, string]> = [
  ['10', 'กรุงเทพมหานคร', 'Bangkok'], ['11', 'สมุทรปราการ', 'Samut Prakan'], ['12', 'นนทบุรี', 'Nonthaburi'], ['13', 'ปทุมธานี', 'Pathum Thani'],
  ['14', 'พระนครศรีอยุธยา', 'Phra Nakhon Si Ayutthaya'], ['15', 'อ่างทอง', 'Ang Thong'], ['16', 'ลพบุรี', 'Lopburi'], ['17', 'สิงห์บุรี', 'Sing Buri'],
  ['18', 'ชัยนาท', 'Chai Nat'], ['19', 'สระบุรี', 'Saraburi'], ['20', 'ชลบุรี', 'Chonburi'], ['21', 'ระยอง', 'Rayong'], ['22', 'จันทบุรี', 'Chanthaburi'],
  ['23', 'ตราด', 'Trat'], ['24', 'ฉะเชิงเทรา', 'Chachoengsao'], ['25', 'ปราจีนบุรี', 'Prachinburi'], ['26', 'นครนายก', 'Nakhon Nayok'], ['27', 'สระแก้ว', 'Sa Kaeo'],
  ['30', 'นครราชสีมา', 'Nakhon Ratchasima'], ['31', 'บุรีรัมย์', 'Buriram'], ['32', 'สุรินทร์', 'Surin'], ['33', 'ศรีสะเกษ', 'Sisaket'],
  ['34', 'อุบลราชธานี', 'Ubon Ratchathani'], ['35', 'ยโสธร', 'Yasothon'], ['36', 'ชัยภูมิ', 'Chaiyaphum'], ['37', 'อำนาจเจริญ', 'Amnat Charoen'],
  ['38', 'บึงกาฬ', 'Bueng Kan'], ['39', 'หนองบัวลำภู', 'Nong Bua Lamphu'], ['40', 'ขอนแก่น', 'Khon Kaen'], ['41', 'อุดรธานี', 'Udon Thani'], ['42', 'เลย', 'Loei'],
  ['43', 'หนองคาย', 'Nong Khai'], ['44', 'มหาสารคาม', 'Maha Sarakham'], ['45', 'ร้อยเอ็ด', 'Roi Et'], ['46', 'กาฬสินธุ์', 'Kalasin'], ['47', 'สกลนคร', 'Sakon Nakhon'],
  ['48', 'นครพนม', 'Nakhon Phanom'], ['49', 'มุกดาหาร', 'Mukdahan'], ['50', 'เชียงใหม่', 'Chiang Mai'], ['51', 'ลำพูน', 'Lamphun'], ['52', 'ลำปาง', 'Lampang'],
  ['53', 'อุตรดิตถ์', 'Uttaradit'], ['54', 'แพร่', 'Phrae'], ['55', 'น่าน', 'Nan'], ['56', 'พะเยา', 'Phayao'], ['57', 'เชียงราย', 'Chiang Rai'],
  ['58', 'แม่ฮ่องสอน', 'Mae Hong Son'], ['60', 'นครสวรรค์', 'Nakhon Sawan'], ['61', 'อุทัยธานี', 'Uthai Thani'], ['62', 'กำแพงเพชร', 'Kamphaeng Phet'], ['63', 'ตาก', 'Tak'],
  ['64', 'สุโขทัย', 'Sukhothai'], ['65', 'พิษณุโลก', 'Phitsanulok'], ['66', 'พิจิตร', 'Phichit'], ['67', 'เพชรบูรณ์', 'Phetchabun'], ['70', 'ราชบุรี', 'Ratchaburi'],
  ['71', 'กาญจนบุรี', 'Kanchanaburi'], ['72', 'สุพรรณบุรี', 'Suphan Buri'], ['73', 'นครปฐม', 'Nakhon Pathom'], ['74', 'สมุทรสาคร', 'Samut Sakhon'],
  ['75', 'สมุทรสงคราม', 'Samut Songkhram'], ['76', 'เพชรบุรี', 'Phetchaburi'], ['77', 'ประจวบคีรีขันธ์', 'Prachuap Khiri Khan'], ['80', 'นครศรีธรรมราช', 'Nakhon Si Thammarat'],
  ['81', 'กระบี่', 'Krabi'], ['82', 'พังงา', 'Phang Nga'], ['83', 'ภูเก็ต', 'Phuket'], ['84', 'สุราษฎร์ธานี', 'Surat Thani'], ['85', 'ระนอง', 'Ranong'], ['86', 'ชุมพร', 'Chumphon'],
  ['90', 'สงขลา', 'Songkhla'], ['91', 'สตูล', 'Satun'], ['92', 'ตรัง', 'Trang'], ['93', 'พัทลุง', 'Phatthalung'], ['94', 'ปัตตานี', 'Pattani'], ['95', 'ยะลา', 'Yala'], ['96', 'นราธิวาส', 'Narathiwat'],
];

/** Sa Kaeo by district as the seed document gives it: citizens, personnel, the district hospital. */
export const SA_KAEO: Array<{ code: string; th: string; en: string; citizens: number; personnel: number; hcode: string; unitTh: string; unitEn: string }> = [
  { code: '2701', th: 'เมืองสระแก้ว', en: 'Mueang Sa Kaeo', citizens: 115_793, personnel: 1_255, hcode: '10699', unitTh: 'โรงพยาบาลสมเด็จพระยุพราชสระแก้ว', unitEn: 'Sa Kaeo Crown Prince Hospital' },
  { code: '2702', th: 'คลองหาด', en: 'Khlong Hat', citizens: 37_318, personnel: 178, hcode: '10866', unitTh: 'โรงพยาบาลคลองหาด', unitEn: 'Khlong Hat Hospital' },
  { code: '2703', th: 'ตาพระยา', en: 'Ta Phraya', citizens: 52_157, personnel: 233, hcode: '10867', unitTh: 'โรงพยาบาลตาพระยา', unitEn: 'Ta Phraya Hospital' },
  { code: '2704', th: 'วังน้ำเย็น', en: 'Wang Nam Yen', citizens: 63_647, personnel: 290, hcode: '10868', unitTh: 'โรงพยาบาลวังน้ำเย็น', unitEn: 'Wang Nam Yen Hospital' },
  { code: '2705', th: 'วัฒนานคร', en: 'Watthana Nakhon', citizens: 74_135, personnel: 323, hcode: '10869', unitTh: 'โรงพยาบาลวัฒนานคร', unitEn: 'Watthana Nakhon Hospital' },
  { code: '2706', th: 'อรัญประเทศ', en: 'Aranyaprathet', citizens: 81_805, personnel: 571, hcode: '10870', unitTh: 'โรงพยาบาลอรัญประเทศ', unitEn: 'Aranyaprathet Hospital' },
  { code: '2707', th: 'เขาฉกรรจ์', en: 'Khao Chakan', citizens: 53_990, personnel: 206, hcode: '13817', unitTh: 'โรงพยาบาลเขาฉกรรจ์', unitEn: 'Khao Chakan Hospital' },
  { code: '2708', th: 'โคกสูง', en: 'Khok Sung', citizens: 24_666, personnel: 141, hcode: '28850', unitTh: 'โรงพยาบาลโคกสูง', unitEn: 'Khok Sung Hospital' },
  { code: '2709', th: 'วังสมบูรณ์', en: 'Wang Sombun', citizens: 34_281, personnel: 149, hcode: '28849', unitTh: 'โรงพยาบาลวังสมบูรณ์', unitEn: 'Wang Sombun Hospital' },
];

/** The other districts and sub-districts synthetic people live in, with their codes and English names. */
const KNOWN: Record<string, { code: string; en: string; subs: Record<string, string> }> = {
  'สระแก้ว/เมืองสระแก้ว': { code: '2701', en: 'Mueang Sa Kaeo', subs: { สระแก้ว: 'Sa Kaeo', บ้านแก้ง: 'Ban Kaeng', ศาลาลำดวน: 'Sala Lamduan', โคกปี่ฆ้อง: 'Khok Pi Khong' } },
  'สระแก้ว/วัฒนานคร': { code: '2705', en: 'Watthana Nakhon', subs: { วัฒนานคร: 'Watthana Nakhon', ท่าเกวียน: 'Tha Kwian', ผักขะ: 'Phak Kha', หนองน้ำใส: 'Nong Nam Sai' } },
  'สระแก้ว/อรัญประเทศ': { code: '2706', en: 'Aranyaprathet', subs: { อรัญประเทศ: 'Aranyaprathet', เมืองไผ่: 'Mueang Phai', หันทราย: 'Han Sai', คลองน้ำใส: 'Khlong Nam Sai' } },
  'สระแก้ว/ตาพระยา': { code: '2703', en: 'Ta Phraya', subs: { ตาพระยา: 'Ta Phraya', ทัพเสด็จ: 'Thap Sadet' } },
  'สระแก้ว/วังน้ำเย็น': { code: '2704', en: 'Wang Nam Yen', subs: { วังน้ำเย็น: 'Wang Nam Yen', ตาหลังใน: 'Ta Lang Nai' } },
  'กรุงเทพมหานคร/ราชเทวี': { code: '1037', en: 'Ratchathewi', subs: { ทุ่งพญาไท: 'Thung Phaya Thai', ถนนพญาไท: 'Thanon Phaya Thai' } },
  'นนทบุรี/เมืองนนทบุรี': { code: '1201', en: 'Mueang Nonthaburi', subs: { ตลาดขวัญ: 'Talat Khwan', บางกระสอ: 'Bang Krasor' } },
  'เชียงใหม่/เมืองเชียงใหม่': { code: '5001', en: 'Mueang Chiang Mai', subs: { ศรีภูมิ: 'Si Phum', ช้างเผือก: 'Chang Phueak' } },
  'ขอนแก่น/เมืองขอนแก่น': { code: '4001', en: 'Mueang Khon Kaen', subs: { ในเมือง: 'Nai Mueang', ศิลา: 'Sila' } },
  'สงขลา/หาดใหญ่': { code: '9011', en: 'Hat Yai', subs: { หาดใหญ่: 'Hat Yai', คอหงส์: 'Kho Hong' } },
};

export const COUNTRY_CITIZENS = 66_000_000;
/** The as-of dates of the seed's registers: NHSO population 1 April 2022, HR (HROPS) 2 October 2022. */
export const POPULATION_AS_OF = '2022-04-01';
export const PERSONNEL_AS_OF = '2022-10-02';
/** Employment types the HR register uses; the last three are daily and contract hires (not counted by the KPI). */
export const EMPLOYMENT_TYPES = ['ข้าราชการ', 'พนักงานราชการ', 'ลูกจ้างประจำ', 'ลูกจ้างชั่วคราว', 'พนักงานกระทรวงสาธารณสุข'] as const;
const EMPLOYMENT_SHARE = [0.55, 0.12, 0.08, 0.15, 0.1];

export interface SyntheticSubdistrict { code: string; th: string; en: string; citizens: number }
export interface SyntheticDistrict { code: string; th: string; en: string; subdistricts: SyntheticSubdistrict[]; unit: { hcode: string; th: string; en: string; personnel: number } }
export interface SyntheticProvince { code: string; th: string; en: string; districts: SyntheticDistrict[] }

/** Splits total into parts in proportion to weights, summing exactly to total. */
function split(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const parts = weights.map((w) => Math.floor((total * w) / sum));
  let rest = total - parts.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i = (i + 1) % parts.length, rest--) parts[i]!++;
  return parts;
}

export function syntheticCountry(seed = 2569): SyntheticProvince[] {
  const random = prng(seed);
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const others = PROVINCES.filter(([code]) => code !== '27');
  // Bangkok is far the largest; the rest vary about fivefold
  const weights = others.map(([code]) => (code === '10' ? 8 : 0.4 + random() * 1.6));
  const shares = split(COUNTRY_CITIZENS - 537_792, weights);
  const totals = new Map(others.map(([code], i) => [code, shares[i]!]));
  let nextHcode = 70001;
  return PROVINCES.map(([pcode, pth, pen]) => {
    const known = PLACES.filter(([p]) => p === pth);
    const seeded = pcode === '27' ? SA_KAEO : undefined;
    const districtCount = seeded ? seeded.length : between(6, 16);
    const districtCitizens = seeded ? seeded.map((d) => d.citizens) : split(totals.get(pcode)!, Array.from({ length: districtCount }, () => 0.5 + random()));
    const used = new Set<string>();
    const named: Array<{ code: string; th: string; en: string; subs: Array<[string, string]> }> = [];
    for (const d of seeded ?? []) named.push({ code: d.code, th: d.th, en: d.en, subs: [] });
    for (const [, dth, subs] of known) {
      const k = KNOWN[`${pth}/${dth}`]!;
      let entry = named.find((n) => n.code === k.code);
      if (!entry) named.push((entry = { code: k.code, th: dth, en: k.en, subs: [] }));
      for (const s of subs) if (!entry.subs.some(([t]) => t === s)) entry.subs.push([s, k.subs[s]!]);
    }
    for (const n of named) used.add(n.code);
    let number = 1;
    while (named.length < districtCount) {
      const code = `${pcode}${String(number).padStart(2, '0')}`;
      if (!used.has(code)) {
        used.add(code);
        named.push(pcode === '10' ? { code, th: `เขต ${number}`, en: `Khet ${number}`, subs: [] } : number === 1 ? { code, th: `เมือง${pth}`, en: `Mueang ${pen}`, subs: [] } : { code, th: `อำเภอ ${number}`, en: `District ${number}`, subs: [] });
      }
      number++;
    }
    named.sort((a, b) => a.code.localeCompare(b.code));
    const byCode = new Map((seeded ?? []).map((d) => [d.code, d]));
    return {
      code: pcode,
      th: pth,
      en: pen,
      districts: named.map((d, i) => {
        const subs = [...d.subs];
        const subCount = Math.max(subs.length + between(0, 4), between(3, 9));
        for (let n = subs.length + 1; subs.length < subCount; n++) subs.push([`ตำบล ${n}`, `Sub-district ${n}`]);
        const citizens = split(districtCitizens[i]!, subs.map(() => 0.5 + random()));
        const s = byCode.get(d.code);
        const unit = s
          ? { hcode: s.hcode, th: s.unitTh, en: s.unitEn, personnel: s.personnel }
          : { hcode: String(nextHcode++), th: `โรงพยาบาล${d.th}`, en: `${d.en} Hospital`, personnel: Math.max(20, Math.round(districtCitizens[i]! * (0.004 + random() * 0.004))) };
        return { code: d.code, th: d.th, en: d.en, unit, subdistricts: subs.map(([th, en], j) => ({ code: `${d.code}${String(j + 1).padStart(2, '0')}`, th, en, citizens: citizens[j]! })) };
      }),
    };
  });
}

export const COUNTRY_POPULATION_COLUMNS = ['subdistrict_code', 'province_th', 'province_en', 'district_th', 'district_en', 'subdistrict_th', 'subdistrict_en', 'citizens', 'as_of'] as const;
export const COUNTRY_PERSONNEL_COLUMNS = ['hcode', 'employment_type', 'headcount', 'as_of'] as const;

const csvField = (v: string | number) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

async function writeLines(file: string, lines: Iterable<Array<string | number>>): Promise<void> {
  const out = createWriteStream(file, { mode: 0o600 });
  for (const line of lines) if (!out.write(`${line.map(csvField).join(',')}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/** Writes the three registers of the synthetic country: population counts, units, personnel counts. */
export async function writeCountryFiles(country: SyntheticProvince[], files: { population: string; units: string; personnel: string }): Promise<void> {
  await writeLines(files.population, (function* () {
    yield [...COUNTRY_POPULATION_COLUMNS];
    for (const p of country) for (const d of p.districts) for (const s of d.subdistricts) yield [s.code, p.th, p.en, d.th, d.en, s.th, s.en, s.citizens, POPULATION_AS_OF];
  })());
  await writeLines(files.units, (function* () {
    yield ['hcode', 'name_th', 'name_en', 'unit_type', 'province', 'district', 'subdistrict'];
    for (const p of country) for (const d of p.districts) yield [d.unit.hcode, d.unit.th, d.unit.en, 'โรงพยาบาลชุมชน', p.th, d.th, d.subdistricts[0]!.th];
  })());
  await writeLines(files.personnel, (function* () {
    yield [...COUNTRY_PERSONNEL_COLUMNS];
    for (const p of country) {
      for (const d of p.districts) {
        const parts = split(d.unit.personnel, EMPLOYMENT_SHARE);
        for (const [i, type] of EMPLOYMENT_TYPES.entries()) yield [d.unit.hcode, type, parts[i]!, PERSONNEL_AS_OF];
        // contract hires are in the HR register but not in the KPI's denominator
        yield [d.unit.hcode, 'จ้างเหมาบริการ', Math.round(d.unit.personnel * 0.05), PERSONNEL_AS_OF];
      }
    }
  })());
}
