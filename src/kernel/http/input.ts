// The edge of both services: a request's text — its path, its query and an urlencoded or JSON body —
// must be UTF-8 without NUL characters (PostgreSQL refuses NUL in text) and JSON no deeper than
// MAX_JSON_DEPTH, before any route or oidc-provider reads it. A body is read here and put back into
// the request stream (stream.unshift), so whichever parser comes next reads it unchanged.
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import type { Context, Next } from 'koa';

/** Above every body parser's own limit (oidc-provider's is 56 KiB, ours 16–32 KiB). */
export const MAX_TEXT_BODY = 64 * 1024;
export const MAX_JSON_DEPTH = 32;

export interface Refusal {
  status: 400 | 413;
  description: string;
}

/** Answers a refused request in the shape its route answers errors (an error page, JSON, an OIDC error). */
export type Refuse = (ctx: Context, refusal: Refusal) => void | Promise<void>;

const NOT_TEXT: Refusal = { status: 400, description: 'the request contains a NUL character or bytes that are not UTF-8 text' };
const TOO_DEEP: Refusal = { status: 400, description: `the JSON body is nested more than ${MAX_JSON_DEPTH} levels deep` };
const TOO_LARGE: Refusal = { status: 413, description: 'the request body is too large' };
const UNREADABLE: Refusal = { status: 400, description: 'the request body could not be read' };

export function requestText(refuse: Refuse) {
  return async function requestTextMiddleware(ctx: Context, next: Next) {
    const refusal = (isText(ctx.path) && isText(ctx.querystring) ? undefined : NOT_TEXT) ?? (await bodyRefusal(ctx));
    if (refusal) {
      // the rest of a body read here is drained unread, as Node does for bodies nobody read: the
      // client gets its answer instead of a reset connection
      ctx.req.resume();
      return refuse(ctx, refusal);
    }
    await next();
  };
}

const bytesOf = (s: string) => Buffer.from(s, /^[\0-\xff]*$/.test(s) ? 'latin1' : 'utf8');

/** Percent-encoded text (a path, a query, a form body) decodes to UTF-8 bytes without NUL. */
function isText(raw: string | Buffer): boolean {
  const bytes = percentDecoded(typeof raw === 'string' ? bytesOf(raw) : raw);
  return !bytes.includes(0) && isUtf8(bytes);
}

const hex = (c: number | undefined) => c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));

/** %XX escapes decoded; a malformed one is kept as it is, as Node's querystring and the router do. */
function percentDecoded(raw: Buffer): Buffer {
  if (!raw.includes(0x25)) return raw;
  const out = Buffer.allocUnsafe(raw.length);
  let j = 0;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === 0x25 && hex(raw[i + 1]) && hex(raw[i + 2])) {
      out[j++] = parseInt(String.fromCharCode(raw[i + 1]!, raw[i + 2]!), 16);
      i += 2;
    } else out[j++] = raw[i]!;
  }
  return out.subarray(0, j);
}

async function bodyRefusal(ctx: Context): Promise<Refusal | undefined> {
  const kind = ctx.is('urlencoded', 'json', '+json', 'application/csp-report');
  if (!kind || ctx.get('content-length') === '0') return undefined;
  const body = await peekBody(ctx.req, MAX_TEXT_BODY);
  if (body === 'too_large') return TOO_LARGE;
  if (body === 'unreadable') return UNREADABLE;
  if (kind === 'urlencoded') return isText(body) ? undefined : NOT_TEXT;
  if (body.includes(0) || !isUtf8(body)) return NOT_TEXT;
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined; // not JSON: the route's parser refuses it in its own words
  }
  return jsonRefusal(value);
}

/** Strings (values and keys) without NUL or lone surrogates (`"\u0000"`, `"\ud800"`), not too deep. */
function jsonRefusal(value: unknown): Refusal | undefined {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\0') || !v.isWellFormed()) return NOT_TEXT;
    } else if (v !== null && typeof v === 'object') {
      if (depth >= MAX_JSON_DEPTH) return TOO_DEEP;
      for (const [k, item] of Object.entries(v)) {
        if (k.includes('\0') || !k.isWellFormed()) return NOT_TEXT;
        stack.push([item, depth + 1]);
      }
    }
  }
  return undefined;
}

/**
 * Reads the whole body without ending the stream, then puts it back at its front: the next reader
 * (oidc-provider, @koa/bodyparser) sees an unread stream. Only read() while bytes are buffered: a read()
 * on an empty, finished stream would emit 'end', after which nothing can be put back.
 */
function peekBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too_large' | 'unreadable'> {
  // finished and empty: nothing to read (and listening for 'readable' now would end the stream)
  if (req.complete && req.readableLength === 0) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: 'body' | 'too_large' | 'unreadable') => {
      req.off('readable', onReadable);
      req.off('error', onFailure);
      req.off('close', onFailure);
      const body = Buffer.concat(chunks, size);
      if (size && result !== 'unreadable') req.unshift(body);
      resolve(result === 'body' ? body : result);
    };
    const onFailure = () => finish('unreadable');
    const onReadable = () => {
      while (req.readableLength > 0) {
        const chunk = req.read() as Buffer | null;
        if (chunk === null) break;
        chunks.push(chunk);
        size += chunk.length;
        if (size > limit) return finish('too_large');
      }
      if (req.complete) finish('body');
    };
    req.on('readable', onReadable);
    req.on('error', onFailure);
    req.on('close', onFailure);
  });
}
