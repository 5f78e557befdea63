// A record that a statement of this request has already read, handed to the next lookup of it in the same
// request (adapter.ts) instead of a second read: the client read with the client-auth limit
// (client_auth_limit.ts), the consent read by the grant lookup (grant_policy.ts), a token's grant read
// with the token and an interaction's client read with the interaction (adapter.ts). Kept on the
// request's own object (requestScope, src/kernel/http/request_id.ts), so nothing outlives the request and
// nothing is kept outside one; each is taken once. (A property of that object, not a WeakMap keyed by it:
// a WeakMap entry per request is work for every garbage collection.)
import { requestScope } from '../../kernel/http/request_id.ts';

const PREFETCHED = Symbol('prefetched records');

type Holder = { [PREFETCHED]?: Map<string, unknown> };

const key = (model: string, id: string) => `${model}\0${id}`;

/** `payload` undefined: read and not found (the lookup then finds nothing without asking again). Outside
 *  a request, nothing is kept. */
export function prefetch(model: string, id: string, payload: unknown): void {
  const holder = requestScope() as Holder | undefined;
  if (holder) (holder[PREFETCHED] ??= new Map()).set(key(model, id), payload);
}

/** The record of this model and id that this request read already, if any; at most once. */
export function takePrefetched(model: string, id: string): { payload: unknown } | undefined {
  const byRecord = (requestScope() as Holder | undefined)?.[PREFETCHED];
  const k = key(model, id);
  if (!byRecord?.has(k)) return undefined;
  const payload = byRecord.get(k);
  byRecord.delete(k);
  return { payload };
}
