// Staff pages: choose the unit, check a patient's entitlement and confirm the visit, search, edit,
// cancel, history, the unit's QR codes.
import { html, Html } from '../../kernel/web/html.ts';
import { errorSummary, field } from '../../kernel/web/form.ts';
import { at, type AcKey } from '../web/messages.ts';
import { insclLabel } from '../entitlement/messages.ts';
import { maskPid } from '../../kernel/thai/pid.ts';
import { st } from './messages.ts';
import { claimTypeName, dayText, when, type ClaimTypesView, type ClaimTypeView, type UnitView, type VisitView } from '../citizen/views.ts';
import { nameIn, type Lang } from '../../kernel/web/i18n.ts';
import { cardReader } from '../../kernel/web/card_reader/views.ts';

/** A visit as staff see it; the routes pass theirs. */
export interface StaffVisitView extends VisitView {
  id: string;
  pid: string;
  hn: string | null;
  mobiles: string[];
  method: string;
  status: string;
  cancelReason: string | null;
}
/** The register's answer as the patient page shows it. */
export interface EntitlementView {
  pid: string;
  titleName: string;
  fname: string;
  lname: string;
  mainInscl: { code: string; name: string };
  subInscl: { code: string; name: string };
  hospMain: { hcode: string; hname: string };
}

export const CERTIFIER_RELATIONSHIPS = ['guardian', 'caretaker', 'staff'] as const;
const CERT_KEY = { guardian: 'relGuardian', caretaker: 'relCaretaker', staff: 'relStaff' } as const;
const METHOD_KEY: Record<string, AcKey> = { card: 'methodCard', photo: 'methodPhoto', certification: 'methodCert' };
/** How a visit was confirmed, in words, for every method a visit can carry (the staff's three, the citizen's two, a HIS). */
const METHOD_WORD = { card: 'methodCardWord', photo: 'methodPhotoWord', certification: 'methodCertWord', vouch: 'methodVouchWord', self: 'methodSelfWord', his: 'methodHisWord' } as const;
export const methodWord = (lang: Lang, method: string) => st(lang, METHOD_WORD[method as keyof typeof METHOD_WORD] ?? 'methodUnknownWord');
const statusWord = (lang: Lang, status: string) => (STATUS_KEY[status] ? at(lang, STATUS_KEY[status]) : status);
const serviceText = (lang: Lang, claimTypes: ClaimTypesView, code: string) => `${code} ${claimTypeName(lang, claimTypes.get(code), code)}`;
const STATUS_KEY: Record<string, AcKey> = { draft: 'statusDraft', confirmed: 'statusConfirmed', cancelled: 'statusCancelled' };

export interface VisitForm {
  pid: string;
  method?: string;
  card_read?: string;
  certifier_pid?: string;
  certifier_name?: string;
  certifier_relationship?: string;
  cert_reason?: string;
  service_date?: string;
  service_time?: string;
  hn?: string;
  claim_type?: string[];
  mobile?: string;
}

export function chooseUnitPage(lang: Lang, p: { csrf: string; units: UnitView[] }): Html {
  return html`<form method="post" action="/staff/unit">
  <input type="hidden" name="csrf" value="${p.csrf}">
  <label for="hcode">${at(lang, 'staffChooseUnit')}</label>
  <select id="hcode" name="hcode">${p.units.map((u) => html`<option value="${u.hcode}">${u.hcode} ${nameIn(lang, u)}</option>`)}</select>
  <button type="submit">${at(lang, 'staffChoose')}</button>
</form>`;
}

export function patientSearch(lang: Lang, p: { csrf: string; unit: UnitView; error?: string; value?: string }): Html {
  return html`<p>${at(lang, 'staffUnit')}: ${p.unit.hcode} ${nameIn(lang, p.unit)}</p>
<form method="post" action="/staff/patient" novalidate>
  <input type="hidden" name="csrf" value="${p.csrf}">
  ${field({ name: 'pid', label: at(lang, 'staffPatientPid'), value: p.value, errors: p.error ? { pid: p.error } : {}, attrs: html`inputmode="numeric" autocomplete="off" required` })}
  <button type="submit">${at(lang, 'staffCheck')}</button>
</form>`;
}

