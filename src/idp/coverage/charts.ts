// The coverage charts, drawn on the server by Apache ECharts (SSR, SVG renderer): the trend of the
// shares over the year against the current targets, and a ranking of an area's parts. The SVG goes
// inline into the page, so its style attributes become presentation attributes and its hover
// stylesheet is dropped (the CSP allows no inline style); the figures are also in the page's table.
import * as echarts from 'echarts';

const BRAND = '#0f766e';
const SECOND = '#b45309';
const FONT = 'Sarabun, sans-serif';

/** Drawn charts by what they show: the figures change only when the refresher moves them, so most page
 *  views between two refreshes reuse a drawing (drawing is most of a country page's time). */
const drawn = new Map<string, string>();
const DRAWN_MAX = 256;

function render(option: echarts.EChartsOption, width: number, height: number, label: string): string {
  const key = JSON.stringify([option, width, height, label]);
  const hit = drawn.get(key);
  if (hit !== undefined) return hit;
  const svg = draw(option, width, height, label);
  if (drawn.size >= DRAWN_MAX) drawn.delete(drawn.keys().next().value!);
  drawn.set(key, svg);
  return svg;
}

function draw(option: echarts.EChartsOption, width: number, height: number, label: string): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({ animation: false, textStyle: { fontFamily: FONT, fontSize: 13, color: '#1b2a2f' }, ...option });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg
    .replace(/<style[^>]*>[\s\S]*?<\/style>/g, '')
    .replace(/ style="([^"]*)"/g, (_, css: string) =>
      css
        .split(';')
        .map((d) => d.trim())
        .filter(Boolean)
        .map((d) => {
          const i = d.indexOf(':');
          return ` ${d.slice(0, i).trim()}="${d.slice(i + 1).trim().replace(/"/g, "'")}"`;
        })
        .join(''),
    )
    .replace(/^<svg width="\d+" height="\d+"/, `<svg role="img" aria-label="${label.replace(/[&<>"]/g, '')}" focusable="false"`);
}

export interface TrendPoint {
  day: string;
  citizens: number | null;
  personnel: number | null;
}

/** Shares in per cent by day, with the current period's targets as dashed lines. */
export function trendChart(o: { points: TrendPoint[]; labels: { citizens: string; personnel: string; title: string }; targets: { citizens: number; personnel: number } }): string {
  const target = (value: number, color: string) => ({ silent: true, symbol: 'none', lineStyle: { type: 'dashed' as const, color }, label: { formatter: `${value} %` }, data: [{ yAxis: value }] });
  return render(
    {
      legend: { top: 0, data: [o.labels.citizens, o.labels.personnel] },
      grid: { left: 48, right: 48, top: 36, bottom: 32 },
      xAxis: { type: 'category', data: o.points.map((p) => p.day), axisLabel: { hideOverlap: true } },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value} %' } },
      series: [
        { name: o.labels.citizens, type: 'line', data: o.points.map((p) => p.citizens), color: BRAND, showSymbol: o.points.length < 40, markLine: target(o.targets.citizens, BRAND) },
        { name: o.labels.personnel, type: 'line', data: o.points.map((p) => p.personnel), color: SECOND, showSymbol: o.points.length < 40, markLine: target(o.targets.personnel, SECOND) },
      ],
    },
    720,
    320,
    o.labels.title,
  );
}

/** The parts of an area ranked by the citizens' share, highest first. */
export function rankingChart(o: { rows: Array<{ name: string; share: number }>; label: string; title: string; target: number }): string {
  const rows = [...o.rows].sort((a, b) => b.share - a.share);
  return render(
    {
      grid: { left: 150, right: 56, top: 8, bottom: 24 },
      xAxis: { type: 'value', axisLabel: { formatter: '{value} %' } },
      yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.name), axisLabel: { width: 140, overflow: 'truncate' } },
      series: [
        {
          name: o.label,
          type: 'bar',
          data: rows.map((r) => r.share),
          color: BRAND,
          label: { show: true, position: 'right', formatter: '{c} %' },
          markLine: { silent: true, symbol: 'none', lineStyle: { type: 'dashed', color: '#991b1b' }, label: { formatter: `${o.target} %` }, data: [{ xAxis: o.target }] },
        },
      ],
    },
    720,
    Math.max(160, 40 + rows.length * 20),
    o.title,
  );
}
