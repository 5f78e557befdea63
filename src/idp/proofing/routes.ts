// The person's identity verification page at /account/verify: the level they are at, then one section
// per proofing method in the order of methods/index.ts, each posting its forms under /account/verify/.
// Needs the person's IdP session (as every account page) and a CSRF token on every form.
import { Router } from '@koa/router';
import type { Context, Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { Database } from '../../kernel/db/index.ts';
import { verifyIdentityPage } from './views.ts';
import { accountIal } from './ial.ts';
import { csrfGuard, issueCsrfToken } from '../../kernel/http/csrf.ts';
import { formBody } from '../../kernel/http/form.ts';
import type { Lang } from '../../kernel/http/i18n.ts';
import type { FieldErrors } from '../../kernel/web/form.ts';
import type { Flash } from '../account/pages/views.ts';
import type { AccountSession } from '../account/pages/session.ts';
import type { ProofingMethod } from './method.ts';
import { flash, requireAccountSession, takeFlash } from '../account/pages/flash.ts';


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


  const requireSession = requireAccountSession(provider);
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
