// Mobile numbers as the confirm form and the agent take them: digits only, several separated by
// commas, at least one. Thai numbers: 0 then 8 or 9 digits.
export function parseMobiles(input: unknown): string[] | undefined {
  if (typeof input !== 'string') return undefined;
  const list = input.split(',').map((m) => m.trim()).filter(Boolean);
  if (!list.length || list.length > 5 || !list.every((m) => /^0\d{8,9}$/.test(m))) return undefined;
  return [...new Set(list)];
}
