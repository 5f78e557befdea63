// Authen Codes in the shape hospitals know (two letters for the service category, then 10 digits,
// e.g. PP1000002437), drawn at random so that one code says nothing about any other. Uniqueness is
// the database's job (a unique index); a collision, about one in 10^10 per pair, is simply redrawn.
import { randomInt } from 'node:crypto';

export const CLAIM_CODE = /^[A-Z]{2}\d{10}$/;

export function newClaimCode(prefix: string): string {
  return prefix + String(randomInt(0, 10_000_000_000)).padStart(10, '0');
}