function entitlementTable(lang: Lang, e: EntitlementView, age: { years: number; months: number; days: number }): Html {
  return html`<h2>${at(lang, 'entTitle')}</h2>
<div class="table-wrap"><table><tbody>
<tr><th scope="row">${at(lang, 'entName')}</th><td>${e.titleName}${e.fname} ${e.lname} (${maskPid(e.pid)})</td></tr>
<tr><th scope="row">${at(lang, 'entAge')}</th><td>${at(lang, 'entAgeValue', age)}</td></tr>
<tr><th scope="row">${at(lang, 'entMain')}</th><td>${insclLabel(e.mainInscl)}</td></tr>
<tr><th scope="row">${at(lang, 'entSub')}</th><td>${insclLabel(e.subInscl)}</td></tr>
<tr><th scope="row">${at(lang, 'entHospMain')}</th><td>${e.hospMain.hcode} ${e.hospMain.hname}</td></tr>
</tbody></table></div>`;
}

function codesList(lang: Lang, list: VisitView[], claimTypes: ClaimTypesView): Html {
  if (!list.length) return html`<p>${at(lang, 'none')}</p>`;
  return html`<ul>${list.map((v) => html`<li><strong>${v.claimCode}</strong> ${claimTypeName(lang, claimTypes.get(v.claimType), v.claimType)} · ${v.hcode} ${v.unitName} · ${when(lang, v.serviceAt)}</li>`)}</ul>`;
}

