// A record that a statement of this request has already read, handed to oidc-provider's next lookup of
// it in the same request (adapter.ts) instead of a second read: the client read with the client-auth
// limit (client_auth_limit.ts), the consent read by the grant lookup (grant_policy.ts). Keyed by the
// request's context, so nothing outlives the request; each is taken once.
const prefetched = new WeakMap<object, Map<string, unknown>>();

const key = (model: string, id: string) => `${model}\0${id}`;

/** `payload` undefined: read and not found (the lookup then finds nothing without asking again). */
export function prefetch(ctx: object, model: string, id: string, payload: unknown): void {
  let byRecord = prefetched.get(ctx);
  if (!byRecord) prefetched.set(ctx, (byRecord = new Map()));
  byRecord.set(key(model, id), payload);
}

/** The record of this model and id that this request read already, if any; at most once. */
export function takePrefetched(ctx: object | undefined, model: string, id: string): { payload: unknown } | undefined {
  const byRecord = ctx && prefetched.get(ctx);
  const k = key(model, id);
  if (!byRecord?.has(k)) return undefined;
  const payload = byRecord.get(k);
  byRecord.delete(k);
  return { payload };
}
