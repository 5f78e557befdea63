// The IdP's static files: the kernel's (stylesheet, frame script, logo, favicon, Sarabun font, "Read
// card" script) plus its own scripts and the zxcvbn browser builds, all fingerprinted.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { assetTable } from '../../kernel/http/static.ts';

const OWN = path.resolve(import.meta.dirname, 'static');
const fromPackage = (file: string) =>
  // the packages' browser builds, without their source-map comment (the maps are not served)
  Buffer.from(readFileSync(createRequire(import.meta.url).resolve(file), 'utf8').replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n'));

/** Every file the IdP serves under /static. */
export const idpAssets = assetTable({
  'passkey.js': readFileSync(path.join(OWN, 'passkey.js')),
  'face-capture.js': readFileSync(path.join(OWN, 'face-capture.js')),
  'password-strength.js': readFileSync(path.join(OWN, 'password-strength.js')),
  'recovery-codes.js': readFileSync(path.join(OWN, 'recovery-codes.js')),
  'zxcvbn-core.js': fromPackage('@zxcvbn-ts/core/dist/zxcvbn-ts.js'),
  'zxcvbn-common.js': fromPackage('@zxcvbn-ts/language-common/dist/zxcvbn-ts.js'),
});

