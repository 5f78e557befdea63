// The ETDA identity assurance levels, weakest first.
export const IAL_LEVELS = ['1.1', '1.2', '1.3', '2.1', '2.2', '2.3', '3'] as const;
export type Ial = (typeof IAL_LEVELS)[number];
