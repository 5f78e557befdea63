// In-person verification in the verifier console: the card read by the unit's reader (and, in the
// test zone only, the card data typed by hand), for the person the verifier found.
import type { Router } from '@koa/router';
import type { Context } from 'koa';
import type { Database } from '../../../../kernel/db/index.ts';
import type { Accounts } from '../../../account/index.ts';
import { normalizePid } from '../../../account/index.ts';
import { formBody } from '../../../../kernel/http/form.ts';
import { postedCardRead } from '../../../../kernel/web/card_reader/index.ts';
import { parseBirthdate } from '../../../../kernel/thai/dates.ts';
import { t, type MessageKey } from '../../../web/messages.ts';
import type { Verifier, VerifierConsole } from '../../verifier/routes.ts';
import type { FaceMatcher } from '../../../../kernel/face_match/index.ts';
import type { Lang } from '../../../../kernel/http/i18n.ts';
import { capturedJpeg, compareAtCounter, MAX_CAPTURE_BYTES, verifyByHand, verifyInPerson, type InPersonResult } from './index.ts';

const REFUSALS: Record<string, MessageKey> = {
  self: 'verifierSelf', card_refused: 'verifierCardRefused', not_this_person: 'verifierNotThisPerson', card_expired: 'verifierCardExpired', no_account: 'verifierNotFound',
  bad_capture: 'inPersonBadCapture', face_busy: 'inPersonFaceBusy', face_below_threshold: 'inPersonFaceBelow',
};
const FACE_REFUSALS = new Set(['bad_capture', 'face_busy', 'face_below_threshold', 'face_quality']);
/** the form with a camera capture: base64 makes a 300 KB JPEG about 400 KB, and escaping adds some */
const CAPTURE_FORM_LIMIT = `${Math.ceil((MAX_CAPTURE_BYTES * 1.5) / 1000) + 16}kb`;

/** A refusal in the verifier's words (a quality reason names its own message). */
const refusal = (lang: Lang, r: { reason: string; quality?: string }) => t(lang, r.reason === 'face_quality' ? (`inPersonFace_${r.quality}` as MessageKey) : REFUSALS[r.reason]!);

export function inPersonRoutes(router: Router, shell: VerifierConsole, deps: { db: Database; accounts: Accounts; testZone: boolean; matcher?: FaceMatcher }) {
  const { db, accounts, testZone, matcher } = deps;
  const body = (ctx: Context) => (ctx.request.body ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

  async function outcome(ctx: Context, v: Verifier, sub: string, result: InPersonResult) {
    const person = await shell.person(sub, v.lang);
    if (!result.ok) return shell.home(ctx, v, { person, errors: { [FACE_REFUSALS.has(result.reason) ? 'face_capture' : 'card_read']: refusal(v.lang, result) } }, result.reason === 'no_account' ? 404 : result.reason === 'face_busy' ? 503 : 400);
    const done = t(v.lang, 'verifierDone', { ial: person?.ial ?? '-' });
    const score = result.faceCheck ? ` ${t(v.lang, 'inPersonRecordedScore', { score: result.faceCheck.score.toFixed(3), threshold: result.faceCheck.threshold.toFixed(3) })}` : '';
    await shell.home(ctx, v, { person, notice: done + score });
  }

  // the capture against the chip photo of the document read (not used up): the score before the decision
  router.post('/in-person/compare', formBody(CAPTURE_FORM_LIMIT), async (ctx) => {
    shell.requireCsrf(ctx);
    const v = await shell.verifier(ctx);
    ctx.set('Cache-Control', 'no-store');
    if (!v) return;
    if (!v.unit) {
      ctx.status = 403;
      ctx.body = { error: t(v.lang, 'verifierNotAppointed') };
      return;
    }
    const b = body(ctx);
    const capture = capturedJpeg(str(b.face_capture));
    if (!capture) {
      ctx.status = 400;
      ctx.body = { error: t(v.lang, 'inPersonBadCapture') };
      return;
    }
    const r = await compareAtCounter({ db, accounts, matcher }, { hcode: v.unit.hcode, sub: str(b.sub), cardRead: postedCardRead(b), capture });
    if (!r.ok) {
      ctx.status = r.reason === 'no_account' ? 404 : r.reason === 'face_busy' ? 503 : 400;
      if (r.reason === 'face_busy') ctx.set('Retry-After', '5');
      // a chip photo that cannot be compared: the verifier compares by eye, the form goes without the capture
      ctx.body = { error: refusal(v.lang, r), clear: r.quality === 'card_face_not_found' || r.quality === 'card_face_unclear' };
      return;
    }
    const c = r.comparison;
    ctx.body = c ? { score: c.score, threshold: c.threshold, matched: c.matched, chip_photo: r.chipPhoto } : { chip_photo: r.chipPhoto };
  });

  router.post('/in-person', formBody(CAPTURE_FORM_LIMIT), async (ctx) => {
    shell.requireCsrf(ctx);
    const v = await shell.verifier(ctx);
    if (!v?.unit) return v && shell.home(ctx, v);
    const b = body(ctx);
    const sub = str(b.sub);
    const posted = str(b.face_capture);
    const capture = posted ? capturedJpeg(posted) : undefined;
    if (posted && !capture) return outcome(ctx, v, sub, { ok: false, reason: 'bad_capture' });
    const result = await verifyInPerson(
      { db, accounts, matcher },
      { verifierSub: v.session.sub, hcode: v.unit.hcode, sub, cardRead: postedCardRead(b), cardStatusConfirmed: b.card_status === 'yes', faceCompared: b.face_compared === 'yes', reason: str(b.note).slice(0, 200), ...(capture ? { capture } : {}) },
    );
    await outcome(ctx, v, sub, result);
  });

  // test zone only: the route does not exist in production
  if (testZone) {
    router.post('/by-hand', formBody(), async (ctx) => {
      shell.requireCsrf(ctx);
      const v = await shell.verifier(ctx);
      if (!v?.unit) return v && shell.home(ctx, v);
      const b = body(ctx);
      const sub = str(b.sub);
      const birth = parseBirthdate(str(b.birth_day), str(b.birth_month), str(b.birth_year));
      const expiry = parseBirthdate(str(b.expiry_day), str(b.expiry_month), str(b.expiry_year), new Date(Date.UTC(2150, 0, 1)));
      const result = await verifyByHand(
        { db, accounts },
        {
          verifierSub: v.session.sub,
          hcode: v.unit.hcode,
          sub,
          card: { pid: normalizePid(str(b.pid)) ?? '', givenName: str(b.given_name), familyName: str(b.family_name), birthdate: birth.ok ? birth.iso : '', expiry: expiry.ok ? expiry.iso : '' },
          cardStatusConfirmed: b.card_status === 'yes',
          reason: str(b.note).slice(0, 200),
        },
      );
      await outcome(ctx, v, sub, result);
    });
  }
}