export function patientPage(lang: Lang, p: {
  csrf: string; entitlement: EntitlementView; age: { years: number; months: number; days: number }; latestHere: VisitView[]; latestAll: VisitView[];
  claimTypes: ClaimTypesView; open: ClaimTypeView[]; values: VisitForm; errors: Record<string, string>;
  /** the unit's card reader agent and this form's challenge */
  cardReader: { agent: string; nonce: string };
  /** the Thai day today (YYYY-MM-DD), said beside the service date */
  today: string;
}): Html {
  const v = p.values;
  const labels: Record<string, string> = {
    method: at(lang, 'method'), card_read: at(lang, 'cardRead'), photo: at(lang, 'photo'), certifier_pid: at(lang, 'certifierPid'), certifier_name: at(lang, 'certifierName'),
    certifier_relationship: at(lang, 'certifierRelationship'), cert_reason: at(lang, 'certReason'), service_date: at(lang, 'serviceDate'), hn: at(lang, 'hn'), claim_type: at(lang, 'claimTypes'), mobile: at(lang, 'visitMobile'),
  };
  const err = (name: string) => (p.errors[name] ? html`<span class="field-error" id="${name}-error">${p.errors[name]}</span>` : '');
  const invalid = (name: string) => (p.errors[name] ? html` aria-invalid="true" aria-describedby="${name}-error"` : '');
  // one section per method; pages.js shows only the chosen one (without it all show, and only the chosen one is read)
  const section = (m: string, body: Html, alsoFor = '') => html`<div class="method-section" id="method-${m}-fields" data-choice-section="${m}${alsoFor}">${body}</div>`;
  return html`${errorSummary(at(lang, 'formErrors'), p.errors, labels)}
${entitlementTable(lang, p.entitlement, p.age)}
<h2>${at(lang, 'latestHere')}</h2>
${codesList(lang, p.latestHere, p.claimTypes)}
<h2>${at(lang, 'latestAll')}</h2>
${codesList(lang, p.latestAll, p.claimTypes)}
<form method="post" action="/staff/history" class="inline"><input type="hidden" name="csrf" value="${p.csrf}"><input type="hidden" name="pid" value="${v.pid}"><button type="submit" class="secondary">${at(lang, 'showHistory')}</button></form>
<h2>${at(lang, 'confirmHeading')}</h2>
<form method="post" action="/staff/visit" enctype="multipart/form-data" novalidate>
  <input type="hidden" name="csrf" value="${p.csrf}">
  <input type="hidden" name="pid" value="${v.pid}">
  <fieldset id="method"${invalid('method')}>
    <legend>${labels.method}</legend>
    ${(['card', 'photo', 'certification'] as const).map((m) => html`<div class="checkbox"><input type="radio" id="method-${m}" name="method" value="${m}" data-choice${v.method === m ? html` checked` : ''}><label for="method-${m}">${at(lang, METHOD_KEY[m]!)}</label></div>`)}
    ${err('method')}
  </fieldset>
  ${section('card', cardReader({
    lang, agent: p.cardReader.agent, nonce: p.cardReader.nonce, pid: v.pid, pasteLabel: labels.card_read!, error: p.errors.card_read, selects: 'method-card',
    // a document the form came back with for another field is still unused: kept, not read again
    document: p.errors.card_read ? undefined : v.card_read,
  }), ' photo')}
  ${section('photo', html`<div class="field">
    <label for="photo">${labels.photo}</label>
    <small id="photo-hint">${st(lang, 'photoChipHint')}</small>
    <input id="photo" name="photo" type="file" accept="image/jpeg,image/png" capture="environment" data-max-bytes="${String(5 * 1024 * 1024)}" data-error="photo-check"
      data-not-image="${st(lang, 'photoFileNotImage')}" data-too-large="${st(lang, 'photoFileTooLarge')}"${p.errors.photo ? html` aria-invalid="true" aria-describedby="photo-hint photo-error"` : html` aria-describedby="photo-hint"`}>
    <span class="field-error" id="photo-check" role="alert"></span>
    ${err('photo')}
  </div>`)}
  ${section('certification', html`<fieldset class="certifier">
    <legend>${at(lang, 'methodCert')}</legend>
    ${field({ name: 'certifier_pid', label: labels.certifier_pid, value: v.certifier_pid, errors: p.errors, attrs: html`inputmode="numeric" autocomplete="off"` })}
    ${field({ name: 'certifier_name', label: labels.certifier_name, value: v.certifier_name, errors: p.errors, attrs: html`autocomplete="off"` })}
    <div class="field">
      <label for="certifier_relationship">${labels.certifier_relationship}</label>
      <select id="certifier_relationship" name="certifier_relationship"${invalid('certifier_relationship')}><option value="">—</option>${CERTIFIER_RELATIONSHIPS.map((r) => html`<option value="${r}"${v.certifier_relationship === r ? html` selected` : ''}>${at(lang, CERT_KEY[r])}</option>`)}</select>
      ${err('certifier_relationship')}
    </div>
    ${field({ name: 'cert_reason', label: labels.cert_reason, value: v.cert_reason, errors: p.errors })}
  </fieldset>`)}
  ${field({ name: 'service_date', label: labels.service_date, value: v.service_date, type: 'date', hint: st(lang, 'serviceDateHint', { today: dayText(lang, p.today) }), errors: p.errors })}
  ${field({ name: 'service_time', label: at(lang, 'serviceTime'), value: v.service_time, type: 'time', errors: p.errors })}
  ${field({ name: 'hn', label: labels.hn, value: v.hn, errors: p.errors, attrs: html`autocomplete="off"` })}
  <fieldset id="claim_type"${invalid('claim_type')}>
    <legend>${labels.claim_type}</legend>
    ${p.open.map((c) => html`<div class="checkbox"><input type="checkbox" id="claim-${c.code}" name="claim_type" value="${c.code}"${v.claim_type?.includes(c.code) ? html` checked` : ''}><label for="claim-${c.code}">${c.code} ${claimTypeName(lang, c, c.code)}</label></div>`)}
    ${err('claim_type')}
  </fieldset>
  ${field({ name: 'mobile', label: labels.mobile, value: v.mobile, hint: at(lang, 'visitMobileHint'), errors: p.errors, attrs: html`inputmode="tel" autocomplete="off"` })}
  <div class="actions">
    <button type="submit" name="action" value="draft" class="secondary">${at(lang, 'saveDraft')}</button>
    <button type="submit" name="action" value="confirm">${at(lang, 'confirmNow')}</button>
  </div>
</form>`;
}

