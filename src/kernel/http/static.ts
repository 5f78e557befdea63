// Serves a service's static files under /static from a fixed table (no file-system path comes from the
// request). A fingerprinted request (`?v=` the file's current hash) is cached for a year, immutable;
// any other is cached for an hour, so a page from before a deploy still finds its files.
import type { Context, Next } from 'koa';
import { addServiceAssets, asset, kernelAssets, type Asset } from '../web/assets.ts';

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const SHORT = 'public, max-age=3600';

/** The kernel's files plus a service's own (name → content), one table. */
export function assetTable(own: Record<string, Buffer> = {}): Map<string, Asset> {
  const files = new Map(kernelAssets);
  const mine = new Map(Object.entries(own).map(([name, body]) => [name, asset(name, body)]));
  addServiceAssets(mine);
  for (const [name, a] of mine) files.set(name, a);
  return files;
}

export function staticFiles(files: ReadonlyMap<string, Asset>) {
  return async function staticFilesMiddleware(ctx: Context, next: Next) {
    if (!ctx.path.startsWith('/static/') || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    const file = files.get(ctx.path.slice('/static/'.length));
    if (!file) return next();
    ctx.status = 200;
    ctx.type = file.type;
    ctx.set('Cache-Control', ctx.query.v === file.hash ? IMMUTABLE : SHORT);
    ctx.etag = file.hash;
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.body = file.body;
  };
}
