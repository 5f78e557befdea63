// The Authen Code service's configuration, from the environment (AUTHENCODE_*), parsed, never trusted.
// It is a relying party of the IdP: it knows the IdP's issuer URL, its own client id and signing key
// (private_key_jwt), and the audience of the access tokens hospital systems bring to its API.
import { z } from 'zod';
import path from 'node:path';
import { ConfigError, serviceSecrets, type Zone } from '../idp/config.ts';
import { IAL_LEVELS, type Ial } from '../kernel/assurance.ts';
import { ACR_VALUES } from '../idp/oidc/acr.ts';

export interface AuthencodeConfig {
  zone: Zone;
  port: number;
  /** this service's public base URL (redirect URIs, QR links, the API audience's base) */
  url: string;
  /** the IdP's issuer; discovery, JWKS and the token endpoint are found from it */
  idpIssuer: string;
  clientId: string;
  /** private JWK (EC P-256) of this client for private_key_jwt; the test zone generates one */
  clientKeyFile: string;
  /** the resource identifier hospital systems ask the IdP for: `aud` of the API's access tokens */
  apiAudience: string;
  databaseUrl: string | undefined;
  dataDir: string;
  cookieKeys: string[];
  piiKey: Buffer;
  /** least IAL a citizen needs to confirm each claim type; `default` for the rest */
  minIal: Record<string, Ial> & { default: Ial };
  /** the authentication level staff log in at */
  staffAcr: string;
  /** the production entitlement register; absent → the synthetic register (test zone only) */
  entitlementRegister: { url: string; username?: string; secret?: string } | undefined;
  /** test zone: the synthetic population file (shared with the IdP's synthetic register) */
  populationFile: string;
  /** units CSV imported at start-up when the unit table is empty (test zone) */
  unitsFile: string | undefined;
  /** QR signing key file (test zone) or a private JWK from the environment (production) */
  qrKeyFile: string;
  qrKey: string | undefined;
  /** days a printed unit QR code stays valid */
  qrValidDays: number;
  trustProxy: boolean;
  logLevel: string;
}

const envSchema = z.object({
  IDP_ZONE: z.enum(['test', 'production'], { error: () => 'IDP_ZONE must be "test" or "production"' }).optional().default('test'),
  AUTHENCODE_PORT: z.coerce.number({ error: () => 'AUTHENCODE_PORT must be a port number' }).int().min(0).max(65535).optional().default(3100),
  AUTHENCODE_URL: z.url({ message: 'AUTHENCODE_URL must be an absolute URL' }).optional(),
  AUTHENCODE_IDP_ISSUER: z.url({ message: 'AUTHENCODE_IDP_ISSUER must be an absolute URL' }).optional(),
  AUTHENCODE_CLIENT_ID: z.string().regex(/^[\w.~-]{1,128}$/, 'AUTHENCODE_CLIENT_ID must be a client id').optional().default('authencode'),
  AUTHENCODE_CLIENT_KEY_FILE: z.string().optional(),
  AUTHENCODE_API_AUDIENCE: z.url({ message: 'AUTHENCODE_API_AUDIENCE must be an absolute URI' }).optional(),
  AUTHENCODE_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'AUTHENCODE_DATABASE_URL must start with postgres://').optional(),
  DATABASE_URL: z.string().optional(),
  DATA_DIR: z.string().optional().default('./data'),
  AUTHENCODE_COOKIE_KEYS: z.string().optional(),
  AUTHENCODE_PII_KEY: z.string().optional(),
  AUTHENCODE_MIN_IAL: z.string().optional().default('default=1.2'),
  AUTHENCODE_STAFF_ACR: z.enum(ACR_VALUES, { error: () => `AUTHENCODE_STAFF_ACR must be one of ${ACR_VALUES.join(', ')}` }).optional().default('urn:th:etda:aal:2.1'),
  ENTITLEMENT_REGISTER_URL: z.url({ message: 'ENTITLEMENT_REGISTER_URL must be an absolute URL' }).optional(),
  ENTITLEMENT_REGISTER_USERNAME: z.string().optional(),
  ENTITLEMENT_REGISTER_SECRET: z.string().optional(),
  POPULATION_FILE: z.string().optional(),
  AUTHENCODE_UNITS_FILE: z.string().optional(),
  AUTHENCODE_QR_KEY: z.string().optional(),
  AUTHENCODE_QR_VALID_DAYS: z.coerce.number({ error: () => 'AUTHENCODE_QR_VALID_DAYS must be a number of days' }).int().min(1).max(3660).optional().default(365),
  TRUST_PROXY: z.enum(['true', 'false', '1', '0', '']).optional().default('false'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional().default('info'),
  PORT: z.string().optional(),
});

