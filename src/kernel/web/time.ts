// Times on pages: Bangkok time in the page's language (Buddhist era in Thai) inside <time datetime>, so
// the exact instant (with its +07:00 offset) stays machine-readable.
import { html, type Html } from './html.ts';
import type { Lang } from './i18n.ts';
import { formatDateTime, formatDay, thaiIso } from '../thai/time.ts';

/** <time datetime="2026-12-02T11:16:00+07:00">2 ธ.ค. 2569 11:16 น.</time>; `day`: the date only. */
export function timeTag(at: Date | string | number, lang: Lang, what: 'datetime' | 'day' = 'datetime'): Html {
  const d = new Date(at);
  return html`<time datetime="${what === 'day' ? thaiIso(d).slice(0, 10) : thaiIso(d)}">${what === 'day' ? formatDay(d, lang) : formatDateTime(d, lang)}</time>`;
}
