import { html, type Html } from '../../../kernel/web/html.ts';
import { layout } from '../../web/layout.ts';

/** A plain page: title, a message and optional extra markup (errors, logout confirmation). `detail` is
 *  a further sentence in the page's language (never an error code or an identifier: those go to the log). */
export function messagePage(p: { lang: 'th' | 'en'; title: string; message: string; detail?: string; extra?: Html }): string {
  return layout({
    lang: p.lang,
    title: p.title,
    body: html`<p role="status">${p.message}</p>${p.detail ? html`<p class="detail">${p.detail}</p>` : ''}${p.extra ?? ''}`,
  });
}
