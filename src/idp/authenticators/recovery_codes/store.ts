// Recovery codes: ten single-use codes (10 characters from an unambiguous alphabet, 50 bits each),
// shown once and stored only as keyed hashes. A new set replaces the old one.
import { randomInt } from 'node:crypto';
import type { Database } from '../../../kernel/db/index.ts';
import type { Pii } from '../../../kernel/pii/index.ts';
import { audit } from '../../../kernel/audit/index.ts';

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'; // no 0/o, 1/l/i
const COUNT = 10;
const LENGTH = 10;

const normalise = (code: string) => String(code).toLowerCase().replace(/[\s-]/g, '');

export function createRecoveryCodes(db: Database, pii: Pii) {
  const hash = (sub: string, code: string) => pii.index(`${sub}:${normalise(code)}`, 'recovery');

  return {
    async generate(sub: string): Promise<string[]> {
      const codes = Array.from({ length: COUNT }, () => {
        const raw = Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
        return `${raw.slice(0, 5)}-${raw.slice(5)}`;
      });
      await db.tx(async (q) => {
        await q.query('DELETE FROM recovery_codes WHERE sub = $1', [sub]);
        for (const code of codes) await q.query('INSERT INTO recovery_codes (sub, code_hash) VALUES ($1, $2)', [sub, hash(sub, code)]);
        await audit(q, { actor: sub, action: 'recovery_codes.generated', subject: sub });
      });
      return codes;
    },

    async use(sub: string, code: string): Promise<boolean> {
      if (!/^[a-z0-9]{10}$/.test(normalise(code))) return false;
      const { rowCount } = await db.query('UPDATE recovery_codes SET used_at = now() WHERE sub = $1 AND code_hash = $2 AND used_at IS NULL', [sub, hash(sub, code)]);
      if (rowCount === 1) await audit(db, { actor: sub, action: 'recovery_code.used', subject: sub });
      return rowCount === 1;
    },

    /**
     * True when codes are exactly the account's unused set (as the page that showed them posts them
     * back): the page may show them again; anything else (an older set, a used code, a made-up one) is not.
     */
    async current(sub: string, codes: string[]): Promise<boolean> {
      const distinct = new Set(codes.map(normalise));
      if (!codes.length || distinct.size !== codes.length || [...distinct].some((c) => !/^[a-z0-9]{10}$/.test(c))) return false;
      if ((await this.remaining(sub)) !== distinct.size) return false;
      for (const code of distinct) {
        const { rows } = await db.query('SELECT 1 FROM recovery_codes WHERE sub = $1 AND code_hash = $2 AND used_at IS NULL', [sub, hash(sub, code)]);
        if (!rows.length) return false;
      }
      return true;
    },

    async remaining(sub: string): Promise<number> {
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM recovery_codes WHERE sub = $1 AND used_at IS NULL', [sub]);
      return Number(rows[0]!.n);
    },

    async remove(sub: string): Promise<void> {
      await db.query('DELETE FROM recovery_codes WHERE sub = $1', [sub]);
    },
  };
}

export type RecoveryCodes = ReturnType<typeof createRecoveryCodes>;
