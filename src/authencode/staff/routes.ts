// The staff flow at a unit: log in with a health-personnel digital ID, check a patient's entitlement,
// confirm the visit (card read, photo with card, or certification), draft → confirm; find, edit and
// cancel visits (with a reason, audited); the patient's history; the unit's QR codes.
import { Router } from '@koa/router';
import type { Context, Next } from 'koa';
import { formBody } from '../../kernel/http/form.ts';
import { parseDay, parseId } from '../../kernel/http/params.ts';
import { readMultipart } from '../../kernel/http/multipart.ts';
import { isValidPid, normalizePid } from '../../kernel/thai/pid.ts';
import type { AuthencodeDeps } from '../app.ts';
import { ageOn, EntitlementRegisterUnavailable } from '../entitlement/index.ts';
import { findUnit } from '../units.ts';
import { thaiDay, thaiInstant, thaiTime } from '../../kernel/thai/time.ts';
import { VisitError, type SearchFilter, type Status } from '../visits/index.ts';
import { parseMobiles } from '../visits/mobiles.ts';
import { qrPng, qrSvg, shortUnitCode } from '../qr/index.ts';
import { csrfToken, langOf, personOf, render, requireCsrf } from '../web/context.ts';
import { sessionOf, type Person } from '../web/session.ts';
import { PageError } from '../web/errors.ts';
import { html } from '../../kernel/web/html.ts';
import type { Lang } from '../../kernel/http/i18n.ts';
import { at } from '../web/messages.ts';
import { chooseUnitPage, patientPage, patientSearch, qrSheet, resultPage, searchPage, visitPage, type ResultsPage, type VisitForm, type VisitOutcome } from './views.ts';
import { evidenceErrors, MAX_PHOTO_READ_BYTES, recordEvidence } from './evidence.ts';
import type { FaceNote } from './views.ts';
import { st } from './messages.ts';
import { pagesScript } from '../web/static.ts';
import { unitCardReadChallenge } from '../agents.ts';
import { postedCardRead } from '../../kernel/web/card_reader/index.ts';
import { historyTable } from '../citizen/views.ts';
import { recordAudit } from '../audit.ts';
import { maskPid } from '../../kernel/pii/index.ts';

const HN = /^[\w/.-]{0,20}$/;
/** visits found per page of a search */
export const SEARCH_PAGE_SIZE = 50;

/** A rule of the visits that refused a request, in words (its code is for API clients). */
export function refusalText(lang: Lang, err: VisitError): string {
  switch (err.code) {
    case 'not_service_day': return at(lang, 'notServiceDay');
    case 'unknown_unit': return st(lang, 'refusedUnknownUnit');
    case 'unknown_claim_type': return st(lang, 'refusedUnknownClaimType');
    case 'claim_type_not_valid': return st(lang, 'refusedClaimTypeClosed');
    case 'not_draft': return st(lang, 'refusedNotDraft');
    case 'not_found': return st(lang, 'refusedNotFound');
    case 'not_confirmed': return st(lang, 'refusedNotConfirmed');
    case 'no_mobile': return st(lang, 'refusedNoMobile');
  }
}

/** A staff page: the service's frame, with the pages' script (method sections, copy buttons, focus on errors). */
function show(ctx: Context, p: Parameters<typeof render>[1], status?: number): void {
  render(ctx, { ...p, scripts: [...(p.scripts ?? []), pagesScript] }, status);
}

/** What the result page says of a face comparison against the chip photo, when the photo had one. */
function faceNoteOf(evidence: Record<string, unknown>): FaceNote | undefined {
  const check = evidence.face_check as { score?: number; threshold?: number; compared?: false } | undefined;
  if (!check) return undefined;
  return check.compared === false ? { compared: false } : { compared: true, score: check.score!.toFixed(2), threshold: check.threshold!.toFixed(2) };
}

