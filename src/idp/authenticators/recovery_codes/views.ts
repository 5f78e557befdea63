// Recovery codes' pages: their section of the security page, a new set shown once, and the form on the
// second-factor page (folded away: they are the fallback).
import { html, type Html } from '../../../kernel/web/html.ts';
import { t } from '../../web/messages.ts';
import { accountPage, postButton } from '../../account/pages/views.ts';
import { csrfInput } from '../../login/views/second_factor.ts';

export function recoverySection(p: { lang: 'th' | 'en'; csrf: string; remaining: number }): Html {
  const { lang, csrf } = p;
  return html`
<h2>${t(lang, 'recoveryHeading')}</h2>
<p>${t(lang, 'recoveryRemaining', { count: p.remaining })}</p>
${postButton('/account/recovery-codes', csrf, t(lang, 'recoveryGenerate'))}
`;
}

export function recoveryCodesPage(p: { lang: 'th' | 'en'; codes: string[] }): string {
  const { lang } = p;
  return accountPage({
    lang,
    title: t(lang, 'recoveryCodesTitle'),
    path: '/account/recovery-codes',
    body: html`<p role="status">${t(lang, 'recoveryCodesIntro')}</p>
<ul class="codes">${p.codes.map((c) => html`<li><code>${c}</code></li>`)}</ul>
<p><a href="/account/security">${t(lang, 'navSecurity')}</a></p>`,
  });
}

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
