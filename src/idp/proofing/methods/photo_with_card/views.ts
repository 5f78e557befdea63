// Photo with the ID card: the person's upload on /account/verify (with the outcome of their last
// submission) and the verifier's review queue, the two photos side by side.
import { html, type Html } from '../../../../kernel/web/html.ts';
import { layout } from '../../../web/layout.ts';
import { t } from '../../../web/messages.ts';
import { verifierNav } from '../../verifier/views.ts';
import { ialWithLevel } from '../../../login/views/words.ts';
import type { StepState } from '../../views.ts';
import { nameIn } from '../../../../kernel/web/i18n.ts';

/** Its part of the step: how the last submission went, and the upload while the step can be done. */
export function photoSection(p: { lang: 'th' | 'en'; csrf: string; errors: Record<string, string>; latest?: { status: string; reason: string | null }; units: Array<{ hcode: string; nameTh: string; nameEn: string | null }>; step: StepState; again?: boolean }): Html {
  const { lang, errors } = p;
  const outcome = p.latest
    ? html`<p role="status">${p.latest.status === 'pending' ? t(lang, 'photoStatusPending') : p.latest.status === 'approved' ? t(lang, 'photoStatusApproved') : t(lang, 'photoStatusRejected', { reason: p.latest.reason ?? '' })}</p>`
    : html``;
  if (p.step !== 'next' && p.step !== 'later' && !p.again) return outcome;
  return html`${outcome}
${p.again ? html`<p>${t(lang, 'photoAgainIntro')}</p>` : ''}
<p>${t(lang, 'photoIntro')}</p>
<form method="post" action="/account/verify/photo" enctype="multipart/form-data">
  <input type="hidden" name="csrf" value="${p.csrf}">
  <label for="face_with_card">${t(lang, 'photoFace')}</label>
  <input id="face_with_card" name="face_with_card" type="file" accept="image/jpeg,image/png" capture="user" required${errors.photo ? html` aria-invalid="true" aria-describedby="form-error"` : ''}>
  <label for="card_front">${t(lang, 'photoCard')}</label>
  <input id="card_front" name="card_front" type="file" accept="image/jpeg,image/png" capture="environment" required>
  <label for="photo_unit">${t(lang, 'photoUnit')}</label>
  <select id="photo_unit" name="unit"><option value="">${t(lang, 'photoAnyUnit')}</option>${p.units.map((u) => html`<option value="${u.hcode}">${nameIn(lang, u)} (${u.hcode})</option>`)}</select>
  <button type="submit">${t(lang, 'photoSubmit')}</button>
</form>`;
}

export function photoQueuePage(p: {
  lang: 'th' | 'en';
  csrf: string;
  unit?: { hcode: string; name: string };
  items: Array<{ id: number; self: boolean; name: string; birthdate: string; ial: string; submitted: string; faceScore: number | null }>;
  threshold: number;
  notice?: string;
  error?: string;
}): string {
  const { lang } = p;
  return layout({
    lang,
    title: t(lang, 'queueTitle'),
    path: '/verifier/queue',
    wide: true,
    body: !p.unit
      ? html`<p role="alert">${t(lang, 'verifierNotAppointed')}</p>`
      : html`${verifierNav(lang, '/verifier/queue', p.unit.hcode)}
<p>${t(lang, 'verifierUnit', { unit: `${p.unit.name} (${p.unit.hcode})` })}</p>
${p.notice ? html`<p class="notice" role="status">${p.notice}</p>` : ''}
${p.error ? html`<p class="error" role="alert">${p.error}</p>` : ''}
${p.items.length ? '' : html`<p>${t(lang, 'queueEmpty')}</p>`}
${p.items.map(
  (i) => html`<section class="review">
  <h2>${i.name} · ${i.birthdate}</h2>
  <p>${t(lang, 'verifierCurrentLevel')}: ${ialWithLevel(lang, i.ial)} · <small>${i.submitted}</small></p>
  ${i.ial === '1.1' ? html`<p class="notice">${t(lang, 'queueNeeds12')}</p>` : ''}
  <div class="side-by-side">
    <img src="/verifier/photo/${i.id}/face?unit=${p.unit!.hcode}" alt="${t(lang, 'queueFaceAlt', { name: i.name })}">
    <img src="/verifier/photo/${i.id}/card?unit=${p.unit!.hcode}" alt="${t(lang, 'queueCardAlt', { name: i.name })}">
  </div>
  ${i.self
    ? html`<p>${t(lang, 'queueOwn')}</p>`
    : html`<form method="post" action="/verifier/queue/${i.id}">
    <input type="hidden" name="csrf" value="${p.csrf}">
    <input type="hidden" name="unit" value="${p.unit!.hcode}">
    ${i.faceScore !== null
      ? html`<p>${t(lang, 'queueFaceScore', { score: i.faceScore.toFixed(2), threshold: p.threshold.toFixed(2) })}</p>
    ${i.faceScore >= p.threshold
      ? html`<div class="field checkbox"><input id="face-${i.id}" name="face_match" type="checkbox" value="yes"><label for="face-${i.id}">${t(lang, 'queueFaceConfirm')}</label></div>`
      : ''}`
      : ''}
    <label for="reason-${i.id}">${t(lang, 'queueReason')}</label>
    <input id="reason-${i.id}" name="reason" maxlength="200" required>
    <div class="actions">
      <button type="submit" name="decision" value="approve">${t(lang, 'queueApprove')}</button>
      <button type="submit" name="decision" value="reject" class="secondary">${t(lang, 'queueReject')}</button>
    </div>
  </form>`}
</section>`,
)}`,
  });
}
