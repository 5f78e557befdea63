// The IdP's configuration from the environment: every variable declared once below (parser, default,
// documentation: the README's table is generated from it), every value parsed, none trusted.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { faceMatchSettings, faceMatchThreshold, faceMatchVars } from '../kernel/face_match/config.ts';
import { ConfigError, bool, declareVars, decimal, httpUrl, int, metricsListener, minLength, oneOf, postgresUrl, serviceSecrets, sharedVars, text, url, type Env } from '../kernel/config.ts';
import type { JWK } from 'jose';

export { ConfigError, type Zone } from '../kernel/config.ts';

export const idpVars = declareVars({
  IDP_ZONE: sharedVars.IDP_ZONE,
  PORT: sharedVars.PORT,
  ISSUER: { doc: 'the issuer URL; https in production (loopback excepted)', shownDefault: '`http://localhost:${PORT}`', parse: text },
  DATABASE_URL: sharedVars.DATABASE_URL,
  DATABASE_NAMED_STATEMENTS: sharedVars.DATABASE_NAMED_STATEMENTS,
  MIGRATION_DATABASE_URL: {
    doc: 'PostgreSQL for the migrations at start-up: a direct (or session-pooled) connection when `DATABASE_URL` goes through PgBouncer in transaction pooling mode (each migration takes its advisory lock in its own transaction, so the pooler works too, but DDL belongs on a direct connection)',
    shownDefault: '`DATABASE_URL`',
    parse: postgresUrl,
    secret: true,
  },
  DATABASE_POOL_MAX: { doc: 'connections each IdP process keeps open to PostgreSQL (or to PgBouncer); requests beyond them wait, at most 5 s, then get 503', default: 10, parse: int(1, 1000) },
  DATA_DIR: sharedVars.DATA_DIR,
  KEYS_DIR: { doc: 'signing keyring (`keyring.json`); the test zone generates it on first start', default: './certs', parse: text },
  IDP_COOKIE_KEYS: {
    doc: 'cookie-signing keys, comma-separated, newest first, ≥ 32 characters each',
    shownDefault: 'generated (test zone)',
    parse: text,
    secret: true,
    required: 'production',
  },
  IDP_PII_KEY: {
    doc: '32 random bytes, base64 (`openssl rand -base64 32`), for personal-data encryption',
    shownDefault: 'generated (test zone)',
    parse: text,
    secret: true,
    required: 'production',
  },
  IDP_REGISTRATION_TOKEN: { doc: 'enables dynamic client registration, with this initial access token', parse: minLength(32), secret: true },
  SMS_GATEWAY_URL: {
    doc: 'the HTTP SMS gateway (see Phone one-time codes)',
    shownDefault: '— (test zone: the outbox at `/test-zone/sms`)',
    parse: url,
    required: 'production',
  },
  SMS_GATEWAY_USERNAME: { doc: "the SMS gateway's user name", parse: text, required: 'production' },
  SMS_GATEWAY_SECRET: { doc: "the SMS gateway's shared secret", parse: minLength(16), secret: true, required: 'production' },
  POPULATION_REGISTER_URL: { doc: 'the card-status service for the register check (see Identity proofing)', parse: url },
  POPULATION_REGISTER_USERNAME: { doc: "the card-status service's user name", parse: text },
  POPULATION_REGISTER_SECRET: { doc: "the card-status service's secret", parse: text, secret: true },
  POPULATION_FILE: sharedVars.POPULATION_FILE,
  ...faceMatchVars,
  THAID_ISSUER: {
    doc: "DOPA's ThaID OpenID Provider (`https://imauth.bora.dopa.go.th`): enables registering and verifying with ThaID (see docs/thaid.md); our redirect URI there is `ISSUER/upstream/thaid/callback`",
    shownDefault: '— (test zone: the stand-in ThaID started by `npm start`)',
    parse: httpUrl,
  },
  THAID_CLIENT_ID: { doc: 'our client ID at ThaID', parse: text },
  THAID_CLIENT_AUTH: { doc: "how we authenticate to ThaID's token endpoint", default: 'client_secret_basic', parse: oneOf(['client_secret_basic', 'private_key_jwt']) },
  THAID_CLIENT_SECRET: { doc: 'our client secret at ThaID (`client_secret_basic`)', parse: minLength(16), secret: true },
  THAID_PRIVATE_KEY_FILE: { doc: 'a private JWK (JSON, EC P-256 or RSA, with `kid`) for `private_key_jwt`; its public half is registered at ThaID', parse: text },
  THAID_SCOPES: { doc: 'the scopes asked of ThaID, space-separated', shownDefault: '`openid pid title given_name family_name title_en given_name_en family_name_en birthdate ial smartcard_code date_of_issuance date_of_expiry`', parse: text },
  THAID_LOGIN: {
    doc: 'a login at ThaID may stand for a login here (the factor `fed`, at the level the AAL table gives it: AAL 1), for an account already proofed with ThaID; off: ThaID only proves who a person is',
    default: false,
    parse: bool,
  },
  THAID_STAND_IN_PORT: { doc: "the stand-in ThaID's HTTP port (`0`: any free port)", default: 3200, parse: int(0, 65535), zone: 'test' },
  UPSTREAM_CALLBACK_FAILURES_PER_ADDRESS: {
    doc: 'refused upstream callbacks (`/upstream/…/callback`: an expired or foreign login, an ID token that fails validation) from one client address in 15 minutes; then 429 until the window ends',
    default: 20,
    parse: int(1, 100000),
  },
  CARD_AGENT_URL: sharedVars.CARD_AGENT_URL,
  TRUST_PROXY: sharedVars.TRUST_PROXY,
  ARGON2_MEMORY_KIB: { doc: 'argon2id memory, in KiB', default: 19456, parse: int(8192, 1048576) },
  ARGON2_TIME_COST: { doc: 'argon2id passes', default: 2, parse: int(1, 20) },
  ARGON2_PARALLELISM: { doc: 'argon2id lanes', default: 1, parse: int(1, 16) },
  ARGON2_MAX_CONCURRENT: { doc: 'password hashes running at once per process', default: 4, parse: int(1, 256) },
  LOGIN_BACKOFF_AFTER: { doc: 'failures before an account must wait between attempts (exponential back-off)', default: 3, parse: int(1, 1000) },
  LOGIN_ACCOUNT_LOCK_AFTER: { doc: 'failures before an account is locked', default: 10, parse: int(1, 1000) },
  LOGIN_ADDRESS_LOCK_AFTER: { doc: 'failures before a client address is locked', default: 50, parse: int(1, 100000) },
  LOGIN_LOCK_SECONDS: { doc: 'lock duration, and the window in which failures count', default: 900, parse: int(1, 86400) },
  CLIENT_AUTH_FAILURES_PER_ADDRESS: {
    doc: 'failed client authentications (`/token`, its introspection and revocation, `/request`) and wrong initial access tokens (`/reg`) from one client address in `CLIENT_AUTH_WINDOW_SECONDS`; then 429 until the window ends',
    default: 20,
    parse: int(1, 100000),
  },
  CLIENT_AUTH_WINDOW_SECONDS: { doc: 'the window of `CLIENT_AUTH_FAILURES_PER_ADDRESS`, from its first failure', default: 900, parse: int(1, 86400) },
  CARD_AGENT_PAIR_FAILURES_PER_ADDRESS: {
    doc: 'refused card reader agent pairings (`POST /api/card-agents/pair`: a wrong, expired or used code, a bad key) from one client address in 15 minutes; then 429 until the window ends',
    default: 10,
    parse: int(1, 100000),
  },
  KEY_PUBLISH_SECONDS: { doc: 'how long `mpid keys rotate` publishes a new key before it signs', default: 86400, parse: int(0, 30 * 86400) },
  COVERAGE_MIN_IAL: {
    doc: 'the lowest IAL that counts as having a digital ID in the coverage figures (docs/coverage.md: 1.2, the first level checked against the population register)',
    default: '1.2',
    parse: oneOf(['1.1', '1.2', '1.3', '2.1', '2.2', '2.3', '3']),
  },
  COVERAGE_FISCAL_YEAR_START: {
    doc: "the start of the coverage KPI's year (YYYY-MM-DD): its targets fall due 6 and 12 months later",
    shownDefault: 'the last 1 October (the Thai fiscal year)',
    parse: text,
  },
  COVERAGE_RESIDENCE_URL: { doc: "the population register's residence look-up for the coverage figures (`POST {pid}` → `{subdistrict_code}`); test zone: the synthetic register", parse: url },
  COVERAGE_RESIDENCE_USERNAME: { doc: "the residence look-up's user name", parse: text },
  COVERAGE_RESIDENCE_SECRET: { doc: "the residence look-up's secret", parse: text, secret: true },
  LOG_LEVEL: sharedVars.LOG_LEVEL,
  METRICS_PORT: {
    doc: "the IdP's metrics listener (`GET /metrics`, Prometheus text format; see docs/operations.md): its own port, never the public one; unset: no listener; `0`: a port the system picks",
    shownDefault: '— (no metrics listener)',
    parse: int(0, 65535),
  },
  METRICS_HOST: sharedVars.METRICS_HOST,
  METRICS_TOKEN: sharedVars.METRICS_TOKEN,
  TRUST_REQUEST_ID_FROM: sharedVars.TRUST_REQUEST_ID_FROM,
});

