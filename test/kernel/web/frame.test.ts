// The shared frame as markup: a skip link first to <main id="main">, the logo, favicon and stylesheet by
// fingerprinted URL, frame.js on every page and no inline script or style, the footer's four links in
// the page's language, the wide column on request; responsive tables, the error summary that takes the
// focus and links to each field, the not-found body's way forward.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { html } from '../../../src/kernel/web/html.ts';
import { notFoundBody, pageLayout, tableWrap, type Page } from '../../../src/kernel/web/layout.ts';
import { errorSummary, field } from '../../../src/kernel/web/form.ts';
import { th, en } from '../../../src/kernel/web/messages.ts';

const page = (p: Partial<Page> = {}) =>
  pageLayout({ lang: 'th', title: 'หน้า', body: html`<p>เนื้อหา</p>`, brand: { name: 'บริการ', href: '/', otherLang: 'English' }, path: '/here', ...p });

test('the skip link comes first in the body and targets main', () => {
  const out = page();
  const body = out.slice(out.indexOf('<body'));
  assert.match(body, /^<body[^>]*>\n<a class="skip-link" href="#main">ข้ามไปยังเนื้อหาหลัก<\/a>/);
  assert.match(out, /<main id="main" tabindex="-1">/);
  assert.match(page({ lang: 'en' }), /<a class="skip-link" href="#main">Skip to main content<\/a>/);
});

test('stylesheet, frame script, favicon and logo by fingerprinted URL; no inline script or style', () => {
  const out = page({ scripts: ['passkey.js'] });
  assert.match(out, /<link rel="stylesheet" href="\/static\/app\.css\?v=[0-9a-f]{12}">/);
  assert.match(out, /<script src="\/static\/frame\.js\?v=[0-9a-f]{12}" defer><\/script>/);
  assert.match(out, /<script src="\/static\/passkey\.js" defer><\/script>/, "a service's own script by its name");
  assert.match(out, /<link rel="icon" type="image\/svg\+xml" href="\/static\/favicon\.svg\?v=[0-9a-f]{12}">/);
  assert.match(out, /<a class="brand" href="\/"><img src="\/static\/logo\.svg\?v=[0-9a-f]{12}" alt="" width="32" height="32"><span>บริการ<\/span><\/a>/);
  assert.match(out, /<link rel="preload" href="\/static\/fonts\/sarabun-thai-400-normal\.woff2\?v=[0-9a-f]{12}" as="font" type="font\/woff2" crossorigin>/);
  assert.doesNotMatch(out, /<script>|<script(?![^>]*src=)|style="|<style/);
});

test("the footer's help, terms, privacy and accessibility links keep the page's language", () => {
  const out = page({ lang: 'en' });
  for (const [path, text] of [['/help', 'Help'], ['/terms', 'Terms of use'], ['/privacy', 'Privacy'], ['/accessibility', 'Accessibility']])
    assert.ok(out.includes(`<a href="${path}?lang=en">${text}</a>`), path);
  assert.ok(page({ footer: { help: 'https://id.example/help', terms: '/t', privacy: '/p', accessibility: '/a' } }).includes('<a href="https://id.example/help?lang=th">ช่วยเหลือ</a>'));
});

test('the language switch: to this path in the other language, or where the page says', () => {
  assert.match(page(), /<a class="lang" href="\/here\?lang=en" lang="en" hreflang="en">English<\/a>/);
  assert.match(page({ path: undefined, langHref: '?lang=en' }), /<a class="lang" href="\?lang=en"/);
  assert.doesNotMatch(page({ path: undefined }), /class="lang"/);
});

test('the wide column on request, narrow by default', () => {
  assert.match(page({ wide: true }), /<body class="wide"/);
  assert.doesNotMatch(page(), /<body class=/);
});

test('a table wrapper that scrolls inside itself is a labelled, keyboard-reachable region', () => {
  assert.equal(tableWrap('การเข้ารับบริการ', html`<table></table>`).value, '<div class="table-wrap" role="region" aria-label="การเข้ารับบริการ" tabindex="0"><table></table></div>');
});

test('the error summary is announced, takes the focus and links to each field; the field says what is wrong', () => {
  const errors = { pid: 'ต้องเป็นตัวเลข 13 หลัก' };
  const summary = errorSummary('กรุณาแก้ไข', errors, { pid: 'เลขประจำตัวประชาชน' }).value;
  assert.match(summary, /class="error error-summary" role="alert" id="form-error" tabindex="-1"/);
  assert.match(summary, /<a href="#pid">เลขประจำตัวประชาชน: ต้องเป็นตัวเลข 13 หลัก<\/a>/);
  assert.equal(errorSummary('x', {}, {}).value, '');
  const input = field({ name: 'pid', label: 'เลขประจำตัวประชาชน', errors }).value;
  assert.match(input, /aria-describedby="pid-error" aria-invalid="true"/);
  assert.match(input, /<span class="field-error" id="pid-error">ต้องเป็นตัวเลข 13 หลัก<\/span>/);
});

test("the not-found body says what happened and offers home and help in the page's language", () => {
  const out = notFoundBody('en').value;
  assert.ok(out.includes(en.notFoundBody));
  assert.ok(out.includes('<a href="/?lang=en">Go to the home page</a>'));
  assert.ok(out.includes('<a href="/help?lang=en">Get help</a>'));
  assert.deepEqual(Object.keys(th).sort(), Object.keys(en).sort());
  for (const [k, v] of Object.entries(en)) assert.ok(v.trim() && th[k as keyof typeof th].trim(), k);
});
