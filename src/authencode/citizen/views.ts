// The citizen's pages: pick the unit and service, confirm, the code, the history.
import { html, type Html } from '../../kernel/web/html.ts';
import { errorSummary, field } from '../../kernel/web/form.ts';
import { at } from '../web/messages.ts';
import { thaiIso } from '../../kernel/thai/time.ts';
import type { Lang } from '../../kernel/web/i18n.ts';

// What these pages show of a visit, a service (claim) type and a unit; the routes pass theirs.
export interface VisitView {
  claimCode: string | null;
  claimType: string;
  serviceAt: Date;
  hcode: string;
  unitName: string;
  province: string;
  confirmedAt: Date | null;
}
export interface ClaimTypeView {
  code: string;
  nameTh: string;
  nameEn: string;
}
export interface ClaimTypesView {
  all: ClaimTypeView[];
  get(code: string): ClaimTypeView | undefined;
}
export interface UnitView {
  hcode: string;
  nameTh: string;
  nameEn: string;
}

export const RELATIONSHIPS = ['parent', 'child', 'spouse', 'sibling', 'other'] as const;
const REL_KEY = { parent: 'relParent', child: 'relChild', spouse: 'relSpouse', sibling: 'relSibling', other: 'relOther' } as const;

export interface ConfirmForm {
  who: 'self' | 'family';
  family_pid?: string;
  relationship?: string;
  mobile?: string;
}

export const claimTypeName = (lang: Lang, c: ClaimTypeView | undefined, code: string) => (c ? (lang === 'th' ? c.nameTh : c.nameEn) : code);
export const unitName = (lang: Lang, u: { nameTh: string; nameEn: string }) => (lang === 'en' && u.nameEn ? u.nameEn : u.nameTh);
/** 2026-12-02T08:30:12+07:00 → 2026-12-02 08:30 */
export const when = (d: Date) => thaiIso(d).slice(0, 16).replace('T', ' ');

export function pickPage(lang: Lang, p: { csrf: string; error?: string }): Html {
  return html`${p.error ? html`<p class="error" role="alert">${p.error}</p>` : ''}
<h2>${at(lang, 'visitPickUnit')}</h2>
<div id="scanner" hidden>
  <button type="button" id="scan-start">${at(lang, 'visitScanCamera')}</button>
  <video id="scan-video" playsinline muted hidden></video>
  <p id="scan-status" role="status"></p>
</div>
<form method="post" action="/visit/scan" enctype="multipart/form-data">
  <input type="hidden" name="csrf" value="${p.csrf}">
  <label for="qr_image">${at(lang, 'visitUpload')}</label>
  <small>${at(lang, 'visitScanHint')}</small>
  <input id="qr_image" name="qr_image" type="file" accept="image/*" capture="environment" required>
  <button type="submit">${at(lang, 'visitUploadSubmit')}</button>
</form>
<form method="post" action="/visit/code" class="alternatives">
  <input type="hidden" name="csrf" value="${p.csrf}">
  ${field({ name: 'unit_code', label: at(lang, 'visitCode'), errors: {}, attrs: html`inputmode="numeric" autocomplete="off" required` })}
  <button type="submit">${at(lang, 'visitCodeSubmit')}</button>
</form>`;
}

