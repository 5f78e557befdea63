// The IdP's own frame routes: its static files (static.ts), the home page and the help, terms and
// accessibility pages. errors.ts puts them inside the error pages, so an address nobody answers becomes the branded not-found page.
import type { Context, Middleware, Next } from 'koa';
import { Router } from '@koa/router';
import { staticFiles } from '../../kernel/http/static.ts';
import { idpAssets } from './static.ts';
import { pickLang } from '../../kernel/http/i18n.ts';
import { accessibilityPage, helpPage, homePage, termsPage } from './info/views.ts';

const PAGES = { '/': homePage, '/help': helpPage, '/terms': termsPage, '/accessibility': accessibilityPage };

/** GET / and the information pages (the privacy notice is the registration's, at /privacy). */
export function infoRoutes(): Router {
  const router = new Router();
  for (const [at, page] of Object.entries(PAGES))
    router.get(at, (ctx) => {
      ctx.type = 'html';
      ctx.body = page(pickLang(ctx));
    });
  return router;
}

/** Static files, then the information pages, then whatever comes next. */
export function frameRoutes(): Middleware {
  const files = staticFiles(idpAssets);
  const pages = infoRoutes().routes() as unknown as Middleware;
  return (ctx: Context, next: Next) => files(ctx, () => pages(ctx, next));
}
