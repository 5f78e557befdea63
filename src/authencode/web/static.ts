// Static files of the pages: the kernel's (stylesheet, frame script, logo, favicon, Sarabun font, "Read
// card" script), the QR scanner (jsQR's browser build plus our small script) and the pages' own script (chosen
// method's fields, copy button, photo file checks, focus to the error summary), all
// fingerprinted. Scripts are files because the CSP allows no inline script.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { assetTable, staticFiles as serve } from '../../kernel/http/static.ts';

const OWN_STATIC = path.resolve(import.meta.dirname, 'static');

/** Every file the Authen Code service serves under /static. */
export const authencodeAssets = assetTable({
  'authencode.js': readFileSync(path.join(OWN_STATIC, 'authencode.js')),
  'authencode-pages.js': readFileSync(path.join(OWN_STATIC, 'authencode-pages.js')),
  'jsqr.js': readFileSync(createRequire(import.meta.url).resolve('jsqr/dist/jsQR.js')),
});

/** The Authen Code pages' own script, on every staff, report and citizen page. */
export const pagesScript = 'authencode-pages.js';

export const staticFiles = () => serve(authencodeAssets);
