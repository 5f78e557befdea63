// The agent's settings: a JSON file (--config FILE or MPID_AGENT_CONFIG) and environment variables
// MPID_AGENT_<NAME>, the environment winning. File keys are the same names, in any case
// ({"idp_url": …} or {"IDP_URL": …}).
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Config {
  host: string;
  port: number;
  idpUrl: string;
  authencodeUrl: string;
  allowedOrigins: string[];
  dataDir: string;
  logLevel: LogLevel;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const NAMES = ['HOST', 'PORT', 'IDP_URL', 'AUTHENCODE_URL', 'ALLOWED_ORIGINS', 'DATA_DIR', 'LOG_LEVEL'] as const;
type Name = (typeof NAMES)[number];

/** The agent answers this computer only: a hospital system on another host must not read the card in it. */
export const LOOPBACK_HOSTS = ['127.0.0.1', '::1', 'localhost'];
const LOCAL_SERVICE_HOSTS = ['localhost', '127.0.0.1', '[::1]'];
const LEVELS: LogLevel[] = ['debug', 'info', 'warn', 'error'];

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.ProgramData ?? 'C:\\ProgramData', 'mpid-card-agent');
  // systemd's StateDirectory=
  if (env.STATE_DIRECTORY) return env.STATE_DIRECTORY.split(':')[0]!;
  return join(homedir(), '.local', 'state', 'mpid-card-agent');
}

function readFile(file: string): Partial<Record<Name, unknown>> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read the config file ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`the config file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError(`the config file ${file} must hold a JSON object`);
  const out: Partial<Record<Name, unknown>> = {};
  for (const [key, value] of Object.entries(parsed)) {
    const name = key.toUpperCase().replace(/^MPID_AGENT_/, '') as Name;
    if (!NAMES.includes(name)) throw new ConfigError(`the config file ${file} has an unknown setting "${key}" (known: ${NAMES.map((n) => n.toLowerCase()).join(', ')})`);
    out[name] = value;
  }
  return out;
}

function serviceUrl(name: string, value: unknown): string {
  if (typeof value !== 'string' || !value.trim()) throw new ConfigError(`${name} is required: the URL of the service (e.g. https://id.example.go.th)`);
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ConfigError(`${name} is not a URL: ${value}`);
  }
  const local = LOCAL_SERVICE_HOSTS.includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) throw new ConfigError(`${name} must use https (plain http only for localhost): ${value}`);
  if (url.search || url.hash || url.username || url.password) throw new ConfigError(`${name} must be a plain base URL, without query, fragment or credentials: ${value}`);
  return url.href.replace(/\/+$/, '');
}

function origin(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} holds something that is not an origin: ${value}`);
  }
  if (!['https:', 'http:'].includes(url.protocol) || url.origin !== value.replace(/\/$/, '')) throw new ConfigError(`${name} must list origins like https://id.example.go.th (scheme, host, port; no path): ${value}`);
  return url.origin;
}

/** The settings from `file` (when given) and `env`; a ConfigError says what is wrong and where. */
export function loadConfig(o: { file?: string; env?: NodeJS.ProcessEnv } = {}): Config {
  const env = o.env ?? process.env;
  const file = o.file ?? env.MPID_AGENT_CONFIG;
  const fromFile = file ? readFile(file) : {};
  const get = (name: Name): unknown => env[`MPID_AGENT_${name}`] ?? fromFile[name];
  const where = (name: Name) => `MPID_AGENT_${name}`;

  const host = String(get('HOST') ?? '127.0.0.1');
  if (!LOOPBACK_HOSTS.includes(host)) throw new ConfigError(`${where('HOST')} must be a loopback address (${LOOPBACK_HOSTS.join(', ')}), not ${host}: the agent serves this computer only`);

  const rawPort = get('PORT') ?? 8189;
  const port = typeof rawPort === 'number' ? rawPort : /^\d+$/.test(String(rawPort)) ? Number(rawPort) : NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`${where('PORT')} must be a port number (0–65535), not ${String(rawPort)}`);

  const idpUrl = serviceUrl(where('IDP_URL'), get('IDP_URL'));
  const authencodeUrl = serviceUrl(where('AUTHENCODE_URL'), get('AUTHENCODE_URL'));

  const rawOrigins = get('ALLOWED_ORIGINS');
  const list = rawOrigins === undefined || rawOrigins === '' ? undefined : Array.isArray(rawOrigins) ? rawOrigins.map(String) : String(rawOrigins).split(/[\s,]+/).filter(Boolean);
  const allowedOrigins = list ? list.map((v) => origin(where('ALLOWED_ORIGINS'), v)) : [...new Set([new URL(idpUrl).origin, new URL(authencodeUrl).origin])];

  const dataDir = String(get('DATA_DIR') ?? defaultDataDir(env));
  const logLevel = String(get('LOG_LEVEL') ?? 'info').toLowerCase() as LogLevel;
  if (!LEVELS.includes(logLevel)) throw new ConfigError(`${where('LOG_LEVEL')} must be one of ${LEVELS.join(', ')}, not ${logLevel}`);

  return { host, port, idpUrl, authencodeUrl, allowedOrigins, dataDir, logLevel };
}

/** the agent's version, from its package.json (sent when pairing, shown on the status page) */
export const AGENT_VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
