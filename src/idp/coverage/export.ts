// The coverage table as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read Thai) and as
// XLSX (exceljs): the same rows and figures as the page, headings in the page's language, the total last.
import ExcelJS from 'exceljs';
import { percent } from './targets.ts';
import type { Report } from './report.ts';

export interface ExportText {
  code: string; area: string; areaEn: string; citizens: string; citizensDid: string; citizensPct: string;
  personnel: string; personnelDid: string; personnelPct: string; servicePoints: string; verifiers: string; total: string;
}

type Cell = string | number | null;

export function exportRows(report: Report, text: ExportText): Cell[][] {
  const line = (code: string, th: string, en: string, f: Report['total']): Cell[] => [
    code, th, en, f.citizens, f.citizensDid, percent(f.citizensDid, f.citizens),
    f.personnel, f.personnelDid, f.personnel === null ? null : percent(f.personnelDid ?? 0, f.personnel), f.servicePoints, f.verifiers,
  ];
  return [
    [text.code, text.area, text.areaEn, text.citizens, text.citizensDid, text.citizensPct, text.personnel, text.personnelDid, text.personnelPct, text.servicePoints, text.verifiers],
    ...report.rows.map((r) => line(r.area.code, r.area.nameTh, r.area.nameEn, r)),
    line(report.area?.code ?? 'TH', text.total, text.total, report.total),
  ];
}

const csvCell = (v: Cell) => {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function toCsv(rows: Cell[][]): string {
  return `\ufeff${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

export async function toXlsx(rows: Cell[][], sheet: string): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Mor Prom ID';
  const ws = book.addWorksheet(sheet.slice(0, 31).replace(/[\\/?*[\]:]/g, ' '));
  for (const r of rows) ws.addRow(r.map((v) => (v === null ? '' : v)));
  ws.getRow(1).font = { bold: true };
  ws.getRow(rows.length).font = { bold: true };
  ws.columns.forEach((c, i) => {
    c.width = i === 1 || i === 2 ? 28 : 14;
    if (i === 5 || i === 8) c.numFmt = '0.00';
    else if (i >= 3) c.numFmt = '#,##0';
  });
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await book.xlsx.writeBuffer());
}
