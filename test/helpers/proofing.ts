// The world most proofing tests start from: the sample unit and personnel registers, and the test
// person as a linked doctor appointed verifier at unit 10699 after an operator's in-person check.
import path from 'node:path';
import type { RunningServer } from '../../src/idp/server.ts';
import { TEST_PERSON } from './server.ts';

const fixture = (name: string) => path.resolve(import.meta.dirname, '../../samples', name);

export async function seedVerifierAtUnit(server: RunningServer, opts: { servicePoint?: boolean } = {}): Promise<string> {
  const { accounts, personnel, units } = server.app();
  await units.importFile(fixture('units.csv'));
  if (opts.servicePoint) await units.setServicePoint('10699', true, 'operator:test');
  await personnel.importFile(fixture('personnel.csv'));
  const doctor = (await accounts.create({ ...TEST_PERSON, phone_verified: true })).sub;
  await personnel.link((await accounts.findBySub(doctor))!);
  await units.bootstrapVerifier({ pid: TEST_PERSON.pid, hcode: '10699', operator: 'somchai', reason: 'in-person check' });
  return doctor;
}
