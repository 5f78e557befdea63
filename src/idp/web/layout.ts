// The IdP's pages in the shared frame, under the IdP's own name linking to its home page.
import type { Html } from '../../kernel/web/html.ts';
import { pageLayout, type Page as FramePage } from '../../kernel/web/layout.ts';
import { t } from './messages.ts';

/** a page of the IdP: the shared frame's page without the parts the IdP fills in itself */
export type Page = Omit<FramePage, 'brand' | 'account' | 'nav' | 'footer'>;

export function layout(p: Page): string {
  return pageLayout({ ...p, brand: { name: t(p.lang, 'appName'), href: '/', otherLang: t(p.lang, 'otherLang') } });
}
