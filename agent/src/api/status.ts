// GET /api/status (JSON) and GET / (a page in Thai and English for whoever sits at the counter PC):
// version, PC/SC, readers, pairing and lease. No person's data ever appears: reads are not remembered.
// The page has no script at all (CSP default-src 'none'); it refreshes itself with a meta refresh.
import type { AgentStatus } from '../service.ts';

export const STATUS_CSP = "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const row = (th: string, en: string, value: string, ok?: boolean) =>
  `<tr><th scope="row"><span lang="th">${th}</span><br><span lang="en">${en}</span></th><td${ok === undefined ? '' : ` class="${ok ? 'ok' : 'bad'}"`}>${value}</td></tr>`;
const both = (th: string, en: string) => `<span lang="th">${esc(th)}</span> / <span lang="en">${esc(en)}</span>`;

export function statusHtml(s: AgentStatus): string {
  const readers = s.readers.length
    ? `<ul>${s.readers.map((r) => `<li>${esc(r.name)} — ${r.card ? both('มีบัตร', 'card inserted') : both('ไม่มีบัตร', 'no card')}</li>`).join('')}</ul>`
    : both('ไม่พบเครื่องอ่านบัตร', 'no card reader found');
  const pairing = s.pairing.paired
    ? `${both('จับคู่แล้ว', 'paired')}: ${esc(s.pairing.unit_name)} (${esc(s.pairing.hcode)})<br><small>${esc(s.pairing.agent_id)} · ${esc(s.pairing.paired_at)}</small>`
    : both('ยังไม่ได้จับคู่ — ใช้คำสั่ง mpid-card-agent pair CODE', 'not paired — run mpid-card-agent pair CODE');
  const lease = s.lease.until
    ? `${both('ลงทะเบียนถึง', 'registered until')} ${esc(s.lease.until)}`
    : s.lease.error
      ? `${both('ลงทะเบียนไม่สำเร็จ', 'registration failed')}: ${esc(s.lease.error)}`
      : both('ยังไม่ได้ลงทะเบียน', 'not registered');
  return `<!doctype html>
<html lang="th">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="10">
<title>Mor Prom ID card reader agent — สถานะ / status</title>
<link rel="stylesheet" href="/status.css">
</head>
<body>
<main>
<h1><span lang="th">โปรแกรมอ่านบัตรหมอพร้อม ไอดี</span><br><span lang="en">Mor Prom ID card reader agent</span></h1>
<table>
${row('รุ่น', 'Version', esc(s.version))}
${row('บริการสมาร์ตการ์ด (PC/SC)', 'Smart card service (PC/SC)', s.pcsc ? both('ทำงาน', 'running') : both('ไม่ทำงาน', 'not running'), s.pcsc)}
${row('เครื่องอ่านบัตร', 'Card readers', readers, s.readers.length > 0)}
${row('การจับคู่', 'Pairing', pairing, s.pairing.paired)}
${row('Authen Code', 'Authen Code', lease, s.lease.until ? true : s.lease.error ? false : undefined)}
${row('บริการ', 'Services', `${esc(s.idp_url)}<br>${esc(s.authencode_url)}`)}
</table>
<p><small><span lang="th">หน้านี้ไม่แสดงข้อมูลบุคคล และปรับปรุงทุก 10 วินาที</span> · <span lang="en">This page shows no personal data and refreshes every 10 seconds.</span> · <a href="/api/status">/api/status</a> · <a href="/api/openapi.json">/api/openapi.json</a></small></p>
</main>
</body>
</html>
`;
}

export const STATUS_CSS = `body{font-family:system-ui,"Noto Sans Thai",sans-serif;margin:2rem;color:#1b1b1b;background:#fafafa}
main{max-width:48rem}h1{font-size:1.4rem}table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ddd;padding:.6rem;text-align:left;vertical-align:top}th{width:14rem;font-weight:600}
td.ok{border-left:4px solid #1a7f37}td.bad{border-left:4px solid #c62828}ul{margin:0;padding-left:1.2rem}small{color:#555}
`;
