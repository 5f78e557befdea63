// Accessible form fields: every input has a label; an error is tied to its field (aria-describedby,
// aria-invalid) and listed in a summary that screen readers announce (role="alert").
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
  return html`<div class="error" role="alert" id="form-error">
  <p>${title}</p>
  <ul>${entries.map(([name, message]) => html`<li><a href="#${name}">${labels[name] ?? name}: ${message}</a></li>`)}</ul>
</div>`;
}
