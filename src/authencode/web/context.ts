// What every page handler needs: the language, a CSRF token for its forms, the logged-in person, and
// rendering in the service's layout.
import type { Context } from 'koa';
import { pickLang, type Lang } from '../../kernel/http/i18n.ts';
import { issueCsrfToken, requireCsrf as checkForm } from '../../kernel/http/csrf.ts';
import { acLayout, type AcPage } from './layout.ts';
import { PageError } from './errors.ts';
import { sessionOf, type Person } from './session.ts';

const CSRF_COOKIE = 'authencode.csrf';

export const langOf = (ctx: Context): Lang => pickLang(ctx);
export const csrfToken = (ctx: Context) => issueCsrfToken(ctx, Date.now(), CSRF_COOKIE);

export function requireCsrf(ctx: Context, token: unknown): void {
  checkForm(ctx, { token, cookie: CSRF_COOKIE, error: () => new PageError(403, 'csrfError') });
}

export function render(ctx: Context, p: Omit<AcPage, 'lang' | 'user'>, status = 200): void {
  const person = sessionOf(ctx).person;
  ctx.status = status;
  ctx.type = 'html';
  // pages show entitlements, codes and phone numbers: never kept by a browser or proxy cache
  ctx.set('Cache-Control', 'no-store');
  ctx.body = acLayout({ ...p, lang: langOf(ctx), user: person ? { name: person.name, csrf: csrfToken(ctx), staff: person.role === 'staff' } : undefined });
}

export function personOf(ctx: Context, role: Person['role']): Person | undefined {
  const person = sessionOf(ctx).person;
  return person?.role === role ? person : undefined;
}
