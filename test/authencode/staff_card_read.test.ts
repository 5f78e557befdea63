// Confirming a visit by card read over HTTP: the staff confirm form carries a challenge (data-nonce);
// a document signed over it is accepted once, and one over another member of staff's challenge, over
// none, or over a used one is refused with the form's message. A document posted with a form that
// came back for another field is kept, unused, and goes through once the field is fixed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openPglite } from '../../src/kernel/db/index.ts';
import { startZone, type Zone } from '../helpers/authencode.ts';
import { Person } from '../helpers/person.ts';
import { staffAtUnit } from '../helpers/staff.ts';
import { pageNonce, SAMPLE_CARD, signCardRead } from '../helpers/card_read.ts';
import { unitCardReadChallenge } from '../../src/authencode/agents.ts';
import { at } from '../../src/authencode/web/messages.ts';

/** an input's value on a page, by name */
const valueOf = (body: string, name: string) => new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(body)?.[1] ?? '';

describe('staff confirmation by card read', () => {
  let zone: Zone;
  let staff: Person;
  let patientPid: string;
  let sign: (nonce: string | undefined) => Promise<string>;

  before(async () => {
    zone = await startZone(await openPglite());
    let agent: { key: CryptoKey; agentId: string };
    ({ staff, patientPid, agent } = await staffAtUnit(zone));
    sign = (nonce) => signCardRead({ ...agent, hcode: '10699', nonce, card: { ...SAMPLE_CARD, pid: patientPid } });
  });
  after(async () => {
    await zone.close();
    await zone.idp.db.close();
  });

  const patientPage = async () => {
    const search = await staff.follow('/staff');
    return staff.submit('/staff/patient', { csrf: Person.csrf(search.body), pid: patientPid });
  };
  /** the confirm form as the page filled it, with a card read and these fields */
  async function confirm(page: { body: string }, fields: Record<string, string>) {
    const form = new FormData();
    const all: Record<string, string> = { csrf: Person.csrf(page.body), pid: patientPid, method: 'card', service_date: valueOf(page.body, 'service_date'), service_time: valueOf(page.body, 'service_time'), claim_type: 'PG0120001', mobile: '0812223333', action: 'confirm', ...fields };
    for (const [k, v] of Object.entries(all)) form.append(k, v);
    const res = await staff.request('/staff/visit', { method: 'POST', body: form });
    return { res, body: await res.text() };
  }

  it('the form carries its challenge; a read over another member of staff’s, over none, or over a used one is refused', async () => {
    const first = await patientPage();
    assert.equal(first.res.status, 200);
    let page = { body: first.body };
    assert.ok(page.body.includes(`data-pid="${patientPid}"`));
    assert.match(page.body, /<button type="button" id="card_read"[^>]*>อ่านบัตร<\/button>/);
    assert.match(page.body, /<script src="\/static\/card-read\.js(\?v=[0-9a-f]+)?" defer>/);
    const refused = at('th', 'cardReadInvalid');
    const others = await unitCardReadChallenge(zone.ac.db, { hcode: '10699', actor: 'sub-of-another-member-of-staff' });
    for (const [what, nonce] of [['another member of staff’s challenge', others], ['no challenge', undefined]] as const) {
      const r = await confirm(page, { card_read: await sign(nonce) });
      assert.equal(r.res.status, 400, what);
      assert.ok(r.body.includes(refused), what);
      page = { body: r.body };
    }
    const nonce = pageNonce(page.body);
    const done = await confirm(page, { card_read_pasted: await sign(nonce) });
    assert.equal(done.res.status, 200, done.body.slice(0, 300));
    assert.match(done.body, /EP\d{10}/);
    const again = await confirm(page, { card_read: await sign(nonce) });
    assert.equal(again.res.status, 400, 'the challenge was used up');
    assert.ok(again.body.includes(refused));
  });

  it('a document posted with a form that came back for another field is kept, and accepted once fixed', async () => {
    const page = await patientPage();
    const jws = await sign(pageNonce(page.body));
    const back = await confirm(page, { card_read: jws, mobile: '12' });
    assert.equal(back.res.status, 400);
    assert.equal(valueOf(back.body, 'card_read'), jws, 'the unused document is in the hidden field');
    const done = await confirm(back, { card_read: valueOf(back.body, 'card_read') });
    assert.equal(done.res.status, 200, done.body.slice(0, 300));
    assert.match(done.body, /EP\d{10}|วันนี้ได้ยืนยันแล้ว/);
  });
});
