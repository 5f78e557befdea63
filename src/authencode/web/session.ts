// Browser sessions of the web pages: a random id in a signed, httpOnly cookie; the data (who logged in,
// at which level, the pending login) in the service's own table, keyed by a hash of the id.
import { createHash, randomBytes } from 'node:crypto';
import type { Context, Next } from 'koa';
import type { Database } from '../../kernel/db/index.ts';

const COOKIE = 'authencode.session';
const IDLE_SECONDS = 30 * 60;
const REFRESH_AFTER_SECONDS = 60;

export interface Person {
  sub: string;
  /** the citizen's own ID number (pid claim) */
  pid?: string;
  name: string;
  /** the verified mobile number, as digits (0812345678) */
  phone?: string;
  ial?: string;
  acr?: string;
  idToken: string;
  /** staff only: the units where the IdP says they are health personnel */
  hcodes?: string[];
  /** staff only: the unit they are working at now */
  hcode?: string;
  role: 'citizen' | 'staff';
}

export interface SessionData {
  person?: Person;
  pending?: { state: string; nonce: string; verifier: string; role: 'citizen' | 'staff'; returnTo: string };
  /** the unit and service picked before a login or step-up */
  picked?: { hcode: string; claimType: string };
  /** the IAL last asked of the IdP by a step up (once per level, so a refusal cannot loop) */
  stepUp?: string;
  /** visits whose code this citizen was just given (their own or a family member's) */
  answered?: string[];
}

const hash = (id: string) => createHash('sha256').update(id).digest();

export function webSessions(db: Database, secure: boolean) {
  return async function sessionMiddleware(ctx: Context, next: Next) {
    let id = ctx.cookies.get(COOKIE, { signed: true });
    let data: SessionData = {};
    // refreshed in the last minute: its idle expiry need not be written again on this request
    let recent = false;
    if (id) {
      const { rows } = await db.query<{ data: SessionData; recent: boolean }>(
        'SELECT data, expires_at > now() + make_interval(secs => $2) AS recent FROM authencode.web_sessions WHERE id_hash = $1 AND expires_at > now()',
        [hash(id), IDLE_SECONDS - REFRESH_AFTER_SECONDS],
      );
      if (rows[0]) ({ data, recent } = rows[0]);
      else id = undefined;
    }
    const before = JSON.stringify(data);
    ctx.state.session = data;
    ctx.state.endSession = async () => {
      if (id) await db.query('DELETE FROM authencode.web_sessions WHERE id_hash = $1', [hash(id)]);
      ctx.cookies.set(COOKIE, null, { signed: true });
      id = undefined;
      ctx.state.session = {};
    };
    ctx.state.renewSession = async () => {
      // a new id at every login, so a session id planted before the login is worth nothing after it
      if (id) await db.query('DELETE FROM authencode.web_sessions WHERE id_hash = $1', [hash(id)]);
      id = undefined;
    };
    await next();
    const after = ctx.state.session as SessionData;
    const changed = JSON.stringify(after) !== before;
    if (!Object.keys(after).length && !id) return;
    if (!id) {
      id = randomBytes(32).toString('base64url');
      ctx.cookies.set(COOKIE, id, { signed: true, httpOnly: true, sameSite: 'lax', secure, overwrite: true });
    }
    if (changed) {
      await db.query(
        `INSERT INTO authencode.web_sessions (id_hash, data, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))
         ON CONFLICT (id_hash) DO UPDATE SET data = EXCLUDED.data, expires_at = EXCLUDED.expires_at`,
        [hash(id), JSON.stringify(after), IDLE_SECONDS],
      );
    } else if (!recent) {
      await db.query('UPDATE authencode.web_sessions SET expires_at = now() + make_interval(secs => $2) WHERE id_hash = $1', [hash(id), IDLE_SECONDS]);
    }
  };
}

export const sessionOf = (ctx: Context) => ctx.state.session as SessionData;
