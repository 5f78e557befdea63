// Configuration from the environment, declared once: each variable with its parser, default and
// documentation. The zod schema, the type of the parsed values and the README's tables
// (`npm run docs:config`) all come from the declarations; an empty value counts as unset.
import { z } from 'zod';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { isIP, type BlockList } from 'node:net';
import { parseTrustedPeers } from './http/request_id.ts';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const ZONES = ['test', 'production'] as const;
export type Zone = (typeof ZONES)[number];

/** Turns a raw (non-empty) value into a typed one, or calls `refuse` with what it must be (or throws a ConfigError of its own). */
export type Parse<T> = ((raw: string) => T) & { accepts?: string };

class Refusal {
  readonly must: string;
  constructor(must: string) {
    this.must = must;
  }
}

/** Inside a parser: the value is refused; the message reads "NAME must be <must>, got "<value>"". */
export function refuse(must: string): never {
  throw new Refusal(must);
}

export interface Var<T = unknown> {
  /** the README's "meaning" cell (Markdown) */
  doc: string;
  parse: Parse<T>;
  /** the value used when unset, written as in the environment; parsed like a given value */
  default?: string | number | boolean;
  /** the README's "default" cell when the loader derives the default from other values */
  shownDefault?: string;
  /** a credential: messages never repeat its value */
  secret?: boolean;
  /** documented as required in production (the loader refuses to start without it) */
  required?: 'production';
  /** documented as read in the test zone only */
  zone?: 'test';
}

export type Vars = Record<string, Var<any>>;
type Parsed<V> = V extends Var<infer T> ? (V extends { default: string | number | boolean } ? T : T | undefined) : never;
/** What a set of declarations parses to: the default's type where there is one, else `| undefined`. */
export type Values<D extends Vars> = { -readonly [K in keyof D]: Parsed<D[K]> };
export type Env = Record<string, string | undefined>;

export interface Declared<D extends Vars> {
  vars: D;
  schema: z.ZodType<Values<D>, Env>;
  /** Parses `env`; every bad value is one line of the ConfigError. */
  load(env: Env): Values<D>;
}

function field(name: string, v: Var) {
  const parse = (raw: string) => {
    try {
      return { value: v.parse(raw) };
    } catch (e) {
      if (e instanceof Refusal) return { must: e.must };
      if (e instanceof ConfigError) return { message: e.message };
      throw e;
    }
  };
  let fallback: unknown;
  if (v.default !== undefined) {
    const d = parse(String(v.default));
    if (!('value' in d)) throw new Error(`the default of ${name} is refused by its parser`);
    fallback = d.value;
  }
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '') return fallback;
      const r = parse(raw);
      if ('value' in r) return r.value;
      const message = 'must' in r ? `${name} must be ${r.must}${v.secret ? '' : `, got "${raw}"`}` : r.message;
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    });
}

export function declareVars<const D extends Vars>(vars: D): Declared<D> {
  const shape = Object.fromEntries(Object.entries(vars).map(([name, v]) => [name, field(name, v)]));
  const schema = z.object(shape) as unknown as z.ZodType<Values<D>, Env>;
  return {
    vars,
    schema,
    load(env) {
      const parsed = schema.safeParse(env);
      if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => i.message).join('\n'));
      // every declared name present, unset ones as undefined (zod leaves absent optional keys out)
      return Object.fromEntries(Object.keys(vars).map((name) => [name, (parsed.data as Record<string, unknown>)[name]])) as Values<D>;
    },
  };
}

// Parsers. `accepts` (where set) is what the README says a parser takes.

const accepting = <T>(accepts: string, parse: Parse<T>): Parse<T> => Object.assign(parse, { accepts });

export const text: Parse<string> = (raw) => raw;

export const int = (min: number, max: number): Parse<number> =>
  accepting(`whole number ${min}–${max}`, (raw) => {
    if (!/^\d+$/.test(raw)) refuse('a whole number');
    const n = Number(raw);
    if (n < min || n > max) refuse(`between ${min} and ${max}`);
    return n;
  });

export const decimal = (min: number, max: number): Parse<number> =>
  accepting(`${min}–${max}`, (raw) => {
    const n = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
    if (!(n >= min && n <= max)) refuse(`between ${min} and ${max}`);
    return n;
  });

export const oneOf = <const T extends string>(values: readonly T[]): Parse<T> => {
  const must = values.length === 2 ? `${values[0]} or ${values[1]}` : `one of ${values.join(', ')}`;
  return accepting(must, (raw) => (values.includes(raw as T) ? (raw as T) : refuse(must)));
};

export const bool: Parse<boolean> = accepting('true/false or 1/0', (raw) => {
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  return refuse('true or false');
});

export const url: Parse<string> = (raw) => (URL.canParse(raw) ? raw : refuse('an absolute URL'));

