// A record that a statement of this request has already read, handed to oidc-provider's next lookup of
// it in the same request (adapter.ts) instead of a second read: the client read with the client-auth
// limit (client_auth_limit.ts), the consent read by the grant lookup (grant_policy.ts), a token's grant
// read with the token (adapter.ts). Kept on the request's context, so nothing outlives the request; each
// is taken once. (A property of the context, not a WeakMap keyed by it: a WeakMap entry per request is
// work for every garbage collection.)
const PREFETCHED = Symbol('prefetched records');

type Holder = { [PREFETCHED]?: Map<string, unknown> };

const key = (model: string, id: string) => `${model}\0${id}`;

/** `payload` undefined: read and not found (the lookup then finds nothing without asking again). */
export function prefetch(ctx: object, model: string, id: string, payload: unknown): void {
  const holder = ctx as Holder;
  (holder[PREFETCHED] ??= new Map()).set(key(model, id), payload);
}

/** The record of this model and id that this request read already, if any; at most once. */
export function takePrefetched(ctx: object | undefined, model: string, id: string): { payload: unknown } | undefined {
  const byRecord = (ctx as Holder | undefined)?.[PREFETCHED];
  const k = key(model, id);
  if (!byRecord?.has(k)) return undefined;
  const payload = byRecord.get(k);
  byRecord.delete(k);
  return { payload };
}
