// The local API (node:http), for this computer only:
// - the Host header must name the agent on loopback (else 421: a DNS-rebinding page is refused);
// - a request with an Origin outside ALLOWED_ORIGINS is refused (403) before anything touches the card,
//   and so is a cross-site browser request that hides its origin (Sec-Fetch-Site without Origin);
// - allowed origins get CORS headers, and Access-Control-Allow-Private-Network on preflight (Chrome's
//   Private Network Access: a public https page calling 127.0.0.1).
// Paths: the NHSO agent's (/api/smartcard/*, /api/nhso-service/*, /api/preference) in its Spring error
// shape; /api/mpid/card-read for Mor Prom ID pages; /api/mpid/pair for the local command only;
// /api/status, /api/openapi.json and the status page at /.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config.ts';
import { AGENT_VERSION } from '../config.ts';
import type { Logger } from '../log.ts';
import type { AgentService } from '../service.ts';
import { HttpError, refusalOf, springError, type Refusal } from './errors.ts';
import { imageFlag, nhsoCard, nhsoRead, terminalsBody } from './nhso.ts';
import { openApiDocument } from './openapi.ts';
import { STATUS_CSP, STATUS_CSS, statusHtml } from './status.ts';

const MAX_BODY = 16 * 1024;
const PID = /^\d{13}$/;
const FORWARDED = /^\/api\/nhso-service\/(save-as-draft|confirm-save|latest-authen-code\/[^/]+|latest-5-authen-code-all-hospital\/[^/]+)$/;

interface Call {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  origin?: string;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(bytes.length), ...headers });
  res.end(bytes);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, 'payload_too_large', `the body is larger than ${MAX_BODY / 1024} KB`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const bytes = await readBody(req);
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new HttpError(415, 'unsupported_media_type', 'send the body as application/json');
  let v: unknown;
  try {
    v = JSON.parse(bytes.toString('utf8') || '{}');
  } catch {
    throw new HttpError(400, 'invalid_request', 'the body is not valid JSON');
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new HttpError(400, 'invalid_request', 'the body must be a JSON object');
  return v as Record<string, unknown>;
}

function flag(url: URL): boolean {
  const f = imageFlag(url.searchParams.get('readImageFlag'));
  if (f === undefined) throw new HttpError(400, 'invalid_request', 'readImageFlag must be true or false');
  return f;
}

