// The `claims` authorization parameter (OpenID Connect Core 5.5): which values a request marks as
// essential for one claim. Malformed JSON asks for nothing (oidc-provider rejects it on its own).
type ClaimRequest = { essential?: unknown; value?: unknown; values?: unknown };

export function essentialClaimValues(claims: unknown, claim: string, where: Array<'id_token' | 'userinfo'> = ['id_token', 'userinfo']): string[] | undefined {
  let parsed: unknown = claims;
  if (typeof claims === 'string') {
    try {
      parsed = JSON.parse(claims);
    } catch {
      return undefined;
    }
  }
  const requests = parsed as Record<string, Record<string, ClaimRequest | null> | undefined> | null | undefined;
  for (const member of where) {
    const request = requests?.[member]?.[claim];
    if (request?.essential !== true) continue;
    if (Array.isArray(request.values)) return request.values.map(String);
    if (request.value !== undefined) return [String(request.value)];
  }
  return undefined;
}
