// Thai mobile numbers normalised to E.164 (+66 followed by 9 digits starting 6, 8 or 9).
export function normalizeThaiMobile(input: string): string | undefined {
  const compact = input.replace(/[\s().-]/g, '');
  let national: string | undefined;
  if (/^0[689]\d{8}$/.test(compact)) national = compact.slice(1);
  else if (/^\+66[689]\d{8}$/.test(compact)) national = compact.slice(3);
  else if (/^66[689]\d{8}$/.test(compact)) national = compact.slice(2);
  return national ? `+66${national}` : undefined;
}
