import { html } from '../../../../kernel/web/html.ts';
import { layout } from '../../../web/layout.ts';
import { t } from '../../../web/messages.ts';

export function photoQueuePage(p: {
  lang: 'th' | 'en';
  csrf: string;
  unit?: { hcode: string; name: string };
  items: Array<{ id: number; self: boolean; name: string; birthdate: string; submitted: string; faceScore: number | null }>;
  threshold: number;
  notice?: string;
  error?: string;
}): string {
  const { lang } = p;
  return layout({
    lang,
    title: t(lang, 'queueTitle'),
    path: '/verifier/queue',
    body: !p.unit
      ? html`<p role="alert">${t(lang, 'verifierNotAppointed')}</p>`
      : html`<p>${t(lang, 'verifierUnit', { unit: `${p.unit.name} (${p.unit.hcode})` })}</p>
${p.notice ? html`<p class="notice" role="status">${p.notice}</p>` : ''}
${p.error ? html`<p class="error" role="alert">${p.error}</p>` : ''}
${p.items.length ? '' : html`<p>${t(lang, 'queueEmpty')}</p>`}
${p.items.map(
  (i) => html`<section class="review">
  <h2>${i.name} · ${i.birthdate}</h2>
  <p><small>${i.submitted}</small></p>
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
