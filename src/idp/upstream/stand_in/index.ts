// The test zone's stand-in for DOPA's ThaID: a second oidc-provider instance on its own port, outside
// Mor Prom ID (it imports nothing of the IdP but its config), whose people are the synthetic population
// register's. Its ID tokens carry ThaID's claims (pid, names in Thai and English, birthdate, ial,
// smartcard_code, card dates); a tester picks the person and the level on its login page. In-memory.
import { memoryAdapter } from './memory_adapter.ts';
import { createHash, randomBytes } from 'node:crypto';
import Provider, { type Configuration } from 'oidc-provider';
import type { JWK } from 'jose';
import { generateKeyPair, exportJWK } from 'jose';
import type { Middleware } from 'koa';
import { readCsvRecords } from '../../../kernel/registry/csv.ts';
import { fromBuddhistDate } from '../../../kernel/thai/dates.ts';
import { isValidPid } from '../../../kernel/thai/pid.ts';
import { listen } from '../../../kernel/http/listen.ts';
import { idpVars } from '../../config.ts';
import { roman, TITLE_EN } from './names.ts';
import { standInLoginPage, type StandInPerson } from './views.ts';

interface Person {
  pid: string;
  title: string;
  givenName: string;
  familyName: string;
  birthdate: string;
  cardStatus: string;
}

export interface StandInClient {
  client_id: string;
  redirect_uris: string[];
  client_secret?: string;
  /** public keys, for private_key_jwt */
  jwks?: { keys: JWK[] };
}

export interface StandInThaid {
  issuer: string;
  /** (Re)builds the provider with its people and clients; before it, every request gets 503. */
  configure(o: { populationFile: string; clients: StandInClient[] }): void;
  /** Middleware in front of the provider (tests: an upstream that answers wrongly, or is down). */
  use(m: Middleware): void;
  /** The public keys its tokens are signed with. */
  publicJwks(): JWK[];
  close(): Promise<void>;
}

const SCOPE_CLAIMS = ['pid', 'title', 'given_name', 'family_name', 'name', 'title_en', 'given_name_en', 'family_name_en', 'name_en', 'birthdate', 'gender', 'ial', 'smartcard_code', 'date_of_issuance', 'date_of_expiry'];
const LEVELS = new Set(['1.1', '1.3', '2.2', '2.3']);

/** ThaID's subject for a person: opaque, stable, not the ID number. */
const subjectOf = (pid: string) => `thaid-${createHash('sha256').update(`stand-in thaid ${pid}`).digest('base64url').slice(0, 22)}`;
const digits = (pid: string, salt: string, n: number) => [...createHash('sha256').update(`${salt}${pid}`).digest()].map((b) => b % 10).slice(0, n).join('');

async function loadPeople(file: string): Promise<Map<string, Person>> {
  const people = new Map<string, Person>();
  for await (const { row } of readCsvRecords(file)) {
    people.set(row.pid!, { pid: row.pid!, title: row.title_th!, givenName: row.given_name_th!, familyName: row.family_name_th!, birthdate: row.birthdate || fromBuddhistDate(row.birthdate_be!), cardStatus: row.card_status! });
  }
  return people;
}

function claimsOf(p: Person, ial: string): Record<string, unknown> {
  const given = roman(p.givenName);
  const family = roman(p.familyName);
  const titleEn = TITLE_EN[p.title];
  const expired = p.cardStatus !== 'valid';
  const issued = expired ? '2016-05-10' : '2023-05-10';
  const expiry = expired ? '2024-05-09' : '2031-05-09';
  return {
    pid: p.pid,
    title: p.title,
    given_name: p.givenName,
    family_name: p.familyName,
    name: `${p.title}${p.givenName} ${p.familyName}`,
    ...(titleEn ? { title_en: titleEn } : {}),
    ...(given ? { given_name_en: given } : {}),
    ...(family ? { family_name_en: family } : {}),
    ...(given && family ? { name_en: `${titleEn ?? ''} ${given} ${family}`.trim() } : {}),
    birthdate: p.birthdate,
    gender: ['นาย', 'เด็กชาย'].includes(p.title) ? 'male' : 'female',
    ial,
    smartcard_code: digits(p.pid, 'smartcard', 12),
    date_of_issuance: issued,
    date_of_expiry: expiry,
  };
}

