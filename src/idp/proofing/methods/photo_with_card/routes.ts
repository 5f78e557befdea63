// Photo with the ID card: the person's upload on /account/verify, and the review queue of the
// verifier's unit (and of "any unit") in the verifier console, where each photo is served only to a
// verifier who may review it.
import type { Router } from '@koa/router';
import type { Context } from 'koa';
import type { Units } from '../../../units/index.ts';
import { readMultipart } from '../../../../kernel/http/multipart.ts';
import { issueCsrfToken, requireCsrf } from '../../../../kernel/http/csrf.ts';
import { formBody } from '../../../../kernel/http/form.ts';
import { HttpError } from '../../../../kernel/http/errors.ts';
import { parseId } from '../../../../kernel/http/params.ts';
import { t } from '../../../web/messages.ts';
import type { VerifyPage } from '../../routes.ts';
import type { Verifier, VerifierConsole } from '../../verifier/routes.ts';
import { MAX_UPLOAD_BYTES, PhotoError, type PhotoReview } from './index.ts';
import { photoQueuePage } from './views.ts';
import { FaceMatcherBusy, FaceQualityError } from '../../../../kernel/face_match/index.ts';
import { formatDateTime } from '../../../../kernel/thai/time.ts';

export function photoUploadRoutes(router: Router, page: VerifyPage, deps: { photoReview: PhotoReview; units: Units }) {
  const { photoReview, units } = deps;

  router.post('/photo', page.session, async (ctx) => {
    const { sub, lang } = page.person(ctx);
    const { fields, files, fileNames } = await readMultipart(ctx, { files: ['face_with_card', 'card_front'], maxFileBytes: MAX_UPLOAD_BYTES });
    requireCsrf(ctx, { token: fields.csrf });
    const face = files.face_with_card;
    const card = files.card_front;
    if (!face?.length || !card?.length) return page.again(ctx, { photo: t(lang, 'photoMissing') }, 400);
    const unit = fields.unit && (await units.isServicePoint(fields.unit)) ? fields.unit : null;
    try {
      await photoReview.submit(sub, face, card, unit);
    } catch (err) {
      if (err instanceof FaceQualityError) return page.again(ctx, { photo: t(lang, `face_${err.reason}`) }, 400);
      if (err instanceof FaceMatcherBusy) {
        ctx.set('Retry-After', '30');
        return page.again(ctx, { photo: t(lang, 'face_busy') }, 503);
      }
      if (!(err instanceof PhotoError)) throw err;
      const key = err.reason === 'type' ? 'photoBadType' : err.reason === 'dimensions' ? 'photoBadSize' : 'photoUnreadable';
      const photo = t(lang, err.upload === 'face_with_card' ? 'photoFace' : 'photoCard');
      return page.again(ctx, { photo: t(lang, key, { photo, file: fileNames[err.upload] || '—' }) }, 400);
    }
    page.done(ctx, t(lang, 'photoSubmitted'));
  });
}

export function photoQueueRoutes(router: Router, shell: VerifierConsole, deps: { photoReview: PhotoReview }) {
  const { photoReview } = deps;
  const body = (ctx: Context) => (ctx.request.body ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

  async function renderQueue(ctx: Context, v: Verifier, extra: { notice?: string; error?: string } = {}, status = 200) {
    const items = v.unit ? await photoReview.queue(v.unit.hcode) : [];
    const people = await Promise.all(items.map(async (i) => ({ ...i, person: await shell.person(i.sub, v.lang) })));
    ctx.status = v.unit ? status : 403;
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = photoQueuePage({
      lang: v.lang,
      csrf: issueCsrfToken(ctx),
      unit: v.unit,
      threshold: photoReview.threshold,
      items: people.map((i) => ({ id: i.id, self: i.sub === v.session.sub, name: i.person?.name ?? '', birthdate: i.person?.birthdate ?? '', ial: i.person?.ial ?? '-', faceScore: i.faceScore, submitted: formatDateTime(i.createdAt, v.lang) })),
      ...extra,
    });
  }

  router.get('/queue', async (ctx) => {
    const v = await shell.verifier(ctx);
    if (v) await renderQueue(ctx, v);
  });

  router.get('/photo/:id/:which', async (ctx) => {
    const v = await shell.verifier(ctx);
    if (!v) return;
    const which = ctx.params.which;
    const id = parseId(ctx.params.id);
    if (!v.unit || (which !== 'face' && which !== 'card') || id === undefined) throw new HttpError(404, 'notFound');
    const jpeg = await photoReview.photo(id, which, v.unit.hcode);
    if (!jpeg) throw new HttpError(404, 'notFound');
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'image/jpeg';
    ctx.body = jpeg;
  });

  router.post('/queue/:id', formBody(), async (ctx) => {
    shell.requireCsrf(ctx);
    const v = await shell.verifier(ctx);
    if (!v?.unit) return v && renderQueue(ctx, v);
    const id = parseId(ctx.params.id);
    if (id === undefined) throw new HttpError(404, 'notFound');
    const b = body(ctx);
    const decision = b.decision === 'approve' ? 'approved' : b.decision === 'reject' ? 'rejected' : undefined;
    if (!decision) throw new HttpError(400, 'badForm');
    const result = await photoReview.decide({ id, verifierSub: v.session.sub, hcode: v.unit.hcode, decision, reason: str(b.reason).slice(0, 200), faceConfirmed: b.face_match === 'yes' });
    if (result === 'not_found') throw new HttpError(404, 'notFound');
    if (result === 'self') return renderQueue(ctx, v, { error: t(v.lang, 'verifierSelf') }, 400);
    if (result === 'reason_required') return renderQueue(ctx, v, { error: t(v.lang, 'verifierReasonRequired') }, 400);
    await renderQueue(ctx, v, { notice: t(v.lang, decision === 'approved' ? 'queueApproved' : 'queueRejected') });
  });
}
