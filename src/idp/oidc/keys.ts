// Signing keys in KEYS_DIR/keyring.json. Keys come in generations (one RSA, one EC P-256, one Ed25519).
// A new generation is published in the JWKS before it signs (activatesAt), and an old one stays
// published after it stops signing until every token it signed has expired (RETIRED_PUBLISH_SECONDS).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { JWK } from 'jose';

/** Longer than any signed token lives (ID tokens 1 h, JWT access tokens at most 24 h). */
export const RETIRED_PUBLISH_SECONDS = 2 * 86400;

export interface Generation {
  id: string;
  createdAt: string;
  activatesAt: string;
  keys: JWK[];
}

export interface Keyring {
  generations: Generation[];
}

export type KeyState = 'active' | 'next' | 'retired' | 'expired';

export const keyringPath = (keysDir: string) => path.join(keysDir, 'keyring.json');

function newGeneration(activatesAt: Date): Generation {
  const id = `${new Date().toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(4).toString('hex')}`;
  const jwk = (kp: { privateKey: { export(o: { format: 'jwk' }): object } }, suffix: string): JWK => ({
    ...(kp.privateKey.export({ format: 'jwk' }) as JWK),
    kid: `${id}-${suffix}`,
    use: 'sig',
  });
  return {
    id,
    createdAt: new Date().toISOString(),
    activatesAt: activatesAt.toISOString(),
    keys: [
      jwk(generateKeyPairSync('ec', { namedCurve: 'P-256' }), 'ec'),
      jwk(generateKeyPairSync('rsa', { modulusLength: 2048 }), 'rsa'),
      jwk(generateKeyPairSync('ed25519'), 'okp'),
    ],
  };
}

export function readKeyring(keysDir: string): Keyring | undefined {
  const file = keyringPath(keysDir);
  if (!existsSync(file)) return undefined;
  const ring = JSON.parse(readFileSync(file, 'utf8')) as Keyring;
  if (!Array.isArray(ring.generations) || ring.generations.length === 0) throw new Error(`${file} has no key generations`);
  return ring;
}

function writeKeyring(keysDir: string, ring: Keyring): void {
  mkdirSync(keysDir, { recursive: true });
  const file = keyringPath(keysDir);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(ring, null, 2), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/** Each generation's state at `now`: the newest activated one is active; later ones are next. */
export function keyStates(ring: Keyring, now = new Date()): Array<{ generation: Generation; state: KeyState }> {
  const sorted = [...ring.generations].sort((a, b) => a.activatesAt.localeCompare(b.activatesAt));
  const activeIndex = sorted.findLastIndex((g) => new Date(g.activatesAt) <= now);
  return sorted.map((generation, i) => {
    if (i === activeIndex) return { generation, state: 'active' };
    if (i > activeIndex) return { generation, state: 'next' };
    // retired from the moment its successor activated
    const retiredAt = new Date(sorted[i + 1]!.activatesAt).getTime();
    const expired = now.getTime() - retiredAt > RETIRED_PUBLISH_SECONDS * 1000;
    return { generation, state: expired ? 'expired' : 'retired' };
  });
}

/** Private JWKs for oidc-provider, the active signer first (oidc-provider signs with the first match). */
export function signingJwks(ring: Keyring, now = new Date()): JWK[] {
  const states = keyStates(ring, now);
  const order: KeyState[] = ['active', 'next', 'retired'];
  if (!states.some((s) => s.state === 'active')) throw new Error('no signing key is active yet: check activatesAt in keyring.json');
  return order.flatMap((state) => states.filter((s) => s.state === state).flatMap((s) => s.generation.keys));
}

/** Moment after which signingJwks(ring) changes (a next key activates or a retired one expires). */
export function nextKeyChange(ring: Keyring, now = new Date()): Date | undefined {
  const times = ring.generations.flatMap((g, _i, all) => {
    const t = [new Date(g.activatesAt).getTime()];
    const successor = all.filter((o) => o.activatesAt > g.activatesAt).sort((a, b) => a.activatesAt.localeCompare(b.activatesAt))[0];
    if (successor) t.push(new Date(successor.activatesAt).getTime() + RETIRED_PUBLISH_SECONDS * 1000 + 1000);
    return t;
  });
  const future = times.filter((t) => t > now.getTime()).sort((a, b) => a - b);
  return future.length ? new Date(future[0]!) : undefined;
}

/** First start in the test zone, or `mpid keys init`: one generation, active at once. */
export function ensureKeyring(keysDir: string): { ring: Keyring; created: boolean } {
  const existing = readKeyring(keysDir);
  if (existing) return { ring: existing, created: false };
  const ring = { generations: [newGeneration(new Date())] };
  writeKeyring(keysDir, ring);
  return { ring, created: true };
}

/** Adds a generation that signs after publishSeconds, and drops generations whose tokens have all expired. */
export function rotateKeys(keysDir: string, publishSeconds: number, now = new Date()): { added: Generation; dropped: string[] } {
  const ring = readKeyring(keysDir);
  if (!ring) throw new Error(`no keyring in ${keysDir}: run "mpid keys init" first`);
  const states = keyStates(ring, now);
  const dropped = states.filter((s) => s.state === 'expired').map((s) => s.generation.id);
  const added = newGeneration(new Date(now.getTime() + publishSeconds * 1000));
  writeKeyring(keysDir, { generations: [...states.filter((s) => s.state !== 'expired').map((s) => s.generation), added] });
  return { added, dropped };
}
