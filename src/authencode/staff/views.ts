// Staff pages: choose the unit, check a patient's entitlement and confirm the visit, search, edit,
// cancel, history, the unit's QR codes.
import { html, Html } from '../../kernel/web/html.ts';
import { errorSummary, field } from '../../kernel/web/form.ts';
import { at, type AcKey } from '../web/messages.ts';
import { insclLabel } from '../entitlement/messages.ts';
import { maskPid } from '../../kernel/thai/pid.ts';
import { claimTypeName, unitName, when, type ClaimTypesView, type ClaimTypeView, type UnitView, type VisitView } from '../citizen/views.ts';
import type { Lang } from '../../kernel/web/i18n.ts';
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
  <select id="hcode" name="hcode">${p.units.map((u) => html`<option value="${u.hcode}">${u.hcode} ${unitName(lang, u)}</option>`)}</select>
  <button type="submit">${at(lang, 'staffChoose')}</button>
</form>`;
}

export function patientSearch(lang: Lang, p: { csrf: string; unit: UnitView; error?: string; value?: string }): Html {
  return html`<p>${at(lang, 'staffUnit')}: ${p.unit.hcode} ${unitName(lang, p.unit)}</p>
<form method="post" action="/staff/patient" novalidate>
  <input type="hidden" name="csrf" value="${p.csrf}">
  ${field({ name: 'pid', label: at(lang, 'staffPatientPid'), value: p.value, errors: p.error ? { pid: p.error } : {}, attrs: html`inputmode="numeric" autocomplete="off" required` })}
  <button type="submit">${at(lang, 'staffCheck')}</button>
</form>`;
}

function entitlementTable(lang: Lang, e: EntitlementView, age: { years: number; months: number; days: number }): Html {
  return html`<h2>${at(lang, 'entTitle')}</h2>
