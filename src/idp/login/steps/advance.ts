// After every passed factor: finish the login if the level asked for is reached (recording the device,
// and a notice when it is a new one), or keep the factors passed and say what is missing.
// On a GET it renders; after a POST it redirects back to the GET (so reloads are harmless).
import type { Context } from 'koa';
import { audit } from '../../../kernel/audit/index.ts';
import { deviceOf, earlierLogins } from '../device.ts';
import { issueCsrfToken } from '../../../kernel/http/csrf.ts';
import { aalOf, acrRank, amrOf, requiredAcr } from '../../oidc/acr.ts';
import { accountIal, ialRank, requiredIal } from '../../proofing/ial.ts';
import { secondFactorPage, unmetPage } from '../views/second_factor.ts';
import { nextFactors } from './next_factors.ts';
import { keepProgress } from './keep_progress.ts';
import { isStepUp } from './progress_of.ts';
import { count } from '../../metrics.ts';
import { attemptOf, clientOf, langOf, loginState } from './state.ts';
import { finishInteraction } from './finish_interaction.ts';

const levelLabel = (acr: string) => `AAL ${acr.split(':').pop()}`;

export async function advance(ctx: Context, error?: string): Promise<void> {
  const state = loginState(ctx);
  const { deps, interaction: d } = state;
  const { db, progress, authenticators, units } = deps;
  let p = attemptOf(ctx);
  const lang = langOf(ctx);
  const c = await clientOf(ctx);
  const name = c?.clientName ?? String(d.params.client_id);
  const csrf = issueCsrfToken(ctx);

  const neededIal = requiredIal(d.params);
  if (neededIal !== undefined) {
    const has = await accountIal(db, p.sub);
    if (neededIal === null || ialRank(has) < ialRank(neededIal)) {
      await keepProgress(ctx);
      ctx.type = 'html';
      ctx.body = unmetPage({ lang, uid: d.uid, csrf, clientName: name, kind: 'ial', needed: neededIal, has: has ?? '-', servicePoints: await units.servicePoints() });
      return;
    }
  }

  const needed = requiredAcr(d.params, c?.defaultAcrValues as string[] | undefined);
  const achieved = aalOf(p.factors);
  if (needed !== null && achieved && acrRank(achieved) >= acrRank(needed)) {
    if (state.stored) await progress.clear(d.uid);
    // the session's login time names this login's audit event, so the sessions page can say which device it is
    const device = deviceOf(ctx.get('user-agent'));
    // the account's latest logins only (not its whole activity): their times and devices
    const earlier = await earlierLogins(db, p.sub, device);
    // one login time per login of the account (a second login within the same second takes the next one)
    const ts = Math.max(Math.floor(Date.now() / 1000), earlier.lastTs + 1);
    await audit(db, { actor: p.sub, action: 'login.succeeded', subject: p.sub, clientAddress: ctx.ip, detail: { client_id: d.params.client_id, acr: achieved, amr: amrOf(p.factors), ts, device } });
    // a login on a device not seen before is a notice on /account (the person's first login is not)
    if (earlier.logins && !earlier.known) await audit(db, { actor: p.sub, action: 'login.new_device', subject: p.sub, clientAddress: ctx.ip, detail: { ts, device } });
    await finishInteraction(ctx, { login: { accountId: p.sub, acr: achieved, amr: amrOf(p.factors), ts } }, { mergeWithLastSubmission: false });
    count.loginSucceeded(p.factors, achieved, isStepUp(d, p.sub));
    return;
  }
  await keepProgress(ctx);
  p = attemptOf(ctx);
  const options = needed === null ? [] : await nextFactors(authenticators, p, needed);
  if (!options.length) {
    ctx.type = 'html';
    ctx.body = unmetPage({ lang, uid: d.uid, csrf, clientName: name, kind: 'aal', needed: needed && levelLabel(needed) });
    return;
  }
  if (ctx.method !== 'GET' && !error) {
    ctx.status = 303;
    ctx.redirect(`/interaction/${d.uid}`);
    return;
  }
  const parts = await authenticators.secondFactorParts(options, { lang, uid: d.uid, csrf, attempt: p, error });
  if (error) ctx.status = 400;
  ctx.type = 'html';
  ctx.body = secondFactorPage({
    lang,
    uid: d.uid,
    clientName: name,
    level: levelLabel(needed!),
    parts: parts.map((part) => part.body),
    scripts: [...new Set(parts.flatMap((part) => part.scripts ?? []))],
    error,
  });
}
