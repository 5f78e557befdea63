// A notice or error carried to the next page after a redirect (post/redirect/get), in a signed,
// httpOnly cookie read once; shared by the account pages and identity verification.
import type { Context, Next } from 'koa';
import type Provider from 'oidc-provider';
import { pickLang } from '../../../kernel/http/i18n.ts';
import { HttpError } from '../../../kernel/http/errors.ts';
import { accountSession } from './session.ts';
import type { Flash } from './views.ts';

const FLASH_COOKIE = 'mpid.flash';

export const flash = (ctx: Context, f: Flash) => ctx.cookies.set(FLASH_COOKIE, Buffer.from(JSON.stringify(f)).toString('base64url'), { signed: true, httpOnly: true, sameSite: 'lax', overwrite: true });

export function takeFlash(ctx: Context): Flash | undefined {
  const raw = ctx.cookies.get(FLASH_COOKIE, { signed: true });
  if (!raw) return undefined;
  ctx.cookies.set(FLASH_COOKIE, null);
  try {
    return JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Flash;
  } catch {
    return undefined;
  }
}

/** The person's IdP session in ctx.state (with their language); a GET without one goes to log in first. */
export const requireAccountSession = (provider: Provider) =>
  async function requireSession(ctx: Context, next: Next) {
    const session = await accountSession(ctx, provider);
    if (!session) {
      if (ctx.method === 'GET') {
        // the language asked for (?lang=) is remembered and carried, so the login comes up in it
        const lang = pickLang(ctx);
        return ctx.redirect(`/account/login?next=${encodeURIComponent(ctx.path)}${ctx.query.lang ? `&lang=${lang}` : ''}`);
      }
      throw new HttpError(401, 'sessionExpired');
    }
    ctx.state.session = session;
    ctx.state.lang = pickLang(ctx);
    await next();
  };
