// The Authen Code service's configuration from the environment, declared once below (the README's
// table is generated from it), parsed, never trusted. It is a relying party of the IdP: it knows the
// IdP's issuer URL, its own client id and signing key (private_key_jwt), and the audience of the
// access tokens hospital systems bring to its API.
import path from 'node:path';
import { ConfigError, declareVars, int, matches, metricsListener, oneOf, postgresUrl, serviceSecrets, sharedVars, text, url, type Env } from '../kernel/config.ts';
import { IAL_LEVELS, type Ial } from '../kernel/assurance.ts';
import { faceMatchSettings, faceMatchVars } from '../kernel/face_match/config.ts';
import { ACR_VALUES } from '../kernel/assurance.ts';

/** least IAL a citizen needs to confirm each claim type; `default` for the rest */
export type MinIal = Record<string, Ial> & { default: Ial };

const generated = (file: string) => `generated in \`DATA_DIR/authencode/${file}\` (test zone)`;

export const authencodeVars = declareVars({
  AUTHENCODE: { doc: '`off`: `npm start` runs the IdP alone (test zone)', default: 'on', parse: text },
  IDP_ZONE: sharedVars.IDP_ZONE,
  AUTHENCODE_PORT: { doc: 'HTTP port', default: 3100, parse: int(0, 65535) },
  AUTHENCODE_URL: {
    doc: "this service's public base URL (redirect URIs, QR links); https in production",
    shownDefault: '`http://localhost:${AUTHENCODE_PORT}`',
    parse: url,
    required: 'production',
  },
  AUTHENCODE_IDP_ISSUER: {
    doc: "the IdP's issuer, where to log in and get keys; https in production",
    shownDefault: "the IdP's issuer (`http://localhost:${PORT}`)",
    parse: url,
    required: 'production',
  },
  AUTHENCODE_CLIENT_ID: {
    doc: "this service's client id at the IdP",
    default: 'authencode',
    parse: matches(/^[\w.~-]{1,128}$/, 'a client id (at most 128 letters, digits and _ . ~ -)'),
  },
  AUTHENCODE_CLIENT_KEY_FILE: {
    doc: "the client's private JWK (EC P-256) for `private_key_jwt`; production: a file you provide",
    shownDefault: generated('client-key.json'),
    parse: text,
    required: 'production',
  },
  AUTHENCODE_API_AUDIENCE: { doc: 'the resource identifier of the API (`aud` of its access tokens)', shownDefault: '`${AUTHENCODE_URL}/api`', parse: url },
  AUTHENCODE_DATABASE_URL: {
    doc: 'its database (schema `authencode`), `postgres://…`',
    shownDefault: '`DATABASE_URL`, else PGlite in `DATA_DIR/authencode/pg`',
    parse: postgresUrl,
    secret: true,
  },
  DATABASE_URL: sharedVars.DATABASE_URL,
  DATABASE_NAMED_STATEMENTS: sharedVars.DATABASE_NAMED_STATEMENTS,
  DATA_DIR: sharedVars.DATA_DIR,
  AUTHENCODE_COOKIE_KEYS: { doc: 'cookie-signing keys, comma-separated, newest first, ≥ 32 characters each', shownDefault: generated('secrets.json'), parse: text, secret: true, required: 'production' },
  AUTHENCODE_PII_KEY: { doc: 'encryption of ID numbers, phones and photos: 32 random bytes, base64', shownDefault: generated('secrets.json'), parse: text, secret: true, required: 'production' },
  AUTHENCODE_MIN_IAL: { doc: 'least IAL per claim type for citizens: `default=<IAL>,<claim type>=<IAL>,…`', default: 'default=1.2', parse: parseMinIal },
  AUTHENCODE_STAFF_ACR: { doc: 'the authentication level staff log in at', default: 'urn:th:etda:aal:2.1', parse: oneOf(ACR_VALUES) },
  ENTITLEMENT_REGISTER_URL: { doc: 'the entitlement register', shownDefault: 'the synthetic register (test zone)', parse: url, required: 'production' },
  ENTITLEMENT_REGISTER_USERNAME: { doc: "the entitlement register's user name", parse: text },
  ENTITLEMENT_REGISTER_SECRET: { doc: "the entitlement register's secret", parse: text, secret: true },
  POPULATION_FILE: sharedVars.POPULATION_FILE,
  AUTHENCODE_UNITS_FILE: { doc: 'units CSV imported at start-up when there are none', shownDefault: 'the sample units (test zone)', parse: text },
  AUTHENCODE_QR_KEY: { doc: 'QR signing key, a private EC P-256 JWK', shownDefault: generated('qr-key.json'), parse: text, secret: true, required: 'production' },
  AUTHENCODE_QR_VALID_DAYS: { doc: 'days a printed unit QR code stays valid', default: 365, parse: int(1, 3660) },
  AUTHENCODE_API_TOKEN_FAILURES: {
    doc: 'refused bearer tokens (forged, expired, for another audience, missing) at `/api` from one client address in 15 minutes; then 429 until the window ends',
    default: 20,
    parse: int(1, 100000),
  },
  AUTHENCODE_API_PEOPLE_PER_HOUR: {
    doc: 'different ID numbers one API caller (a hospital system, or a member of staff) may look up in an hour (`latest-authen-code`, `latest-5-authen-code-all-hospital`, `smartcard/probe`); then 429 for a new one',
    default: 1000,
    parse: int(1, 1000000),
  },
  CARD_AGENT_URL: sharedVars.CARD_AGENT_URL,
  ...faceMatchVars,
  TRUST_PROXY: sharedVars.TRUST_PROXY,
  LOG_LEVEL: sharedVars.LOG_LEVEL,
  PORT: sharedVars.PORT,
  AUTHENCODE_METRICS_PORT: {
    doc: "this service's metrics listener (`GET /metrics`, Prometheus text format): its own port; unset: no listener; `0`: a port the system picks",
    shownDefault: '— (no metrics listener)',
    parse: int(0, 65535),
  },
  METRICS_HOST: sharedVars.METRICS_HOST,
  METRICS_TOKEN: sharedVars.METRICS_TOKEN,
  TRUST_REQUEST_ID_FROM: sharedVars.TRUST_REQUEST_ID_FROM,
});

