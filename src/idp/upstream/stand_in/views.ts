// The stand-in ThaID's login page: a fake of DOPA's app, outside Mor Prom ID. A tester types or picks
// an ID number from the synthetic register and the level the fake should assert. Plain HTML, no script.
import { html, type Html } from '../../../kernel/web/html.ts';

export interface StandInPerson {
  pid: string;
  name: string;
}

export function standInLoginPage(p: { uid: string; client: string; examples: StandInPerson[]; error?: string }): string {
  const body: Html = html`<!doctype html>
<html lang="th">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>ThaID (จำลอง) — เข้าสู่ระบบ</title></head>
<body>
<main>
<h1>ThaID (จำลอง / stand-in)</h1>
<p>ผู้ให้บริการจำลองของเขตทดสอบ แทนแอป ThaID ของกรมการปกครอง: ${p.client} ขอยืนยันตัวตนของคุณ / The test zone's stand-in for DOPA's ThaID app.</p>
${p.error ? html`<p role="alert" id="error">${p.error}</p>` : ''}
<form method="post" action="/interaction/${p.uid}/login">
  <p><label for="pid">เลขประจำตัวประชาชน / National ID number</label><br>
  <input id="pid" name="pid" inputmode="numeric" maxlength="13" autocomplete="off" required${p.error ? html` aria-invalid="true" aria-describedby="error"` : ''}></p>
  <p><label for="ial">ระดับที่ ThaID ยืนยัน (ial) / Level asserted</label><br>
  <select id="ial" name="ial"><option value="2.3" selected>2.3</option><option value="2.2">2.2</option><option value="1.3">1.3</option><option value="1.1">1.1</option></select></p>
  <p><button type="submit">เข้าสู่ระบบด้วย ThaID (จำลอง)</button></p>
</form>
<form method="post" action="/interaction/${p.uid}/abort"><p><button type="submit">ยกเลิก / Cancel</button></p></form>
<h2>ตัวอย่างจากทะเบียนจำลอง / From the synthetic register</h2>
<ul>${p.examples.map((e) => html`<li>${e.pid} ${e.name}</li>`)}</ul>
</main>
</body>
</html>`;
  return String(body);
}
