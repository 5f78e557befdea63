import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reportChartSvg, reportCsv, type ReportRow } from '../../src/authencode/report/render.ts';

const row = (over: Partial<ReportRow> = {}): ReportRow => ({
  day: '2025-01-31',
  hcode: '10699',
  unitName: 'โรงพยาบาลทดสอบ',
  claimType: 'PG0060001',
  count: 12,
  ...over,
});

test('CSV: BOM, header, CRLF line ends, Thai kept', () => {
  const csv = reportCsv([row(), row({ day: '2025-02-01', count: 3 })]);
  assert.ok(csv.startsWith('\uFEFF'));
  const lines = csv.slice(1).split('\r\n');
  assert.deepEqual(lines, [
    'day,hcode,unit_name,claim_type,count',
    '2025-01-31,10699,โรงพยาบาลทดสอบ,PG0060001,12',
    '2025-02-01,10699,โรงพยาบาลทดสอบ,PG0060001,3',
    '',
  ]);
  assert.equal(csv.replace(/\r\n/g, '').includes('\n'), false);
  assert.equal(reportCsv([]), '\uFEFFday,hcode,unit_name,claim_type,count\r\n');
});

test('CSV: fields with comma, quote, CR or LF are quoted with doubled quotes', () => {
  const csv = reportCsv([
    row({ unitName: 'Ward A, floor 2' }),
    row({ unitName: 'The "new" ward' }),
    row({ unitName: 'two\nlines' }),
    row({ unitName: 'cr\rhere' }),
  ]);
  const body = csv.slice(1);
  assert.ok(body.includes(',"Ward A, floor 2",'));
  assert.ok(body.includes(',"The ""new"" ward",'));
  assert.ok(body.includes(',"two\nlines",'));
  assert.ok(body.includes(',"cr\rhere",'));
});

test('CSV: leading = + - @ are defused with a single quote', () => {
  const csv = reportCsv([
    row({ unitName: '=HYPERLINK("http://evil","x")' }),
    row({ unitName: '+1+1' }),
    row({ unitName: '-2+3' }),
    row({ unitName: '@SUM(A1)' }),
    row({ unitName: 'a=b' }),
  ]);
  const lines = csv.slice(1).split('\r\n');
  assert.equal(lines[1], '2025-01-31,10699,"\'=HYPERLINK(""http://evil"",""x"")",PG0060001,12');
  assert.equal(lines[2], "2025-01-31,10699,'+1+1,PG0060001,12");
  assert.equal(lines[3], "2025-01-31,10699,'-2+3,PG0060001,12");
  assert.equal(lines[4], "2025-01-31,10699,'@SUM(A1),PG0060001,12");
  assert.equal(lines[5], '2025-01-31,10699,a=b,PG0060001,12');
});

test('SVG: labels and title are escaped; one rect with a title per bar', () => {
  const evil = `<script>&"'`;
  const svg = reportChartSvg(
    [
      { label: evil, count: 5 },
      { label: 'PG0060001', count: 12 },
      { label: 'ไม่มีชื่อ', count: 0 },
    ],
    { title: `Usage ${evil}` },
  );
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  assert.match(svg, /role="img"/);
  const labelledBy = /aria-labelledby="([^"]+)"/.exec(svg)?.[1];
  assert.ok(labelledBy);
  assert.ok(svg.includes(`<title id="${labelledBy}">Usage &lt;script&gt;&amp;&quot;&apos;</title>`));
  assert.equal(svg.includes('<script'), false);
  assert.equal(svg.includes(evil), false);
  assert.ok(svg.includes('<title>&lt;script&gt;&amp;&quot;&apos;: 5</title>'));
  assert.ok(svg.includes('<title>PG0060001: 12</title>'));
  // the background is the only rect that is not a bar
  const bars = svg.match(/<rect [^>]*fill="#1f6feb"/g) ?? [];
  assert.equal(bars.length, 3);
  assert.equal((svg.match(/<rect /g) ?? []).length, 3 + 1);
  assert.ok(svg.includes('>PG0060001</text>'));
  assert.equal(/style=|<script|href=|url\(/i.test(svg), false);
});

test('SVG: bar heights follow counts and size options apply', () => {
  const svg = reportChartSvg(
    [
      { label: 'a', count: 10 },
      { label: 'b', count: 5 },
    ],
    { title: 't', width: 800, height: 400 },
  );
  assert.match(svg, /width="800" height="400" viewBox="0 0 800 400"/);
  const heights = [...svg.matchAll(/<rect [^>]*height="([\d.]+)" fill="#1f6feb"/g)].map((m) => Number(m[1]));
  assert.equal(heights.length, 2);
  assert.ok(heights[0] > 0);
  assert.ok(Math.abs(heights[0] - 2 * heights[1]) < 0.2);
});

test('SVG: empty series renders a no-data chart', () => {
  const svg = reportChartSvg([], { title: 'Nothing yet' });
  assert.ok(svg.includes('No data / ไม่มีข้อมูล'));
  assert.ok(svg.includes('>Nothing yet</title>'));
  assert.equal((svg.match(/fill="#1f6feb"/g) ?? []).length, 0);
  assert.match(svg, /<\/svg>$/);
});
