// What every area of the administration console shares: the administrator at the page (the admin
// role at AAL 2.1; anyone else gets a page saying they are not one, 403), their actor for the rules,
// and how a page is answered (HTML, never cached).
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { Units } from '../units/index.ts';
import { adminSession, type AdminSession } from './session.ts';
import { notAdminPage } from './views.ts';
import type { Actor } from './relying_parties/index.ts';

export function consoleKit(deps: { provider: Provider; units: Units }) {
  const show = (ctx: Context, page: string, status = 200) => {
    ctx.status = status;
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = page;
  };
  return {
    show,
    /** The administrator, or undefined when the answer is already given (a login redirect or the 403 page). */
    async administrator(ctx: Context): Promise<AdminSession | undefined> {
      const a = await adminSession(ctx, deps);
      if (a && !a.isAdmin) show(ctx, notAdminPage(a.lang), 403);
      return a?.isAdmin ? a : undefined;
    },
    actor: (a: AdminSession): Actor => ({ kind: 'person', sub: a.sub }),
    body: (ctx: Context) => (ctx.request.body ?? {}) as Record<string, unknown>,
    str: (v: unknown, max = 200) => (typeof v === 'string' ? v.trim().slice(0, max) : ''),
  };
}

export type ConsoleKit = ReturnType<typeof consoleKit>;