/** An Authen Code as the citizen's page shows it: large, with a field to select and a copy button (pages.js shows it). */
export function codeBox(lang: Lang, code: string, id: string): Html {
  return html`<div class="code-box">
  <p class="authen-code">${code}</p>
  <label for="${id}">${at(lang, 'visitCodeText')}</label>
  <div class="copy-row"><input id="${id}" type="text" value="${code}" readonly>
  <button type="button" class="copy-code secondary" data-target="${id}" data-status="${id}-copied" data-copied="${st(lang, 'copied')}" hidden>${at(lang, 'visitCopy')}</button></div>
  <p id="${id}-copied" class="copied" role="status"></p>
</div>`;
}

export interface VisitOutcome {
  claimType: ClaimTypeView;
  kind: 'draft' | 'confirmed' | 'duplicate' | 'refused';
  visit?: { id: string; claimCode: string | null };
  message?: string;
}

/** a photo's comparison with the chip photo, as the result page says it */
export type FaceNote = { compared: true; score: string; threshold: string } | { compared: false };

export function resultPage(lang: Lang, outcomes: VisitOutcome[], face?: FaceNote): Html {
  const faceText = face ? (face.compared ? st(lang, 'faceCompared', { score: face.score, threshold: face.threshold }) : st(lang, 'faceNotCompared')) : undefined;
  return html`${faceText ? html`<p class="notice face-note">${faceText}</p>` : ''}<ul class="results">${outcomes.map((o, i) => {
    const service = `${o.claimType.code} ${claimTypeName(lang, o.claimType, o.claimType.code)}`;
    const text =
      o.kind === 'draft' ? at(lang, 'resultDraft', { service })
      : o.kind === 'confirmed' ? at(lang, 'resultConfirmed', { code: o.visit!.claimCode!, service })
      : o.kind === 'duplicate' ? at(lang, 'resultDuplicate', { code: o.visit!.claimCode!, service })
      : at(lang, 'resultRefused', { service, message: o.message ?? '' });
    const code = o.kind === 'confirmed' || o.kind === 'duplicate' ? o.visit?.claimCode : undefined;
    return html`<li><p role="status" class="${o.kind === 'refused' || o.kind === 'duplicate' ? 'error' : 'notice'}">${text}</p>${code ? codeBox(lang, code, `code-${i + 1}`) : ''}${o.visit ? html`<p><a href="/staff/visits/${o.visit.id}">${at(lang, 'visitDetail')}</a></p>` : ''}</li>`;
  })}</ul>
<p><a href="/staff">${at(lang, 'navPatient')}</a></p>`;
}

/** A page of search results: its visits, its number (from 1), the page size, and whether another follows. */
export interface ResultsPage {
  list: StaffVisitView[];
  page: number;
  size: number;
  more: boolean;
}

export function searchPage(lang: Lang, p: { csrf: string; query: Record<string, string>; results: ResultsPage | undefined; claimTypes: ClaimTypesView; pidError?: string; dayError?: string }): Html {
  const q = p.query;
  const errors = { ...(p.pidError ? { pid: p.pidError } : {}), ...(p.dayError ? { day: p.dayError } : {}) };
  // by ID number: posted, so the number stays out of addresses, history and logs
  return html`${errorSummary(at(lang, 'formErrors'), errors, { pid: at(lang, 'staffPatientPid'), day: at(lang, 'searchDay') })}
<form method="post" action="/staff/visits" novalidate>
  <input type="hidden" name="csrf" value="${p.csrf}">
  ${field({ name: 'pid', label: at(lang, 'staffPatientPid'), value: q.pid, errors, attrs: html`inputmode="numeric" autocomplete="off"` })}
  <button type="submit">${at(lang, 'search')}</button>
</form>
<form method="get" action="/staff/visits" class="alternatives search-filters" novalidate>
  ${field({ name: 'day', label: at(lang, 'searchDay'), value: q.day, type: 'date', errors })}
  <div class="field"><label for="claim_type">${at(lang, 'claimTypes')}</label>
  <select id="claim_type" name="claim_type"><option value="">${at(lang, 'statusAll')}</option>${p.claimTypes.all.map((c) => html`<option value="${c.code}"${q.claim_type === c.code ? html` selected` : ''}>${c.code} ${claimTypeName(lang, c, c.code)}</option>`)}</select></div>
  ${field({ name: 'hn', label: at(lang, 'hn'), value: q.hn, errors: {} })}
  <div class="field"><label for="status">${at(lang, 'searchStatus')}</label>
  <select id="status" name="status"><option value="">${at(lang, 'statusAll')}</option>${(['draft', 'confirmed', 'cancelled'] as const).map((s) => html`<option value="${s}"${q.status === s ? html` selected` : ''}>${at(lang, STATUS_KEY[s]!)}</option>`)}</select></div>
  <button type="submit">${at(lang, 'search')}</button>
</form>
${p.results ? resultsTable(lang, p) : ''}`;
}

