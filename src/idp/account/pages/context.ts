// What every area of the account pages shares: the dependencies, and the helpers each route uses (the
// person's session, forms with CSRF, flash notices after a redirect, fresh-login checks). Built once.
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { Database } from '../../../kernel/db/index.ts';
import type { Pii } from '../../../kernel/pii/index.ts';
import type { Accounts, IdentityLock } from '../index.ts';
import type { PhoneOtp } from '../../sms/otp.ts';
import type { Authenticators } from '../../authenticators/index.ts';
import type { Units } from '../../units/index.ts';
import type { Personnel } from '../../personnel/index.ts';
import { csrfGuard } from '../../../kernel/http/csrf.ts';
import { formBody } from '../../../kernel/http/form.ts';
import type { Lang } from '../../../kernel/http/i18n.ts';
import { t } from '../../web/messages.ts';
import { createSessionRecords } from '../../oidc/sessions.ts';
import type { Flash } from './views.ts';
import { isFresh, type AccountSession } from './session.ts';
import { flash, requireAccountSession, takeFlash } from './flash.ts';

export interface ConsoleDeps {
  provider: Provider;
  db: Database;
  pii: Pii;
  accounts: Accounts;
  phoneOtp: PhoneOtp;
  authenticators: Authenticators;
  personnel: Personnel;
  issuer: string;
  /** the account's IAL, passed in by app.ts from proofing (account must not import proofing) */
  accountIal: (db: Database, sub: string) => Promise<string | undefined>;
  /** the person's identity proofing evidence for their data export, passed in by app.ts from proofing */
  evidenceForExport: (db: Database, sub: string) => Promise<unknown[]>;
  /** the lock on names that evidence vouches for, passed in by app.ts from proofing (verified_attributes.ts) */
  identityLock: IdentityLock;
}


type State = { session: AccountSession; lang: Lang };

export function pagesContext(deps: ConsoleDeps) {
  const { provider } = deps;
  const records = createSessionRecords(deps.db);

  const state = (ctx: Context) => ctx.state as State;
  const body = (ctx: Context) => ctx.request.body as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

  const back = (ctx: Context, to: string, f?: Flash) => {
    if (f) flash(ctx, f);
    ctx.status = 303;
    ctx.redirect(to);
  };
  const html = (ctx: Context, page: string, status = 200) => {
    ctx.status = status;
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = page;
  };

  const requireSession = requireAccountSession(provider);
  const form = [formBody(), requireSession, csrfGuard()] as const;

  /** Sensitive changes need a recent login; otherwise the person logs in again and comes back. */
  function needsFreshLogin(ctx: Context, returnTo: string): boolean {
    if (isFresh(state(ctx).session)) return false;
    flash(ctx, { error: t(state(ctx).lang, 'freshLoginNeeded') });
    ctx.status = 303;
    ctx.redirect(`/account/login?fresh=1&next=${encodeURIComponent(returnTo)}`);
    return true;
  }

  return { deps, records, state, body, str, flash, takeFlash, back, html, requireSession, form, needsFreshLogin };
}

export type PagesContext = ReturnType<typeof pagesContext>;