const SAMPLE_UNITS = path.resolve(import.meta.dirname, '../../samples/units.csv');

/** "default=1.2,PG0120001=2.1" → { default: '1.2', PG0120001: '2.1' } */
export function parseMinIal(value: string): MinIal {
  const out: Record<string, Ial> = { default: '1.2' };
  for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [key, level] = part.split('=').map((x) => x.trim());
    if (!key || !(key === 'default' || /^PG\d{7}$/.test(key)) || !IAL_LEVELS.includes(level as Ial)) {
      throw new ConfigError(`AUTHENCODE_MIN_IAL: "${part}" must be default=<IAL> or <claim type>=<IAL>, IAL one of ${IAL_LEVELS.join(', ')}`);
    }
    out[key] = level as Ial;
  }
  return out as MinIal;
}

export type AuthencodeConfig = ReturnType<typeof loadAuthencodeConfig>;

export function loadAuthencodeConfig(env: Env = process.env) {
  const e = authencodeVars.load(env);
  const zone = e.IDP_ZONE;
  const url = (e.AUTHENCODE_URL ?? `http://localhost:${e.AUTHENCODE_PORT}`).replace(/\/$/, '');
  const idpIssuer = (e.AUTHENCODE_IDP_ISSUER ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  const dataDir = path.resolve(e.DATA_DIR, 'authencode');
  const databaseUrl = e.AUTHENCODE_DATABASE_URL ?? e.DATABASE_URL;
  if (zone === 'production') {
    if (!url.startsWith('https:')) throw new ConfigError('production needs AUTHENCODE_URL with https');
    if (!e.AUTHENCODE_IDP_ISSUER?.startsWith('https:')) throw new ConfigError('production needs AUTHENCODE_IDP_ISSUER with https');
    if (!databaseUrl) throw new ConfigError('production needs AUTHENCODE_DATABASE_URL (or DATABASE_URL)');
    if (!e.AUTHENCODE_COOKIE_KEYS || !e.AUTHENCODE_PII_KEY) throw new ConfigError('production needs AUTHENCODE_COOKIE_KEYS and AUTHENCODE_PII_KEY');
    if (!e.AUTHENCODE_CLIENT_KEY_FILE) throw new ConfigError('production needs AUTHENCODE_CLIENT_KEY_FILE (the private JWK registered with the IdP)');
    if (!e.AUTHENCODE_QR_KEY) throw new ConfigError('production needs AUTHENCODE_QR_KEY (a private EC P-256 JWK)');
    if (!e.ENTITLEMENT_REGISTER_URL) throw new ConfigError('production needs ENTITLEMENT_REGISTER_URL');
  }
  const { cookieKeys, piiKey } = serviceSecrets(
    { cookieKeys: e.AUTHENCODE_COOKIE_KEYS, piiKey: e.AUTHENCODE_PII_KEY },
    { cookieKeys: 'AUTHENCODE_COOKIE_KEYS', piiKey: 'AUTHENCODE_PII_KEY' },
    zone === 'test' ? dataDir : undefined,
  );
  return {
    zone,
    port: e.AUTHENCODE_PORT,
    /** this service's public base URL (redirect URIs, QR links, the API audience's base) */
    url,
    /** the IdP's issuer; discovery, JWKS and the token endpoint are found from it */
    idpIssuer,
    clientId: e.AUTHENCODE_CLIENT_ID,
    /** private JWK (EC P-256) of this client for private_key_jwt; the test zone generates one */
    clientKeyFile: path.resolve(e.AUTHENCODE_CLIENT_KEY_FILE ?? path.join(dataDir, 'client-key.json')),
    /** the resource identifier hospital systems ask the IdP for: `aud` of the API's access tokens */
    apiAudience: e.AUTHENCODE_API_AUDIENCE ?? `${url}/api`,
    databaseUrl,
    namedStatements: e.DATABASE_NAMED_STATEMENTS,
    dataDir,
    cookieKeys,
    piiKey,
    minIal: e.AUTHENCODE_MIN_IAL,
    /** the authentication level staff log in at */
    staffAcr: e.AUTHENCODE_STAFF_ACR as string,
    /** the production entitlement register; absent → the synthetic register (test zone only) */
    entitlementRegister: e.ENTITLEMENT_REGISTER_URL ? { url: e.ENTITLEMENT_REGISTER_URL, username: e.ENTITLEMENT_REGISTER_USERNAME, secret: e.ENTITLEMENT_REGISTER_SECRET } : undefined,
    /** test zone: the synthetic population file (shared with the IdP's synthetic register) */
    populationFile: path.resolve(e.POPULATION_FILE ?? path.join(e.DATA_DIR, 'population.csv')),
    /** units CSV imported at start-up when the unit table is empty (test zone) */
    unitsFile: e.AUTHENCODE_UNITS_FILE ? path.resolve(e.AUTHENCODE_UNITS_FILE) : zone === 'test' ? SAMPLE_UNITS : undefined,
    /** QR signing key file (test zone) or a private JWK from the environment (production) */
    qrKeyFile: path.join(dataDir, 'qr-key.json'),
    qrKey: e.AUTHENCODE_QR_KEY,
    /** days a printed unit QR code stays valid */
    qrValidDays: e.AUTHENCODE_QR_VALID_DAYS,
    /** the API's limits: refused tokens per client address, different people looked up per caller */
    apiLimits: { tokenFailures: { max: e.AUTHENCODE_API_TOKEN_FAILURES, seconds: 900 }, peopleLookedUp: { max: e.AUTHENCODE_API_PEOPLE_PER_HOUR, seconds: 3600 } },
    /** the unit's card reader agent as the staff's browsers reach it (Read card; CSP connect-src) */
    cardAgentUrl: e.CARD_AGENT_URL,
    /** who compares a staff member's photo with the chip photo (the same FACE_MATCH_* variables as the IdP's) */
    faceMatch: faceMatchSettings(e),
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL as string,
    /** the metrics listener (/metrics), when AUTHENCODE_METRICS_PORT is set */
    metrics: metricsListener(e, e.AUTHENCODE_METRICS_PORT, 'AUTHENCODE_METRICS_PORT', zone),
    /** peers whose x-request-id is kept */
    requestIdFrom: e.TRUST_REQUEST_ID_FROM,
  };
}

export const minIalFor = (config: Pick<AuthencodeConfig, 'minIal'>, claimType: string): Ial => config.minIal[claimType] ?? config.minIal.default;