/** Starts listening at once (port 0: any free port); the provider is built by configure(). */
export async function startStandInThaid(o: { port: number; jwks?: JWK[] }): Promise<StandInThaid> {
  let app: Provider | undefined;
  let handler: ReturnType<Provider['callback']> | undefined;
  const extra: Middleware[] = [];
  const listening = await listen((req, res) => {
    if (!handler) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('the stand-in ThaID is not configured yet');
      return;
    }
    handler(req, res);
  }, o.port, 'THAID_STAND_IN_PORT');
  const issuer = `http://localhost:${listening.port}`;
  let jwks = o.jwks;
  if (!jwks) {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    jwks = [{ ...(await exportJWK(privateKey)), alg: 'ES256', use: 'sig', kid: randomBytes(8).toString('base64url') }];
  }
  const signing = jwks;
  let people: Promise<Map<string, Person>> | undefined;
  const chosenLevel = new Map<string, string>();
  let configured: { populationFile: string; clients: StandInClient[] } | undefined;

  function build(populationFile: string, clients: StandInClient[]): Provider {
    people = undefined;
    const register = () => (people ??= loadPeople(populationFile));
    const bySubject = async (sub: string) => [...(await register()).values()].find((p) => subjectOf(p.pid) === sub);
    const configuration: Configuration = {
      clients: clients.map((c) => ({ ...c, grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: c.jwks ? 'private_key_jwt' : 'client_secret_basic', id_token_signed_response_alg: (signing[0]!.alg ?? 'ES256') as 'ES256', ...(c.jwks ? { token_endpoint_auth_signing_alg: (c.jwks.keys[0]?.alg ?? 'ES256') as 'ES256' } : {}) })),
      jwks: { keys: signing },
      adapter: memoryAdapter(),
      // its own cookie names: cookies do not tell ports apart, and Mor Prom ID's provider uses the defaults
      cookies: { keys: [randomBytes(32).toString('base64url')], names: { session: 'thaid_session', interaction: 'thaid_interaction', resume: 'thaid_interaction_resume' } },
      claims: { openid: ['sub'], ...Object.fromEntries(SCOPE_CLAIMS.map((c) => [c, [c]])) },
      // like ThaID: the claims of the granted scopes are in the ID token too
      conformIdTokenClaims: false,
      pkce: { required: () => true },
      features: { devInteractions: { enabled: false } },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      ttl: { AccessToken: 300, AuthorizationCode: 60, IdToken: 300, Interaction: 600, Session: 600, Grant: 600 },
      async findAccount(_ctx, sub) {
        const p = await bySubject(sub);
        if (!p) return undefined;
        return { accountId: sub, claims: async () => ({ sub, ...claimsOf(p, chosenLevel.get(sub) ?? '2.3') }) };
      },
    };
    const provider = new Provider(issuer, configuration);
    for (const m of extra) provider.use(m);
    provider.use(async (ctx, next) => {
      const m = ctx.path.match(/^\/interaction\/([\w-]+)(?:\/(login|abort))?$/);
      if (!m) return next();
      ctx.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
      ctx.set('Cache-Control', 'no-store');
      // the interaction cookie (SameSite=Lax, bound to this uid) is what a cross-site form cannot send
      const details = await provider.interactionDetails(ctx.req, ctx.res);
      const client = String(details.params.client_id);
      const examples: StandInPerson[] = [...(await register()).values()].filter((p) => p.cardStatus === 'valid').slice(0, 8).map((p) => ({ pid: p.pid, name: `${p.title}${p.givenName} ${p.familyName}` }));
      const page = (status: number, error?: string) => {
        ctx.status = status;
        ctx.type = 'html';
        ctx.body = standInLoginPage({ uid: details.uid, client, examples, error });
      };
      if (ctx.method === 'GET' && !m[2]) return page(200);
      if (ctx.method !== 'POST' || !m[2]) return page(405);
      if (m[2] === 'abort') {
        return provider.interactionFinished(ctx.req, ctx.res, { error: 'access_denied', error_description: 'the person cancelled' }, { mergeWithLastSubmission: false });
      }
      const form = new URLSearchParams(await new Promise<string>((resolve) => {
        let text = '';
        ctx.req.setEncoding('utf8');
        ctx.req.on('data', (c: string) => (text = (text + c).slice(0, 4096)));
        ctx.req.on('end', () => resolve(text));
      }));
      const pid = (form.get('pid') ?? '').replace(/\D/g, '');
      const person = isValidPid(pid) ? (await register()).get(pid) : undefined;
      if (!person) return page(400, 'ไม่พบเลขประจำตัวประชาชนนี้ในทะเบียนจำลอง / Not in the synthetic register');
      const sub = subjectOf(pid);
      const level = form.get('ial') ?? '2.3';
      chosenLevel.set(sub, LEVELS.has(level) ? level : '2.3');
      const grant = new provider.Grant({ accountId: sub, clientId: client });
      grant.addOIDCScope(String(details.params.scope ?? 'openid'));
      const grantId = await grant.save();
      await provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: sub }, consent: { grantId } }, { mergeWithLastSubmission: false });
    });
    return provider;
  }

  const standIn: StandInThaid = {
    issuer,
    configure(c) {
      configured = c;
      app = build(c.populationFile, c.clients);
      handler = app.callback();
    },
    use(m) {
      // before the provider's own routes: the provider is built again with it
      extra.push(m);
      if (configured) standIn.configure(configured);
    },
    publicJwks: () => signing.map(({ d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub }) => pub),
    close: () => listening.close(),
  };
  return standIn;
}

/** The stand-in as `npm start` runs it: its settings for the IdP, then connected to the IdP's issuer. */
export async function startTestZoneThaid(env: NodeJS.ProcessEnv): Promise<{ env: NodeJS.ProcessEnv; connect(c: { issuer: string; populationFile: string }): void; close(): Promise<void> } | undefined> {
  const e = idpVars.load(env);
  if (e.IDP_ZONE !== 'test' || e.THAID_ISSUER || env.THAID === 'off') return undefined;
  const standIn = await startStandInThaid({ port: e.THAID_STAND_IN_PORT });
  const secret = randomBytes(24).toString('base64url');
  const clientId = 'mor-prom-id';
  return {
    env: { ...env, THAID_ISSUER: standIn.issuer, THAID_CLIENT_ID: clientId, THAID_CLIENT_AUTH: 'client_secret_basic', THAID_CLIENT_SECRET: secret },
    connect: (c) => standIn.configure({ populationFile: c.populationFile, clients: [{ client_id: clientId, client_secret: secret, redirect_uris: [`${c.issuer}/upstream/thaid/callback`] }] }),
    close: () => standIn.close(),
  };
}