<table><tbody>
<tr><th scope="row">${at(lang, 'entName')}</th><td>${e.titleName}${e.fname} ${e.lname} (${maskPid(e.pid)})</td></tr>
<tr><th scope="row">${at(lang, 'entAge')}</th><td>${at(lang, 'entAgeValue', age)}</td></tr>
<tr><th scope="row">${at(lang, 'entMain')}</th><td>${insclLabel(e.mainInscl)}</td></tr>
<tr><th scope="row">${at(lang, 'entSub')}</th><td>${insclLabel(e.subInscl)}</td></tr>
<tr><th scope="row">${at(lang, 'entHospMain')}</th><td>${e.hospMain.hcode} ${e.hospMain.hname}</td></tr>
</tbody></table>`;
}

function codesList(lang: Lang, list: VisitView[], claimTypes: ClaimTypesView): Html {
  if (!list.length) return html`<p>${at(lang, 'none')}</p>`;
  return html`<ul>${list.map((v) => html`<li><strong>${v.claimCode}</strong> ${claimTypeName(lang, claimTypes.get(v.claimType), v.claimType)} · ${v.hcode} ${v.unitName} · ${when(v.serviceAt)}</li>`)}</ul>`;
}

export function patientPage(lang: Lang, p: {
  csrf: string; entitlement: EntitlementView; age: { years: number; months: number; days: number }; latestHere: VisitView[]; latestAll: VisitView[];
  claimTypes: ClaimTypesView; open: ClaimTypeView[]; values: VisitForm; errors: Record<string, string>;
  /** the unit's card reader agent and this form's challenge */
  cardReader: { agent: string; nonce: string };
}): Html {
  const v = p.values;
  const labels: Record<string, string> = {
    method: at(lang, 'method'), card_read: at(lang, 'cardRead'), photo: at(lang, 'photo'), certifier_pid: at(lang, 'certifierPid'), certifier_name: at(lang, 'certifierName'),
    certifier_relationship: at(lang, 'certifierRelationship'), cert_reason: at(lang, 'certReason'), service_date: at(lang, 'serviceDate'), hn: at(lang, 'hn'), claim_type: at(lang, 'claimTypes'), mobile: at(lang, 'visitMobile'),
  };
  const err = (name: string) => (p.errors[name] ? html`<span class="field-error" id="${name}-error">${p.errors[name]}</span>` : '');
  const invalid = (name: string) => (p.errors[name] ? html` aria-invalid="true" aria-describedby="${name}-error"` : '');
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
    ${(['card', 'photo', 'certification'] as const).map((m) => html`<div class="checkbox"><input type="radio" id="method-${m}" name="method" value="${m}"${v.method === m ? html` checked` : ''}><label for="method-${m}">${at(lang, METHOD_KEY[m]!)}</label></div>`)}
    ${err('method')}
  </fieldset>
  ${cardReader({
    lang, agent: p.cardReader.agent, nonce: p.cardReader.nonce, pid: v.pid, pasteLabel: labels.card_read!, error: p.errors.card_read, selects: 'method-card',
    // a document the form came back with for another field is still unused: kept, not read again
    document: p.errors.card_read ? undefined : v.card_read,
  })}
  <label for="photo">${labels.photo}</label>
  <input id="photo" name="photo" type="file" accept="image/jpeg,image/png" capture="environment"${invalid('photo')}>
  ${err('photo')}
  ${field({ name: 'certifier_pid', label: labels.certifier_pid, value: v.certifier_pid, errors: p.errors, attrs: html`inputmode="numeric" autocomplete="off"` })}
  ${field({ name: 'certifier_name', label: labels.certifier_name, value: v.certifier_name, errors: p.errors, attrs: html`autocomplete="off"` })}
  <label for="certifier_relationship">${labels.certifier_relationship}</label>
  <select id="certifier_relationship" name="certifier_relationship"${invalid('certifier_relationship')}><option value="">—</option>${CERTIFIER_RELATIONSHIPS.map((r) => html`<option value="${r}"${v.certifier_relationship === r ? html` selected` : ''}>${at(lang, CERT_KEY[r])}</option>`)}</select>
  ${err('certifier_relationship')}
  ${field({ name: 'cert_reason', label: labels.cert_reason, value: v.cert_reason, errors: p.errors })}
  ${field({ name: 'service_date', label: labels.service_date, value: v.service_date, type: 'date', errors: p.errors })}
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

export interface VisitOutcome {
  claimType: ClaimTypeView;
  kind: 'draft' | 'confirmed' | 'duplicate' | 'refused';
  visit?: { id: string; claimCode: string | null };
  message?: string;
}

export function resultPage(lang: Lang, outcomes: VisitOutcome[]): Html {
  return html`<ul class="results">${outcomes.map((o) => {
    const service = `${o.claimType.code} ${claimTypeName(lang, o.claimType, o.claimType.code)}`;
    const text =
      o.kind === 'draft' ? at(lang, 'resultDraft', { service })
      : o.kind === 'confirmed' ? at(lang, 'resultConfirmed', { code: o.visit!.claimCode!, service })
      : o.kind === 'duplicate' ? at(lang, 'resultDuplicate', { code: o.visit!.claimCode!, service })
      : at(lang, 'resultRefused', { service, message: o.message ?? '' });
    return html`<li role="status" class="${o.kind === 'refused' || o.kind === 'duplicate' ? 'error' : 'notice'}">${text}${o.visit ? html` · <a href="/staff/visits/${o.visit.id}">${at(lang, 'visitDetail')}</a>` : ''}</li>`;
  })}</ul>
<p><a href="/staff">${at(lang, 'navPatient')}</a></p>`;
}

export function searchPage(lang: Lang, p: { csrf: string; query: Record<string, string>; list: StaffVisitView[] | undefined; claimTypes: ClaimTypesView; pidError?: string; dayError?: string }): Html {
  const q = p.query;
  // by ID number: posted, so the number stays out of addresses, history and logs
  return html`<form method="post" action="/staff/visits" novalidate>
  <input type="hidden" name="csrf" value="${p.csrf}">
  ${field({ name: 'pid', label: at(lang, 'staffPatientPid'), value: q.pid, errors: p.pidError ? { pid: p.pidError } : {}, attrs: html`inputmode="numeric" autocomplete="off"` })}
  <button type="submit">${at(lang, 'search')}</button>
