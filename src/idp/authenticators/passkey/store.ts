// Passkeys (WebAuthn with user verification), through @simplewebauthn/server. Discoverable credentials,
// so a person can log in without typing their ID number; challenges are single use and expire in 5
// minutes. A credential bound to one device (not synced) counts as hardware-bound for AAL 3.
import { randomBytes } from 'node:crypto';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Database, Queryable } from '../../../kernel/db/index.ts';
import { audit } from '../../../kernel/audit/index.ts';

const CHALLENGE_SECONDS = 300;
const ALGORITHMS = [-8, -7, -257]; // EdDSA, ES256, RS256

export interface PasskeyInfo {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  deviceBound: boolean;
}

type Fail = { ok: false; reason: string };

const cleanName = (name: unknown) => {
  const n = typeof name === 'string' ? name.trim().replace(/\s+/g, ' ') : '';
  return n.slice(0, 60) || 'Passkey';
};

export function createPasskeys(db: Database, opts: { rpID: string; rpName: string; origin: string; now?: () => number }) {
  const { rpID, rpName, origin } = opts;

  async function userHandle(q: Queryable, sub: string): Promise<string> {
    await q.query('INSERT INTO webauthn_users (sub, handle) VALUES ($1, $2) ON CONFLICT (sub) DO NOTHING', [sub, randomBytes(32).toString('base64url')]);
    const { rows } = await q.query<{ handle: string }>('SELECT handle FROM webauthn_users WHERE sub = $1', [sub]);
    return rows[0]!.handle;
  }

  async function saveChallenge(sub: string | null, purpose: 'register' | 'authenticate', challenge: string): Promise<string> {
    const id = randomBytes(18).toString('base64url');
    await db.query(
      `INSERT INTO webauthn_challenges (id, sub, purpose, challenge, expires_at)
       VALUES ($1, $2, $3, $4, to_timestamp($5::float8 / 1000) + make_interval(secs => $6::int))`,
      [id, sub, purpose, challenge, (opts.now ?? Date.now)(), CHALLENGE_SECONDS],
    );
    return id;
  }

  /** Takes the challenge (it cannot be used twice) if it is live and for this purpose. */
  async function takeChallenge(id: unknown, purpose: 'register' | 'authenticate'): Promise<{ sub: string | null; challenge: string } | undefined> {
    if (typeof id !== 'string' || id.length > 64) return undefined;
    const { rows } = await db.query<{ sub: string | null; challenge: string; live: boolean }>(
      `DELETE FROM webauthn_challenges WHERE id = $1 AND purpose = $2
       RETURNING sub, challenge, expires_at > to_timestamp($3::float8 / 1000) AS live`,
      [id, purpose, (opts.now ?? Date.now)()],
    );
    const r = rows[0];
    return r?.live ? { sub: r.sub, challenge: r.challenge } : undefined;
  }

  return {
    async registrationOptions(sub: string, user: { name: string; displayName: string }): Promise<{ challengeId: string; options: PublicKeyCredentialCreationOptionsJSON }> {
      const handle = await userHandle(db, sub);
      const { rows } = await db.query<{ id: string; transports: string[] }>('SELECT id, transports FROM passkeys WHERE sub = $1', [sub]);
      const options = await generateRegistrationOptions({
        rpName,
        rpID,
        userName: user.name,
        userDisplayName: user.displayName,
        userID: Buffer.from(handle, 'base64url'),
        attestationType: 'none',
        excludeCredentials: rows.map((r) => ({ id: r.id, transports: r.transports as AuthenticatorTransport[] })),
        authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
        supportedAlgorithmIDs: ALGORITHMS,
      });
      return { challengeId: await saveChallenge(sub, 'register', options.challenge), options };
    },

    async verifyRegistration(sub: string, challengeId: unknown, response: unknown, name: unknown): Promise<{ ok: true; id: string } | Fail> {
      const saved = await takeChallenge(challengeId, 'register');
      if (!saved || saved.sub !== sub) return { ok: false, reason: 'challenge' };
      let result;
      try {
        result = await verifyRegistrationResponse({
          response: response as RegistrationResponseJSON,
          expectedChallenge: saved.challenge,
          expectedOrigin: origin,
          expectedRPID: rpID,
          requireUserVerification: true,
          supportedAlgorithmIDs: ALGORITHMS,
        });
      } catch {
        return { ok: false, reason: 'invalid' };
      }
      if (!result.verified) return { ok: false, reason: 'invalid' };
      const { credential, credentialDeviceType, credentialBackedUp } = result.registrationInfo;
      try {
        await db.tx(async (q) => {
          await q.query(
            `INSERT INTO passkeys (id, sub, public_key, counter, transports, device_type, backed_up, name)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
            [credential.id, sub, Buffer.from(credential.publicKey), credential.counter, credential.transports ?? [], credentialDeviceType, credentialBackedUp, cleanName(name)],
          );
          await audit(q, { actor: sub, action: 'passkey.registered', subject: sub, detail: { device_bound: credentialDeviceType === 'singleDevice' } });
        });
      } catch (err) {
        if ((err as { code?: string }).code === '23505') return { ok: false, reason: 'duplicate' };
        throw err;
      }
      return { ok: true, id: credential.id };
    },

    /** Options for a login: with a sub, that account's passkeys; without, any discoverable one. */
    async authenticationOptions(sub?: string): Promise<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
      const { rows } = sub ? await db.query<{ id: string; transports: string[] }>('SELECT id, transports FROM passkeys WHERE sub = $1', [sub]) : { rows: [] };
      const options = await generateAuthenticationOptions({
        rpID,
        userVerification: 'required',
        allowCredentials: rows.map((r) => ({ id: r.id, transports: r.transports as AuthenticatorTransport[] })),
      });
      return { challengeId: await saveChallenge(sub ?? null, 'authenticate', options.challenge), options };
    },

    async verifyAuthentication(challengeId: unknown, response: unknown): Promise<{ ok: true; sub: string; id: string; deviceBound: boolean } | Fail> {
      const saved = await takeChallenge(challengeId, 'authenticate');
      if (!saved) return { ok: false, reason: 'challenge' };
      const id = (response as { id?: unknown } | null)?.id;
      if (typeof id !== 'string' || id.length > 1024) return { ok: false, reason: 'invalid' };
      const { rows } = await db.query<{ sub: string; public_key: Uint8Array; counter: string; transports: string[]; device_type: string }>(
        'SELECT sub, public_key, counter, transports, device_type FROM passkeys WHERE id = $1',
        [id],
      );
      const stored = rows[0];
      if (!stored || (saved.sub && saved.sub !== stored.sub)) return { ok: false, reason: 'unknown' };
      let result;
      try {
        result = await verifyAuthenticationResponse({
          response: response as AuthenticationResponseJSON,
          expectedChallenge: saved.challenge,
          expectedOrigin: origin,
          expectedRPID: rpID,
          requireUserVerification: true,
          credential: { id, publicKey: new Uint8Array(stored.public_key), counter: Number(stored.counter), transports: stored.transports as AuthenticatorTransport[] },
        });
      } catch {
        return { ok: false, reason: 'invalid' };
      }
      if (!result.verified || !result.authenticationInfo.userVerified) return { ok: false, reason: 'invalid' };
      await db.query('UPDATE passkeys SET counter = $2, last_used_at = now() WHERE id = $1', [id, result.authenticationInfo.newCounter]);
      return { ok: true, sub: stored.sub, id, deviceBound: stored.device_type === 'singleDevice' };
    },

    async list(sub: string): Promise<PasskeyInfo[]> {
      const { rows } = await db.query<{ id: string; name: string; created_at: Date; last_used_at: Date | null; device_type: string }>(
        'SELECT id, name, created_at, last_used_at, device_type FROM passkeys WHERE sub = $1 ORDER BY created_at',
        [sub],
      );
      return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at, deviceBound: r.device_type === 'singleDevice' }));
    },

    async count(sub: string): Promise<number> {
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM passkeys WHERE sub = $1', [sub]);
      return Number(rows[0]!.n);
    },

    async rename(sub: string, id: string, name: unknown): Promise<boolean> {
      const { rowCount } = await db.query('UPDATE passkeys SET name = $3 WHERE sub = $1 AND id = $2', [sub, id, cleanName(name)]);
      if (rowCount) await audit(db, { actor: sub, action: 'passkey.renamed', subject: sub });
      return rowCount === 1;
    },

    async remove(sub: string, id: string): Promise<boolean> {
      const { rowCount } = await db.query('DELETE FROM passkeys WHERE sub = $1 AND id = $2', [sub, id]);
      if (rowCount) await audit(db, { actor: sub, action: 'passkey.removed', subject: sub });
      return rowCount === 1;
    },
  };
}

export type Passkeys = ReturnType<typeof createPasskeys>;
