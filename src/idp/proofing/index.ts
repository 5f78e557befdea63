// Identity proofing, as the rest of the IdP sees it: the levels and what reaches them, evidence and its
// revocation, the lock on the identity data evidence vouches for, verified_claims, the registers and matchers a method may use, and the two HTTP areas
// (/account/verify and the verifier console) built from the method list. Nothing outside proofing
// imports methods/ or the other files here directly.
import type Provider from 'oidc-provider';
import { PROOFING_METHODS } from './methods/index.ts';
import type { ProofingDeps, ProofingMethod } from './method.ts';
import { verifyRoutes } from './routes.ts';
import { verifierRoutes } from './verifier/routes.ts';
import { createVerifiedAttributes } from './verified_attributes.ts';
import type { IdentityLock } from '../account/index.ts';
import type { UpstreamAssertion } from '../upstream/index.ts';
import { createDigitalId, PROVIDER as DIGITAL_ID_PROVIDER } from './methods/digital_id/index.ts';
import { digitalIdRegistration, type DigitalIdRegistration } from './methods/digital_id/registration.ts';

export { IAL_LEVELS, accountIal, ialRank, isIal, requiredIal, type Ial } from './ial.ts';
export { CHECKS, IAL_POLICY, ialFromChecks, type Check } from './policy.ts';
export { approvedEvidence, evidenceForExport, recordEvidence, type EvidenceRecord, type ExportedEvidence, type NewEvidence } from './evidence.ts';
export { revokeEvidenceAndLogOut, type RevocationResult } from './revocation.ts';
export { erasePhotosOf } from './methods/photo_with_card/index.ts';
export { IDA_DISCOVERY, verifiedClaims } from './verified_claims.ts';
export { HttpPopulationRegister, SyntheticPopulationRegister, birthdateToBE, type PopulationRegister } from './population_register.ts';
export type { FaceMatcher } from '../../kernel/face_match/index.ts';
export { verifierSession } from './verifier/routes.ts';
export type { ProofingDeps, ProofingMethod } from './method.ts';
export { REGISTER_PURPOSE as DIGITAL_ID_REGISTER_PURPOSE, type DigitalIdRegistration, type Vouched } from './methods/digital_id/registration.ts';
export { PURPOSE as DIGITAL_ID_VERIFY_PURPOSE } from './methods/digital_id/routes.ts';

export interface Proofing {
  methods: ProofingMethod[];
  /** names that evidence vouches for change only through this (the account pages get it from app.ts) */
  identityLock: IdentityLock;
  /** registration with DOPA's digital ID (the registration pages get it from app.ts) */
  digitalIdRegistration: DigitalIdRegistration;
  /** the account a validated upstream login proved before (a login with ThaID, where it is allowed) */
  accountProvedBy(a: UpstreamAssertion): Promise<string | undefined>;
  /** /account/verify, then the verifier console at /verifier */
  routers(deps: { provider: Provider; issuer: string }): ReturnType<typeof verifyRoutes>[];
}

/** Builds every method of methods/index.ts once; the page and the console share the instances. */
export function createProofing(deps: ProofingDeps): Proofing {
  const methods = PROOFING_METHODS.map((make) => make(deps));
  const digitalId = createDigitalId({ db: deps.db, pii: deps.pii, accounts: deps.accounts, provider: deps.upstreams?.provider(DIGITAL_ID_PROVIDER) });
  return {
    methods,
    identityLock: createVerifiedAttributes({ db: deps.db, accounts: deps.accounts, methods }),
    digitalIdRegistration: digitalIdRegistration(digitalId, deps.upstreams),
    accountProvedBy: (a) => digitalId.accountProvedBy(a),
    routers: ({ provider, issuer }) => [
      verifyRoutes({ provider, db: deps.db, methods }),
      verifierRoutes({ provider, db: deps.db, accounts: deps.accounts, units: deps.units, issuer, methods }),
    ],
  };
}
