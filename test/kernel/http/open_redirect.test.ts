// Issue 11, item 2: `return=` checked with `^/[\w\-/]*$` accepted `//2130706433`, which a browser
// reads as an IPv4 address. The shared validator URL-parses against the service's own origin and
// keeps only same-origin paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sameOriginPath } from '../../../src/kernel/http/redirect.ts';

const ORIGIN = 'http://localhost:3100';

const ELSEWHERE = [
  '//2130706433',
  '//2130706433/visit',
  '//evil.example',
  '///evil.example',
  '/\\evil.example',
  '/\\/evil.example',
  '\\\\evil.example',
  '\\/evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r\n/evil.example',
  '/visit\r\nSet-Cookie: a=b',
  '/visit\x00',
  '/a/..//evil.example',
  '/./\\evil.example',
  'https://evil.example/visit',
  'http://localhost:3100.evil.example/visit',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'evil.example',
  '',
  ' /visit',
];

test('anything that could leave the origin is refused', () => {
  for (const value of ELSEWHERE) assert.equal(sameOriginPath(value, ORIGIN), undefined, JSON.stringify(value));
  for (const value of [undefined, null, 42, ['/visit'], { toString: () => '/visit' }]) assert.equal(sameOriginPath(value, ORIGIN), undefined);
  assert.equal(sameOriginPath(`/${'a'.repeat(3000)}`, ORIGIN), undefined, 'not unbounded');
});

test('our own paths are kept, normalised', () => {
  assert.equal(sameOriginPath('/visit/confirm', ORIGIN), '/visit/confirm');
  assert.equal(sameOriginPath('/staff', ORIGIN), '/staff');
  assert.equal(sameOriginPath('/staff/visits?day=2026-01-05', ORIGIN), '/staff/visits?day=2026-01-05');
  assert.equal(sameOriginPath('/a/../visit', ORIGIN), '/visit');
  assert.equal(sameOriginPath('/%2F%2Fevil.example', ORIGIN), '/%2F%2Fevil.example', 'an encoded slash stays a path segment');
  assert.equal(sameOriginPath('/account#x', 'https://id.example/base'), '/account');
});
