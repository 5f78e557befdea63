// The ETDA assurance vocabulary both services speak: identity assurance levels (IAL, the `ial` claim)
// and authenticator assurance levels (AAL, carried in `acr`), each weakest first, so a rank compares
// them. Which evidence or factors reach a level is the IdP's policy, not this file's.
export const IAL_LEVELS = ['1.1', '1.2', '1.3', '2.1', '2.2', '2.3', '3'] as const;
export type Ial = (typeof IAL_LEVELS)[number];

/** The level's place, weakest 0; -1 for what is not a level. */
export const ialRank = (ial: unknown): number => IAL_LEVELS.indexOf(ial as Ial);
export const isIal = (v: unknown): v is Ial => ialRank(v) >= 0;

export const ACR_VALUES = ['urn:th:etda:aal:1', 'urn:th:etda:aal:2.1', 'urn:th:etda:aal:2.2', 'urn:th:etda:aal:3'] as const;
export type Acr = (typeof ACR_VALUES)[number];

/** The level's place, weakest 0; -1 for what is not a level. */
export const acrRank = (acr: string | undefined): number => ACR_VALUES.indexOf(acr as Acr);
