// The page shown when a login at an upstream identity provider did not give an answer we use: what
// happened, that nothing was recorded, and the way back.
import { html } from '../../kernel/web/html.ts';
import type { Lang } from '../../kernel/web/i18n.ts';
import { layout } from '../web/layout.ts';
import { t } from '../web/messages.ts';

export function upstreamProblemPage(p: { lang: Lang; name: string; message: string; back: string }): string {
  return layout({
    lang: p.lang,
    title: t(p.lang, 'upstreamProblemTitle', { name: p.name }),
    body: html`<p class="error" role="alert">${p.message}</p>
<p><a class="button" href="${p.back}">${t(p.lang, 'upstreamBack')}</a></p>`,
  });
}
