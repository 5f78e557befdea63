// In-person verification: its step on /account/verify (what to bring, the service points), and the verifier's forms for the person at the
// counter (the card read from the unit's reader; in the test zone only, the card data typed by hand).
import { html, type Html } from '../../../../kernel/web/html.ts';
import { t } from '../../../web/messages.ts';
import { field, type FieldErrors } from '../../../../kernel/web/form.ts';
import { cardReader } from '../../../../kernel/web/card_reader/views.ts';
import type { StepState } from '../../views.ts';
import type { ServicePointView } from '../../../login/views/second_factor.ts';
import { nameIn } from '../../../../kernel/web/i18n.ts';

/** Its part of the step on /account/verify: what to bring, and where (the unit register's service points). */
export function inPersonSection(p: { lang: 'th' | 'en'; step: StepState; servicePoints: ServicePointView[] }): Html {
  const { lang } = p;
  if (p.step === 'done') return html``;
  return html`<p>${t(lang, 'inPersonBring')}</p>
<h3>${t(lang, 'inPersonPoints')}</h3>
${p.servicePoints.length
  ? html`<ul class="service-points">${p.servicePoints.map((u) => html`<li>${nameIn(p.lang, u)} <small>(${u.hcode})</small><br><small>${[u.district, u.province].filter(Boolean).join(', ')}</small></li>`)}</ul>`
  : html`<p>${t(lang, 'inPersonNoPoints')}</p>`}`;
}

/**
 * "Capture face" (face-capture.js): the counter PC's camera, a still JPEG into the hidden face_capture
 * input, shown beside the chip photo with the automated score (POST /verifier/in-person/compare). Its
 * words travel in data attributes; without a camera it says so and the verifier compares by eye.
 */
/** the score's placeholders stay for the script to fill */
const PLACES = { score: '{score}', threshold: '{threshold}' };

function faceCapture(lang: 'th' | 'en', error: string | undefined): Html {
  const words = (['CaptureStart', 'CaptureTake', 'CaptureAgain', 'CaptureStarting', 'CaptureNoCamera', 'Comparing', 'NeedCard', 'Score', 'ScoreAbove', 'ScoreBelow', 'NoMatcher', 'CompareFailed'] as const)
    .map((k) => html` data-${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).slice(1)}="${t(lang, `inPerson${k}`, PLACES)}"`);
  return html`<div class="face-capture" id="face-capture"${words} hidden>
    <div class="field"><span class="label" id="face_capture-label">${t(lang, 'inPersonFaceCapture')}</span>
    <button type="button" id="face_capture_start" class="secondary"${error ? html` aria-invalid="true" aria-describedby="face_capture-error"` : ''}>${t(lang, 'inPersonCaptureStart')}</button>
    <button type="button" id="face_capture_take" hidden>${t(lang, 'inPersonCaptureTake')}</button>
    <button type="button" id="face_compare" class="secondary" hidden>${t(lang, 'inPersonCompare')}</button></div>
    <video id="face-capture-video" class="face-capture-video" muted playsinline hidden></video>
    <p id="face-capture-status" class="card-read-status" role="status"></p>
    <p id="face-capture-alert" class="card-read-alert" role="alert"></p>
    <div id="face-compare" class="face-compare" hidden>
      <figure><img id="face-capture-photo" alt="${t(lang, 'inPersonCaptureAlt')}"><figcaption>${t(lang, 'inPersonFaceCapture')}</figcaption></figure>
      <figure id="face-compare-chip-figure" hidden><img id="face-compare-chip" alt="${t(lang, 'inPersonChipPhoto')}"><figcaption>${t(lang, 'inPersonChipPhoto')}</figcaption></figure>
      <p id="face-compare-score" class="face-compare-score"></p>
    </div>
  </div>
  <input type="hidden" name="face_capture" id="face_capture">
  ${error ? html`<span class="field-error" id="face_capture-error">${error}</span>` : ''}`;
}

