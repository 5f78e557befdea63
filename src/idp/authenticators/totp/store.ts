// Authenticator apps (TOTP, RFC 6238: 30-second steps, 6 digits, SHA-1 for app compatibility).
// Enrolment confirms a first code; a code is accepted once (its step is remembered) and one step of
// clock drift either way is tolerated. The secret is stored encrypted.
import { timingSafeEqual } from 'node:crypto';
import { generate, generateSecret, generateURI } from 'otplib';
import QRCode from 'qrcode';
import type { Database } from '../../../kernel/db/index.ts';
import type { Pii } from '../../../kernel/pii/index.ts';
import { audit } from '../../../kernel/audit/index.ts';

const PERIOD = 30;
const DRIFT_STEPS = 1;

export type TotpResult = 'ok' | 'wrong' | 'replayed' | 'none';

const cleanCode = (code: string) => {
  const c = String(code).replace(/\s/g, '');
  return /^\d{6}$/.test(c) ? c : undefined;
};
const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export function createTotp(db: Database, pii: Pii, opts: { issuer?: string; now?: () => number } = {}) {
  const issuer = opts.issuer ?? 'Mor Prom ID';
  const now = opts.now ?? Date.now;
  const context = (sub: string) => `totp:${sub}`;

  /** The step (within the drift window) whose code this is, if any. */
  async function matchingStep(secret: string, code: string): Promise<number | undefined> {
    const current = Math.floor(now() / 1000 / PERIOD);
    for (let step = current - DRIFT_STEPS; step <= current + DRIFT_STEPS; step++) {
      if (same(await generate({ secret, epoch: step * PERIOD }), code)) return step;
    }
    return undefined;
  }

  async function setupView(secret: string, accountLabel: string) {
    const otpauthUri = generateURI({ issuer, label: accountLabel, secret });
    const qrSvg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return { setupKey: secret.replace(/(.{4})(?=.)/g, '$1 '), otpauthUri, qrSvg };
  }

  return {
    /** A new secret, pending until its first code is confirmed; replaces an earlier pending one. */
    async begin(sub: string, accountLabel: string): Promise<{ setupKey: string; otpauthUri: string; qrSvg: string }> {
      const secret = generateSecret();
      await db.query(
        `INSERT INTO totp_authenticators (sub, pending_cipher) VALUES ($1, $2)
         ON CONFLICT (sub) DO UPDATE SET pending_cipher = EXCLUDED.pending_cipher`,
        [sub, pii.encrypt(secret, context(sub))],
      );
      return setupView(secret, accountLabel);
    },

    /** The pending secret's setup again (after a wrong first code), if one is pending. */
    async pendingSetup(sub: string, accountLabel: string): Promise<{ setupKey: string; otpauthUri: string; qrSvg: string } | undefined> {
      const { rows } = await db.query<{ pending_cipher: string | null }>('SELECT pending_cipher FROM totp_authenticators WHERE sub = $1', [sub]);
      const sealed = rows[0]?.pending_cipher;
      return sealed ? setupView(pii.decrypt(sealed, context(sub)), accountLabel) : undefined;
    },

    async confirm(sub: string, code: string): Promise<'ok' | 'wrong' | 'no_pending'> {
      const { rows } = await db.query<{ pending_cipher: string | null }>('SELECT pending_cipher FROM totp_authenticators WHERE sub = $1', [sub]);
      const sealed = rows[0]?.pending_cipher;
      if (!sealed) return 'no_pending';
      const c = cleanCode(code);
      const step = c && (await matchingStep(pii.decrypt(sealed, context(sub)), c));
      if (step === undefined || !c) return 'wrong';
      const { rowCount } = await db.query(
        `UPDATE totp_authenticators SET secret_cipher = pending_cipher, pending_cipher = NULL, confirmed_at = now(), last_used_step = $3
         WHERE sub = $1 AND pending_cipher = $2`,
        [sub, sealed, step],
      );
      if (rowCount !== 1) return 'no_pending';
      await audit(db, { actor: sub, action: 'totp.enrolled', subject: sub });
      return 'ok';
    },

    async verify(sub: string, code: string): Promise<TotpResult> {
      const { rows } = await db.query<{ secret_cipher: string | null; last_used_step: string | null }>(
        'SELECT secret_cipher, last_used_step FROM totp_authenticators WHERE sub = $1',
        [sub],
      );
      const sealed = rows[0]?.secret_cipher;
      if (!sealed) return 'none';
      const c = cleanCode(code);
      const step = c ? await matchingStep(pii.decrypt(sealed, context(sub)), c) : undefined;
      if (step === undefined) return 'wrong';
      // only one submission per step can win, even when two arrive at once
      const { rowCount } = await db.query(
        `UPDATE totp_authenticators SET last_used_step = $2
         WHERE sub = $1 AND secret_cipher IS NOT NULL AND (last_used_step IS NULL OR last_used_step < $2)`,
        [sub, step],
      );
      return rowCount === 1 ? 'ok' : 'replayed';
    },

    async status(sub: string): Promise<{ enrolled: boolean; confirmedAt?: Date }> {
      const { rows } = await db.query<{ confirmed_at: Date | null; secret_cipher: string | null }>(
        'SELECT confirmed_at, secret_cipher FROM totp_authenticators WHERE sub = $1',
        [sub],
      );
      const r = rows[0];
      return r?.secret_cipher ? { enrolled: true, confirmedAt: r.confirmed_at ?? undefined } : { enrolled: false };
    },

    async remove(sub: string): Promise<boolean> {
      const { rowCount } = await db.query('DELETE FROM totp_authenticators WHERE sub = $1 AND secret_cipher IS NOT NULL', [sub]);
      if (rowCount) await audit(db, { actor: sub, action: 'totp.removed', subject: sub });
      return rowCount > 0;
    },
  };
}

export type Totp = ReturnType<typeof createTotp>;
