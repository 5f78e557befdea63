// The IdP's commands as one table (in the order the overview lists them), its exit-code exceptions,
// and the IdP-only program that src/idp/cli/main.ts runs. src/cli.ts adds the Authen Code service's.
import { readFileSync } from 'node:fs';
import type { Program, Section } from '../../kernel/cli.ts';
import { RegisterFileError } from '../../kernel/registry/import.ts';
import { RoleError } from '../units/index.ts';
import { auditVerify, migrateCommand } from './database.ts';
import { clientAdd, clientList, clientRotateSecret, clientState, keysInit, keysList, keysRotate, resourceServerAdd, resourceServerDisable, resourceServerEnable, resourceServerList, secretsGenerate } from './oidc.ts';
import { accountAdd, evidenceList, evidenceRevoke } from './accounts.ts';
import { coverageClientAllow, coverageClientList, coverageClientRevoke, coverageImportPersonnel, coverageImportPopulation, personnelImport, populationCountry, populationGenerate, unitsImport, unitsList, unitsServicePoint } from './registers.ts';
import { adminBootstrap, agentList, agentPairingCode, agentRegister, agentRevoke, verifierBootstrap } from './roles.ts';
import { accountUnlock, auditExport, roleGrant, roleList, roleWithdraw } from './admin.ts';

export const idpSection: Section = {
  commands: [
    migrateCommand, clientAdd, clientList, clientRotateSecret, clientState, resourceServerAdd, resourceServerList, resourceServerDisable, resourceServerEnable, accountAdd, personnelImport, populationGenerate, populationCountry, unitsImport, unitsList, unitsServicePoint,
    coverageImportPopulation, coverageImportPersonnel, coverageClientAllow, coverageClientRevoke, coverageClientList,
    adminBootstrap, verifierBootstrap, roleGrant, roleWithdraw, roleList, accountUnlock, agentPairingCode, agentRegister, agentList, agentRevoke, evidenceList, evidenceRevoke, auditVerify, auditExport, keysInit, keysRotate, keysList, secretsGenerate,
  ],
};

/** A refused role appointment and an unusable register file exit 2, as they did before the command table. */
export const idpExitCodeFor = (err: unknown): number | undefined => (err instanceof RoleError || err instanceof RegisterFileError ? 2 : undefined);

const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

export const idpProgram: Program = {
  name: 'mpid',
  version,
  summary: 'the operator\'s command line of Mor Prom ID. JSON in on standard input, JSON out on standard output.',
  sections: [idpSection],
  exitCodeFor: idpExitCodeFor,
};
