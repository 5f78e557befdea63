// Thai by default; English when ui_locales asks for it or the person picks it (remembered in a cookie).
import type { Context } from 'koa';
import type { Lang } from '../web/i18n.ts';

export type { Lang } from '../web/i18n.ts';
export const LANG_COOKIE = 'mpid.lang';

export function pickLang(ctx: Context, uiLocales?: string): Lang {
  const chosen = typeof ctx.query.lang === 'string' ? ctx.query.lang : undefined;
  if (chosen === 'th' || chosen === 'en') {
    ctx.cookies.set(LANG_COOKIE, chosen, { httpOnly: true, sameSite: 'lax', maxAge: 365 * 86400 * 1000, overwrite: true });
    return chosen;
  }
  const cookie = ctx.cookies.get(LANG_COOKIE);
  if (cookie === 'th' || cookie === 'en') return cookie;
  for (const tag of (uiLocales ?? '').split(' ')) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'th' || base === 'en') return base;
  }
  return 'th';
}
