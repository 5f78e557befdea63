// The Authen Code pages' own script (pages.js), served at /static/authencode-pages.js beside the frame's
// static files (a file, because the CSP allows no inline script).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Router } from '@koa/router';

export const pagesScript = 'authencode-pages.js';
const BODY = readFileSync(path.join(import.meta.dirname, 'pages.js'));

export function assetRoutes(router: Router): void {
  router.get(`/static/${pagesScript}`, (ctx) => {
    ctx.type = 'application/javascript';
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = BODY;
  });
}