export function inPersonForms(p: {
  lang: 'th' | 'en'; csrf: string; unit: string; sub: string; errors: FieldErrors; testZone: boolean;
  /** the person's ID number: the card read must carry it */
  pid: string;
  /** the unit's card reader agent and this form's challenge */
  cardReader: { agent: string; nonce: string };
}): Html {
  const { lang, errors } = p;
  const hidden = html`<input type="hidden" name="csrf" value="${p.csrf}">`;
  return html`<h2>${t(lang, 'verifierInPersonHeading')}</h2>
<form method="post" action="/verifier/in-person" novalidate>${hidden}
  <input type="hidden" name="unit" value="${p.unit}">
  <input type="hidden" name="sub" value="${p.sub}">
  ${cardReader({ lang, agent: p.cardReader.agent, nonce: p.cardReader.nonce, pid: p.pid, pasteLabel: t(lang, 'verifierCardRead'), error: errors.card_read })}
  ${faceCapture(lang, errors.face_capture)}
  <div class="field checkbox"><input id="card_status" name="card_status" type="checkbox" value="yes"><label for="card_status">${t(lang, 'verifierCardStatus')}</label></div>
  <div class="field checkbox"><input id="face_compared" name="face_compared" type="checkbox" value="yes"><label for="face_compared">${t(lang, 'verifierFaceCompared')}</label></div>
  ${field({ name: 'note', label: t(lang, 'verifierDecisionReason'), errors, attrs: html`maxlength="200"` })}
  <button type="submit">${t(lang, 'verifierApprove')}</button>
</form>
${p.testZone
  ? html`<details>
  <summary>${t(lang, 'verifierByHand')}</summary>
  <p>${t(lang, 'verifierByHandIntro')}</p>
  <form method="post" action="/verifier/by-hand" novalidate>${hidden}
    <input type="hidden" name="unit" value="${p.unit}">
    <input type="hidden" name="sub" value="${p.sub}">
    <label for="hand-pid">${t(lang, 'pid')}</label><input id="hand-pid" name="pid" inputmode="numeric" maxlength="17">
    <label for="hand-given">${t(lang, 'givenNameTh')}</label><input id="hand-given" name="given_name" maxlength="100">
    <label for="hand-family">${t(lang, 'familyNameTh')}</label><input id="hand-family" name="family_name" maxlength="100">
    <fieldset class="date"><legend>${t(lang, 'birthdate')}</legend>
      <div><label for="hand-bd">${t(lang, 'birthDay')}</label><input id="hand-bd" name="birth_day" inputmode="numeric" maxlength="2" size="2"></div>
      <div><label for="hand-bm">${t(lang, 'birthMonth')}</label><input id="hand-bm" name="birth_month" inputmode="numeric" maxlength="2" size="2"></div>
      <div><label for="hand-by">${t(lang, 'birthYear')}</label><input id="hand-by" name="birth_year" inputmode="numeric" maxlength="4" size="4"></div>
    </fieldset>
    <fieldset class="date"><legend>${t(lang, 'verifierCardExpiry')}</legend>
      <div><label for="hand-ed">${t(lang, 'birthDay')}</label><input id="hand-ed" name="expiry_day" inputmode="numeric" maxlength="2" size="2"></div>
      <div><label for="hand-em">${t(lang, 'birthMonth')}</label><input id="hand-em" name="expiry_month" inputmode="numeric" maxlength="2" size="2"></div>
      <div><label for="hand-ey">${t(lang, 'birthYear')}</label><input id="hand-ey" name="expiry_year" inputmode="numeric" maxlength="4" size="4"></div>
    </fieldset>
    <div class="field checkbox"><input id="hand-status" name="card_status" type="checkbox" value="yes"><label for="hand-status">${t(lang, 'verifierCardStatusTyped')}</label></div>
    <label for="hand-note">${t(lang, 'verifierDecisionReason')}</label><input id="hand-note" name="note" maxlength="200">
    <button type="submit" class="secondary">${t(lang, 'verifierApprove')}</button>
  </form>
</details>`
  : ''}`;
}
