// Typed configuration from the environment: every value is parsed, none is trusted.
import { z } from 'zod';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

export type Zone = 'test' | 'production';

export interface Config {
  zone: Zone;
  port: number;
  issuer: string;
  databaseUrl: string | undefined;
  dataDir: string;
  keysDir: string;
  registrationToken: string | undefined;
  /** Keygrip keys for signed cookies, newest first. */
  cookieKeys: string[];
  /** 32-byte key from which personal-data encryption and blind-index keys are derived. */
  piiKey: Buffer;
  argon2: { memoryKiB: number; timeCost: number; parallelism: number; maxConcurrent: number };
  login: {
    /** failures before each further attempt must wait (exponential back-off) */
    backoffAfter: number;
    /** failures on one account before it is locked for lockSeconds */
    accountLockAfter: number;
    /** failures from one client address before it is locked for lockSeconds */
    addressLockAfter: number;
    lockSeconds: number;
  };
  logLevel: string;
  /** HTTP SMS gateway; absent in the test zone means the outbox at /test-zone/sms. */
  smsGateway: { url: string; username: string; secret: string } | undefined;
  /** the card-status service (production); absent → the test zone's synthetic register, or none */
  populationRegister: { url: string; username?: string; secret?: string } | undefined;
  /** the face-verification service (production); the test zone compares the two photos itself */
  faceMatch: { url: string; username?: string; secret?: string } | undefined;
  faceMatchThreshold: number;
  /** test zone: the synthetic population register, generated on first start when missing */
  populationFile: string;
  /** Trust X-Forwarded-* from a reverse proxy that terminates TLS. */
  trustProxy: boolean;
  /** Seconds a new signing key is published before it signs (mpid keys rotate). */
  keyPublishSeconds: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const int = (name: string, min: number, max: number, dflt: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return dflt;
      if (!/^\d+$/.test(v)) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a whole number, got "${v}"` });
        return z.NEVER;
      }
      const n = Number(v);
      if (n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `${name} must be between ${min} and ${max}, got ${n}` });
        return z.NEVER;
      }
      return n;
    });

const envSchema = z.object({
  IDP_ZONE: z
    .enum(['test', 'production'], { error: () => 'IDP_ZONE must be "test" or "production"' })
    .optional()
    .default('test'),
  PORT: int('PORT', 0, 65535, 3000),
  ISSUER: z.string().optional(),
  DATABASE_URL: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === '' || /^postgres(ql)?:\/\//.test(v), {
      message: 'DATABASE_URL must start with postgres:// or postgresql://',
    }),
  DATA_DIR: z.string().optional().default('./data'),
  KEYS_DIR: z.string().optional().default('./certs'),
  IDP_REGISTRATION_TOKEN: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === '' || v.length >= 32, {
      message: 'IDP_REGISTRATION_TOKEN must be at least 32 characters',
    }),
  IDP_COOKIE_KEYS: z.string().optional(),
  IDP_PII_KEY: z.string().optional(),
  ARGON2_MEMORY_KIB: int('ARGON2_MEMORY_KIB', 8192, 1048576, 19456),
  ARGON2_TIME_COST: int('ARGON2_TIME_COST', 1, 20, 2),
  ARGON2_PARALLELISM: int('ARGON2_PARALLELISM', 1, 16, 1),
  ARGON2_MAX_CONCURRENT: int('ARGON2_MAX_CONCURRENT', 1, 256, 4),
  LOGIN_BACKOFF_AFTER: int('LOGIN_BACKOFF_AFTER', 1, 1000, 3),
  LOGIN_ACCOUNT_LOCK_AFTER: int('LOGIN_ACCOUNT_LOCK_AFTER', 1, 1000, 10),
  LOGIN_ADDRESS_LOCK_AFTER: int('LOGIN_ADDRESS_LOCK_AFTER', 1, 100000, 50),
  LOGIN_LOCK_SECONDS: int('LOGIN_LOCK_SECONDS', 1, 86400, 900),
  KEY_PUBLISH_SECONDS: int('KEY_PUBLISH_SECONDS', 0, 30 * 86400, 86400),
  SMS_GATEWAY_URL: z.url({ message: 'SMS_GATEWAY_URL must be an absolute URL' }).optional(),
  POPULATION_REGISTER_URL: z.url({ message: 'POPULATION_REGISTER_URL must be an absolute URL' }).optional(),
  POPULATION_REGISTER_USERNAME: z.string().optional(),
  POPULATION_REGISTER_SECRET: z.string().optional(),
  POPULATION_FILE: z.string().optional(),
  FACE_MATCH_URL: z.url({ message: 'FACE_MATCH_URL must be an absolute URL' }).optional(),
  FACE_MATCH_USERNAME: z.string().optional(),
  FACE_MATCH_SECRET: z.string().optional(),
  FACE_MATCH_THRESHOLD: z.coerce.number().min(0.5, 'FACE_MATCH_THRESHOLD must be between 0.5 and 1').max(1, 'FACE_MATCH_THRESHOLD must be between 0.5 and 1').default(0.9),
  SMS_GATEWAY_USERNAME: z.string().optional(),
  SMS_GATEWAY_SECRET: z.string().min(16, 'SMS_GATEWAY_SECRET must be at least 16 characters').optional(),
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0', ''], { error: () => 'TRUST_PROXY must be true or false' })
    .optional()
    .default('false'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: () => 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .optional()
    .default('info'),
});

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function decodeKey(name: string, value: string): Buffer {
  const buf = Buffer.from(value, 'base64url');
  if (buf.length !== 32) throw new ConfigError(`${name} must be 32 random bytes in base64 or base64url (openssl rand -base64 32)`);
  return buf;
}

interface Secrets {
  cookieKeys: string[];
  piiKey: string;
}

/** Test zone only: secrets are generated once and kept in DATA_DIR so data stays readable across restarts. */
function testZoneSecrets(dataDir: string): Secrets {
  const file = path.join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Secrets;
  mkdirSync(dataDir, { recursive: true });
  const secrets: Secrets = {
    cookieKeys: [randomBytes(32).toString('base64url')],
    piiKey: randomBytes(32).toString('base64url'),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' });
  return secrets;
}

/**
 * A service's cookie keys (comma-separated, newest first) and personal-data key: from the environment
 * (`names` are its variables, for the messages), or, when `testZoneDir` is given and either is
 * missing, generated once into that folder. Production passes no folder: it has checked both are set.
 */
export function serviceSecrets(given: { cookieKeys?: string; piiKey?: string }, names: { cookieKeys: string; piiKey: string }, testZoneDir?: string): { cookieKeys: string[]; piiKey: Buffer } {
  const stored = given.cookieKeys && given.piiKey ? undefined : testZoneDir ? testZoneSecrets(testZoneDir) : undefined;
  const cookieKeys = given.cookieKeys ? given.cookieKeys.split(',').map((k) => k.trim()) : stored?.cookieKeys;
  const piiKey = given.piiKey ?? stored?.piiKey;
  if (!cookieKeys || !piiKey) throw new ConfigError(`${names.cookieKeys} and ${names.piiKey} are required`);
  if (cookieKeys.some((k) => k.length < 32)) throw new ConfigError(`${names.cookieKeys}: each key must be at least 32 characters`);
  return { cookieKeys, piiKey: decodeKey(names.piiKey, piiKey) };
}

function smsGateway(e: { SMS_GATEWAY_URL?: string; SMS_GATEWAY_USERNAME?: string; SMS_GATEWAY_SECRET?: string }) {
  if (!e.SMS_GATEWAY_URL) return undefined;
  if (!e.SMS_GATEWAY_USERNAME || !e.SMS_GATEWAY_SECRET) {
    throw new ConfigError('SMS_GATEWAY_URL needs SMS_GATEWAY_USERNAME and SMS_GATEWAY_SECRET');
  }
  return { url: e.SMS_GATEWAY_URL, username: e.SMS_GATEWAY_USERNAME, secret: e.SMS_GATEWAY_SECRET };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${String(i.path[0] ?? '')}: ${i.message}`).join('\n'));
  }
  const e = parsed.data;
  const zone = e.IDP_ZONE;
  const issuer = (e.ISSUER && e.ISSUER !== '' ? e.ISSUER : `http://localhost:${e.PORT}`).replace(/\/$/, '');
  let issuerUrl: URL;
  try {
    issuerUrl = new URL(issuer);
  } catch {
    throw new ConfigError(`ISSUER must be an absolute URL, got "${issuer}"`);
  }
  if (issuerUrl.search || issuerUrl.hash) throw new ConfigError('ISSUER must not have a query or fragment');
  if (!['http:', 'https:'].includes(issuerUrl.protocol)) throw new ConfigError('ISSUER must be an http(s) URL');
  const databaseUrl = e.DATABASE_URL || undefined;
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
    registrationToken: e.IDP_REGISTRATION_TOKEN || undefined,
    cookieKeys: secrets.cookieKeys,
    piiKey: secrets.piiKey,
    argon2: {
      memoryKiB: e.ARGON2_MEMORY_KIB,
      timeCost: e.ARGON2_TIME_COST,
      parallelism: e.ARGON2_PARALLELISM,
      maxConcurrent: e.ARGON2_MAX_CONCURRENT,
    },
    login: {
      backoffAfter: e.LOGIN_BACKOFF_AFTER,
      accountLockAfter: e.LOGIN_ACCOUNT_LOCK_AFTER,
      addressLockAfter: e.LOGIN_ADDRESS_LOCK_AFTER,
      lockSeconds: e.LOGIN_LOCK_SECONDS,
    },
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY === 'true' || e.TRUST_PROXY === '1',
    smsGateway: smsGateway(e),
    populationRegister: e.POPULATION_REGISTER_URL
      ? { url: e.POPULATION_REGISTER_URL, username: e.POPULATION_REGISTER_USERNAME, secret: e.POPULATION_REGISTER_SECRET }
      : undefined,
    populationFile: e.POPULATION_FILE ?? path.join(dataDir, 'population.csv'),
    faceMatch: e.FACE_MATCH_URL ? { url: e.FACE_MATCH_URL, username: e.FACE_MATCH_USERNAME, secret: e.FACE_MATCH_SECRET } : undefined,
    faceMatchThreshold: e.FACE_MATCH_THRESHOLD,
    keyPublishSeconds: e.KEY_PUBLISH_SECONDS,
  };
}