</form>
<form method="get" action="/staff/visits" class="alternatives">
  ${field({ name: 'day', label: at(lang, 'searchDay'), value: q.day, type: 'date', errors: p.dayError ? { day: p.dayError } : {} })}
  <label for="claim_type">${at(lang, 'claimTypes')}</label>
  <select id="claim_type" name="claim_type"><option value="">${at(lang, 'statusAll')}</option>${p.claimTypes.all.map((c) => html`<option value="${c.code}"${q.claim_type === c.code ? html` selected` : ''}>${c.code} ${claimTypeName(lang, c, c.code)}</option>`)}</select>
  ${field({ name: 'hn', label: at(lang, 'hn'), value: q.hn, errors: {} })}
  <label for="status">${at(lang, 'searchStatus')}</label>
  <select id="status" name="status"><option value="">${at(lang, 'statusAll')}</option>${(['draft', 'confirmed', 'cancelled'] as const).map((s) => html`<option value="${s}"${q.status === s ? html` selected` : ''}>${at(lang, STATUS_KEY[s]!)}</option>`)}</select>
  <button type="submit">${at(lang, 'search')}</button>
</form>
${p.list === undefined ? '' : p.list.length === 0 ? html`<p role="status">${at(lang, 'noResults')}</p>` : html`<table>
<thead><tr><th scope="col">${at(lang, 'colCode')}</th><th scope="col">${at(lang, 'colPatient')}</th><th scope="col">${at(lang, 'colService')}</th><th scope="col">${at(lang, 'colServiceDate')}</th><th scope="col">HN</th><th scope="col">${at(lang, 'colStatus')}</th><th scope="col"></th></tr></thead>
<tbody>${p.list.map((v) => html`<tr><td>${v.claimCode ?? '—'}</td><td>${maskPid(v.pid)}</td><td>${v.claimType}</td><td>${when(v.serviceAt)}</td><td>${v.hn ?? ''}</td><td>${at(lang, STATUS_KEY[v.status]!)}</td><td><a href="/staff/visits/${v.id}">${at(lang, 'visitDetail')}</a></td></tr>`)}</tbody>
</table>`}`;
}

export function visitPage(lang: Lang, p: { csrf: string; visit: StaffVisitView; claimTypes: ClaimTypesView; notice?: string; errors: Record<string, string>; values: { hn?: string; mobile?: string; reason?: string } }): Html {
  const v = p.visit;
  return html`${p.notice ? html`<p role="status" class="notice">${p.notice}</p>` : ''}${errorSummary(at(lang, 'formErrors'), p.errors, { hn: at(lang, 'hn'), mobile: at(lang, 'visitMobile'), reason: at(lang, 'reason'), cancel_reason: at(lang, 'reason') })}
<table><tbody>
<tr><th scope="row">${at(lang, 'colCode')}</th><td class="authen-code-small">${v.claimCode ?? '—'}</td></tr>
<tr><th scope="row">${at(lang, 'colStatus')}</th><td>${at(lang, STATUS_KEY[v.status]!)}${v.cancelReason ? ` (${v.cancelReason})` : ''}</td></tr>
<tr><th scope="row">${at(lang, 'colPatient')}</th><td>${maskPid(v.pid)}</td></tr>
<tr><th scope="row">${at(lang, 'colService')}</th><td>${v.claimType} ${claimTypeName(lang, p.claimTypes.get(v.claimType), v.claimType)}</td></tr>
<tr><th scope="row">${at(lang, 'colServiceDate')}</th><td>${when(v.serviceAt)}</td></tr>
<tr><th scope="row">${at(lang, 'colMethod')}</th><td>${v.method}</td></tr>
<tr><th scope="row">HN</th><td>${v.hn ?? ''}</td></tr>
</tbody></table>
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

export function qrSheet(lang: Lang, p: { unit: UnitView; until: string; codes: Array<{ claimType: ClaimTypeView; svg: string; shortCode: string }> }): Html {
  return html`<p>${p.unit.hcode} ${unitName(lang, p.unit)} · ${at(lang, 'qrIntro', { until: p.until })}</p>
<div class="qr-sheet">${p.codes.map((c) => html`<figure>
  ${new Html(c.svg) /* qrcode's own SVG of our signed token */}
  <figcaption><strong>${claimTypeName(lang, c.claimType, c.claimType.code)}</strong><br>${at(lang, 'qrShortCode', { code: c.shortCode })}<br><a class="no-print" href="/staff/qr/${c.claimType.code}.png" download>${at(lang, 'qrPng')}</a></figcaption>
</figure>`)}</div>`;
}