export function createApiServer(deps: { service: AgentService; config: Config; log: Logger }): Server {
  const { service, config, log } = deps;
  const allowed = new Set(config.allowedOrigins);
  let server: Server;
  const port = () => (server.address() as AddressInfo | null)?.port ?? config.port;
  const hostOk = (host: string | undefined) => {
    const p = port();
    return !!host && [`127.0.0.1:${p}`, `localhost:${p}`, `[::1]:${p}`].includes(host.toLowerCase());
  };

  const corsHeaders = (origin: string | undefined): Record<string, string> => (origin ? { 'access-control-allow-origin': origin, vary: 'Origin' } : {});
  const common = (call: Call) => ({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...corsHeaders(call.origin) });

  function refuse(call: Call, r: Refusal) {
    const mpid = call.url.pathname.startsWith('/api/mpid/');
    // Mor Prom ID pages read `code`; hospital systems read the Spring shape
    send(call.res, r.status, mpid ? { error: r.code, code: r.code, message: r.message } : springError(r, call.url.pathname), common(call));
  }

  async function route(call: Call) {
    const { req, res, url } = call;
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const ok = (body: unknown, status = 200) => send(res, status, body, common(call));
    const only = (m: string) => {
      if (method !== m && !(m === 'GET' && method === 'HEAD')) throw new HttpError(405, 'method_not_allowed', `use ${m} for ${path}`);
    };

    if (path === '/' || path === '/status') {
      only('GET');
      const html = Buffer.from(statusHtml(service.status()));
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(html.length), 'content-security-policy': STATUS_CSP, 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      return void res.end(html);
    }
    if (path === '/status.css') {
      only('GET');
      res.writeHead(200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'max-age=3600', 'x-content-type-options': 'nosniff' });
      return void res.end(STATUS_CSS);
    }
    if (path === '/api/status') return only('GET'), ok(service.status());
    if (path === '/api/openapi.json') return only('GET'), ok(openApiDocument(`http://${req.headers.host}`));
    if (path === '/api/preference') {
      only('GET');
      const s = service.status();
      return ok({ token: null, agent: { name: 'mpid-card-agent', version: AGENT_VERSION, paired: s.pairing.paired, ...(s.pairing.paired ? { hcode: s.pairing.hcode, unit_name: s.pairing.unit_name } : {}) } });
    }
    if (path === '/api/smartcard/terminals') return only('GET'), ok(terminalsBody(await service.terminals()));
    if (path === '/api/smartcard/read-card-only') {
      only('GET');
      const image = flag(url);
      const r = await service.readCard({ photo: image });
      return ok(nhsoCard(r.card, { image }));
    }
    if (path === '/api/smartcard/read') {
      only('GET');
      const image = flag(url);
      const { read, entitlement } = await service.readWithEntitlement({ photo: image });
      if (entitlement.status !== 200) return send(res, entitlement.status, entitlement.body, { ...common(call), 'content-type': entitlement.contentType });
      let e: Record<string, unknown>;
      try {
        e = JSON.parse(entitlement.body.toString('utf8')) as Record<string, unknown>;
      } catch {
        throw new HttpError(503, 'entitlement_unavailable', 'the card was read but the entitlement could not be checked: Authen Code gave an answer that is not JSON');
      }
      return ok(nhsoRead(read.card, e, { image }));
    }
    const forwarded = FORWARDED.exec(path);
    if (forwarded) {
      const post = !path.includes('/latest-');
      only(post ? 'POST' : 'GET');
      if (!post && !PID.test(decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)))) throw new HttpError(400, 'invalid_pid', 'the ID number in the path must be 13 digits');
      const body = post ? await readBody(req) : undefined;
      const a = await service.forward({ method, path, search: url.search, body, contentType: req.headers['content-type'] });
      return send(res, a.status, a.body, { ...common(call), 'content-type': a.contentType });
    }
    if (path === '/api/mpid/card-read') {
      only('POST');
      const b = await jsonBody(req);
      if (b.readImage !== undefined && typeof b.readImage !== 'boolean') throw new HttpError(400, 'invalid_request', 'readImage must be true or false');
      return ok(await service.cardRead({ nonce: b.nonce, photo: b.readImage !== false }));
    }
    if (path === '/api/mpid/pair') {
      only('POST');
      // the pairing code is typed at this computer: no web page may pair the agent
      if (call.origin || req.headers.origin || req.headers['sec-fetch-site']) throw new HttpError(403, 'forbidden', 'pairing is for the mpid-card-agent command on this computer only');
      const b = await jsonBody(req);
      if (typeof b.code !== 'string') throw new HttpError(400, 'invalid_request', 'code is required (the pairing code from the unit page)');
      if (b.name !== undefined && (typeof b.name !== 'string' || b.name.length > 80)) throw new HttpError(400, 'invalid_request', 'name is at most 80 characters');
      return ok(await service.pair({ code: b.code, name: b.name as string | undefined }));
    }
    throw new HttpError(404, 'not_found', 'no such endpoint');
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://agent.invalid');
    const call: Call = { req, res, url };
    try {
      if (!hostOk(req.headers.host)) throw new HttpError(421, 'misdirected_request', `this agent answers as http://127.0.0.1:${port()} or http://localhost:${port()} only`);
      const origin = req.headers.origin;
      if (origin !== undefined) {
        if (!allowed.has(origin)) throw new HttpError(403, 'origin_not_allowed', `pages from ${origin} may not use this card reader agent (MPID_AGENT_ALLOWED_ORIGINS)`);
        call.origin = origin;
      } else if (url.pathname.startsWith('/api/') && ['cross-site', 'same-site'].includes(String(req.headers['sec-fetch-site']))) {
        throw new HttpError(403, 'origin_not_allowed', 'a cross-site request without an allowed Origin may not use this card reader agent');
      }
      if (req.method === 'OPTIONS') {
        const headers: Record<string, string> = { 'cache-control': 'no-store', ...corsHeaders(call.origin) };
        if (call.origin) {
          headers['access-control-allow-methods'] = 'GET, POST, OPTIONS';
          headers['access-control-allow-headers'] = String(req.headers['access-control-request-headers'] ?? 'content-type').slice(0, 200);
          headers['access-control-max-age'] = '600';
          if (req.headers['access-control-request-private-network'] === 'true') headers['access-control-allow-private-network'] = 'true';
        } else headers.allow = 'GET, POST, OPTIONS';
        res.writeHead(204, headers);
        res.end();
        return;
      }
      await route(call);
    } catch (err) {
      const r = refusalOf(err);
      if (!r) log.error('unexpected error', { path: url.pathname, err: err as Error });
      else if (r.status >= 500 && r.status !== 500) log.warn('refused', { path: url.pathname, status: r.status, error: r.code, err: err as Error });
      if (!res.headersSent) refuse(call, r ?? { status: 500, code: 'internal_error', message: 'the agent could not complete the request' });
      else res.destroy();
    } finally {
      log.info('request', { method: req.method, path: url.pathname, status: res.statusCode, ms: Date.now() - started, ...(call.origin ? { origin: call.origin } : {}) });
    }
  }

  server = createServer((req, res) => void handle(req, res));
  server.headersTimeout = 20_000;
  server.requestTimeout = 90_000;
  return server;
}
