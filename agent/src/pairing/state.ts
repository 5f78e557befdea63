// What pairing at the IdP gave this agent, kept in DATA_DIR/pairing.json. The running service and the
// `pair` command share the file: each access looks at its modification time and size, so a pairing
// written by the command is picked up without a restart.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Pairing {
  agent_id: string;
  hcode: string;
  unit_name: string;
  issuer: string;
  token_endpoint: string;
  /** the IdP it was paired at: a pairing made against another IdP is not used */
  idp_url: string;
  name: string;
  paired_at: string;
}

export const PAIRING_FILE = 'pairing.json';

export interface PairingStore {
  get(): Pairing | undefined;
  save(p: Pairing): void;
  /** true when the file changed since the last get() (a pairing from the command, or one removed) */
  changed(): boolean;
  file: string;
}

const FIELDS = ['agent_id', 'hcode', 'unit_name', 'issuer', 'token_endpoint', 'idp_url', 'name', 'paired_at'] as const;

export function pairingStore(dataDir: string, o: { onInvalid?: (message: string) => void } = {}): PairingStore {
  const file = join(dataDir, PAIRING_FILE);
  let seen = '';
  let current: Pairing | undefined;
  const stamp = () => {
    try {
      const s = statSync(file);
      return `${s.mtimeMs}:${s.size}:${s.ino}`;
    } catch {
      return 'absent';
    }
  };
  const load = () => {
    const now = stamp();
    if (now === seen) return;
    seen = now;
    current = undefined;
    if (now === 'absent') return;
    try {
      const p = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      if (FIELDS.every((f) => typeof p[f] === 'string')) current = Object.fromEntries(FIELDS.map((f) => [f, p[f]])) as unknown as Pairing;
      else o.onInvalid?.(`${file} lacks some of ${FIELDS.join(', ')}; pair again`);
    } catch (err) {
      o.onInvalid?.(`${file} cannot be read (${(err as Error).message}); pair again`);
    }
  };
  return {
    file,
    get() {
      load();
      return current;
    },
    changed() {
      return stamp() !== seen;
    },
    save(p) {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(p, null, 2) + '\n', { mode: 0o600 });
      renameSync(tmp, file);
    },
  };
}
