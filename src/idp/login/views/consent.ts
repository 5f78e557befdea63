// The consent page: what the relying party asks for, every scope and claim in words (never its identifier).
import { html } from '../../../kernel/web/html.ts';
import { layout } from '../../web/layout.ts';
import { messages, t, type MessageKey } from '../../web/messages.ts';
import type { Lang } from '../../../kernel/web/i18n.ts';

const known = (lang: Lang, key: string): key is MessageKey => key in messages[lang];

/** A scope or claim in the page's words; one the pages have no words for is "other information". */
export function consentItem(lang: Lang, kind: 'scope' | 'claim', id: string): string {
  const key = `${kind}_${id.replace('#', '_')}`;
  return known(lang, key) ? t(lang, key) : t(lang, 'claim_other');
}

export function consentPage(p: { lang: Lang; uid: string; csrf: string; clientName: string; scopes: string[]; claims: string[]; notice?: string }): string {
  const { lang } = p;
  // a claim that says the same as a scope already listed is not listed twice
  const items = [...new Set([...p.scopes.map((s) => consentItem(lang, 'scope', s)), ...p.claims.map((c) => consentItem(lang, 'claim', c))])];
  return layout({
    lang,
    title: t(lang, 'consentTitle'),
    path: `/interaction/${p.uid}`,
    body: html`
${p.notice ? html`<p class="notice" role="status">${p.notice}</p>` : ''}
<p>${t(lang, 'consentIntro', { client: p.clientName })}</p>
<ul class="consent">
  ${items.map((i) => html`<li>${i}</li>`)}
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
