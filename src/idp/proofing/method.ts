// The contract of a proofing method, one object per folder under methods/ (as a Kratos strategy or a
// better-auth plugin): what it is, the checks it may record, what its evidence vouches for, the flows it
// joins with their routes, page sections and messages, and where a person stands with it. methods/index.ts lists them once;
// /account/verify and the verifier console loop over that list and name no method themselves.
import type { Router } from '@koa/router';
import type { Database } from '../../kernel/db/index.ts';
import type { Pii } from '../../kernel/pii/index.ts';
import type { Lang } from '../../kernel/http/i18n.ts';
import type { Html } from '../../kernel/web/html.ts';
import type { FieldErrors } from '../../kernel/web/form.ts';
import type { Ial } from '../../kernel/assurance.ts';
import type { Accounts, IdentityAttribute } from '../account/index.ts';
import type { Units } from '../units/index.ts';
import type { Check } from './policy.ts';
import type { PopulationRegister } from './population_register.ts';
import type { FaceMatcher } from '../../kernel/face_match/index.ts';
import type { Upstreams } from '../upstream/index.ts';
import type { VerifyPage } from './routes.ts';
import type { StepState } from './views.ts';

export type { StepState } from './views.ts';
import type { VerifierConsole } from './verifier/routes.ts';

/** What a method may be built from; each takes only what it needs. */
export interface ProofingDeps {
  db: Database;
  pii: Pii;
  accounts: Accounts;
  units: Units;
  /** the population register's card-status check; without it the register check is unavailable */
  population?: PopulationRegister;
  faceMatcher?: FaceMatcher;
  faceMatchThreshold?: number;
  /** the unit's card reader agent as the verifiers' browsers reach it (CARD_AGENT_URL) */
  cardAgentUrl: string;
  testZone: boolean;
  /** upstream identity providers (ThaID); without ThaID the digital ID method is unavailable */
  upstreams?: Upstreams;
}

export interface ProofingMethod<Status = unknown> {
  /** its name in evidence.method and in the audit log */
  id: string;
  /** the checks it may record (policy.ts); the policy table, not the method, turns them into a level */
  checks: readonly Check[];
  /** the levels it offers, each on top of the evidence the policy table asks for first */
  levels: readonly Ial[];
  /**
   * What its evidence vouches for, by the name it is recorded under (evidence.method): the account's
   * identity attributes it compared with the card or the register, and its name for the person. While
   * such evidence stands those attributes are locked (verified_attributes.ts).
   */
  evidence: Readonly<Record<string, { covers: readonly IdentityAttribute[]; label(lang: Lang): string }>>;
  /** its strings in both languages (merged into the catalogue by proofing/messages.ts) */
  messages: { th: Record<string, string>; en: Record<string, string> };
  /** where the person stands with it (tries left, a submission waiting …) */
  status?(sub: string): Promise<Status>;
  /** The citizen flow: a step of /account/verify and the forms it posts under /account/verify/. */
  citizen?: {
    /**
     * Its step: the level it gives (the policy row of that level says which other checks come first) and,
     * in the person's words, what it is, what it needs and what it gives. The page numbers the steps.
     */
    step: { level: Ial; title(lang: Lang): string; needs(lang: Lang): string; gives(lang: Lang): string };
    /** Its part of the step, for where the person stands (the page gives the heading and the words around it). */
    section(v: { sub: string; lang: Lang; csrf: string; errors: FieldErrors; status: Status; step: StepState; ial: Ial | undefined }): Promise<Html>;
    /** the labels of its fields, for the page's error summary */
    fields?(lang: Lang): Record<string, string>;
    routes?(router: Router, page: VerifyPage): void;
  };
  /** The verifier flow, in the console at /verifier (an appointed verifier at one of their units). */
  verifier?: {
    /** forms for the person the verifier found, below their names on the console's page */
    personSection?(v: { lang: Lang; csrf: string; unit: string; sub: string; verifierSub: string; errors: FieldErrors }): Html | Promise<Html>;
    /** the scripts (served from /static) its forms need on the console's page */
    scripts?: readonly string[];
    fields?(lang: Lang): Record<string, string>;
    routes?(router: Router, console: VerifierConsole): void;
  };
}

/** A method's factory, as methods/index.ts lists it. */
export type ProofingMethodFactory = (deps: ProofingDeps) => ProofingMethod;

/** Declares a method with its own status type; the lists hold it as a plain ProofingMethod. */
export const proofingMethod = <Status>(m: ProofingMethod<Status>): ProofingMethod => m as ProofingMethod;
