// The README's configuration tables are generated from the declarations; this fails when they differ.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { README, configBlocks, renderConfigDocs } from '../../scripts/config-docs.ts';

test('the README configuration tables match the declarations', () => {
  const readme = readFileSync(README, 'utf8');
  assert.ok(readme === renderConfigDocs(readme), 'README is out of date: run npm run docs:config');
});

test('the generator rewrites only what lies between the markers', () => {
  const before = 'intro\n<!-- config:idp:start -->\nstale\n<!-- config:idp:end -->\nrest\n<!-- config:authencode:start -->\n<!-- config:authencode:end -->\n';
  const after = renderConfigDocs(before);
  assert.ok(after.startsWith('intro\n<!-- config:idp:start -->\n') && after.includes('<!-- config:idp:end -->\nrest\n'));
  assert.ok(!after.includes('stale'));
  assert.ok(after.includes('| `LOG_LEVEL` | `info` |') && after.includes('| `AUTHENCODE_PORT` | `3100` |'));
  assert.equal(renderConfigDocs(after), after, 'generating twice changes nothing');
  assert.throws(() => renderConfigDocs('no markers'), /config:idp:start/);
  assert.ok(configBlocks().authencode.includes('`LOG_LEVEL`'), 'the shared variables are named in the Authen Code block');
});
