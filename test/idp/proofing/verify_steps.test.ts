// /account/verify as steps: 1.1 (account and phone) → 1.2 (register check with the laser code) → 2.1
// (photo with the card, reviewed) → in person at a service point (2.3). Where a person stands with each
// step (steps.ts, from the policy table), and over HTTP what they read: finished steps folded and not
// offered again, the next one prominent with what it needs and gives, the service points listed, the
// level only small for reference, and a photo approved while still at 1.1 saying why it has not
// counted yet and what to do next — then counting at once when the register check is done.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { dbTargets } from '../../helpers/db.ts';
import { startTestServer, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import type { RunningServer } from '../../../src/idp/server.ts';
import { printedLaserCode, syntheticPeople } from '../../../src/kernel/registry/synthetic_population.ts';
import { planSteps } from '../../../src/idp/proofing/steps.ts';
import { accountIal, recordEvidence } from '../../../src/idp/proofing/index.ts';

const STEPS = [
  { id: 'account', level: '1.1', checks: ['phone_otp'] },
  { id: 'register_check', level: '1.2', checks: ['register_check'] },
  { id: 'photo_with_card', level: '2.1', checks: ['photo_with_card_review', 'face_match'] },
  { id: 'in_person', level: '2.3', checks: ['chip_read', 'card_status', 'face_compare_in_person', 'register_check'] },
] as const;
const states = (have: string[], ial: Parameters<typeof planSteps>[2]) => planSteps(STEPS, have, ial).map((p) => `${p.id}:${p.state}${p.after.length ? `(${p.after.join(',')})` : ''}`);

test('where a person stands with each step, by the policy table', () => {
  assert.deepEqual(states([], undefined), ['account:next', 'register_check:locked(account)', 'photo_with_card:locked(account,register_check)', 'in_person:later']);
  assert.deepEqual(states(['phone_otp'], '1.1'), ['account:done', 'register_check:next', 'photo_with_card:locked(register_check)', 'in_person:later']);
  assert.deepEqual(states(['phone_otp', 'photo_with_card_review'], '1.1'), ['account:done', 'register_check:next', 'photo_with_card:waiting(register_check)', 'in_person:later'], 'a photo approved at 1.1 waits for the register check');
  assert.deepEqual(states(['phone_otp', 'register_check'], '1.2'), ['account:done', 'register_check:done', 'photo_with_card:next', 'in_person:later']);
  assert.deepEqual(states(['phone_otp', 'register_check', 'photo_with_card_review'], '2.1'), ['account:done', 'register_check:done', 'photo_with_card:done', 'in_person:next']);
  assert.deepEqual(states(['chip_read', 'card_status', 'face_compare_in_person'], '2.3'), ['account:done', 'register_check:done', 'photo_with_card:done', 'in_person:done']);
});

const people = [...syntheticPeople(2000, 2569)].filter((p) => p.cardStatus === 'valid');
const citizen = people[7]!;
const birthdate = `${Number(citizen.birthdateBE.slice(0, 4)) - 543}-${citizen.birthdateBE.slice(4, 6)}-${citizen.birthdateBE.slice(6)}`;
/** The page's main text with the small print (the level for reference) left out. */
const withoutSmall = (body: string) => body.slice(body.indexOf('<main'), body.indexOf('</main>')).replace(/<small>[\s\S]*?<\/small>/g, '');
const section = (body: string, id: string) => body.match(new RegExp(`<section id="step-${id}"[\\s\\S]*?</section>`))?.[0] ?? '';

for (const target of dbTargets()) {
  describe(`/account/verify as steps on ${target.name}`, () => {
    let server: RunningServer;
    let drop: () => Promise<void>;
    let sub: string;

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      server = await startTestServer(made.db);
      const { accounts, units } = server.app();
      await units.importFile(path.resolve(import.meta.dirname, '../../../samples/units.csv'));
      await units.setServicePoint('10699', true, 'operator:test');
      sub = (await accounts.create({ ...TEST_PERSON, pid: citizen.pid, given_name: citizen.givenName, family_name: citizen.familyName, birthdate, phone_number: '0861230000', phone_verified: true })).sub;
    });
    after(async () => {
      await server.close();
      await drop();
    });

    async function open(person: Person, lang = 'th') {
      let page = await person.follow(`/account/verify?lang=${lang}`);
      if (/name="password"/.test(page.body)) {
        await person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: citizen.pid, password: TEST_PERSON.password });
        page = await person.follow(`/account/verify?lang=${lang}`);
      }
      assert.equal(page.res.status, 200);
      return page;
    }

    test('at 1.1: step 1 done, the register check next with its form, the photo locked, the service points listed', async () => {
      const person = new Person(server.url);
      const page = await open(person);
      const [account, register, photo, inPerson] = ['account', 'register_check', 'photo_with_card', 'in_person'].map((id) => section(page.body, id));
      assert.match(account!, /class="step step-done"/);
      assert.match(account!, /✓ <\/span>ขั้นที่ 1: บัญชีและหมายเลขโทรศัพท์/);
      assert.match(register!, /class="step step-next panel"/);
      assert.match(register!, /ขั้นต่อไป[\s\S]*ขั้นที่ 2: ตรวจสอบข้อมูลกับทะเบียนราษฎร/);
      assert.match(register!, /ต้องใช้:<\/strong> บัตรประจำตัวประชาชนของคุณ: รหัสหลังบัตร/);
      assert.match(register!, /name="laser_code"/);
      assert.match(photo!, /class="step step-locked"/);
      assert.match(photo!, /ทำขั้นที่ 2 \(ตรวจสอบข้อมูลกับทะเบียนราษฎร\)ก่อน/);
      assert.doesNotMatch(photo!, /<form/, 'a locked step offers no form');
      assert.match(inPerson!, /ขั้นที่ 4: ยืนยันตัวตนต่อหน้าเจ้าหน้าที่ที่จุดบริการ/);
      assert.match(inPerson!, /จุดบริการ Digital ID[\s\S]*<li>โรงพยาบาลสมเด็จพระยุพราชสระแก้ว <small>\(10699\)<\/small>/, 'the service points are listed');
      assert.match(page.body, /href="#step-register_check">ขั้นต่อไปของคุณ: ขั้นที่ 2/);
      assert.match(page.body, /ตัวตนของคุณตอนนี้: <strong>สมัครด้วยตนเอง ยืนยันหมายเลขโทรศัพท์แล้ว<\/strong> <small>\(ระดับ IAL 1\.1\)<\/small>/);
      assert.doesNotMatch(withoutSmall(page.body), /IAL/, 'the level only in small print');
    });

    test('a photo approved at 1.1 says why nothing changed yet and what to do; the register check then counts it at once', async () => {
      // a verifier approved the person's photo while their register check was not done
      await server.db.tx((q) => recordEvidence(q, { sub, method: 'photo_with_card', checks: ['photo_with_card_review'], documents: [], decision: 'approved', reason: 'face and card match' }));
      assert.equal(await accountIal(server.db, sub), '1.1');
      const person = new Person(server.url);
      let page = await open(person, 'en');
      const photo = section(page.body, 'photo_with_card');
      assert.match(photo, /class="step step-waiting panel panel-warning"/);
      assert.match(photo, /Approved, but not counted yet/);
      assert.match(photo, /it counts only on top of Step 2 \(Check your details with the civil register\), so your level has not changed yet\. Do Step 2 \(Check your details with the civil register\) next: your identity then becomes “Verified with a photo holding your ID card” at once/);
      assert.match(section(page.body, 'register_check'), /class="step step-next panel"/, 'the register check stays the next step');
      assert.doesNotMatch(withoutSmall(page.body), /IAL/);

      page = await person.submit('/account/verify/register', { csrf: Person.csrf(page.body), laser_code: printedLaserCode(citizen.laserCode) });
      assert.equal(page.res.status, 200);
      assert.equal(await accountIal(server.db, sub), '2.1', 'the approved photo counts as soon as the register check is done');
      assert.match(page.body, /class="notice" role="status">Checked: your details match the civil register\. Your identity now: Verified with a photo holding your ID card</);
      for (const id of ['account', 'register_check', 'photo_with_card']) assert.match(section(page.body, id), /class="step step-done"/, `${id} is done`);
      assert.doesNotMatch(page.body, /name="laser_code"/, 'a finished step is not offered again');
      assert.match(section(page.body, 'in_person'), /class="step step-next panel"[\s\S]*Step 4: Verify in person at a service point[\s\S]*10699/);
      assert.match(page.body, /href="#step-in_person">Your next step: Step 4/);
      assert.doesNotMatch(withoutSmall(page.body), /IAL/);
    });
  });
}
