// Thai mobile numbers normalised to E.164 (+66 followed by 9 digits starting 6, 8 or 9).
export function normalizeThaiMobile(input: string): string | undefined {
  const compact = input.replace(/[\s().-]/g, '');
  let national: string | undefined;
  if (/^0[689]\d{8}$/.test(compact)) national = compact.slice(1);
  else if (/^\+66[689]\d{8}$/.test(compact)) national = compact.slice(3);
  else if (/^66[689]\d{8}$/.test(compact)) national = compact.slice(2);
  return national ? `+66${national}` : undefined;
}

/** +66812345678 → 08x-xxx-5678: enough for the person to recognise their number. */
export function maskPhone(e164: string): string {
  const local = `0${e164.replace(/^\+66/, '')}`;
  return `${local.slice(0, 2)}x-xxx-${local.slice(-4)}`;
}

/** +66812345678 → 081-234-5678, how Thai people write their own number. */
export function displayPhone(e164: string): string {
  const local = `0${e164.replace(/^\+66/, '')}`;
  return `${local.slice(0, 3)}-${local.slice(3, 6)}-${local.slice(6)}`;
}
