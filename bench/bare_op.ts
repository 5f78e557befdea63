// The yardstick of bench/compare.ts: oidc-provider 9 alone, with an in-memory adapter (a Map) and no
// application logic — one static confidential client, accounts in a Map, a login form that checks one
// argon2id hash (the same library and parameters as the IdP) and grants what was asked. RS256 ID tokens
// (or BENCH_ID_TOKEN_ALG), rotating refresh tokens, as the IdP. Never used outside the benchmark.
//   PORT=… BENCH_CLIENT_ID=… BENCH_CLIENT_SECRET=… BENCH_REDIRECT=… BENCH_PIDS=a,b,c BENCH_PASSWORD=… node bench/bare_op.ts
import { createServer } from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import Provider, { type Adapter, type AdapterPayload } from 'oidc-provider';
import { createPasswordHasher } from '../src/idp/authenticators/password/hash.ts';

const env = process.env;
const port = Number(env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const argon2 = { memoryKiB: Number(env.ARGON2_MEMORY_KIB ?? 19456), timeCost: Number(env.ARGON2_TIME_COST ?? 2), parallelism: Number(env.ARGON2_PARALLELISM ?? 1) };
const hasher = createPasswordHasher({ ...argon2, maxConcurrent: Number(env.ARGON2_MAX_CONCURRENT ?? 4) });
const hash = await hasher.hash(env.BENCH_PASSWORD!);
const accounts = new Map((env.BENCH_PIDS ?? '').split(',').map((pid, i) => [pid, { sub: `sub-${i}`, hash }]));

// oidc-provider's own development adapter keeps at most 1,000 records (an LRU), so under load it drops
// the grants and refresh tokens the benchmark still holds: a plain Map instead, with expiry
interface Entry { payload: AdapterPayload; expiresAt?: number }
const store = new Map<string, Entry>();
const byUid = new Map<string, string>();
const byGrant = new Map<string, Set<string>>();
setInterval(() => {
  const now = Date.now();
  for (const [k, e] of store) if (e.expiresAt && e.expiresAt < now) store.delete(k);
}, 10_000).unref();
class MapAdapter implements Adapter {
  name: string;
  constructor(name: string) {
    this.name = name;
  }
  key = (id: string) => `${this.name}:${id}`;
  async upsert(id: string, payload: AdapterPayload, expiresIn?: number) {
    store.set(this.key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined });
    if (payload.uid) byUid.set(payload.uid, id);
    if (payload.grantId) (byGrant.get(payload.grantId) ?? byGrant.set(payload.grantId, new Set()).get(payload.grantId)!).add(this.key(id));
  }
  async find(id: string) {
    const e = store.get(this.key(id));
    if (!e || (e.expiresAt && e.expiresAt < Date.now())) return undefined;
    return e.payload;
  }
  async findByUid(uid: string) {
    const id = byUid.get(uid);
    return id ? this.find(id) : undefined;
  }
  async findByUserCode() {
    return undefined;
  }
  async consume(id: string) {
    const e = store.get(this.key(id));
    if (e) e.payload = { ...e.payload, consumed: Math.floor(Date.now() / 1000) };
  }
  async destroy(id: string) {
    store.delete(this.key(id));
  }
  async revokeByGrantId(grantId: string) {
    for (const k of byGrant.get(grantId) ?? []) store.delete(k);
    byGrant.delete(grantId);
  }
}

const API = env.BENCH_API ?? 'https://api.bench.example';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
const provider = new Provider(issuer, {
  adapter: MapAdapter,
  clients: [
    {
      client_id: env.BENCH_CLIENT_ID!,
      client_secret: env.BENCH_CLIENT_SECRET!,
      redirect_uris: [env.BENCH_REDIRECT!],
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      scope: 'openid offline_access',
      id_token_signed_response_alg: (env.BENCH_ID_TOKEN_ALG ?? 'RS256') as 'RS256',
    },
  ],
  jwks: { keys: [{ ...rsa, kid: 'bench-rsa', use: 'sig' } as never, { ...ec, kid: 'bench-ec', use: 'sig' } as never] },
  cookies: { keys: ['bench cookie key, not a secret'] },
  scopes: ['openid', 'offline_access'],
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    // one API, as a resource server of ours is: JWT access tokens (RFC 9068) signed ES256, never stored
    resourceIndicators: {
      enabled: true,
      defaultResource: () => undefined as never,
      useGrantedResource: () => false,
      getResourceServerInfo: (_ctx, resource) => {
        if (resource !== API) throw new Error(`unknown resource ${resource}`);
        return { scope: 'read', audience: API, accessTokenTTL: 900, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'ES256' } } };
      },
    },
  },
  pkce: { required: () => false },
  rotateRefreshToken: true,
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
});

provider.use(async (ctx, next) => {
  const m = ctx.path.match(/^\/interaction\/([\w-]+)(\/login)?$/);
  if (!m) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (ctx.method === 'GET') {
    ctx.type = 'html';
    ctx.body = `<!doctype html><form method="post" action="/interaction/${details.uid}/login"><input type="hidden" name="csrf" value="-"><input name="pid"><input name="password" type="password"><button>Log in</button></form>`;
    return;
  }
  const form = new URLSearchParams(await new Promise<string>((resolve) => {
    let body = '';
    ctx.req.setEncoding('utf8');
    ctx.req.on('data', (c: string) => (body += c)).on('end', () => resolve(body));
  }));
  const account = accounts.get(form.get('pid') ?? '');
  if (!account || !(await hasher.verify(account.hash, form.get('password') ?? ''))) {
    ctx.status = 400;
    ctx.body = 'wrong credentials';
    return;
  }
  const grant = new provider.Grant({ accountId: account.sub, clientId: details.params.client_id as string });
  grant.addOIDCScope(String(details.params.scope));
  const grantId = await grant.save();
  const location = await provider.interactionResult(ctx.req, ctx.res, { login: { accountId: account.sub }, consent: { grantId } });
  ctx.status = 303;
  ctx.redirect(location);
});

createServer(provider.callback()).listen(port, '127.0.0.1');
// exit on SIGTERM (not killed by it), so that a --cpu-prof profile is written
process.on('SIGTERM', () => process.exit(0));
