// Thai national ID number: 13 digits, the last a check digit (mod 11 over weights 13..2).
export function isValidPid(pid: string): boolean {
  if (!/^\d{13}$/.test(pid)) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(pid[i]) * (13 - i);
  return (11 - (sum % 11)) % 10 === Number(pid[12]);
}

/** Accepts the printed form (1-2345-67890-12-1) or spaces; returns 13 digits or undefined. */
export function normalizePid(input: string): string | undefined {
  const digits = input.replace(/[\s-]/g, '');
  return /^\d{13}$/.test(digits) ? digits : undefined;
}

/** 1234567890121 → 1-2345-xxxxx-12-1 style masking: enough to recognise, not to reuse. */
export function maskPid(pid: string): string {
  return `${pid[0]}-${pid.slice(1, 5)}-xxxxx-${pid.slice(10, 12)}-${pid[12]}`;
}
