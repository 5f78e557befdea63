// The person's identity verification page at /account/verify: where their identity stands, then the
// steps in order — the account's own (a confirmed phone), then one per proofing method in the order of
// methods/index.ts (steps.ts says which is done, next, waiting, later or locked), each method posting
// its forms under /account/verify/.
// Needs the person's IdP session (as every account page) and a CSRF token on every form.
import { Router } from '@koa/router';
import type { Context, Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { Database } from '../../kernel/db/index.ts';
import { accountStepBody, verifyIdentityPage, type StepView } from './views.ts';
import { accountIal, type Ial } from './ial.ts';
import { approvedChecks } from './evidence.ts';
import { planSteps } from './steps.ts';
import { phoneVerified } from '../account/index.ts';
import { t } from '../web/messages.ts';
import { csrfGuard, issueCsrfToken } from '../../kernel/http/csrf.ts';
import { formBody } from '../../kernel/http/form.ts';
import type { Lang } from '../../kernel/http/i18n.ts';
import type { FieldErrors } from '../../kernel/web/form.ts';
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

const ACCOUNT_STEP = 'account';

export function verifyRoutes(deps: { provider: Provider; db: Database; methods: ProofingMethod[] }) {
  const { provider, db, methods } = deps;
  const router = new Router({ prefix: '/account/verify' });
  const offered = methods.filter((m) => m.citizen);

  const state = (ctx: Context) => ctx.state as { session: AccountSession; lang: Lang };
  const body = (ctx: Context) => ctx.request.body as Record<string, unknown>;


  const requireSession = requireAccountSession(provider);
  const requireCsrf = csrfGuard();

  /** The steps in order: the account's own (a confirmed phone), then each method's; where the person stands with each. */
  async function steps(sub: string, lang: Lang, csrf: string, errors: FieldErrors): Promise<{ ial: Ial | undefined; steps: StepView[] }> {
    const ial = await accountIal(db, sub);
    const phone = await phoneVerified(db, sub);
    const checks = [...(await approvedChecks(db, sub)), ...(phone ? ['phone_otp'] : [])];
    const inputs = [{ id: ACCOUNT_STEP, level: '1.1' as const, checks: ['phone_otp'] }, ...offered.map((m) => ({ id: m.id, level: m.citizen!.step.level, checks: m.checks }))];
    const plans = planSteps(inputs, checks, ial);
    const words = [
      { title: t(lang, 'stepAccountTitle'), needs: t(lang, 'stepAccountNeeds'), gives: t(lang, 'stepAccountGives') },
      ...offered.map((m) => ({ title: m.citizen!.step.title(lang), needs: m.citizen!.step.needs(lang), gives: m.citizen!.step.gives(lang) })),
    ];
    const views: StepView[] = [];
    for (const [i, plan] of plans.entries()) {
      const m = offered[i - 1];
      const body = m ? await m.citizen!.section({ sub, lang, csrf, errors, status: await m.status?.(sub), step: plan.state, ial }) : accountStepBody(lang, plan.state);
      const after = plan.after.map((id) => inputs.findIndex((x) => x.id === id)).map((k) => ({ n: k + 1, title: words[k]!.title }));
      views.push({ id: plan.id, n: i + 1, level: inputs[i]!.level, state: plan.state, ...words[i]!, after, body });
    }
    return { ial, steps: views };
  }

  async function render(ctx: Context, errors: FieldErrors = {}, status = 200) {
    const { session, lang } = state(ctx);
    const csrf = issueCsrfToken(ctx);
    const { ial, steps: list } = await steps(session.sub, lang, csrf, errors);
    const page = verifyIdentityPage({
      lang,
      ial,
      labels: Object.assign({}, ...offered.map((m) => m.citizen!.fields?.(lang) ?? {})),
      steps: list,
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
