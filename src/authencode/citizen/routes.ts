// The citizen's flow, on a phone: pick the unit and service (scan the counter's QR code with any
// camera, scan it in the page, upload a photo of it, or type the unit code), log in at the least IAL
// the service needs, confirm for oneself or a family member (the citizen vouches), get the code.
import { Router } from '@koa/router';
import type { Context } from 'koa';
import { formBody } from '../../kernel/http/form.ts';
import { readMultipart } from '../../kernel/http/multipart.ts';
import { isValidPid, normalizePid } from '../../kernel/thai/pid.ts';
import { ialRank } from '../../kernel/assurance.ts';
import type { AuthencodeDeps } from '../app.ts';
import { minIalFor } from '../config.ts';
import { decodeQrImage, parseShortUnitCode, QrError, shortUnitCode } from '../qr/index.ts';
import { findUnit } from '../units.ts';
import { thaiDay } from '../../kernel/thai/time.ts';
import { VisitError } from '../visits/index.ts';
import { parseMobiles } from '../visits/mobiles.ts';
import { csrfToken, langOf, personOf, render, requireCsrf } from '../web/context.ts';
import { sessionOf } from '../web/session.ts';
import { PageError } from '../web/errors.ts';
import { at } from '../web/messages.ts';
import { ct } from './messages.ts';
import { HttpError } from '../../kernel/http/errors.ts';
import { formatBytes, isImage } from '../uploads.ts';
import { pagesScript } from '../web/static.ts';
import { html } from '../../kernel/web/html.ts';
import { pickPage, confirmPage, donePage, historyPage, RELATIONSHIPS, type ConfirmForm } from './views.ts';

const MAX_QR_PHOTO = 8 * 1024 * 1024;
const VOUCHES_PER_DAY = 10;

