// Staff of the test zone's Authen Code service: TEST_PERSON as linked health personnel of the sample
// units (seedStaff), and (staffAtUnit) logged in at unit 10699, with a patient from the synthetic
// register and a card reader agent registered at the unit to sign card reads.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as jose from 'jose';
import type { Zone } from './authencode.ts';
import { Person } from './person.ts';
import { TEST_PERSON } from './server.ts';
import { logInAtService } from './service_login.ts';
import { registerUnitAgent } from '../../src/authencode/agents.ts';

const samples = (name: string) => path.resolve(import.meta.dirname, '../../samples', name);
export const STAFF_HCODE = '10699';

export async function seedStaff(zone: Zone): Promise<void> {
  const { accounts, personnel, units } = zone.idp.app();
  await units.importFile(samples('units.csv'));
  await personnel.importFile(samples('personnel.csv'));
  await personnel.link((await accounts.findBySub((await accounts.create({ ...TEST_PERSON, phone_verified: true })).sub))!);
}

export async function staffAtUnit(zone: Zone): Promise<{ staff: Person; patientPid: string; agent: { key: CryptoKey; agentId: string } }> {
  await seedStaff(zone);
  const patientPid = readFileSync(zone.idp.config.populationFile, 'utf8').split('\n')[1]!.split(',')[0]!;
  const pair = await jose.generateKeyPair('ES256');
  const agentId = await registerUnitAgent(zone.ac.db, { hcode: STAFF_HCODE, jwk: await jose.exportJWK(pair.publicKey), by: 'operator:test' });
  const staff = new Person(zone.ac.url);
  const page = await logInAtService(zone, staff, '/staff', { pid: TEST_PERSON.pid, password: TEST_PERSON.password, e164: '+66812345678' });
  await staff.submit('/staff/unit', { csrf: Person.csrf(page.body), hcode: STAFF_HCODE });
  return { staff, patientPid, agent: { key: pair.privateKey as CryptoKey, agentId } };
}
