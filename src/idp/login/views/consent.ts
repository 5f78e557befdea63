import { html } from '../../../kernel/web/html.ts';
import { layout } from '../../web/layout.ts';
import { messages, t, type MessageKey } from '../../web/messages.ts';

export function consentPage(p: { lang: 'th' | 'en'; uid: string; csrf: string; clientName: string; scopes: string[]; claims: string[] }): string {
  const { lang } = p;
  const label = (scope: string) => (`scope_${scope}` in messages[lang] ? t(lang, `scope_${scope}` as MessageKey) : scope);
  return layout({
    lang,
    title: t(lang, 'consentTitle'),
    path: `/interaction/${p.uid}`,
    body: html`
<p>${t(lang, 'consentIntro', { client: p.clientName })}</p>
<ul class="consent">
  ${p.scopes.map((s) => html`<li>${label(s)}</li>`)}
  ${p.claims.map((c) => html`<li><code>${c}</code></li>`)}
</ul>
<div class="actions">
  <form method="post" action="/interaction/${p.uid}/confirm">
    <input type="hidden" name="csrf" value="${p.csrf}">
    <button type="submit">${t(lang, 'allow')}</button>
  </form>
  <form method="post" action="/interaction/${p.uid}/abort">
    <input type="hidden" name="csrf" value="${p.csrf}">
    <button type="submit" class="secondary">${t(lang, 'deny')}</button>
  </form>
</div>`,
  });
}