export const httpUrl: Parse<string> = (raw) => (URL.canParse(raw) && ['http:', 'https:'].includes(new URL(raw).protocol) ? raw.replace(/\/+$/, '') : refuse('an http(s) URL'));

export const postgresUrl: Parse<string> = (raw) => (/^postgres(ql)?:\/\//.test(raw) ? raw : refuse('a URL starting with postgres:// or postgresql://'));

export const minLength = (n: number): Parse<string> => accepting(`≥ ${n} characters`, (raw) => (raw.length >= n ? raw : refuse(`at least ${n} characters`)));

export const matches = (re: RegExp, what: string): Parse<string> => (raw) => (re.test(raw) ? raw : refuse(what));

// Variables both services read: one declaration, one message.

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const sharedVars = {
  IDP_ZONE: { doc: 'the zone this runs in (see Zones)', default: 'test', parse: oneOf(ZONES) },
  PORT: {
    doc: "the IdP's HTTP port (the Authen Code service guesses the IdP's issuer from it)",
    default: 3000,
    parse: int(0, 65535),
  },
  DATABASE_URL: {
    doc: 'PostgreSQL, `postgres://…`, of the IdP, and of the Authen Code service unless `AUTHENCODE_DATABASE_URL` is set; absent → embedded PGlite in `DATA_DIR` (test zone only)',
    parse: postgresUrl,
    secret: true,
    required: 'production',
  },
  DATABASE_NAMED_STATEMENTS: {
    doc: "single statements with parameters as named prepared statements on PostgreSQL (parsed and planned once per connection); through PgBouncer in transaction mode they need PgBouncer 1.21+ with `max_prepared_statements`; a pooler that refuses them turns them off by itself at its first refusal, with a warning in the log",
    default: true,
    parse: bool,
  },
  DATA_DIR: {
    doc: 'embedded databases and, in the test zone, generated secrets (`secrets.json`, mode 0600); the Authen Code service uses `DATA_DIR/authencode`',
    default: './data',
    parse: text,
  },
  POPULATION_FILE: {
    doc: 'the synthetic population register (generated when missing); the Authen Code service reads it as its synthetic entitlement register',
    shownDefault: '`DATA_DIR/population.csv`',
    parse: text,
    zone: 'test',
  },
  CARD_AGENT_URL: {
    doc: "the unit's card reader agent as the staff's browsers reach it: the *Read card* button calls it, and the pages' CSP `connect-src` allows it",
    default: 'http://127.0.0.1:8189',
    parse: httpUrl,
  },
  TRUST_PROXY: { doc: 'trust `X-Forwarded-*` from a TLS-terminating reverse proxy', default: false, parse: bool },
  LOG_LEVEL: { doc: 'pino level (`silent` to turn logs off)', default: 'info', parse: oneOf(LOG_LEVELS) },
  TRUST_REQUEST_ID_FROM: {
    doc: "addresses or CIDR ranges, comma-separated (`10.0.0.0/8,::1`), whose `x-request-id` is kept (a reverse proxy, the other service); from anyone else it is replaced by a new one (see docs/operations.md)",
    shownDefault: '— (none: every request gets a new id)',
    parse: trustedPeers,
  },
  METRICS_HOST: {
    doc: 'the address the metrics listeners bind (`0.0.0.0` for a scraper in another container); in production a non-loopback address needs `METRICS_TOKEN`',
    default: '127.0.0.1',
    parse: (raw: string) => (isIP(raw) ? raw : refuse('an IP address (127.0.0.1, 0.0.0.0, ::)')),
  },
  METRICS_TOKEN: {
    doc: 'when set, `/metrics` answers only `Authorization: Bearer <token>` (Prometheus: `authorization.credentials_file`)',
    parse: minLength(32),
    secret: true,
  },
} as const satisfies Vars;

function trustedPeers(raw: string): BlockList {
  try {
    return parseTrustedPeers(raw);
  } catch (err) {
    return refuse(`IP addresses or CIDR ranges, comma-separated (${(err as Error).message})`);
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1']);

/** Where a service's metrics listener binds, or undefined when its port variable is unset (no listener).
 *  Production refuses a listener reachable from other machines without a token. */
export function metricsListener(e: { METRICS_HOST: string; METRICS_TOKEN?: string }, port: number | undefined, setting: string, zone: Zone) {
  if (port === undefined) return undefined;
  if (zone === 'production' && !LOOPBACK_HOSTS.has(e.METRICS_HOST) && !e.METRICS_TOKEN) {
    throw new ConfigError(`production serves metrics on ${e.METRICS_HOST} (${setting}) only with METRICS_TOKEN (at least 32 characters): set it, or METRICS_HOST=127.0.0.1`);
  }
  return { port, host: e.METRICS_HOST, token: e.METRICS_TOKEN, setting };
}

// Secrets.

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
