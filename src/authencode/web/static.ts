// Static files of the pages: the shared stylesheet and "Read card" script, the QR scanner (jsQR's
// browser build plus our small script) and the copy button. Scripts are files because the CSP allows
// no inline script.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Context, Next } from 'koa';

const KERNEL_STATIC = path.resolve(import.meta.dirname, '../../kernel/web/static');
const OWN_STATIC = path.resolve(import.meta.dirname, 'static');
const FILES: Record<string, { type: string; body: Buffer }> = {
  'app.css': { type: 'text/css', body: readFileSync(path.join(KERNEL_STATIC, 'app.css')) },
  'card-read.js': { type: 'application/javascript', body: readFileSync(path.join(KERNEL_STATIC, 'card-read.js')) },
  'authencode.js': { type: 'application/javascript', body: readFileSync(path.join(OWN_STATIC, 'authencode.js')) },
  'jsqr.js': { type: 'application/javascript', body: readFileSync(createRequire(import.meta.url).resolve('jsqr/dist/jsQR.js')) },
};

export function staticFiles() {
  return async function staticMiddleware(ctx: Context, next: Next) {
    const m = /^\/static\/([\w.-]+)$/.exec(ctx.path);
    const file = m && FILES[m[1]!];
    if (!file || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    ctx.type = file.type;
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = file.body;
  };
}
