// How an insurance right is written, on the staff pages and in the API, as the NHSO agent writes it.

/** "(UCS) สิทธิหลักประกันสุขภาพแห่งชาติ". */
export const insclLabel = (x: { code: string; name: string }) => `(${x.code}) ${x.name}`;