function resultsTable(lang: Lang, p: { csrf: string; query: Record<string, string>; results?: ResultsPage; claimTypes: ClaimTypesView }): Html {
  const r = p.results!;
  if (!r.list.length) return html`<p role="status" class="notice">${r.page > 1 ? at(lang, 'noResults') : st(lang, 'searchNone')}${p.query.day ? ` (${dayText(lang, p.query.day)})` : ''}</p>`;
  const first = (r.page - 1) * r.size + 1;
  return html`<p role="status">${st(lang, 'searchShowing', { from: first, to: first + r.list.length - 1 })}${p.query.day ? html` · ${st(lang, 'reportDayHint', { day: dayText(lang, p.query.day) })}` : ''}</p>
<div class="table-wrap"><table>
<thead><tr><th scope="col">${at(lang, 'colCode')}</th><th scope="col">${at(lang, 'colPatient')}</th><th scope="col">${at(lang, 'colService')}</th><th scope="col">${at(lang, 'colServiceDate')}</th><th scope="col">HN</th><th scope="col">${at(lang, 'colStatus')}</th><th scope="col">${at(lang, 'colMethod')}</th><th scope="col"><span class="visually-hidden">${at(lang, 'visitDetail')}</span></th></tr></thead>
<tbody>${r.list.map((v) => html`<tr><td>${v.claimCode ?? '—'}</td><td>${maskPid(v.pid)}</td><td>${serviceText(lang, p.claimTypes, v.claimType)}</td><td>${when(lang, v.serviceAt)}</td><td>${v.hn ?? ''}</td><td>${statusWord(lang, v.status)}</td><td>${methodWord(lang, v.method)}</td><td><a href="/staff/visits/${v.id}">${at(lang, 'visitDetail')}</a></td></tr>`)}</tbody>
</table></div>
${pager(lang, p.csrf, p.query, r)}`;
}

/** Previous / next: links keeping the filters, or (a search by ID number, which is posted) small forms. */
function pager(lang: Lang, csrf: string, query: Record<string, string>, r: ResultsPage): Html {
  if (r.page === 1 && !r.more) return html``;
  const to = (page: number, key: 'pagePrev' | 'pageNext', rel: string) => {
    if (query.pid) {
      return html`<form method="post" action="/staff/visits" class="inline"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="pid" value="${query.pid}"><input type="hidden" name="page" value="${String(page)}"><button type="submit" class="secondary">${st(lang, key)}</button></form>`;
    }
    const qs = new URLSearchParams({ ...query, page: String(page) }).toString();
    return html`<a href="/staff/visits?${qs}" rel="${rel}">${st(lang, key)}</a>`;
  };
  return html`<nav class="pager" aria-label="${st(lang, 'pagesLabel')}">${r.page > 1 ? to(r.page - 1, 'pagePrev', 'prev') : ''}${r.more ? to(r.page + 1, 'pageNext', 'next') : ''}</nav>`;
}

