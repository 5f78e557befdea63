// Authenticator assurance levels (ETDA), carried in acr. Ordered weakest first.
export const ACR_VALUES = ['urn:th:etda:aal:1', 'urn:th:etda:aal:2.1', 'urn:th:etda:aal:2.2', 'urn:th:etda:aal:3'] as const;
export type Acr = (typeof ACR_VALUES)[number];

export const acrRank = (acr: string): number => ACR_VALUES.indexOf(acr as Acr);