export function staffRoutes(deps: AuthencodeDeps) {
  const { db, visits, claimTypes, entitlements, qr, config, pii, now: clock } = deps;
  const router = new Router({ prefix: '/staff' });

  // every staff page needs a staff login and a chosen unit (the unit choice itself excepted)
  router.use(async (ctx: Context, next: Next) => {
    const person = personOf(ctx, 'staff');
    if (!person) {
      if (ctx.method === 'GET') return ctx.redirect(`/login?as=staff&return=${encodeURIComponent(ctx.path)}&lang=${langOf(ctx)}`); // the language goes to the IdP's login
      throw new PageError(403, 'staffNotPersonnel');
    }
    ctx.state.staff = person;
    if (!person.hcode && ctx.path !== '/staff/unit') {
      const units = (await Promise.all(person.hcodes!.map((h) => findUnit(db, h)))).filter((u) => u !== undefined);
      show(ctx, { title: at(langOf(ctx), 'staffChooseUnit'), body: chooseUnitPage(langOf(ctx), { csrf: csrfToken(ctx), units }) });
      return;
    }
    await next();
  });
  const staffOf = (ctx: Context) => ctx.state.staff as Person & { hcode: string };
  const unitOf = async (ctx: Context) => (await findUnit(db, staffOf(ctx).hcode))!;

  router.post('/unit', formBody(), async (ctx) => {
    const body = ctx.request.body as Record<string, string>;
    requireCsrf(ctx, body.csrf);
    const person = staffOf(ctx);
    if (!person.hcodes!.includes(String(body.hcode))) throw new PageError(403, 'badRequest');
    sessionOf(ctx).person = { ...person, hcode: String(body.hcode) };
    ctx.redirect('/staff');
  });

  router.get('/', async (ctx) => {
    show(ctx, { title: at(langOf(ctx), 'staffTitle'), path: '/staff', body: patientSearch(langOf(ctx), { csrf: csrfToken(ctx), unit: await unitOf(ctx) }) });
  });

  /** The patient page: entitlement on the service date, latest codes, the confirm form (with its errors). */
  async function showPatient(ctx: Context, values: VisitForm, errors: Record<string, string>, status = 200) {
    const lang = langOf(ctx);
    const now = new Date(clock());
    let entitlement;
    try {
      entitlement = await entitlements.lookup(values.pid, now);
    } catch (err) {
      if (err instanceof EntitlementRegisterUnavailable) {
        show(ctx, { title: at(lang, 'staffTitle'), body: patientSearch(lang, { csrf: csrfToken(ctx), unit: await unitOf(ctx), error: at(lang, 'staffRegisterDown'), value: values.pid }) }, 503);
        return;
      }
      throw err;
    }
    if (!entitlement) {
      show(ctx, { title: at(lang, 'staffTitle'), body: patientSearch(lang, { csrf: csrfToken(ctx), unit: await unitOf(ctx), error: at(lang, 'staffNotInRegister'), value: values.pid }) }, 404);
      return;
    }
    // who looked at whose entitlement: a record for the person's right to know (PDPA)
    if (!Object.keys(errors).length) await recordAudit(db, { actor: `sub:${staffOf(ctx).sub}`, action: 'entitlement.viewed', detail: { pid: maskPid(values.pid), hcode: staffOf(ctx).hcode } });
    const asked = parseDay(values.service_date);
    const serviceDay = asked && asked >= entitlement.birthDate ? asked : thaiDay(now);
    const [latestHere, latestAll] = await Promise.all([visits.history(values.pid, { hcode: staffOf(ctx).hcode, limit: 1 }), visits.history(values.pid, { limit: 5 })]);
    // each confirm form shown gets its own challenge for a card read, for this unit and this member of staff
    const nonce = await unitCardReadChallenge(db, { hcode: staffOf(ctx).hcode, actor: staffOf(ctx).sub });
    show(ctx, {
      title: at(lang, 'staffTitle'),
      scripts: ['card-read.js'],
      body: patientPage(lang, {
        csrf: csrfToken(ctx), entitlement, age: ageOn(entitlement.birthDate, serviceDay), latestHere, latestAll, claimTypes, open: claimTypes.validOn(serviceDay),
        values: { method: 'card', service_date: thaiDay(now), service_time: thaiTime(now), ...values }, errors, today: thaiDay(now), cardReader: { agent: config.cardAgentUrl, nonce },
      }),
    }, status);
  }

  router.post('/patient', formBody(), async (ctx) => {
    const body = ctx.request.body as Record<string, string>;
    requireCsrf(ctx, body.csrf);
    const pid = normalizePid(String(body.pid ?? ''));
    if (!pid || !isValidPid(pid)) {
      show(ctx, { title: at(langOf(ctx), 'staffTitle'), body: patientSearch(langOf(ctx), { csrf: csrfToken(ctx), unit: await unitOf(ctx), error: at(langOf(ctx), 'visitPidInvalid'), value: String(body.pid ?? '') }) }, 400);
      return;
    }
    await showPatient(ctx, { pid }, {});
  });

  router.post('/visit', async (ctx) => {
    const form = await readMultipart(ctx, { files: ['photo'], maxFileBytes: MAX_PHOTO_READ_BYTES, maxFields: 30, maxFieldBytes: 64 * 1024 });
    const f = form.fields;
    requireCsrf(ctx, f.csrf);
    const lang = langOf(ctx);
    const person = staffOf(ctx);
    const pid = normalizePid(f.pid ?? '');
    if (!pid || !isValidPid(pid)) throw new PageError(400, 'visitPidInvalid');
    const values: VisitForm = {
      pid, method: f.method, card_read: postedCardRead(f), certifier_pid: f.certifier_pid, certifier_name: f.certifier_name, certifier_relationship: f.certifier_relationship,
      cert_reason: f.cert_reason, service_date: f.service_date, service_time: f.service_time, hn: (f.hn ?? '').trim(), claim_type: form.lists.claim_type ?? [], mobile: f.mobile,
    };
    // every field in one pass, the chosen method's with the rest (nothing is used up or stored yet)
    const posted = { pid, method: values.method, fields: f, photo: form.files.photo, photoName: form.fileNames.photo };
    const errors: Record<string, string> = await evidenceErrors(lang, posted);
    const serviceAt = thaiInstant(values.service_date ?? '', values.service_time ?? '');
    if (!serviceAt) errors.service_date = at(lang, 'serviceDateInvalid');
    if (!HN.test(values.hn!)) errors.hn = at(lang, 'hnInvalid');
    const mobiles = parseMobiles(values.mobile);
    if (!mobiles) errors.mobile = at(lang, 'visitMobileInvalid');
    const received = new Date(clock()); // one instant for the day checks here and in the visits
    const today = thaiDay(received);
    const day = serviceAt ? thaiDay(serviceAt) : today;
    const chosen = values.claim_type!.map((c) => claimTypes.get(c));
    if (!chosen.length || chosen.some((c) => !c || !claimTypes.isValidOn(c.code, day))) errors.claim_type = at(lang, 'claimTypesRequired');
    const action = f.action === 'confirm' ? 'confirm' : 'draft';
    if (action === 'confirm' && serviceAt && day !== today) errors.service_date = at(lang, 'notServiceDay');
    if (Object.keys(errors).length) return showPatient(ctx, values, errors, 400);
    // the evidence last: a card read is used up when it is checked
    const evidence = await recordEvidence({ db, pii, matcher: deps.faceMatcher }, lang, { ...posted, hcode: person.hcode, actor: person.sub });
    if (!evidence.ok) return showPatient(ctx, values, evidence.errors, 400);
    const outcomes: VisitOutcome[] = [];
    for (const claimType of chosen as NonNullable<(typeof chosen)[number]>[]) {
      const input = { pid, hcode: person.hcode, claimType: claimType.code, serviceAt: serviceAt!, hn: values.hn, mobiles: mobiles!, method: evidence.method, evidence: evidence.evidence, actor: `sub:${person.sub}` };
      try {
        if (action === 'draft') outcomes.push({ claimType, kind: 'draft', visit: await visits.saveDraft(input) });
        else {
          const r = await visits.confirmNew(input, received);
          outcomes.push({ claimType, kind: r.duplicate ? 'duplicate' : 'confirmed', visit: r.visit });
        }
      } catch (err) {
        if (!(err instanceof VisitError)) throw err;
        outcomes.push({ claimType, kind: 'refused', message: refusalText(lang, err) });
      }
    }
    show(ctx, { title: at(lang, 'resultTitle'), body: resultPage(lang, outcomes, faceNoteOf(evidence.evidence)) });
  });

  router.post('/history', formBody(), async (ctx) => {
    const body = ctx.request.body as Record<string, string>;
    requireCsrf(ctx, body.csrf);
    const pid = normalizePid(String(body.pid ?? ''));
    if (!pid || !isValidPid(pid)) throw new PageError(400, 'visitPidInvalid');
    show(ctx, { title: at(langOf(ctx), 'historyTitle'), body: historyTable(langOf(ctx), await visits.history(pid), claimTypes) });
  });

  /** One page of a search: SEARCH_PAGE_SIZE visits, and whether more follow. */
  async function searchPageOf(filter: Omit<SearchFilter, 'limit' | 'offset'>, page: number): Promise<ResultsPage> {
    const found = await visits.search({ ...filter, limit: SEARCH_PAGE_SIZE + 1, offset: (page - 1) * SEARCH_PAGE_SIZE });
    return { list: found.slice(0, SEARCH_PAGE_SIZE), page, size: SEARCH_PAGE_SIZE, more: found.length > SEARCH_PAGE_SIZE };
  }
  const pageNumber = (v: unknown) => Math.min(parseId(v) ?? 1, 10_000);

  router.get('/visits', async (ctx) => {
    const lang = langOf(ctx);
    const q = Object.fromEntries(Object.entries(ctx.query).filter(([k, v]) => typeof v === 'string' && v !== '' && k !== 'page')) as Record<string, string>;
    // the form sends its fields even when empty: searching with every filter at "all" lists them all
    const searched = ['day', 'claim_type', 'hn', 'status'].some((k) => k in ctx.query);
    const day = parseDay(q.day);
    if (q.day && !day) {
      show(ctx, { title: at(lang, 'searchTitle'), path: '/staff/visits', body: searchPage(lang, { csrf: csrfToken(ctx), query: q, results: undefined, claimTypes, dayError: at(lang, 'serviceDateInvalid') }) }, 400);
      return;
    }
    const status = ['draft', 'confirmed', 'cancelled'].includes(q.status ?? '') ? (q.status as Status) : undefined;
    const results = searched
      ? await searchPageOf({ hcode: staffOf(ctx).hcode, day, claimType: q.claim_type && claimTypes.get(q.claim_type) ? q.claim_type : undefined, hn: q.hn && HN.test(q.hn) ? q.hn : undefined, status }, pageNumber(ctx.query.page))
      : undefined;
    show(ctx, { title: at(lang, 'searchTitle'), path: '/staff/visits', body: searchPage(lang, { csrf: csrfToken(ctx), query: q, results, claimTypes }) });
  });

  router.post('/visits', formBody(), async (ctx) => {
    const body = ctx.request.body as Record<string, string>;
    requireCsrf(ctx, body.csrf);
    const lang = langOf(ctx);
    const pid = normalizePid(String(body.pid ?? ''));
    if (!pid || !isValidPid(pid)) {
      show(ctx, { title: at(lang, 'searchTitle'), body: searchPage(lang, { csrf: csrfToken(ctx), query: { pid: String(body.pid ?? '') }, results: undefined, claimTypes, pidError: at(lang, 'visitPidInvalid') }) }, 400);
      return;
    }
    const results = await searchPageOf({ hcode: staffOf(ctx).hcode, pid }, pageNumber(body.page));
    show(ctx, { title: at(lang, 'searchTitle'), body: searchPage(lang, { csrf: csrfToken(ctx), query: { pid }, results, claimTypes }) });
  });

  async function visitAtUnit(ctx: Context) {
    const visit = await visits.find(ctx.params.id!);
    if (!visit || visit.hcode !== staffOf(ctx).hcode) throw new PageError(404, 'notFound');
    return visit;
  }

  router.get('/visits/:id', async (ctx) => {
    const visit = await visitAtUnit(ctx);
    const notice = ctx.query.done === 'edited' ? at(langOf(ctx), 'edited') : ctx.query.done === 'cancelled' ? at(langOf(ctx), 'cancelled') : undefined;
    show(ctx, { title: at(langOf(ctx), 'visitDetail'), body: visitPage(langOf(ctx), { csrf: csrfToken(ctx), visit, claimTypes, notice, errors: {}, values: {} }) });
  });

  router.post('/visits/:id/confirm', formBody(), async (ctx) => {
    requireCsrf(ctx, (ctx.request.body as Record<string, string>).csrf);
    const visit = await visitAtUnit(ctx);
    try {
      const r = await visits.confirm(visit.id, `sub:${staffOf(ctx).sub}`);
      const claimType = claimTypes.get(visit.claimType)!;
      show(ctx, { title: at(langOf(ctx), 'resultTitle'), body: resultPage(langOf(ctx), [{ claimType, kind: r.duplicate ? 'duplicate' : 'confirmed', visit: r.visit }]) });
    } catch (err) {
      if (!(err instanceof VisitError)) throw err;
      show(ctx, { title: at(langOf(ctx), 'visitDetail'), body: visitPage(langOf(ctx), { csrf: csrfToken(ctx), visit, claimTypes, errors: { reason: refusalText(langOf(ctx), err) }, values: {} }) }, 400);
    }
  });

  router.post('/visits/:id/edit', formBody(), async (ctx) => {
    const body = ctx.request.body as Record<string, string>;
    requireCsrf(ctx, body.csrf);
    const lang = langOf(ctx);
    const visit = await visitAtUnit(ctx);
    const values = { hn: String(body.hn ?? '').trim(), mobile: String(body.mobile ?? ''), reason: String(body.reason ?? '').trim() };
    const errors: Record<string, string> = {};
    if (!HN.test(values.hn)) errors.hn = at(lang, 'hnInvalid');
    const mobiles = parseMobiles(values.mobile);
    if (!mobiles) errors.mobile = at(lang, 'visitMobileInvalid');
    if (!values.reason || values.reason.length > 500) errors.reason = at(lang, 'reasonRequired');
    if (visit.status === 'cancelled') throw new PageError(400, 'badRequest');
    if (Object.keys(errors).length) {
      show(ctx, { title: at(lang, 'visitDetail'), body: visitPage(lang, { csrf: csrfToken(ctx), visit, claimTypes, errors, values }) }, 400);
      return;
    }
    await visits.edit(visit.id, { hn: values.hn, mobiles: mobiles! }, `sub:${staffOf(ctx).sub}`, values.reason);
    ctx.redirect(`/staff/visits/${visit.id}?done=edited`);
  });

  router.post('/visits/:id/cancel', formBody(), async (ctx) => {
    const body = ctx.request.body as Record<string, string>;
    requireCsrf(ctx, body.csrf);
    const lang = langOf(ctx);
    const visit = await visitAtUnit(ctx);
    const reason = String(body.cancel_reason ?? '').trim();
    if (!reason || reason.length > 500 || visit.status !== 'confirmed') {
      show(ctx, { title: at(lang, 'visitDetail'), body: visitPage(lang, { csrf: csrfToken(ctx), visit, claimTypes, errors: { cancel_reason: at(lang, visit.status !== 'confirmed' ? 'badRequest' : 'reasonRequired') }, values: {} }) }, 400);
      return;
    }
    await visits.cancel(visit.id, `sub:${staffOf(ctx).sub}`, reason);
    ctx.redirect(`/staff/visits/${visit.id}?done=cancelled`);
  });

  const qrUrl = async (hcode: string, claimType: string) => `${config.url}/q/${await qr.sign(hcode, claimType, config.qrValidDays * 86400)}`;

  router.get('/qr', async (ctx) => {
    const unit = await unitOf(ctx);
    const open = claimTypes.validOn(thaiDay(new Date(clock())));
    const codes = await Promise.all(open.map(async (claimType) => ({ claimType, svg: await qrSvg(await qrUrl(unit.hcode, claimType.code)), shortCode: shortUnitCode(unit.hcode, claimType.code) })));
    const until = thaiDay(new Date(clock() + config.qrValidDays * 86400_000));
    show(ctx, { title: at(langOf(ctx), 'qrTitle'), path: '/staff/qr', body: html`${qrSheet(langOf(ctx), { unit, until, codes })}` });
  });

  router.get('/qr/:file', async (ctx) => {
    const m = /^(PG\d{7})\.png$/.exec(ctx.params.file!);
    if (!m || !claimTypes.isValidOn(m[1]!, thaiDay(new Date(clock())))) throw new PageError(404, 'notFound');
    const hcode = staffOf(ctx).hcode;
    ctx.type = 'image/png';
    ctx.attachment(`qr-${hcode}-${m[1]}.png`);
    ctx.body = await qrPng(await qrUrl(hcode, m[1]!), 1024);
  });

  return router;
}
