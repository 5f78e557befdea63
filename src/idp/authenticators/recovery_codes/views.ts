// Recovery codes' pages: their section of the security page, a new set shown once (with copy, download,
// print and "I have saved them"), and the form on the second-factor page (folded away: they are the fallback).
import { html, type Html } from '../../../kernel/web/html.ts';
import { t } from '../../web/messages.ts';
import { hidden, postButton } from '../../account/pages/views.ts';
import { layout } from '../../web/layout.ts';
import { errorSummary, type FieldErrors } from '../../../kernel/web/form.ts';
import { csrfInput } from '../../login/views/second_factor.ts';

export function recoverySection(p: { lang: 'th' | 'en'; csrf: string; remaining: number }): Html {
  const { lang, csrf } = p;
  return html`
<h2>${t(lang, 'recoveryHeading')}</h2>
<p>${t(lang, 'recoveryRemaining', { count: p.remaining })}</p>
${postButton('/account/recovery-codes', csrf, t(lang, 'recoveryGenerate'))}
`;
}

/**
 * A new set, shown once: the codes as text (selectable, printable without JavaScript), Copy, Download
 * and Print from recovery-codes.js (hidden until it runs), and the one way on: "I have saved them",
 * ticked and posted (the codes go back in a hidden field, so a refusal can show them again).
 */
export function recoveryCodesPage(p: { lang: 'th' | 'en'; csrf: string; codes: string[]; madeAt: string; error?: string }): string {
  const { lang } = p;
  const errors: FieldErrors = p.error ? { saved: p.error } : {};
  return layout({
    lang,
    title: t(lang, 'recoveryCodesTitle'),
    // no language switch: the codes exist only in this response (a link would lose them)
    scripts: ['recovery-codes.js'],
    body: html`${errorSummary(t(lang, 'recoverySavedErrors'), errors, { saved: t(lang, 'recoverySavedLabel') })}
<div class="panel panel-warning">
  <h2>${t(lang, 'recoveryCodesSaveNow')}</h2>
  <p>${t(lang, 'recoveryCodesIntro')}</p>
  <p>${t(lang, 'recoveryCodesOnce')}</p>
</div>
<div class="code-panel">
  <ul class="codes" id="recovery-codes" aria-label="${t(lang, 'recoveryCodesListLabel')}">${p.codes.map((c) => html`<li><code>${c}</code></li>`)}</ul>
</div>
<p class="hint">${t(lang, 'recoveryCodesHow')}</p>
<div class="no-print" id="recovery-tools" hidden data-file-heading="${t(lang, 'recoveryFileHeading', { at: p.madeAt })}" data-copied="${t(lang, 'recoveryCopied')}" data-copy-select="${t(lang, 'recoveryCopySelect')}"><div class="actions">
  <button type="button" class="secondary" data-copy>${t(lang, 'recoveryCopy')}</button>
  <a class="button secondary" data-download href="#recovery-codes" download="${RECOVERY_FILE_NAME}">${t(lang, 'recoveryDownload')}</a>
  <button type="button" class="secondary" data-print>${t(lang, 'recoveryPrint')}</button>
</div></div>
<p class="copied no-print" id="recovery-tools-status" role="status" aria-live="polite"></p>
<h2 class="no-print">${t(lang, 'recoverySavedHeading')}</h2>
<form method="post" action="/account/recovery-codes/saved" class="no-print" novalidate>${hidden(p.csrf)}
  <input type="hidden" name="codes" value="${p.codes.join(' ')}">
  <div class="field checkbox"><input id="saved" name="saved" type="checkbox" value="yes" required${p.error ? html` aria-invalid="true" aria-describedby="saved-error"` : ''}><label for="saved">${t(lang, 'recoverySavedLabel')}</label></div>
  ${p.error ? html`<span class="field-error" id="saved-error">${p.error}</span>` : ''}
  <button type="submit">${t(lang, 'recoverySavedSubmit')}</button>
</form>`,
  });
}

/** The name the downloaded file is saved under. */
export const RECOVERY_FILE_NAME = 'mor-prom-id-recovery-codes.txt';

export function recoveryLoginForm(p: { lang: 'th' | 'en'; uid: string; csrf: string }): Html {
  const { lang, uid } = p;
  return html`<details>
  <summary>${t(lang, 'useRecovery')}</summary>
  <form method="post" action="/interaction/${uid}/recovery" novalidate>${csrfInput(p.csrf)}
    <label for="recovery-code">${t(lang, 'recoveryLabel')}</label>
    <input id="recovery-code" name="code" autocomplete="off" required maxlength="32">
    <button type="submit">${t(lang, 'verify')}</button>
  </form>
</details>`;
}
