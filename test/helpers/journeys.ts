// The world the browser journeys walk through (test/browser/journeys.test.ts): the test zone with the
// sample unit and personnel registers; for each language (an SMS code can be sent to a phone once a
// minute) a doctor who is staff at unit 10699, its verifier (appointed by an operator after an
// in-person check) and its unit administrator, and an administrator; a citizen checked
// against the civil register; another who sent a photo with their card (waiting in the queue, sent over
// HTTP as a browser does); a paired card reader agent; a relying party; patients in the population file.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as jose from 'jose';
import { facePhoto } from './faces.ts';
import type { Database } from '../../src/kernel/db/index.ts';
import { recordEvidence } from '../../src/idp/proofing/evidence.ts';
import { startZone, type Zone } from './authencode.ts';
import { addClient, pidWithCheckDigit, TEST_PERSON } from './server.ts';
import { Person } from './person.ts';
import { logInThrough } from './login_walk.ts';

const fixture = (name: string) => path.resolve(import.meta.dirname, '../../samples', name);
const e164 = (phone: string) => `+66${phone.slice(1)}`;
type Lang = 'th' | 'en';
interface Who { pid: string; password: string; e164: string }

export interface Journeys {
  zone: Zone;
  client: { client_id: string; client_secret?: string };
  /** for each walk's language, a doctor: staff, verifier and unit administrator at 10699 */
  doctors: Record<Lang, Who & { name: string }>;
  admins: Record<Lang, Who>;
  citizen: typeof TEST_PERSON;
  photoPerson: typeof TEST_PERSON;
  /** when the photo was sent (ms since the epoch) */
  photoAt: number;
  /** when the roles were granted (in the audit log) */
  seededAt: number;
  agentName: string;
  /** a patient of the population file for each walk (each visit confirmed once a day) */
  patients: Record<'th' | 'en', string>;
  certifierPid: string;
  /** someone new for each registration walk */
  newcomer(lang: 'th' | 'en'): { pid: string; phone: string; e164: string; password: string };
}

export async function seedJourneys(db: Database): Promise<Journeys> {
  const zone = await startZone(db);
  try {
    return await seed(zone);
  } catch (err) {
    // a seeding failure must not leave the servers holding the test process open
    await zone.close();
    await db.close();
    throw err;
  }
}

async function seed(zone: Awaited<ReturnType<typeof startZone>>): Promise<Journeys> {
  const db = zone.idp.db;
  const { accounts, personnel, units, cardAgents } = zone.idp.app();
  await units.importFile(fixture('units.csv'));
  await personnel.importFile(fixture('personnel.csv'));

  const seededAt = Date.now();
  const adminPeople = {
    th: { ...TEST_PERSON, pid: pidWithCheckDigit('310080000011'), given_name: 'สมชาย', family_name: 'ดูแลดี', phone_number: '0868880011', phone_verified: true },
    en: { ...TEST_PERSON, pid: pidWithCheckDigit('310080000012'), given_name: 'สมศรี', family_name: 'ดูแลดี', phone_number: '0868880012', phone_verified: true },
  };
  let adminSub = '';
  for (const p of Object.values(adminPeople)) {
    await accounts.create(p);
    adminSub = (await units.bootstrapAdmin({ pid: p.pid, operator: 'somchai', reason: 'first administrator' })).sub;
  }
  // the two health personnel of unit 10699 in samples/personnel.csv
  const doctorPeople = {
    th: { ...TEST_PERSON, phone_verified: true },
    en: { ...TEST_PERSON, pid: '3250100123450', given_name: 'ประเสริฐ', family_name: 'ใจงาม', given_name_en: 'Prasert', family_name_en: 'Jai-ngam', birthdate: '1979-08-02', phone_number: '0868880021', phone_verified: true },
  };
  let doctor = '';
  for (const p of Object.values(doctorPeople)) {
    doctor = (await accounts.create(p)).sub;
    await personnel.link((await accounts.findBySub(doctor))!);
    await units.bootstrapVerifier({ pid: p.pid, hcode: '10699', operator: 'somchai', reason: 'in-person check' });
    await units.grant({ sub: doctor, role: 'unit_admin', hcode: '10699', by: adminSub, reason: 'director of the unit' });
  }
  const who = (p: typeof TEST_PERSON) => ({ pid: p.pid, password: p.password, e164: e164(p.phone_number) });

  const citizen = { ...TEST_PERSON, pid: pidWithCheckDigit('310090000021'), given_name: 'มานี', family_name: 'ใจดี', birthdate: '1980-05-05', phone_number: '0861234521', phone_verified: true };
  const photoPerson = { ...TEST_PERSON, pid: pidWithCheckDigit('310090000022'), given_name: 'ชูใจ', family_name: 'มีสุข', birthdate: '1990-02-02', phone_number: '0861234522', phone_verified: true };
  for (const p of [citizen, photoPerson]) {
    const { sub } = await accounts.create(p);
    await db.tx((q) => recordEvidence(q, { sub, method: 'register_check', checks: ['register_check'], documents: [], unitHcode: '10699', decision: 'approved' }));
  }

  // the photo, sent from /account/verify as the person's browser does
  const person = new Person(zone.idp.url);
  const verify = `${zone.idp.url}/account/verify`;
  const page = await logInThrough(person, zone.idp.url, verify, photoPerson, verify);
  const form = new FormData();
  form.set('csrf', Person.csrf(page));
  form.set('unit', '10699');
  form.set('face_with_card', new Blob([new Uint8Array(facePhoto('p1_with_card'))], { type: 'image/jpeg' }), 'face.jpg');
  form.set('card_front', new Blob([new Uint8Array(facePhoto('p1_card_front'))], { type: 'image/jpeg' }), 'card.jpg');
  const photoAt = Date.now();
  const sent = await person.follow('/account/verify/photo', { method: 'POST', body: form });
  if (sent.res.status >= 400) throw new Error(`the photo was not accepted: ${sent.res.status}`);

  const agentName = 'Counter 1';
  const { code } = await cardAgents.createPairingCode({ hcode: '10699', by: doctor });
  const key = await jose.generateKeyPair('ES256');
  await cardAgents.pair({ code, jwk: await jose.exportJWK(key.publicKey), name: agentName, version: '1.0.0', clientAddress: '127.0.0.1' });

  const client = await addClient(zone.idp, { client_name: 'Mor Prom app', redirect_uris: ['https://rp.example.test/cb'], grant_types: ['authorization_code'], scope: 'openid profile' });
  const population = readFileSync(zone.idp.config.populationFile, 'utf8').split('\n');
  let n = 0;
  return {
    zone,
    client,
    doctors: { th: { ...who(doctorPeople.th), name: `${doctorPeople.th.given_name} ${doctorPeople.th.family_name}` }, en: { ...who(doctorPeople.en), name: `${doctorPeople.en.given_name} ${doctorPeople.en.family_name}` } },
    admins: { th: who(adminPeople.th), en: who(adminPeople.en) },
    citizen,
    photoPerson,
    photoAt,
    seededAt,
    agentName,
    patients: { th: population[1]!.split(',')[0]!, en: population[2]!.split(',')[0]! },
    certifierPid: citizen.pid,
    newcomer() {
      n += 1;
      const phone = `08712300${String(n).padStart(2, '0')}`;
      return { pid: pidWithCheckDigit(`14099000${String(n).padStart(4, '0')}`), phone, e164: e164(phone), password: 'green mango sticky rice' };
    },
  };
}