export function confirmPage(lang: Lang, p: { csrf: string; unit: UnitView; claimType: ClaimTypeView; values: ConfirmForm; errors: Record<string, string> }): Html {
  const v = p.values;
  const labels = { mobile: at(lang, 'visitMobile'), family_pid: at(lang, 'visitFamilyPid'), relationship: at(lang, 'visitRelationship') };
  const relError = p.errors.relationship;
  return html`${errorSummary(at(lang, 'formErrors'), p.errors, labels)}
<p>${at(lang, 'visitAt', { unit: `${p.unit.hcode} ${unitName(lang, p.unit)}` })}</p>
<p>${at(lang, 'visitService', { service: claimTypeName(lang, p.claimType, p.claimType.code) })}</p>
<form method="post" action="/visit/confirm" novalidate>
  <input type="hidden" name="csrf" value="${p.csrf}">
  <fieldset>
    <legend>${at(lang, 'visitWho')}</legend>
    <div class="checkbox"><input type="radio" id="who-self" name="who" value="self"${v.who === 'self' ? html` checked` : ''}><label for="who-self">${at(lang, 'visitSelf')}</label></div>
    <div class="checkbox"><input type="radio" id="who-family" name="who" value="family"${v.who === 'family' ? html` checked` : ''}><label for="who-family">${at(lang, 'visitFamily')}</label></div>
  </fieldset>
  ${field({ name: 'family_pid', label: labels.family_pid, value: v.family_pid, errors: p.errors, attrs: html`inputmode="numeric" autocomplete="off"` })}
  <div class="field">
    <label for="relationship">${labels.relationship}</label>
    <select id="relationship" name="relationship"${relError ? html` aria-invalid="true" aria-describedby="relationship-error"` : ''}>
      <option value="">—</option>
      ${RELATIONSHIPS.map((r) => html`<option value="${r}"${v.relationship === r ? html` selected` : ''}>${at(lang, REL_KEY[r])}</option>`)}
    </select>
    ${relError ? html`<span class="field-error" id="relationship-error">${relError}</span>` : ''}
  </div>
  ${field({ name: 'mobile', label: labels.mobile, value: v.mobile, hint: at(lang, 'visitMobileHint'), errors: p.errors, type: 'text', attrs: html`inputmode="tel" autocomplete="tel" required` })}
  <button type="submit">${at(lang, 'visitConfirm')}</button>
</form>`;
}

export function donePage(lang: Lang, p: { visit: VisitView; claimType: ClaimTypeView; duplicate: boolean }): Html {
  const code = p.visit.claimCode!;
  return html`<p role="status" class="${p.duplicate ? 'error' : 'notice'}">${at(lang, p.duplicate ? 'visitDuplicate' : 'visitDone')}</p>
<p class="authen-code" aria-label="Authen Code">${code}</p>
<p>${unitName(lang, { nameTh: p.visit.unitName, nameEn: '' })} · ${claimTypeName(lang, p.claimType, p.visit.claimType)} · ${when(p.visit.serviceAt)}</p>
<label for="code-text">${at(lang, 'visitCodeText')}</label>
<input id="code-text" type="text" value="${code}" readonly>
<button type="button" id="copy-code" data-target="code-text" hidden>${at(lang, 'visitCopy')}</button>
<p><a href="/visit">${at(lang, 'visitAnother')}</a> · <a href="/visit/history">${at(lang, 'visitHistory')}</a></p>`;
}

/** History rows as the seed lists them: sequence, code, service type, service, service date, unit, province, requested. */
export function historyTable(lang: Lang, list: VisitView[], claimTypes: ClaimTypesView): Html {
  if (!list.length) return html`<p>${at(lang, 'noResults')}</p>`;
  return html`<table>
<thead><tr><th scope="col">${at(lang, 'colSeq')}</th><th scope="col">${at(lang, 'colCode')}</th><th scope="col">${at(lang, 'colServiceType')}</th><th scope="col">${at(lang, 'colService')}</th><th scope="col">${at(lang, 'colServiceDate')}</th><th scope="col">${at(lang, 'colUnit')}</th><th scope="col">${at(lang, 'colProvince')}</th><th scope="col">${at(lang, 'colRequested')}</th></tr></thead>
<tbody>${list.map((v, i) => html`<tr><td>${i + 1}</td><td>${v.claimCode}</td><td>${v.claimType}</td><td>${claimTypeName(lang, claimTypes.get(v.claimType), v.claimType)}</td><td>${when(v.serviceAt)}</td><td>${v.hcode} ${v.unitName}</td><td>${v.province}</td><td>${v.confirmedAt ? when(v.confirmedAt) : ''}</td></tr>`)}</tbody>
</table>`;
}

export function historyPage(lang: Lang, list: VisitView[], claimTypes: ClaimTypesView): Html {
  return html`${historyTable(lang, list, claimTypes)}<p><a href="/visit">${at(lang, 'visitAnother')}</a></p>`;
}
