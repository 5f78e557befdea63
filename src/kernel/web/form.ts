// Accessible form fields: every input has a label; an error is tied to its field (aria-describedby,
// aria-invalid) and listed in a summary that screen readers announce (role="alert") and that takes the
// focus after a failed submit (frame.js; tabindex="-1"), each entry a link to its field.
import { html, type Html } from './html.ts';

export type FieldErrors = Record<string, string>;

export function field(p: {
  name: string;
  label: string;
  value?: string;
  errors: FieldErrors;
  type?: string;
  hint?: string;
  attrs?: Html;
}): Html {
  const error = p.errors[p.name];
  const described = [p.hint ? `${p.name}-hint` : '', error ? `${p.name}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="field">
  <label for="${p.name}">${p.label}</label>
  ${p.hint ? html`<small id="${p.name}-hint">${p.hint}</small>` : ''}
  <input id="${p.name}" name="${p.name}" type="${p.type ?? 'text'}"${p.type === 'password' ? '' : html` value="${p.value ?? ''}"`}${described ? html` aria-describedby="${described}"` : ''}${error ? html` aria-invalid="true"` : ''} ${p.attrs ?? ''}>
  ${error ? html`<span class="field-error" id="${p.name}-error">${error}</span>` : ''}
</div>`;
}

export function errorSummary(title: string, errors: FieldErrors, labels: Record<string, string>): Html {
  const entries = Object.entries(errors);
  if (!entries.length) return html``;
  return html`<div class="error error-summary" role="alert" id="form-error" tabindex="-1" aria-labelledby="form-error-title">
  <h2 id="form-error-title">${title}</h2>
  <ul>${entries.map(([name, message]) => html`<li><a href="#${name}">${labels[name] ?? name}: ${message}</a></li>`)}</ul>
</div>`;
}

/** Date of birth as day / month (named) / year (Buddhist or Christian era): one fieldset, one error. */
export function birthdateFieldset(p: { values: { birth_day?: string; birth_month?: string; birth_year?: string }; error?: string; labels: { legend: string; day: string; month: string; year: string; yearHint: string }; months: string[] }): Html {
  const { values: v, error, labels } = p;
  const invalid = error ? html` aria-invalid="true"` : '';
  return html`<fieldset class="date"${error ? html` aria-describedby="birth_day-error"` : ''}>
    <legend>${labels.legend}</legend>
    <div><label for="birth_day">${labels.day}</label>
      <input id="birth_day" name="birth_day" inputmode="numeric" maxlength="2" size="2" autocomplete="bday-day" value="${v.birth_day ?? ''}"${invalid}></div>
    <div><label for="birth_month">${labels.month}</label>
      <select id="birth_month" name="birth_month" autocomplete="bday-month">
        <option value=""></option>
        ${p.months.map((m, i) => html`<option value="${i + 1}"${v.birth_month === String(i + 1) ? ' selected' : ''}>${m}</option>`)}
      </select></div>
    <div><label for="birth_year">${labels.year}</label>
      <input id="birth_year" name="birth_year" inputmode="numeric" maxlength="4" size="4" aria-describedby="birth_year-hint" value="${v.birth_year ?? ''}"${invalid}></div>
    <small id="birth_year-hint">${labels.yearHint}</small>
    ${error ? html`<span class="field-error" id="birth_day-error">${error}</span>` : ''}
  </fieldset>`;
}

/** A one-time code input (SMS or app), tied to the page's error when there is one. */
export function codeInput(p: { label: string; error?: string; name?: string; id?: string }): Html {
  const id = p.id ?? 'code';
  return html`<label for="${id}">${p.label}</label>
  <input id="${id}" name="${p.name ?? 'code'}" inputmode="numeric" autocomplete="one-time-code" maxlength="8" required${p.error ? html` aria-invalid="true" aria-describedby="form-error"` : ''}>`;
}