export function citizenRoutes(deps: AuthencodeDeps) {
  const { config, db, qr, visits, claimTypes, pii, now } = deps;
  const router = new Router();

  /**
   * Keeps the unit and service picked, if the unit exists and the service is open today. A unit or
   * service this service does not know is a code to check (typed: by the person; on a QR: by the staff).
   */
  async function pick(ctx: Context, hcode: string, claimType: string, via: 'typed' | 'qr', typed?: string) {
    const lang = langOf(ctx);
    const unit = await findUnit(db, hcode);
    if (!unit || !claimTypes.get(claimType)) {
      const code = typed ?? shortUnitCode(hcode, claimType);
      return via === 'typed' ? showPick(ctx, { codeError: ct(lang, 'unitCodeUnknown', { code }), code: typed }, 400) : showPick(ctx, { error: ct(lang, 'qrUnitUnknown', { code }) }, 400);
    }
    if (!claimTypes.isValidOn(claimType, thaiDay(new Date(now())))) {
      return via === 'typed' ? showPick(ctx, { codeError: at(lang, 'visitServiceRetired'), code: typed }, 400) : showPick(ctx, { error: at(lang, 'visitServiceRetired') }, 400);
    }
    sessionOf(ctx).picked = { hcode, claimType };
    ctx.redirect('/visit/confirm');
  }

  function showPick(ctx: Context, p: { error?: string; uploadError?: string; codeError?: string; code?: string } = {}, status = 200) {
    render(ctx, { title: at(langOf(ctx), 'visitTitle'), path: '/visit', scripts: ['jsqr.js', 'authencode.js', pagesScript], body: pickPage(langOf(ctx), { csrf: csrfToken(ctx), ...p }) }, status);
  }

  router.get('/visit', (ctx) => showPick(ctx));

  // what a unit's QR code holds: this URL, so any phone camera opens the page directly
  router.get('/q/:token', async (ctx) => {
    try {
      const scanned = await qr.verify(ctx.params.token!);
      await pick(ctx, scanned.hcode, scanned.claimType, 'qr');
    } catch (err) {
      if (!(err instanceof QrError)) throw err;
      showPick(ctx, { error: err.messages[langOf(ctx)] }, 400);
    }
  });

  router.post('/visit/code', formBody(), async (ctx) => {
    const body = ctx.request.body as Record<string, string>;
    requireCsrf(ctx, body.csrf);
    const typed = String(body.unit_code ?? '').trim();
    const parsed = parseShortUnitCode(typed);
    if (!parsed) return showPick(ctx, { codeError: `${at(langOf(ctx), 'visitCodeInvalid')}: ${ct(langOf(ctx), 'unitCodeHint')}`, code: typed }, 400);
    await pick(ctx, parsed.hcode, parsed.claimType, 'typed', typed);
  });

  router.post('/visit/scan', async (ctx) => {
    const lang = langOf(ctx);
    let form;
    try {
      form = await readMultipart(ctx, { files: ['qr_image'], maxFileBytes: MAX_QR_PHOTO });
    } catch (err) {
      // a photo too large: the page again, saying so (nothing was done with the request)
      if (err instanceof HttpError && err.status === 413) return showPick(ctx, { uploadError: ct(lang, 'qrPhotoTooLarge', { max: formatBytes(MAX_QR_PHOTO) }) }, 413);
      throw err;
    }
    requireCsrf(ctx, form.fields.csrf);
    const image = form.files.qr_image;
    if (!image?.length) return showPick(ctx, { uploadError: ct(lang, 'qrPhotoMissing') }, 400);
    if (!(await isImage(image))) return showPick(ctx, { uploadError: ct(lang, 'qrPhotoNotImage', { size: formatBytes(image.length) }) }, 400);
    const text = await decodeQrImage(image);
    const token = text?.startsWith(`${config.url}/q/`) ? text.slice(config.url.length + 3) : text;
    if (!token) return showPick(ctx, { uploadError: at(lang, 'visitNoQr') }, 400);
    try {
      const scanned = await qr.verify(token);
      await pick(ctx, scanned.hcode, scanned.claimType, 'qr');
    } catch (err) {
      if (!(err instanceof QrError)) throw err;
      showPick(ctx, { uploadError: err.messages[lang] }, 400);
    }
  });

  async function confirmContext(ctx: Context) {
    const picked = sessionOf(ctx).picked;
    if (!picked) {
      ctx.redirect('/visit');
      return undefined;
    }
    const person = personOf(ctx, 'citizen');
    if (!person) {
      ctx.redirect(`/login?as=citizen&return=/visit/confirm&lang=${langOf(ctx)}`);
      return undefined;
    }
    const needed = minIalFor(config, picked.claimType);
    if (ialRank(person.ial ?? '1.1') < ialRank(needed)) {
      const session = sessionOf(ctx);
      if (session.stepUp === needed) {
        // the IdP was already asked for this level and did not answer with it: no redirect loop
        const lang = langOf(ctx);
        render(ctx, { title: at(lang, 'ialUnmetTitle'), body: html`<p role="alert">${at(lang, 'ialUnmet', { ial: needed })}</p><p><a class="button" href="${config.idpIssuer}/account">${at(lang, 'ialRaise')}</a></p>` }, 403);
        return undefined;
      }
      // a step up at the IdP: it proves more or answers unmet_authentication_requirements
      session.stepUp = needed;
      ctx.redirect(`/login?as=citizen&ial=${needed}&return=/visit/confirm&lang=${langOf(ctx)}`);
      return undefined;
    }
    const unit = (await findUnit(db, picked.hcode))!;
    const claimType = claimTypes.get(picked.claimType)!;
    return { person, unit, claimType };
  }

  router.get('/visit/confirm', async (ctx) => {
    const c = await confirmContext(ctx);
    if (!c) return;
    const phone = c.person.phone ?? '';
    render(ctx, { title: at(langOf(ctx), 'visitTitle'), path: '/visit/confirm', scripts: [pagesScript], body: confirmPage(langOf(ctx), { csrf: csrfToken(ctx), unit: c.unit, claimType: c.claimType, values: { who: 'self', mobile: phone }, errors: {} }) });
  });

  router.post('/visit/confirm', formBody(), async (ctx) => {
    const body = ctx.request.body as Record<string, string>;
    requireCsrf(ctx, body.csrf);
    const c = await confirmContext(ctx);
    if (!c) return;
    const lang = langOf(ctx);
    const values: ConfirmForm = { who: body.who === 'family' ? 'family' : 'self', family_pid: String(body.family_pid ?? ''), relationship: String(body.relationship ?? ''), mobile: String(body.mobile ?? '') };
    const errors: Record<string, string> = {};
    const mobiles = parseMobiles(values.mobile);
    if (!mobiles) errors.mobile = at(lang, 'visitMobileInvalid');
    let pid = c.person.pid!;
    if (values.who === 'family') {
      const family = normalizePid(values.family_pid ?? '');
      if (!family || !isValidPid(family)) errors.family_pid = at(lang, 'visitPidInvalid');
      else if (family === c.person.pid) errors.family_pid = at(lang, 'visitFamilySelf');
      else pid = family;
      if (!RELATIONSHIPS.includes(values.relationship as never)) errors.relationship = at(lang, 'visitRelationshipRequired');
    }
    // a family is a handful of people: vouching for many others in a day is refused
    const serviceAt = new Date(now());
    const overLimit = values.who === 'family' && !errors.family_pid && (await visits.vouchedOn(`sub:${c.person.sub}`, thaiDay(serviceAt))) >= VOUCHES_PER_DAY;
    if (overLimit) errors.family_pid = at(lang, 'visitVouchLimit', { n: VOUCHES_PER_DAY });
    if (Object.keys(errors).length) {
      render(ctx, { title: at(lang, 'visitTitle'), scripts: [pagesScript], body: confirmPage(lang, { csrf: csrfToken(ctx), unit: c.unit, claimType: c.claimType, values, errors }) }, overLimit ? 429 : 400);
      return;
    }
    const vouch = values.who === 'family';
    try {
      const result = await visits.confirmNew({
        pid,
        hcode: c.unit.hcode,
        claimType: c.claimType.code,
        serviceAt,
        mobiles: mobiles!,
        method: vouch ? 'vouch' : 'self',
        evidence: vouch
          ? { certifier: { sub: c.person.sub, pid_sealed: pii.encrypt(c.person.pid!, 'authencode.pid'), ial: c.person.ial, acr: c.person.acr }, relationship: values.relationship }
          : { ial: c.person.ial, acr: c.person.acr },
        actor: `sub:${c.person.sub}`,
      }, serviceAt);
      if (result.duplicate && vouch && result.visit.createdBy !== `sub:${c.person.sub}`) {
        // someone else's confirmation of another person: say it exists, do not hand out its code
        render(ctx, { title: at(lang, 'visitTitle'), body: html`<p role="status" class="notice">${at(lang, 'visitDuplicateOther')}</p><p><a href="/visit">${at(lang, 'visitAnother')}</a></p>` }, 409);
        return;
      }
      const session = sessionOf(ctx);
      session.answered = [result.visit.id, ...(session.answered ?? [])].slice(0, 10);
      ctx.redirect(`/visit/done/${result.visit.id}${result.duplicate ? '?duplicate=1' : ''}`);
    } catch (err) {
      if (err instanceof VisitError) throw new PageError(400, err.code === 'claim_type_not_valid' ? 'visitServiceRetired' : 'badRequest');
      throw err;
    }
  });

  router.get('/visit/done/:id', async (ctx) => {
    const person = personOf(ctx, 'citizen');
    if (!person) return ctx.redirect('/visit');
    const visit = await visits.find(ctx.params.id!);
    // shown to the citizen whose visit it is, or who was just given it (a family member's)
    if (!visit || visit.status !== 'confirmed' || (visit.pid !== person.pid && !sessionOf(ctx).answered?.includes(visit.id))) throw new PageError(404, 'notFound');
    const claimType = claimTypes.get(visit.claimType)!;
    render(ctx, { title: at(langOf(ctx), 'visitDoneTitle'), scripts: ['authencode.js'], body: donePage(langOf(ctx), { visit, claimType, duplicate: ctx.query.duplicate === '1' }) });
  });

  router.get('/visit/history', async (ctx) => {
    const person = personOf(ctx, 'citizen');
    if (!person) return ctx.redirect(`/login?as=citizen&return=/visit/history&lang=${langOf(ctx)}`);
    const list = await visits.history(person.pid!);
    render(ctx, { title: at(langOf(ctx), 'visitHistory'), path: '/visit/history', body: historyPage(langOf(ctx), list, claimTypes) });
  });

  return router;
}
