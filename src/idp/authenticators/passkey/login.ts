// Passkeys at login: a discoverable passkey logs in on its own (a first factor); after a password it
// is a second factor. The browser asks for options, then posts the signed response (JSON both ways).
import type { Context } from 'koa';
import { audit } from '../../../kernel/audit/index.ts';
import type { Database } from '../../../kernel/db/index.ts';
import { t } from '../../web/messages.ts';
import type { LoginFlow, LoginPart } from '../method.ts';
import type { Passkeys } from './store.ts';
import { passkeyLoginButton } from './views.ts';
import { count } from '../../metrics.ts';

export function passkeyLogin(passkeys: Passkeys, db: Database): LoginPart {
  return {
    routes: (flow) => [
      { path: 'passkey/options', body: 'json', steps: [flow.inLoginPrompt, (ctx) => passkeyOptions(flow, passkeys, ctx)] },
      { path: 'passkey', body: 'json', steps: [flow.inLoginPrompt, (ctx) => checkPasskey(flow, passkeys, db, ctx)] },
    ],
    secondFactor: async (page) => ({ body: passkeyLoginButton(page), scripts: ['passkey.js'] }),
  };
}

/** A challenge for the browser: for the account of the login under way, or for any discoverable passkey. */
export async function passkeyOptions(flow: LoginFlow, passkeys: Passkeys, ctx: Context): Promise<void> {
  const p = await flow.findAttempt(ctx);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = await passkeys.authenticationOptions(p?.sub);
}

/** Verifies the signed challenge; a passkey of another account than the login under way is refused. */
export async function checkPasskey(flow: LoginFlow, passkeys: Passkeys, db: Database, ctx: Context): Promise<void> {
  const lang = flow.lang(ctx);
  const { uid, clientId } = flow.interaction(ctx);
  const body = ctx.request.body as { challengeId?: unknown; response?: unknown };
  const result = typeof body.challengeId === 'string' ? await passkeys.verifyAuthentication(body.challengeId, body.response) : undefined;
  const p = await flow.findAttempt(ctx);
  if (!result?.ok) {
    if (p) await flow.countFailure(ctx, p.sub);
    count.loginFailed('swk');
    await audit(db, { actor: p?.sub ?? null, action: 'login.factor_failed', subject: p?.sub, clientAddress: ctx.ip, detail: { factor: 'passkey', client_id: clientId } });
    ctx.status = 400;
    ctx.body = { error: t(lang, 'passkeyFailed') };
    return;
  }
  if (p && p.sub !== result.sub) {
    ctx.status = 400;
    ctx.body = { error: t(lang, 'passkeyOtherAccount') };
    return;
  }
  await flow.recordFactor(ctx, result.sub, result.deviceBound ? 'hwk' : 'swk');
  ctx.body = { redirect: `/interaction/${uid}` };
}
