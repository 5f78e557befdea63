// The declaration helper: defaults, empty as unset, one line naming each bad value (never echoing a
// secret); the variables both services read are declared once; every variable src reads is declared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, bool, declareVars, int, minLength, oneOf, refuse, sharedVars, text } from '../../src/kernel/config.ts';
import { idpVars } from '../../src/idp/config.ts';
import { authencodeVars } from '../../src/authencode/config.ts';

const demo = declareVars({
  BATCH: { doc: 'rows per batch', default: 3000, parse: int(0, 65535) },
  MODE: { doc: 'mode', default: 'a', parse: oneOf(['a', 'b', 'c']) },
  PROXY: { doc: 'proxy', default: false, parse: bool },
  NAME: { doc: 'a name', parse: text },
  TOKEN: { doc: 'a token', parse: minLength(8), secret: true },
  EVEN: { doc: 'an even number', parse: (raw) => (Number(raw) % 2 === 0 ? Number(raw) : refuse('even')) },
});

test('defaults apply when a variable is unset or empty; given values are parsed', () => {
  assert.deepEqual(demo.load({}), { BATCH: 3000, MODE: 'a', PROXY: false, NAME: undefined, TOKEN: undefined, EVEN: undefined });
  assert.deepEqual(demo.load({ BATCH: '', MODE: '', NAME: '' }), demo.load({}));
  assert.deepEqual(demo.load({ BATCH: '8080', MODE: 'c', PROXY: '1', NAME: 'x', TOKEN: '12345678', EVEN: '4', OTHER: 'ignored' }), {
    BATCH: 8080, MODE: 'c', PROXY: true, NAME: 'x', TOKEN: '12345678', EVEN: 4,
  });
  assert.equal(demo.schema.parse({ PROXY: 'true' }).PROXY, true, 'the zod schema is usable on its own');
});

test('each bad value is one line: NAME must be …, got "…", a secret never repeated', () => {
  const refused = (env: Record<string, string>) => {
    try {
      demo.load(env);
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      return e.message;
    }
    assert.fail('accepted');
  };
  assert.equal(refused({ BATCH: 'eighty' }), 'BATCH must be a whole number, got "eighty"');
  assert.equal(refused({ BATCH: '1e3' }), 'BATCH must be a whole number, got "1e3"');
  assert.equal(refused({ BATCH: '70000' }), 'BATCH must be between 0 and 65535, got "70000"');
  assert.equal(refused({ MODE: 'd' }), 'MODE must be one of a, b, c, got "d"');
  assert.equal(refused({ PROXY: 'yes' }), 'PROXY must be true or false, got "yes"');
  assert.equal(refused({ EVEN: '3' }), 'EVEN must be even, got "3"');
  assert.equal(refused({ TOKEN: 'hunter2' }), 'TOKEN must be at least 8 characters');
  assert.equal(refused({ BATCH: 'x', MODE: 'y' }), 'BATCH must be a whole number, got "x"\nMODE must be one of a, b, c, got "y"');
});

test('a default its own parser refuses is a programming error, caught at declaration', () => {
  assert.throws(() => declareVars({ N: { doc: 'n', default: 5, parse: int(10, 20) } }), /default of N/);
});

test('the variables both services read are one declaration with the same messages', () => {
  for (const [name, v] of Object.entries(sharedVars)) {
    assert.equal((idpVars.vars as Record<string, unknown>)[name], v, `IdP: ${name}`);
    assert.equal((authencodeVars.vars as Record<string, unknown>)[name], v, `Authen Code: ${name}`);
  }
  for (const env of [{ LOG_LEVEL: 'loud' }, { TRUST_PROXY: 'yes' }, { IDP_ZONE: 'staging' }, { DATABASE_URL: 'mysql://x' }, { PORT: 'eighty' }]) {
    const messages = [idpVars, authencodeVars].map((d) => {
      try {
        d.load(env);
      } catch (e) {
        return (e as Error).message;
      }
      return 'accepted';
    });
    assert.equal(messages[0], messages[1], JSON.stringify(env));
    assert.match(messages[0], new RegExp(`^${Object.keys(env)[0]} must be`));
  }
});

test('every environment variable src reads is declared', () => {
  const declared = new Set([...Object.keys(idpVars.vars), ...Object.keys(authencodeVars.vars)]);
  const src = path.resolve(import.meta.dirname, '../../src');
  const files = (readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
  const read = new Set<string>();
  for (const f of files) {
    for (const m of readFileSync(path.join(src, f), 'utf8').matchAll(/process\.env\.([A-Z0-9_]+)|process\.env\[['"]([A-Z0-9_]+)['"]\]/g)) read.add(m[1] ?? m[2]);
  }
  assert.ok(read.size > 0, 'the scan finds the launcher switch at least');
  assert.deepEqual([...read].filter((n) => !declared.has(n)), []);
});