export function visitPage(lang: Lang, p: { csrf: string; visit: StaffVisitView; claimTypes: ClaimTypesView; notice?: string; errors: Record<string, string>; values: { hn?: string; mobile?: string; reason?: string } }): Html {
  const v = p.visit;
  return html`${p.notice ? html`<p role="status" class="notice">${p.notice}</p>` : ''}${errorSummary(at(lang, 'formErrors'), p.errors, { hn: at(lang, 'hn'), mobile: at(lang, 'visitMobile'), reason: at(lang, 'reason'), cancel_reason: at(lang, 'reason') })}
${v.claimCode && v.status === 'confirmed' ? codeBox(lang, v.claimCode, 'visit-code') : ''}
<div class="table-wrap"><table><tbody>
<tr><th scope="row">${at(lang, 'colCode')}</th><td>${v.claimCode ?? '—'}</td></tr>
<tr><th scope="row">${at(lang, 'colStatus')}</th><td>${statusWord(lang, v.status)}${v.cancelReason ? ` (${v.cancelReason})` : ''}</td></tr>
<tr><th scope="row">${at(lang, 'colPatient')}</th><td>${maskPid(v.pid)}</td></tr>
<tr><th scope="row">${at(lang, 'colService')}</th><td>${v.claimType} ${claimTypeName(lang, p.claimTypes.get(v.claimType), v.claimType)}</td></tr>
<tr><th scope="row">${at(lang, 'colServiceDate')}</th><td>${when(lang, v.serviceAt)}</td></tr>
<tr><th scope="row">${at(lang, 'colMethod')}</th><td>${methodWord(lang, v.method)}</td></tr>
<tr><th scope="row">HN</th><td>${v.hn ?? ''}</td></tr>
</tbody></table></div>
${v.status === 'draft' ? html`<form method="post" action="/staff/visits/${v.id}/confirm"><input type="hidden" name="csrf" value="${p.csrf}"><button type="submit">${at(lang, 'confirmDraft')}</button></form>` : ''}
${v.status !== 'cancelled' ? html`<h2>${at(lang, 'editHeading')}</h2>
<form method="post" action="/staff/visits/${v.id}/edit" novalidate>
  <input type="hidden" name="csrf" value="${p.csrf}">
  ${field({ name: 'hn', label: at(lang, 'hn'), value: p.values.hn ?? v.hn ?? '', errors: p.errors })}
  ${field({ name: 'mobile', label: at(lang, 'visitMobile'), value: p.values.mobile ?? v.mobiles.join(','), hint: at(lang, 'visitMobileHint'), errors: p.errors })}
  ${field({ name: 'reason', label: at(lang, 'reason'), value: p.values.reason, errors: p.errors })}
  <button type="submit">${at(lang, 'save')}</button>
</form>` : ''}
${v.status === 'confirmed' ? html`<h2>${at(lang, 'cancelHeading')}</h2>
<form method="post" action="/staff/visits/${v.id}/cancel" novalidate>
  <input type="hidden" name="csrf" value="${p.csrf}">
  ${field({ name: 'cancel_reason', label: at(lang, 'reason'), errors: p.errors })}
  <button type="submit" class="secondary">${at(lang, 'cancelVisit')}</button>
</form>` : ''}`;
}

/** `until`: the last day the codes are valid (YYYY-MM-DD), said as a date of the page's language. */
export function qrSheet(lang: Lang, p: { unit: UnitView; until: string; codes: Array<{ claimType: ClaimTypeView; svg: string; shortCode: string }> }): Html {
  return html`<p>${p.unit.hcode} ${nameIn(lang, p.unit)} · ${at(lang, 'qrIntro', { until: dayText(lang, p.until) })}</p>
<div class="qr-sheet">${p.codes.map((c) => html`<figure>
  ${new Html(c.svg) /* qrcode's own SVG of our signed token */}
  <figcaption><strong>${claimTypeName(lang, c.claimType, c.claimType.code)}</strong><br>${at(lang, 'qrShortCode', { code: c.shortCode })}<br><a class="no-print" href="/staff/qr/${c.claimType.code}.png" download>${at(lang, 'qrPng')}</a></figcaption>
</figure>`)}</div>`;
}
