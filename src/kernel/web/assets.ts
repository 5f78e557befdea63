// The static files both services serve under /static: the shared stylesheet, the frame's scripts and
// images, and the Sarabun web font from its npm package (so Thai renders where no Thai font is
// installed). Each file is fingerprinted by its content: pages link `/static/<name>?v=<hash>`, which
// may be cached for a year; `url("/static/…")` in a stylesheet is rewritten to its fingerprinted form.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface Asset {
  type: string;
  body: Buffer;
  /** the first 12 hex digits of the body's SHA-256: the `v` of its fingerprinted URL */
  hash: string;
}

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
};

/** The content type a static file is served with, by its extension. */
export const typeOf = (name: string): string => TYPES[path.extname(name)] ?? 'application/octet-stream';

export const asset = (name: string, body: Buffer): Asset => ({ type: typeOf(name), body, hash: createHash('sha256').update(body).digest('hex').slice(0, 12) });

const KERNEL_STATIC = path.resolve(import.meta.dirname, 'static');
const require = createRequire(import.meta.url);
const FONT_DIR = path.join(path.dirname(require.resolve('@fontsource/sarabun/package.json')), 'files');

/** The font family app.css declares; `document.fonts.check('16px Sarabun', 'ทดสอบ')` is true once it loaded. */
export const FONT_FAMILY = 'Sarabun';
/** The weights the pages use (regular text, labels and headings, bold), Thai and Latin subsets, woff2. */
export const FONT_FILES = ['thai', 'latin'].flatMap((subset) => [400, 600, 700].map((w) => `fonts/sarabun-${subset}-${w}-normal.woff2`));

const table = new Map<string, Asset>();
for (const name of ['card-read.js', 'frame.js', 'favicon.svg', 'logo.svg']) table.set(name, asset(name, readFileSync(path.join(KERNEL_STATIC, name))));
for (const name of FONT_FILES) table.set(name, asset(name, readFileSync(path.join(FONT_DIR, path.basename(name)))));

/** Files a service adds to the kernel's (its own scripts), by name: pages link them fingerprinted too. */
const services = new Map<string, Asset>();
export function addServiceAssets(files: ReadonlyMap<string, Asset>): void {
  for (const [name, a] of files) if (!table.has(name)) services.set(name, a);
}

/** `/static/<name>?v=<hash>` for a file in `files` (the kernel's and the services' by default), else the plain `/static/<name>`. */
export function assetUrl(name: string, files?: ReadonlyMap<string, Asset>): string {
  const a = files ? files.get(name) : (table.get(name) ?? services.get(name));
  return a ? `/static/${name}?v=${a.hash}` : `/static/${name}`;
}

/** A stylesheet whose `url("/static/<name>")` references are fingerprinted (after the files it names are in `files`). */
export function fingerprintCss(css: string, files: ReadonlyMap<string, Asset>): string {
  return css.replace(/url\("\/static\/([\w./-]+)"\)/g, (whole, name: string) => (files.has(name) ? `url("${assetUrl(name, files)}")` : whole));
}

table.set('app.css', asset('app.css', Buffer.from(fingerprintCss(readFileSync(path.join(KERNEL_STATIC, 'app.css'), 'utf8'), table))));

/** The kernel's static files by name (`app.css`, `frame.js`, `fonts/sarabun-thai-400-normal.woff2`, …). */
export const kernelAssets: ReadonlyMap<string, Asset> = table;
