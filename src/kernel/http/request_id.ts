// The request id that ties one request's log lines together, across both services: taken from
// `x-request-id` only when the direct peer is a trusted address (a proxy, or the other service;
// TRUST_REQUEST_ID_FROM), else generated; answered in the response's `x-request-id`, carried by the
// log lines written while the request runs, and sent on with the calls this service makes (the Authen
// Code service's calls to the IdP). An id a client makes up is never logged.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { Context, Next } from 'koa';

export const REQUEST_ID_HEADER = 'x-request-id';

/** What a trusted peer may send: a UUID or a proxy's id (letters, digits, . _ : -), at most 128 characters. */
const ACCEPTED = /^[A-Za-z0-9._:-]{1,128}$/;

const current = new AsyncLocalStorage<{ id: string }>();

/** The id of the request being handled, if any. */
export const currentRequestId = (): string | undefined => current.getStore()?.id;

/** The request being handled, as an object of its own that is gone with it (for what one request keeps
 *  for itself: src/idp/oidc/prefetch.ts); undefined outside a request. */
export const requestScope = (): object | undefined => current.getStore();

/** Runs `fn` as the request `id`: its log lines carry the id, and requestScope() is this request's own. */
export const asRequest = <T>(id: string, fn: () => T): T => current.run({ id }, fn);

/** Addresses and CIDR ranges (`10.0.0.0/8`, `::1`), comma-separated, whose request ids are kept. */
export function parseTrustedPeers(raw: string): BlockList {
  const list = new BlockList();
  for (const entry of raw.split(',').map((e) => e.trim()).filter(Boolean)) {
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address ?? '');
    const prefix = bits === undefined ? undefined : Number(bits);
    if (!family || extra !== undefined || (prefix !== undefined && !(Number.isInteger(prefix) && prefix >= 0 && prefix <= (family === 4 ? 32 : 128)) || bits === '')) {
      throw new Error(`"${entry}" is not an IP address or CIDR range`);
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address!, type);
    else list.addSubnet(address!, prefix, type);
  }
  return list;
}

function trusted(peers: BlockList | undefined, address: string | undefined): boolean {
  if (!peers || !address) return false;
  const v4 = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  return peers.check(v4, isIP(v4) === 4 ? 'ipv4' : 'ipv6');
}

/** The request's id (kept from a trusted peer, else new), set on ctx.state.requestId and the response. */
export function requestId(peers: BlockList | undefined) {
  return async function requestIdMiddleware(ctx: Context, next: Next) {
    const given = ctx.get(REQUEST_ID_HEADER);
    const id = given && ACCEPTED.test(given) && trusted(peers, ctx.req.socket.remoteAddress) ? given : randomUUID();
    ctx.state.requestId = id;
    ctx.set(REQUEST_ID_HEADER, id);
    try {
      await asRequest(id, next);
    } finally {
      // an error page may have been written from a fresh set of headers
      if (!ctx.headerSent && !ctx.response.get(REQUEST_ID_HEADER)) ctx.set(REQUEST_ID_HEADER, id);
    }
  };
}

/** `fetch` that sends the current request's id with every call (to the other service). */
export function fetchWithRequestId(base: typeof fetch = fetch): typeof fetch {
  return (input, init) => {
    const id = currentRequestId();
    if (!id) return base(input, init);
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    headers.set(REQUEST_ID_HEADER, id);
    return base(input, { ...init, headers });
  };
}
