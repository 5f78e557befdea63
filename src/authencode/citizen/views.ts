// The citizen's pages: pick the unit and service, confirm, the code, the history.
import { html, type Html } from '../../kernel/web/html.ts';
import { errorSummary, field } from '../../kernel/web/form.ts';
import { stackTable } from '../../kernel/web/layout.ts';
import { at } from '../web/messages.ts';
import { ct } from './messages.ts';
import { thaiDay, thaiTime } from '../../kernel/thai/time.ts';
import { formatDate } from '../../kernel/thai/dates.ts';
import { nameIn, type Lang } from '../../kernel/web/i18n.ts';

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
/** A day (YYYY-MM-DD) as people read it: 2 ธันวาคม 2569 on Thai pages (Buddhist era), 2 December 2026 on English ones. */
export const dayText = (lang: Lang, iso: string) => formatDate(iso, lang);
/** An instant in Bangkok time: 2 ธันวาคม 2569 08:30 น. / 2 December 2026, 08:30. */
export const when = (lang: Lang, d: Date) => (lang === 'th' ? `${formatDate(thaiDay(d), 'th')} ${thaiTime(d)} น.` : `${formatDate(thaiDay(d), 'en')}, ${thaiTime(d)}`);

/** `error`: about the page (a QR code scanned with the camera); `uploadError`, `codeError`: about that form's field. */
export function pickPage(lang: Lang, p: { csrf: string; error?: string; uploadError?: string; codeError?: string; code?: string }): Html {
  const summary = p.uploadError || p.codeError
    ? errorSummary(at(lang, 'formErrors'), { ...(p.uploadError ? { qr_image: p.uploadError } : {}), ...(p.codeError ? { unit_code: p.codeError } : {}) }, { qr_image: at(lang, 'visitUpload'), unit_code: ct(lang, 'unitCodeLabel') })
    : '';
  return html`${p.error ? html`<p class="error" role="alert" id="form-error">${p.error}</p>` : summary}
<h2>${at(lang, 'visitPickUnit')}</h2>
<div id="scanner" hidden>
  <button type="button" id="scan-start">${at(lang, 'visitScanCamera')}</button>
  <video id="scan-video" playsinline muted hidden></video>
  <p id="scan-status" role="status"></p>
</div>
<form method="post" action="/visit/scan" enctype="multipart/form-data" novalidate>
  <input type="hidden" name="csrf" value="${p.csrf}">
  <div class="field">
  <label for="qr_image">${at(lang, 'visitUpload')}</label>
  <small id="qr_image-hint">${at(lang, 'visitScanHint')}</small>
  <input id="qr_image" name="qr_image" type="file" accept="image/*" capture="environment" aria-describedby="qr_image-hint${p.uploadError ? ' qr_image-error' : ''}"${p.uploadError ? html` aria-invalid="true"` : ''}>
  ${p.uploadError ? html`<span class="field-error" id="qr_image-error">${p.uploadError}</span>` : ''}
  </div>
  <button type="submit">${at(lang, 'visitUploadSubmit')}</button>
</form>
<form method="post" action="/visit/code" class="alternatives" novalidate>
  <input type="hidden" name="csrf" value="${p.csrf}">
  ${field({ name: 'unit_code', label: at(lang, 'visitCode'), value: p.code, hint: ct(lang, 'unitCodeHint'), errors: p.codeError ? { unit_code: p.codeError } : {}, attrs: html`inputmode="numeric" autocomplete="off"` })}
  <button type="submit">${at(lang, 'visitCodeSubmit')}</button>
</form>`;
}

