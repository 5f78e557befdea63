// Identity verification (/account/verify): the remote proofing methods a person starts from the account
// pages (the register check with the card's laser code, a photo with the card).
import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { MAX_UPLOAD_BYTES, PhotoError } from '../../proofing/methods/photo_with_card/index.ts';
import { readMultipart } from '../../../kernel/http/multipart.ts';
import { TRIES_PER_DAY } from '../../proofing/methods/register_check/index.ts';
import { verifyIdentityPage } from '../../proofing/views.ts';
import { accountIal } from '../../proofing/ial.ts';
import { checkCsrfToken, issueCsrfToken } from '../../../kernel/http/csrf.ts';
import { HttpError } from '../../../kernel/http/errors.ts';
import { t } from '../../web/messages.ts';
import type { FieldErrors } from '../../../kernel/web/form.ts';
import type { PagesContext } from './context.ts';

export function verifyRoutes(router: Router, c: PagesContext) {
  const { db, registerCheck, photoReview, units } = c.deps;
  const { state, body, str, takeFlash, back, html, requireSession, form } = c;

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
}
