// The staff pages as a member of staff reads them (issue 13): the confirm form reports every error in
// one pass and only the chosen method's fields, says "choose how the person was identified", says which
// photo cannot be used and why, shows the code large with a copy button; visits, the QR sheet and the
// report give dates in Thai time, Buddhist era on Thai pages, and words instead of identifiers; a
// search says when it found nothing and pages its results, keeping the filters.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { openPglite } from '../../src/kernel/db/index.ts';
import { startZone, type Zone } from '../helpers/authencode.ts';
import { Person } from '../helpers/person.ts';
import { pidWithCheckDigit, TEST_PERSON } from '../helpers/server.ts';
import { seedVerifierAtUnit } from '../helpers/proofing.ts';
import { logInStaff } from '../helpers/login_walk.ts';
import { thaiDay } from '../../src/kernel/thai/time.ts';
import { formatDate } from '../../src/kernel/thai/dates.ts';
import { createVisits } from '../../src/authencode/visits/index.ts';
import { loadClaimTypes } from '../../src/authencode/claim_types.ts';
import { createPii } from '../../src/kernel/pii/index.ts';

const valueOf = (body: string, name: string) => new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(body)?.[1] ?? '';
/** the error summary's entries: field → text */
const summaryOf = (body: string) => Object.fromEntries([...(/<div class="error[^"]*" role="alert" id="form-error"[^>]*>([\s\S]*?)<\/div>/.exec(body)?.[1] ?? '').matchAll(/<a href="#([\w-]+)">([^<]*)<\/a>/g)].map((m) => [m[1]!, m[2]!]));

describe('the staff pages', () => {
  let zone: Zone;
  let staff: Person;
  let patientPid: string;
  let today: string;

  before(async () => {
    zone = await startZone(await openPglite());
    await seedVerifierAtUnit(zone.idp); // the test person: personnel at 10699
    staff = new Person(zone.ac.url);
    await logInStaff(staff, zone.idp.url, zone.ac.url, TEST_PERSON, '10699');
    patientPid = readFileSync(zone.idp.config.populationFile, 'utf8').split('\n')[1]!.split(',')[0]!;
    today = thaiDay(new Date(zone.now()));
  });
  after(async () => {
    await zone.close();
    await zone.idp.db.close();
  });

  const patientPage = async () => {
    const search = await staff.follow('/staff');
    return staff.submit('/staff/patient', { csrf: Person.csrf(search.body), pid: patientPid });
  };
  async function post(page: { body: string }, fields: Record<string, string | string[]>, photo?: { bytes: Buffer; type: string; name: string }) {
    const form = new FormData();
    const all: Record<string, string | string[]> = { csrf: Person.csrf(page.body), pid: patientPid, service_date: valueOf(page.body, 'service_date'), service_time: valueOf(page.body, 'service_time'), action: 'confirm', ...fields };
    for (const [k, v] of Object.entries(all)) for (const one of [v].flat()) form.append(k, one);
    if (photo) form.append('photo', new Blob([new Uint8Array(photo.bytes)], { type: photo.type }), photo.name);
    const res = await staff.request('/staff/visit', { method: 'POST', body: form });
    return { res, body: await res.text() };
  }

  test('the confirm form: a section per method, the card read chosen first; the script that switches them is served', async () => {
    const page = await patientPage();
    assert.equal(page.res.status, 200);
    // the card reader serves the photo method too (its face is compared with the chip photo)
    for (const [m, serves] of [['card', 'card photo'], ['photo', 'photo'], ['certification', 'certification']]) assert.match(page.body, new RegExp(`<div class="method-section" id="method-${m}-fields" data-choice-section="${serves}">`), m);
    assert.match(page.body, /<input type="radio" id="method-card" name="method" value="card" data-choice checked>/);
    const src = /<script src="(\/static\/authencode-pages\.js\?v=[0-9a-f]{12})" defer>/.exec(page.body)?.[1];
    assert.ok(src, 'the pages script, fingerprinted');
    assert.match(page.body, new RegExp(`วันนี้คือ ${formatDate(today, 'th')}`), 'the service date said in the Buddhist era');
    const script = await staff.request(src);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('cache-control')!, /immutable/);
    assert.match(script.headers.get('content-type')!, /javascript/);
    assert.match(await script.text(), /data-choice-section/);
  });

  test('every error in one pass: the certifier fields with the rest; no method says to choose one', async () => {
    const page = await patientPage();
    const r = await post(page, { method: 'certification', mobile: '12', hn: 'bad hn!' });
    assert.equal(r.res.status, 400);
    const errors = summaryOf(r.body);
    assert.deepEqual(Object.keys(errors).sort(), ['cert_reason', 'certifier_name', 'certifier_pid', 'certifier_relationship', 'claim_type', 'hn', 'mobile'], JSON.stringify(errors));
    assert.match(errors.certifier_relationship!, /เลือกความสัมพันธ์ของผู้รับรอง/);
    // filled in as the summary asked: accepted at the next submit, no new round of errors
    const fixed = await post({ body: r.body }, {
      method: 'certification', mobile: '0812223333', hn: 'HN-1', claim_type: 'PG0060001',
      certifier_pid: pidWithCheckDigit('310090000555'), certifier_name: 'มานี ใจดี', certifier_relationship: 'guardian', cert_reason: 'ไม่มีบัตร',
    });
    assert.equal(fixed.res.status, 200, JSON.stringify(summaryOf(fixed.body)));

    const none = await post(page, { mobile: '0812223333', claim_type: 'PG0060001' });
    assert.equal(none.res.status, 400);
    assert.deepEqual(summaryOf(none.body), { method: 'วิธียืนยันตัวตนผู้รับบริการ: เลือกวิธีที่ใช้ยืนยันตัวตนของผู้รับบริการ' });
    assert.doesNotMatch(none.body, /data-choice checked/, 'nothing chosen: every section shows');
    const card = await post(page, { method: 'card', mobile: '0812223333', claim_type: 'PG0060001' });
    assert.match(summaryOf(card.body).card_read!, /กดปุ่ม “อ่านบัตร” หรือวางเอกสารการอ่านบัตร/);
  });

  test('a photo that cannot be used says why: not a picture, a GIF, too large; the form comes back filled', async () => {
    const page = await patientPage();
    const fields = { method: 'photo', mobile: '0812223333', claim_type: 'PG0130001', hn: 'HN-9' };
    let r = await post(page, fields);
    assert.match(summaryOf(r.body).photo!, /แนบภาพผู้รับบริการคู่กับบัตรประชาชน/);
    r = await post(page, fields, { bytes: Buffer.from('%PDF-1.4 not a photo'), type: 'application/pdf', name: 'scan.pdf' });
    assert.match(summaryOf(r.body).photo!, /ไฟล์ scan\.pdf \(ขนาด 20 B\) ไม่ใช่ภาพ/, "the file named");
    const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888888' } }).gif().toBuffer();
    r = await post(page, fields, { bytes: gif, type: 'image/gif', name: 'a.gif' });
    assert.match(summaryOf(r.body).photo!, /ไฟล์ a\.gif เป็นภาพ GIF ระบบรับเฉพาะภาพ JPEG หรือ PNG/);
    r = await post(page, fields, { bytes: Buffer.alloc(6 * 1024 * 1024, 7), type: 'image/jpeg', name: 'big.jpg' });
    assert.equal(r.res.status, 400, 'a photo over 5 MB is a field error, not a lost form');
    assert.match(summaryOf(r.body).photo!, /ไฟล์ big\.jpg มีขนาด 6 MB เกินกำหนด 5 MB/);
    assert.equal(valueOf(r.body, 'hn'), 'HN-9', 'the form keeps what was typed');
  });

  test('the result and the visit: the code large with a copy button, the method in words, dates in the Buddhist era', async () => {
    const page = await patientPage();
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#a0b0c0' } }).png().toBuffer();
    const r = await post(page, { method: 'photo', mobile: '0812223333', claim_type: 'PG0120001' }, { bytes: png, type: 'image/png', name: 'p.png' });
    assert.equal(r.res.status, 200, JSON.stringify(summaryOf(r.body)));
    const code = /<p class="authen-code">(EP\d{10})<\/p>/.exec(r.body)?.[1];
    assert.ok(code, 'the code shown large');
    assert.match(r.body, new RegExp(`<input id="code-1" type="text" value="${code}" readonly>`));
    assert.match(r.body, /<button type="button" class="copy-code secondary" data-target="code-1"[^>]*hidden>คัดลอกรหัส<\/button>/);
    const id = /href="\/staff\/visits\/([\w-]+)"/.exec(r.body)![1]!;
    const visit = await staff.follow(`/staff/visits/${id}`);
    const year = Number(today.slice(0, 4));
    assert.match(visit.body, new RegExp(`<td>${formatDate(today, 'th')} \\d{2}:\\d{2} น\\.</td>`), 'service date in BE with Thai time');
    assert.ok(visit.body.includes(String(year + 543)));
    assert.match(visit.body, /<td>ภาพถ่ายผู้รับบริการคู่กับบัตรประชาชน<\/td>/);
    assert.doesNotMatch(visit.body, /<td>photo<\/td>/);
    const en = await staff.follow(`/staff/visits/${id}?lang=en`);
    assert.match(en.body, new RegExp(`<td>${formatDate(today, 'en')}, \\d{2}:\\d{2}</td>`), 'English: the common era');
    assert.match(en.body, /<td>Photo of the patient with their ID card<\/td>/);
    await staff.follow('/staff?lang=th');
  });

  test('search: nothing found is said; 50 a page with next and previous links that keep the filters', async () => {
    let page = await staff.follow('/staff/visits?day=2001-01-01&claim_type=&hn=&status=');
    assert.match(page.body, /<p role="status" class="notice">ไม่พบรายการที่ตรงกับการค้นหานี้ \(1 มกราคม 2544\)<\/p>/);
    page = await staff.follow('/staff/visits?day=&claim_type=&hn=&status=');
    assert.match(page.body, /<div class="table-wrap"><table>/, 'every filter at "all" lists the unit\'s visits');

    const visits = createVisits(zone.ac.db, createPii(zone.ac.config.piiKey), await loadClaimTypes(zone.ac.db), zone.now);
    for (let i = 0; i < 55; i++) await visits.saveDraft({ pid: pidWithCheckDigit(`3100900${String(i).padStart(5, '0')}`), hcode: '10699', claimType: 'PG0140001', serviceAt: new Date(zone.now()), hn: 'PAGED', mobiles: ['0811111111'], method: 'certification', actor: 'sub:test' });
    page = await staff.follow('/staff/visits?day=&claim_type=PG0140001&hn=PAGED&status=draft');
    assert.equal([...page.body.matchAll(/<tr><td>—<\/td>/g)].length, 50);
    assert.match(page.body, /รายการที่ 1–50/);
    const next = /<a href="([^"]+)" rel="next">หน้าถัดไป<\/a>/.exec(page.body)?.[1]?.replace(/&amp;/g, '&');
    assert.ok(next, 'a next link');
    const nextUrl = new URL(next, zone.ac.url);
    assert.deepEqual(Object.fromEntries(nextUrl.searchParams), { claim_type: 'PG0140001', hn: 'PAGED', status: 'draft', page: '2' });
    page = await staff.follow(next);
    assert.equal([...page.body.matchAll(/<tr><td>—<\/td>/g)].length, 5);
    assert.match(page.body, /รายการที่ 51–55/);
    assert.match(page.body, /rel="prev">หน้าก่อนหน้า<\/a>/);
    assert.doesNotMatch(page.body, /rel="next"/);
    assert.match(page.body, /PG0140001 /, 'the service named, not only its code');
    assert.doesNotMatch(page.body, /<td>certification<\/td>|<td>draft<\/td>/);
  });

  test('the QR sheet and the report: dates in the Buddhist era, services named, the tables in a scrolling box', async () => {
    const qr = await staff.follow('/staff/qr');
    const until = thaiDay(new Date(zone.now() + zone.ac.config.qrValidDays * 86400_000));
    assert.ok(qr.body.includes(formatDate(until, 'th')), 'valid until, in the Buddhist era');
    assert.ok(!qr.body.includes(until), 'not the ISO date');
    const report = await staff.follow('/staff/reports');
    assert.match(report.body, /<h2>ตั้งแต่ \d+ \S+ \d{4} ถึง \d+ \S+ \d{4}<\/h2>/);
    assert.match(report.body, /<figure class="chart"><img src="\/staff\/reports\/chart\.svg\?from=[\d-]+&amp;to=[\d-]+&amp;lang=th"/);
    assert.match(report.body, new RegExp(`<td>${formatDate(today, 'th')}</td><td>PG0120001 `), 'the day in BE and the service named');
    assert.match(report.body, /<div class="table-wrap"><table>/);
    const chart = await (await staff.request(`${/<figure class="chart"><img src="([^"]+)"/.exec(report.body)![1]!.replace(/&amp;/g, '&')}`)).text();
    assert.ok(chart.includes(String(Number(today.slice(0, 4)) + 543)), 'the chart title gives the range in BE');
  });
});
