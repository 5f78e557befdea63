// JSON lines to stdout (journald and the Windows service wrapper keep them). Nothing that identifies a
// person or grants access is ever written: fields with such names are dropped, and a last pass over the
// line replaces any run of 13 digits (an ID number wherever it hides, e.g. in a URL) by asterisks.
import type { LogLevel } from './config.ts';

export type Fields = Record<string, unknown>;
export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEYS = /^(pid|cid|name|.*_name(_th|_en)?|fname|lname|title.*|photo|chip_photo|image|card|address|birth.*|token|access_token|authorization|document|pairing_code|jwk|d)$/i;

export const redactDigits = (s: string) => s.replace(/\d{13}/g, '*************');

function clean(fields: Fields): Fields {
  const out: Fields = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    if (SECRET_KEYS.test(k)) {
      out[k] = '[redacted]';
      continue;
    }
    if (v instanceof Error) out[k] = { name: v.name, message: v.message, ...((v as { code?: unknown }).code ? { code: (v as { code?: unknown }).code } : {}) };
    else out[k] = v;
  }
  return out;
}

export function createLogger(o: { level?: LogLevel; write?: (line: string) => void } = {}): Logger {
  const min = ORDER[o.level ?? 'info'];
  const write = o.write ?? ((line: string) => process.stdout.write(line + '\n'));
  const at = (level: LogLevel) => (msg: string, fields: Fields = {}) => {
    if (ORDER[level] < min) return;
    write(redactDigits(JSON.stringify({ time: new Date().toISOString(), level, msg, ...clean(fields) })));
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
