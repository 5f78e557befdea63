// The IdP's own frame routes: its static files (the kernel's plus its scripts and the zxcvbn browser
// builds, fingerprinted), the home page and the help, terms and accessibility pages. errors.ts puts
// them inside the error pages, so an address nobody answers becomes the branded not-found page.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Context, Middleware, Next } from 'koa';
import { Router } from '@koa/router';
import { assetTable, staticFiles } from '../../kernel/http/static.ts';
import { pickLang } from '../../kernel/http/i18n.ts';
import { accessibilityPage, helpPage, homePage, termsPage } from './info/views.ts';

const OWN = path.resolve(import.meta.dirname, 'static');
const fromPackage = (file: string) =>
  // the packages' browser builds, without their source-map comment (the maps are not served)
  Buffer.from(readFileSync(createRequire(import.meta.url).resolve(file), 'utf8').replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n'));

/** Every file the IdP serves under /static. */
export const idpAssets = assetTable({
  'passkey.js': readFileSync(path.join(OWN, 'passkey.js')),
  'password-strength.js': readFileSync(path.join(OWN, 'password-strength.js')),
  'recovery-codes.js': readFileSync(path.join(OWN, 'recovery-codes.js')),
  'zxcvbn-core.js': fromPackage('@zxcvbn-ts/core/dist/zxcvbn-ts.js'),
  'zxcvbn-common.js': fromPackage('@zxcvbn-ts/language-common/dist/zxcvbn-ts.js'),
});

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
