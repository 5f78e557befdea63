// The person's identity verification page at /account/verify: the remote methods a person starts
// themselves. Needs the person's IdP session (as every account page) and a CSRF token on every form.
import { Router } from '@koa/router';
import type { Context, Next } from 'koa';
import type Provider from 'oidc-provider';
import type { Database } from '../../kernel/db/index.ts';
import type { Units } from '../units/index.ts';
import type { RegisterCheck } from './methods/register_check/index.ts';
import { TRIES_PER_DAY } from './methods/register_check/index.ts';
import { MAX_UPLOAD_BYTES, PhotoError, type PhotoReview } from './methods/photo_with_card/index.ts';
import { readMultipart } from '../../kernel/http/multipart.ts';
import { verifyIdentityPage } from './views.ts';
import { accountIal } from './ial.ts';
import { checkCsrfToken, issueCsrfToken } from '../../kernel/http/csrf.ts';
import { formBody } from '../../kernel/http/form.ts';
import { pickLang, type Lang } from '../../kernel/http/i18n.ts';
import { HttpError } from '../../kernel/http/errors.ts';
import { t } from '../web/messages.ts';
import type { FieldErrors } from '../../kernel/web/form.ts';
import type { Flash } from '../account/pages/views.ts';
import { accountSession, type AccountSession } from '../account/pages/session.ts';

const FLASH_COOKIE = 'mpid.flash';

type State = { session: AccountSession; lang: Lang };

export function verifyRoutes(deps: { provider: Provider; db: Database; registerCheck: RegisterCheck; photoReview: PhotoReview; units: Units }) {
  const { provider, db, registerCheck, photoReview, units } = deps;
  const router = new Router({ prefix: '/account' });

  const state = (ctx: Context) => ctx.state as State;
  const body = (ctx: Context) => ctx.request.body as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

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
  async function requireCsrf(ctx: Context, next: Next) {
    if (!checkCsrfToken(ctx, body(ctx).csrf)) throw new HttpError(403, 'csrfError');
    await next();
  }
  const form = [formBody(), requireSession, requireCsrf] as const;

  // Identity verification: the remote methods a person starts here
  async function renderVerify(ctx: Context, errors: FieldErrors = {}, status = 200) {
    const { session, lang } = state(ctx);
    html(
      ctx,
      verifyIdentityPage({
        lang,
        csrf: issueCsrfToken(ctx),
        ial: (await accountIal(db, session.sub)) ?? '-',
        available: registerCheck.available,
        triesLeft: await registerCheck.triesLeft(session.sub),
        photo: await photoReview.latest(session.sub),
        units: (await units.servicePoints(undefined, 50)).map((u) => ({ hcode: u.hcode, nameTh: u.nameTh })),
        errors,
        flash: takeFlash(ctx),
      }),
      status,
    );
  }

  router.get('/verify', requireSession, (ctx) => renderVerify(ctx));

  router.post('/verify/register', ...form, async (ctx) => {
    const { session, lang } = state(ctx);
    const result = await registerCheck.check(session.sub, str(body(ctx).laser_code));
    switch (result) {
      case 'verified':
        return back(ctx, '/account/verify', { notice: t(lang, 'registerCheckVerified', { ial: (await accountIal(db, session.sub)) ?? '-' }) });
      case 'bad_laser_code':
        return renderVerify(ctx, { laser_code: t(lang, 'registerCheckBadLaser') }, 400);
      case 'not_valid':
        return renderVerify(ctx, { laser_code: t(lang, 'registerCheckNotValid') }, 400);
      case 'too_many_tries':
        return renderVerify(ctx, { laser_code: t(lang, 'registerCheckTooMany', { tries: TRIES_PER_DAY }) }, 429);
      case 'unavailable':
        return renderVerify(ctx, { laser_code: t(lang, 'registerCheckUnavailable') }, 503);
    }
  });

  router.post('/verify/photo', requireSession, async (ctx) => {
    const { session, lang } = state(ctx);
    const { fields, files } = await readMultipart(ctx, { files: ['face_with_card', 'card_front'], maxFileBytes: MAX_UPLOAD_BYTES });
    if (!checkCsrfToken(ctx, fields.csrf)) throw new HttpError(403, 'csrfError');
    const face = files.face_with_card;
    const card = files.card_front;
    if (!face?.length || !card?.length) return renderVerify(ctx, { photo: t(lang, 'photoMissing') }, 400);
    const unit = fields.unit && (await units.isServicePoint(fields.unit)) ? fields.unit : null;
    try {
      await photoReview.submit(session.sub, face, card, unit);
    } catch (err) {
      if (!(err instanceof PhotoError)) throw err;
      const key = err.reason === 'type' ? 'photoBadType' : err.reason === 'dimensions' ? 'photoBadSize' : 'photoUnreadable';
      return renderVerify(ctx, { photo: t(lang, key) }, 400);
    }
    back(ctx, '/account/verify', { notice: t(lang, 'photoSubmitted') });
  });

  return router;
}