/** The keyring's settings alone, for `mpid keys …`: they run where the rest of the production
 *  configuration may not be there yet (the first set-up makes the keys before anything else). */
export function loadKeysConfig(env: Env = process.env) {
  const e = idpVars.load(env);
  return { keysDir: path.resolve(e.KEYS_DIR), keyPublishSeconds: e.KEY_PUBLISH_SECONDS };
}

/** The 1 October that began the Thai fiscal year `now` is in (Bangkok date). */
export function fiscalYearStart(now = new Date()): string {
  const bangkok = new Date(now.getTime() + 7 * 3600_000);
  const y = bangkok.getUTCFullYear() - (bangkok.getUTCMonth() < 9 ? 1 : 0);
  return `${y}-10-01`;
}

function coverageYearStart(v: string | undefined): string {
  if (v === undefined) return fiscalYearStart();
  const d = /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T00:00:00Z`) : undefined;
  if (!d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) throw new ConfigError(`COVERAGE_FISCAL_YEAR_START must be a date YYYY-MM-DD, got "${v}"`);
  return v;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function smsGateway(e: { SMS_GATEWAY_URL?: string; SMS_GATEWAY_USERNAME?: string; SMS_GATEWAY_SECRET?: string }) {
  if (!e.SMS_GATEWAY_URL) return undefined;
  if (!e.SMS_GATEWAY_USERNAME || !e.SMS_GATEWAY_SECRET) {
    throw new ConfigError('SMS_GATEWAY_URL needs SMS_GATEWAY_USERNAME and SMS_GATEWAY_SECRET');
  }
  return { url: e.SMS_GATEWAY_URL, username: e.SMS_GATEWAY_USERNAME, secret: e.SMS_GATEWAY_SECRET };
}

/** ThaID's settings when THAID_ISSUER is set; every credential it needs present and readable. */
function thaid(e: ReturnType<typeof idpVars.load>, zone: string) {
  if (!e.THAID_ISSUER) return undefined;
  if (!e.THAID_CLIENT_ID) throw new ConfigError('THAID_ISSUER needs THAID_CLIENT_ID');
  const issuer = new URL(e.THAID_ISSUER);
  if (zone === 'production' && issuer.protocol !== 'https:') throw new ConfigError('production refuses an http THAID_ISSUER');
  let clientAuth: { method: 'client_secret_basic'; secret: string } | { method: 'private_key_jwt'; jwk: JWK };
  if (e.THAID_CLIENT_AUTH === 'private_key_jwt') {
    if (!e.THAID_PRIVATE_KEY_FILE) throw new ConfigError('THAID_CLIENT_AUTH=private_key_jwt needs THAID_PRIVATE_KEY_FILE');
    let jwk: JWK;
    try {
      jwk = JSON.parse(readFileSync(e.THAID_PRIVATE_KEY_FILE, 'utf8')) as JWK;
    } catch {
      throw new ConfigError(`THAID_PRIVATE_KEY_FILE cannot be read as a JWK (${e.THAID_PRIVATE_KEY_FILE})`);
    }
    if (!jwk.d || !jwk.kid || !['EC', 'RSA', 'OKP'].includes(jwk.kty ?? '')) throw new ConfigError('THAID_PRIVATE_KEY_FILE must hold a private JWK (EC, RSA or OKP) with a kid');
    clientAuth = { method: 'private_key_jwt', jwk };
  } else {
    if (!e.THAID_CLIENT_SECRET) throw new ConfigError('THAID_CLIENT_AUTH=client_secret_basic needs THAID_CLIENT_SECRET');
    clientAuth = { method: 'client_secret_basic', secret: e.THAID_CLIENT_SECRET };
  }
  const scopes = e.THAID_SCOPES?.split(/\s+/).filter(Boolean);
  if (scopes && !scopes.includes('openid')) throw new ConfigError('THAID_SCOPES must include openid');
  return { issuer: e.THAID_ISSUER, clientId: e.THAID_CLIENT_ID, clientAuth, ...(scopes ? { scopes } : {}), login: e.THAID_LOGIN, allowHttp: issuer.protocol === 'http:' };
}

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: Env = process.env) {
  const e = idpVars.load(env);
  const zone = e.IDP_ZONE;
  const issuer = (e.ISSUER ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  let issuerUrl: URL;
  try {
    issuerUrl = new URL(issuer);
  } catch {
    throw new ConfigError(`ISSUER must be an absolute URL, got "${issuer}"`);
  }
  if (issuerUrl.search || issuerUrl.hash) throw new ConfigError('ISSUER must not have a query or fragment');
  if (!['http:', 'https:'].includes(issuerUrl.protocol)) throw new ConfigError('ISSUER must be an http(s) URL');
  const databaseUrl = e.DATABASE_URL;
  const dataDir = path.resolve(e.DATA_DIR);
  const keysDir = path.resolve(e.KEYS_DIR);

  if (zone === 'production') {
    if (issuerUrl.protocol !== 'https:' && !LOOPBACK.has(issuerUrl.hostname)) {
      throw new ConfigError(`production refuses an http issuer (${issuer}): set ISSUER to an https URL`);
    }
    if (!databaseUrl) throw new ConfigError('production needs DATABASE_URL: the embedded database is for the test zone only');
    if (!existsSync(path.join(keysDir, 'keyring.json'))) {
      throw new ConfigError(`production needs signing keys in ${keysDir}/keyring.json: create them with "mpid keys init"`);
    }
    if (!e.IDP_COOKIE_KEYS) throw new ConfigError('production needs IDP_COOKIE_KEYS (comma-separated, newest first, each at least 32 characters)');
    if (!e.IDP_PII_KEY) throw new ConfigError('production needs IDP_PII_KEY (32 random bytes, base64)');
    if (!e.SMS_GATEWAY_URL) throw new ConfigError('production needs SMS_GATEWAY_URL (with SMS_GATEWAY_USERNAME and SMS_GATEWAY_SECRET)');
  }
  const secrets = serviceSecrets({ cookieKeys: e.IDP_COOKIE_KEYS, piiKey: e.IDP_PII_KEY }, { cookieKeys: 'IDP_COOKIE_KEYS', piiKey: 'IDP_PII_KEY' }, zone === 'test' ? dataDir : undefined);

  return {
    zone,
    port: e.PORT,
    issuer,
    databaseUrl,
    migrationDatabaseUrl: e.MIGRATION_DATABASE_URL,
    databasePoolMax: e.DATABASE_POOL_MAX,
    namedStatements: e.DATABASE_NAMED_STATEMENTS,
    dataDir,
    keysDir,
    registrationToken: e.IDP_REGISTRATION_TOKEN,
    /** keys for signed cookies, newest first (kernel/http/cookie_keys.ts signs with them) */
    cookieKeys: secrets.cookieKeys,
    /** 32-byte key from which personal-data encryption and blind-index keys are derived. */
    piiKey: secrets.piiKey,
    argon2: {
      memoryKiB: e.ARGON2_MEMORY_KIB,
      timeCost: e.ARGON2_TIME_COST,
      parallelism: e.ARGON2_PARALLELISM,
      maxConcurrent: e.ARGON2_MAX_CONCURRENT,
    },
    login: {
      /** failures before each further attempt must wait (exponential back-off) */
      backoffAfter: e.LOGIN_BACKOFF_AFTER,
      /** failures on one account before it is locked for lockSeconds */
      accountLockAfter: e.LOGIN_ACCOUNT_LOCK_AFTER,
      /** failures from one client address before it is locked for lockSeconds */
      addressLockAfter: e.LOGIN_ADDRESS_LOCK_AFTER,
      lockSeconds: e.LOGIN_LOCK_SECONDS,
    },
    /** failed client authentications one client address may make per window at the protocol endpoints */
    clientAuthLimit: { max: e.CLIENT_AUTH_FAILURES_PER_ADDRESS, seconds: e.CLIENT_AUTH_WINDOW_SECONDS },
    /** DOPA's ThaID as an upstream identity provider (docs/thaid.md); absent → not offered */
    thaid: thaid(e, zone),
    /** refused upstream callbacks one client address may make per window */
    upstreamCallbackLimit: { max: e.UPSTREAM_CALLBACK_FAILURES_PER_ADDRESS, seconds: 900 },
    /** test zone: the stand-in ThaID's port (main.ts starts it unless THAID_ISSUER is set) */
    thaidStandInPort: e.THAID_STAND_IN_PORT,
    /** refused card reader agent pairings one client address may make per window */
    cardAgentPairLimit: { max: e.CARD_AGENT_PAIR_FAILURES_PER_ADDRESS, seconds: 900 },
    logLevel: e.LOG_LEVEL as string,
    /** Trust X-Forwarded-* from a reverse proxy that terminates TLS. */
    trustProxy: e.TRUST_PROXY,
    /** HTTP SMS gateway; absent in the test zone means the outbox at /test-zone/sms. */
    smsGateway: smsGateway(e),
    /** the card-status service (production); absent → the test zone's synthetic register, or none */
    populationRegister: e.POPULATION_REGISTER_URL
      ? { url: e.POPULATION_REGISTER_URL, username: e.POPULATION_REGISTER_USERNAME, secret: e.POPULATION_REGISTER_SECRET }
      : undefined,
    /** test zone: the synthetic population register, generated on first start when missing */
    populationFile: e.POPULATION_FILE ?? path.join(dataDir, 'population.csv'),
    /** who compares faces: the in-server engine (default), an external HTTP service, or nobody */
    faceMatch: faceMatchSettings(e),
    faceMatchThreshold: faceMatchThreshold(e),
    /** the unit's card reader agent as the verifiers' browsers reach it (Read card; CSP connect-src) */
    cardAgentUrl: e.CARD_AGENT_URL,
    /** Seconds a new signing key is published before it signs (mpid keys rotate). */
    keyPublishSeconds: e.KEY_PUBLISH_SECONDS,
    /** the metrics listener (/metrics), when METRICS_PORT is set */
    metrics: metricsListener(e, e.METRICS_PORT, 'METRICS_PORT', zone),
    /** peers whose x-request-id is kept */
    requestIdFrom: e.TRUST_REQUEST_ID_FROM,
    /** Digital ID coverage (docs/coverage.md): what counts, the KPI's year, the residence look-up */
    coverage: {
      minIal: e.COVERAGE_MIN_IAL as '1.1' | '1.2' | '1.3' | '2.1' | '2.2' | '2.3' | '3',
      yearStart: coverageYearStart(e.COVERAGE_FISCAL_YEAR_START),
      apiAudience: `${issuer}/api/coverage`,
      residence: e.COVERAGE_RESIDENCE_URL ? { url: e.COVERAGE_RESIDENCE_URL, username: e.COVERAGE_RESIDENCE_USERNAME, secret: e.COVERAGE_RESIDENCE_SECRET } : undefined,
    },
  };
}