const SAMPLE_UNITS = path.resolve(import.meta.dirname, '../../samples/units.csv');

/** "default=1.2,PG0120001=2.1" → { default: '1.2', PG0120001: '2.1' } */
export function parseMinIal(value: string): AuthencodeConfig['minIal'] {
  const out: Record<string, Ial> = { default: '1.2' };
  for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [key, level] = part.split('=').map((x) => x.trim());
    if (!key || !(key === 'default' || /^PG\d{7}$/.test(key)) || !IAL_LEVELS.includes(level as Ial)) {
      throw new ConfigError(`AUTHENCODE_MIN_IAL: "${part}" must be default=<IAL> or <claim type>=<IAL>, IAL one of ${IAL_LEVELS.join(', ')}`);
    }
    out[key] = level as Ial;
  }
  return out as AuthencodeConfig['minIal'];
}

export function loadAuthencodeConfig(env: NodeJS.ProcessEnv = process.env): AuthencodeConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${String(i.path[0] ?? '')}: ${i.message}`).join('\n'));
  const e = parsed.data;
  const zone = e.IDP_ZONE;
  const url = (e.AUTHENCODE_URL ?? `http://localhost:${e.AUTHENCODE_PORT}`).replace(/\/$/, '');
  const idpIssuer = (e.AUTHENCODE_IDP_ISSUER ?? `http://localhost:${e.PORT || 3000}`).replace(/\/$/, '');
  const dataDir = path.resolve(e.DATA_DIR, 'authencode');
  const databaseUrl = e.AUTHENCODE_DATABASE_URL ?? (e.DATABASE_URL || undefined);
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
    url,
    idpIssuer,
    clientId: e.AUTHENCODE_CLIENT_ID,
    clientKeyFile: path.resolve(e.AUTHENCODE_CLIENT_KEY_FILE ?? path.join(dataDir, 'client-key.json')),
    apiAudience: e.AUTHENCODE_API_AUDIENCE ?? `${url}/api`,
    databaseUrl,
    dataDir,
    cookieKeys,
    piiKey,
    minIal: parseMinIal(e.AUTHENCODE_MIN_IAL),
    staffAcr: e.AUTHENCODE_STAFF_ACR,
    entitlementRegister: e.ENTITLEMENT_REGISTER_URL ? { url: e.ENTITLEMENT_REGISTER_URL, username: e.ENTITLEMENT_REGISTER_USERNAME, secret: e.ENTITLEMENT_REGISTER_SECRET } : undefined,
    populationFile: path.resolve(e.POPULATION_FILE ?? path.join(e.DATA_DIR, 'population.csv')),
    unitsFile: e.AUTHENCODE_UNITS_FILE ? path.resolve(e.AUTHENCODE_UNITS_FILE) : zone === 'test' ? SAMPLE_UNITS : undefined,
    qrKeyFile: path.join(dataDir, 'qr-key.json'),
    qrKey: e.AUTHENCODE_QR_KEY,
    qrValidDays: e.AUTHENCODE_QR_VALID_DAYS,
    trustProxy: e.TRUST_PROXY === 'true' || e.TRUST_PROXY === '1',
    logLevel: e.LOG_LEVEL,
  };
}

export const minIalFor = (config: Pick<AuthencodeConfig, 'minIal'>, claimType: string): Ial => config.minIal[claimType] ?? config.minIal.default;
