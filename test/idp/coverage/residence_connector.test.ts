// The production connector to the residence look-up, against a real local server: POST {pid} with
// Basic credentials → the 6-digit sub-district code; no entry (404 or null) is no residence; anything
// else, or no answer, is ResidenceUnavailable, worded without the ID number.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpResidenceRegister } from '../../../src/idp/coverage/index.ts';

const PID = '1103700012345';
let answer: (body: { pid?: string }, res: http.ServerResponse) => void;
const requests: Array<{ authorization?: string; body: { pid?: string } }> = [];
const server = http.createServer((req, res) => {
  let raw = '';
  req.on('data', (c) => (raw += c));
  req.on('end', () => {
    const body = JSON.parse(raw) as { pid?: string };
    requests.push({ authorization: req.headers.authorization, body });
    answer(body, res);
  });
});
let url = '';
before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/residence`;
});
after(() => new Promise((r) => server.close(r)));

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
};

test('the sub-district code for the ID number, asked with Basic credentials', async () => {
  answer = (body, res) => json(res, 200, { subdistrict_code: body.pid === PID ? '270101' : '000000' });
  const register = new HttpResidenceRegister({ url, username: 'coverage', secret: 's3cret' });
  assert.deepEqual(await register.residence(PID), { subdistrictCode: '270101' });
  assert.deepEqual(requests.at(-1), { authorization: `Basic ${Buffer.from('coverage:s3cret').toString('base64')}`, body: { pid: PID } });
});

test('no entry, or an entry without an address, is no residence', async () => {
  const register = new HttpResidenceRegister({ url });
  answer = (_b, res) => json(res, 404, {});
  assert.equal(await register.residence(PID), undefined);
  assert.equal(requests.at(-1)!.authorization, undefined, 'no credentials configured, none sent');
  answer = (_b, res) => json(res, 200, { subdistrict_code: null });
  assert.equal(await register.residence(PID), undefined);
});

test('an error, an unreadable answer or no answer is unavailable, and never names the person', async () => {
  const register = new HttpResidenceRegister({ url, timeoutMs: 200 });
  for (const [status, body, message] of [
    [500, {}, /answered HTTP 500/],
    [200, { subdistrict_code: '27-01' }, /cannot be read/],
    [200, { subdistrict_code: 270101 }, /cannot be read/],
  ] as const) {
    answer = (_b, res) => json(res, status, body);
    await assert.rejects(register.residence(PID), (err: Error) => err.name === 'ResidenceUnavailable' && message.test(err.message) && !err.message.includes(PID));
  }
  answer = (_b, res) => setTimeout(() => json(res, 200, { subdistrict_code: '270101' }), 1_000);
  await assert.rejects(register.residence(PID), (err: Error) => err.name === 'ResidenceUnavailable' && /could not be reached \(TimeoutError\)/.test(err.message));
});
