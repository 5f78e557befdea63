// The person's identity verification page at /account/verify: the level they are at, then one section
// per proofing method in the order of methods/index.ts, each posting its forms under /account/verify/.
// Needs the person's IdP session (as every account page) and a CSRF token on every form.
import { Router } from '@koa/router';
import type { Context, Middleware, Next } from 'koa';
import type Provider from 'oidc-provider';
import type { Database } from '../../kernel/db/index.ts';
import { verifyIdentityPage } from './views.ts';
import { accountIal } from './ial.ts';
import { csrfGuard, issueCsrfToken } from '../../kernel/http/csrf.ts';
import { formBody } from '../../kernel/http/form.ts';
import { pickLang, type Lang } from '../../kernel/http/i18n.ts';
import { HttpError } from '../../kernel/http/errors.ts';
import type { FieldErrors } from '../../kernel/web/form.ts';
import type { Flash } from '../account/pages/views.ts';
import { accountSession, type AccountSession } from '../account/pages/session.ts';
import type { ProofingMethod } from './method.ts';

const FLASH_COOKIE = 'mpid.flash';

/** What a method's citizen routes are given by the page. */
export interface VerifyPage {
  /** the person's session, or a redirect to log in (GET) / 401 */
  session: Middleware;
  /** a posted form: parsed, with the session and a valid CSRF token */
  form: readonly Middleware[];
  person(ctx: Context): { sub: string; lang: Lang };
  /** back to /account/verify with a notice (post/redirect/get) */
  done(ctx: Context, notice: string): void;
  /** the page again, with the errors of a form */
  again(ctx: Context, errors: FieldErrors, status: number): Promise<void>;
}

export function verifyRoutes(deps: { provider: Provider; db: Database; methods: ProofingMethod[] }) {
  const { provider, db, methods } = deps;
  const router = new Router({ prefix: '/account/verify' });
  const offered = methods.filter((m) => m.citizen);

  const state = (ctx: Context) => ctx.state as { session: AccountSession; lang: Lang };
  const body = (ctx: Context) => ctx.request.body as Record<string, unknown>;

  /** A notice or error for the next page, after a redirect (post/redirect/get), as the account pages do. */
  const flash = (ctx: Context, f: Flash) => ctx.cookies.set(FLASH_COOKIE, Buffer.from(JSON.stringify(f)).toString('base64url'), { signed: true, httpOnly: true, sameSite: 'lax', overwrite: true });
  function takeFlash(ctx: Context): Flash | undefined {
    const raw = ctx.cookies.get(FLASH_COOKIE, { signed: true });
    if (!raw) return undefined;
    ctx.cookies.set(FLASH_COOKIE, null);
    try {
      return JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Flash;
    } catch {
      return undefined;
    }
  }

  async function requireSession(ctx: Context, next: Next) {
    const session = await accountSession(ctx, provider);
    if (!session) {
      if (ctx.method === 'GET') return ctx.redirect(`/account/login?next=${encodeURIComponent(ctx.path)}`);
      throw new HttpError(401, 'sessionExpired');
    }
    ctx.state.session = session;
    ctx.state.lang = pickLang(ctx);
    await next();
  }
  const requireCsrf = csrfGuard();

  async function render(ctx: Context, errors: FieldErrors = {}, status = 200) {
    const { session, lang } = state(ctx);
    const csrf = issueCsrfToken(ctx);
    const sections = [];
    for (const m of offered) {
      sections.push(await m.citizen!.section({ sub: session.sub, lang, csrf, errors, status: await m.status?.(session.sub) }));
    }
    const page = verifyIdentityPage({
      lang,
      ial: (await accountIal(db, session.sub)) ?? '-',
      labels: Object.assign({}, ...offered.map((m) => m.citizen!.fields?.(lang) ?? {})),
      sections,
      errors,
      flash: takeFlash(ctx),
    });
    ctx.status = status;
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = page;
  }

  const page: VerifyPage = {
    session: requireSession,
    form: [formBody(), requireSession, requireCsrf],
    person: (ctx) => ({ sub: state(ctx).session.sub, lang: state(ctx).lang }),
    done(ctx, notice) {
      flash(ctx, { notice });
      ctx.status = 303;
      ctx.redirect('/account/verify');
    },
    again: render,
  };

  router.get('/', requireSession, (ctx) => render(ctx));
  for (const m of offered) m.citizen!.routes?.(router, page);
  return router;
}