export function confirmPage(lang: Lang, p: { csrf: string; unit: UnitView; claimType: ClaimTypeView; values: ConfirmForm; errors: Record<string, string> }): Html {
  const v = p.values;
  const labels = { mobile: at(lang, 'visitMobile'), family_pid: at(lang, 'visitFamilyPid'), relationship: at(lang, 'visitRelationship') };
  const relError = p.errors.relationship;
  return html`${errorSummary(at(lang, 'formErrors'), p.errors, labels)}
<p>${at(lang, 'visitAt', { unit: `${p.unit.hcode} ${nameIn(lang, p.unit)}` })}</p>
<p>${at(lang, 'visitService', { service: claimTypeName(lang, p.claimType, p.claimType.code) })}</p>
<form method="post" action="/visit/confirm" novalidate>
  <input type="hidden" name="csrf" value="${p.csrf}">
  <fieldset>
    <legend>${at(lang, 'visitWho')}</legend>
    <div class="checkbox"><input type="radio" id="who-self" name="who" value="self" data-choice${v.who === 'self' ? html` checked` : ''}><label for="who-self">${at(lang, 'visitSelf')}</label></div>
    <div class="checkbox"><input type="radio" id="who-family" name="who" value="family" data-choice${v.who === 'family' ? html` checked` : ''}><label for="who-family">${at(lang, 'visitFamily')}</label></div>
  </fieldset>
  <div class="method-section" id="who-family-fields" data-choice-section="family">
  ${field({ name: 'family_pid', label: labels.family_pid, value: v.family_pid, errors: p.errors, attrs: html`inputmode="numeric" autocomplete="off"` })}
  <div class="field">
    <label for="relationship">${labels.relationship}</label>
    <select id="relationship" name="relationship"${relError ? html` aria-invalid="true" aria-describedby="relationship-error"` : ''}>
      <option value="">—</option>
      ${RELATIONSHIPS.map((r) => html`<option value="${r}"${v.relationship === r ? html` selected` : ''}>${at(lang, REL_KEY[r])}</option>`)}
    </select>
    ${relError ? html`<span class="field-error" id="relationship-error">${relError}</span>` : ''}
  </div>
  </div>
  ${field({ name: 'mobile', label: labels.mobile, value: v.mobile, hint: at(lang, 'visitMobileHint'), errors: p.errors, type: 'text', attrs: html`inputmode="tel" autocomplete="tel" required` })}
  <button type="submit">${at(lang, 'visitConfirm')}</button>
</form>`;
}

export function donePage(lang: Lang, p: { visit: VisitView; claimType: ClaimTypeView; duplicate: boolean }): Html {
  const code = p.visit.claimCode!;
  return html`<p role="status" class="${p.duplicate ? 'error' : 'notice'}">${at(lang, p.duplicate ? 'visitDuplicate' : 'visitDone')}</p>
<p class="authen-code" aria-label="Authen Code">${code}</p>
<p>${nameIn(lang, { nameTh: p.visit.unitName, nameEn: '' })} · ${claimTypeName(lang, p.claimType, p.visit.claimType)} · ${when(lang, p.visit.serviceAt)}</p>
<label for="code-text">${at(lang, 'visitCodeText')}</label>
<input id="code-text" type="text" value="${code}" readonly>
<button type="button" id="copy-code" data-target="code-text" hidden>${at(lang, 'visitCopy')}</button>
<p><a href="/visit">${at(lang, 'visitAnother')}</a> · <a href="/visit/history">${at(lang, 'visitHistory')}</a></p>`;
}

/**
 * History rows as the seed lists them: sequence, code, service type, service, service date, unit, province, requested.
 * A table on a wide screen; on a phone each row stacks, every cell under its column's name (data-label).
 */
export function historyTable(lang: Lang, list: VisitView[], claimTypes: ClaimTypesView): Html {
  if (!list.length) return html`<p role="status">${ct(lang, 'historyNone')}</p>`;
  const cols = [at(lang, 'colSeq'), at(lang, 'colCode'), at(lang, 'colServiceType'), at(lang, 'colService'), at(lang, 'colServiceDate'), at(lang, 'colUnit'), at(lang, 'colProvince'), at(lang, 'colRequested')];
  return stackTable(at(lang, 'historyTitle'), cols, list.map((v, i) => [String(i + 1), html`<span class="authen-code-inline">${v.claimCode}</span>`, v.claimType, claimTypeName(lang, claimTypes.get(v.claimType), v.claimType), when(lang, v.serviceAt), `${v.hcode} ${v.unitName}`, v.province, v.confirmedAt ? when(lang, v.confirmedAt) : '']));
}

export function historyPage(lang: Lang, list: VisitView[], claimTypes: ClaimTypesView): Html {
  return html`${historyTable(lang, list, claimTypes)}<p><a href="/visit">${at(lang, 'visitAnother')}</a></p>`;
}
