// Pure rendering of Authen Code usage reports: a CSV download (opens correctly in Excel, including
// Thai text, and cannot smuggle spreadsheet formulas) and a server-rendered SVG bar chart (no
// scripts, no external references, no inline styles, so it is safe under a strict CSP).

export interface ReportRow {
  /** YYYY-MM-DD */
  day: string;
  hcode: string;
  unitName: string;
  claimType: string;
  count: number;
}

const CSV_HEADER = ['day', 'hcode', 'unit_name', 'claim_type', 'count'];

/** A value that a spreadsheet would read as a formula gets a leading single quote. */
function defuseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function csvField(value: unknown): string {
  const text = defuseFormula(value === undefined || value === null ? '' : String(value));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV with a UTF-8 BOM and CRLF line ends. */
export function reportCsv(rows: ReportRow[]): string {
  const lines = [CSV_HEADER.join(',')];
  for (const r of rows) {
    const count = typeof r.count === 'number' && Number.isFinite(r.count) ? r.count : '';
    lines.push([r.day, r.hcode, r.unitName, r.claimType, count].map(csvField).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Escapes text for XML content and attribute values; drops characters XML 1.0 does not allow. */
function xml(value: unknown): string {
  return String(value)
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A number for an attribute: at most one decimal. */
const n = (v: number) => String(Math.round(v * 10) / 10);

const dimension = (v: number | undefined, fallback: number) =>
  typeof v === 'number' && Number.isFinite(v) ? Math.min(4000, Math.max(160, Math.round(v))) : fallback;

/** Deterministic id for the <title> (FNV-1a of the content), so several charts on a page do not collide. */
function chartId(content: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < content.length; i++) {
    h ^= content.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `chart-${h.toString(16).padStart(8, '0')}`;
}

/** A step of 1, 2 or 5 × 10^k giving about four ticks up to max. */
function tickStep(max: number): number {
  const raw = max / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  return Math.max(1, step);
}

const FONT = 'font-family="sans-serif"';
const BAR_FILL = '#1f6feb';
const AXIS = '#57606a';
const TEXT = '#24292f';

/** A simple bar chart, one bar per entry. */
export function reportChartSvg(
  series: Array<{ label: string; count: number }>,
  opts: { title: string; width?: number; height?: number },
): string {
  const width = dimension(opts.width, 640);
  const height = dimension(opts.height, 360);
  const items = (series ?? []).map((s) => ({
    label: String(s.label ?? ''),
    count: typeof s.count === 'number' && Number.isFinite(s.count) ? s.count : 0,
  }));
  const titleId = `${chartId(JSON.stringify([opts.title, items, width, height]))}-title`;
  const rotate = items.length > 12;
  const margin = { top: 40, right: 16, bottom: rotate ? 80 : 40, left: 56 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const x0 = margin.left;
  const y0 = margin.top + plotH; // baseline

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${titleId}">`,
    `<title id="${titleId}">${xml(opts.title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${n(width / 2)}" y="24" text-anchor="middle" ${FONT} font-size="16" font-weight="bold" fill="${TEXT}">${xml(opts.title)}</text>`,
    `<line x1="${x0}" y1="${y0}" x2="${x0 + plotW}" y2="${y0}" stroke="${AXIS}" stroke-width="1"/>`,
    `<line x1="${x0}" y1="${margin.top}" x2="${x0}" y2="${y0}" stroke="${AXIS}" stroke-width="1"/>`,
  );

  if (items.length === 0) {
    out.push(
      `<text x="${n(x0 + plotW / 2)}" y="${n(margin.top + plotH / 2)}" text-anchor="middle" ${FONT} font-size="14" fill="${AXIS}">No data / ไม่มีข้อมูล</text>`,
      '</svg>',
    );
    return out.join('\n');
  }

  const max = Math.max(...items.map((i) => i.count), 1);
  const step = tickStep(max);
  const top = Math.ceil(max / step) * step;
  const yFor = (v: number) => y0 - (Math.max(0, v) / top) * plotH;
  for (let v = 0; v <= top; v += step) {
    const y = n(yFor(v));
    out.push(
      `<line x1="${x0 - 4}" y1="${y}" x2="${x0}" y2="${y}" stroke="${AXIS}" stroke-width="1"/>`,
      `<text x="${x0 - 8}" y="${y}" dy="4" text-anchor="end" ${FONT} font-size="11" fill="${AXIS}">${v}</text>`,
    );
  }

  const band = plotW / items.length;
  const barW = Math.max(1, band * 0.7);
  items.forEach((item, i) => {
    const cx = x0 + band * i + band / 2;
    const y = yFor(item.count);
    const label = xml(item.label);
    out.push(
      `<rect x="${n(cx - barW / 2)}" y="${n(y)}" width="${n(barW)}" height="${n(y0 - y)}" fill="${BAR_FILL}"><title>${label}: ${xml(item.count)}</title></rect>`,
    );
    const ly = y0 + 16;
    out.push(
      rotate
        ? `<text x="${n(cx)}" y="${ly}" transform="rotate(-45 ${n(cx)} ${ly})" text-anchor="end" ${FONT} font-size="11" fill="${TEXT}">${label}</text>`
        : `<text x="${n(cx)}" y="${ly}" text-anchor="middle" ${FONT} font-size="11" fill="${TEXT}">${label}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n');
}
