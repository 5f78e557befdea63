// The IdP's configuration from the environment: every variable declared once below (parser, default,
// documentation: the README's table is generated from it), every value parsed, none trusted.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, declareVars, decimal, int, minLength, oneOf, serviceSecrets, sharedVars, text, url, type Env } from '../kernel/config.ts';

export { ConfigError, type Zone } from '../kernel/config.ts';

export const idpVars = declareVars({
  IDP_ZONE: sharedVars.IDP_ZONE,
  PORT: sharedVars.PORT,
  ISSUER: { doc: 'the issuer URL; https in production (loopback excepted)', shownDefault: '`http://localhost:${PORT}`', parse: text },
  DATABASE_URL: sharedVars.DATABASE_URL,
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
  FACE_MATCHER: {
    doc: 'who compares faces: `builtin` (in this server, from npm-shipped models; see Face comparison), `http` (the service at `FACE_MATCH_URL`) or `none`',
    shownDefault: '`http` when `FACE_MATCH_URL` is set, else `builtin`',
    parse: oneOf(['builtin', 'http', 'none']),
  },
  FACE_MATCH_URL: { doc: 'the external face-verification service (`FACE_MATCHER=http`)', parse: url },
  FACE_MATCH_USERNAME: { doc: "the face-verification service's user name", parse: text },
  FACE_MATCH_SECRET: { doc: "the face-verification service's secret", parse: text, secret: true },
  FACE_MATCH_THRESHOLD: {
    doc: 'the lowest automated face score (0–1) a verifier may confirm as a match; the builtin one is calibrated in docs/face-comparison.md, an HTTP service needs its own',
    shownDefault: '`0.47` (builtin), `0.9` (http)',
    parse: decimal(0, 1),
  },
  FACE_MATCH_WORKERS: { doc: 'builtin matcher: worker threads comparing faces at once (each uses one core and about 350 MiB, started on the first comparison)', default: 1, parse: int(1, 64) },
  FACE_MATCH_QUEUE: { doc: 'builtin matcher: comparisons that may wait for a worker; beyond it an upload is asked to try again', default: 4, parse: int(0, 1000) },
  FACE_MATCH_MIN_FACE_PX: { doc: 'builtin matcher: the smallest live face, in pixels wide (photos analysed at 1024 px at most)', default: 90, parse: int(20, 1000) },
  FACE_MATCH_MIN_BRIGHTNESS: { doc: "builtin matcher: the darkest usable face (its mean luma, 0–255)", default: 45, parse: int(0, 255) },
  FACE_MATCH_MIN_SHARPNESS: { doc: 'builtin matcher: the least sharp usable face (variance of the Laplacian of the aligned face)', default: 12, parse: decimal(0, 10000) },
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
});

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

/** The builtin matcher's threshold, from the calibration in docs/face-comparison.md. */
export const BUILTIN_FACE_THRESHOLD = 0.47;

function faceMatchKind(e: ReturnType<typeof idpVars.load>) {
  return e.FACE_MATCHER ?? (e.FACE_MATCH_URL ? 'http' : 'builtin');
}

/** An HTTP service's scores are on its own scale: it keeps the former default unless one is set. */
function faceMatchThreshold(e: ReturnType<typeof idpVars.load>) {
  return e.FACE_MATCH_THRESHOLD ?? (faceMatchKind(e) === 'http' ? 0.9 : BUILTIN_FACE_THRESHOLD);
}

function faceMatch(e: ReturnType<typeof idpVars.load>) {
  const kind = faceMatchKind(e);
  if (kind === 'none') return undefined;
  if (kind === 'http') {
    if (!e.FACE_MATCH_URL) throw new ConfigError('FACE_MATCHER=http needs FACE_MATCH_URL');
    return { kind, url: e.FACE_MATCH_URL, username: e.FACE_MATCH_USERNAME, secret: e.FACE_MATCH_SECRET, threshold: faceMatchThreshold(e) } as const;
  }
  return {
    kind,
    threshold: faceMatchThreshold(e),
    size: e.FACE_MATCH_WORKERS,
    queue: e.FACE_MATCH_QUEUE,
    rules: { minFacePx: e.FACE_MATCH_MIN_FACE_PX, minBrightness: e.FACE_MATCH_MIN_BRIGHTNESS, minSharpness: e.FACE_MATCH_MIN_SHARPNESS },
  } as const;
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
    dataDir,
    keysDir,
    registrationToken: e.IDP_REGISTRATION_TOKEN,
    /** Keygrip keys for signed cookies, newest first. */
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
    faceMatch: faceMatch(e),
    faceMatchThreshold: faceMatchThreshold(e),
    /** the unit's card reader agent as the verifiers' browsers reach it (Read card; CSP connect-src) */
    cardAgentUrl: e.CARD_AGENT_URL,
    /** Seconds a new signing key is published before it signs (mpid keys rotate). */
    keyPublishSeconds: e.KEY_PUBLISH_SECONDS,
    /** Digital ID coverage (docs/coverage.md): what counts, the KPI's year, the residence look-up */
    coverage: {
      minIal: e.COVERAGE_MIN_IAL as '1.1' | '1.2' | '1.3' | '2.1' | '2.2' | '2.3' | '3',
      yearStart: coverageYearStart(e.COVERAGE_FISCAL_YEAR_START),
      apiAudience: `${issuer}/api/coverage`,
      residence: e.COVERAGE_RESIDENCE_URL ? { url: e.COVERAGE_RESIDENCE_URL, username: e.COVERAGE_RESIDENCE_USERNAME, secret: e.COVERAGE_RESIDENCE_SECRET } : undefined,
    },
  };
}
