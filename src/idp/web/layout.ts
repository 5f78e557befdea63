// The IdP's pages in the shared frame, under the IdP's own name linking to its home page.
import type { Html } from '../../kernel/web/html.ts';
import { pageLayout } from '../../kernel/web/layout.ts';
import { t } from './messages.ts';

export interface Page {
  lang: 'th' | 'en';
  title: string;
  body: Html;
  /** path of this page, used for the language switch link */
  path?: string;
  /** the language switch's link when it is not `path?lang=…` */
  langHref?: string;
  /** scripts served from /static (the CSP allows no inline script) */
  scripts?: string[];
  /** staff and administrator pages (verifier console, unit, admin): the wide column for tables */
  wide?: boolean;
}

export function layout(p: Page): string {
  return pageLayout({ ...p, brand: { name: t(p.lang, 'appName'), href: '/', otherLang: t(p.lang, 'otherLang') } });
}
