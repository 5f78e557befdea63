// The password at login: the first factor, with the national ID number that names the account. Its
// attempts are reserved per ID number before the check (back-off, then lock: src/idp/login/throttle.ts);
// unknown numbers cost the same as wrong passwords.
import type { Context } from 'koa';
import { audit } from '../../../kernel/audit/index.ts';
import type { Database } from '../../../kernel/db/index.ts';
import { t } from '../../web/messages.ts';
import { normalizePid, type Accounts } from '../../account/index.ts';
import type { LoginThrottle } from '../../login/throttle.ts';
import type { LoginFlow, LoginPart } from '../method.ts';
import { count } from '../../metrics.ts';

export function passwordLogin(deps: { db: Database; accounts: Accounts; throttle: LoginThrottle }): LoginPart {
  return {
    routes: (flow) => [{ path: 'login', body: 'form', steps: [flow.checkCsrf, flow.inLoginPrompt, (ctx) => checkLoginPassword(flow, deps, ctx)] }],
  };
}

/** Checks the ID number and password of the login form, then records `pwd` for that account. */
export async function checkLoginPassword(flow: LoginFlow, deps: { db: Database; accounts: Accounts; throttle: LoginThrottle }, ctx: Context): Promise<void> {
  const { db, accounts, throttle } = deps;
  const lang = flow.lang(ctx);
  const rawPid = flow.field(ctx, 'pid');
  const password = flow.field(ctx, 'password');
  const pid = normalizePid(rawPid) ?? rawPid.slice(0, 32);
  // an empty field is named, not counted as a wrong guess
  const missing = [...(rawPid.trim() ? [] : ['pid' as const]), ...(password ? [] : ['password' as const])];
  if (missing.length) {
    ctx.status = 400;
    return flow.loginPage(ctx, { pid: rawPid, error: t(lang, 'loginMissing'), missing });
  }

  const verdict = await throttle.check(pid, ctx.ip);
  if (!verdict.ok) {
    ctx.status = 429;
    ctx.set('Retry-After', String(verdict.retryAfter));
    count.loginFailed('pwd', 'throttled');
    return flow.loginPage(ctx, { pid: rawPid, error: verdict.locked ? t(lang, 'locked') : t(lang, 'tooManyAttempts', { seconds: verdict.retryAfter }) });
  }
  const sub = await accounts.verifyPassword(pid, password);
  if (!sub) {
    await throttle.fail(pid, ctx.ip);
    count.loginFailed('pwd');
    await audit(db, { actor: null, action: 'login.failed', clientAddress: ctx.ip, detail: { client_id: flow.interaction(ctx).clientId } });
    ctx.status = 401;
    return flow.loginPage(ctx, { pid: rawPid, error: t(lang, 'badCredentials') });
  }
  await throttle.succeed(pid, ctx.ip);
  await flow.passFactor(ctx, sub, 'pwd');
}
