// The IdP's pages in the shared frame, under the IdP's own name.
import type { Html } from '../../kernel/web/html.ts';
import { pageLayout } from '../../kernel/web/layout.ts';
import { t } from './messages.ts';

export interface Page {
  lang: 'th' | 'en';
  title: string;
  body: Html;
  /** path of this page, used for the language switch link */
  path?: string;
  /** scripts served from /static (the CSP allows no inline script) */
  scripts?: string[];
}

export function layout(p: Page): string {
  return pageLayout({ ...p, brand: { name: t(p.lang, 'appName'), otherLang: t(p.lang, 'otherLang') } });
}
