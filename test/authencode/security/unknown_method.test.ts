// Issue 11, item 4 (unknown methods): TRACE and PROPFIND answered 501 on the pages and 500 under
// /api. Now a 405 with an Allow header, as a message page or in the API's JSON error shape.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openPglite } from '../../../src/kernel/db/index.ts';
import { startZone, type Zone } from '../../helpers/authencode.ts';
import { rawRequest } from '../../helpers/raw_http.ts';

const METHODS = ['TRACE', 'PROPFIND', 'MKCOL', 'PURGE', 'LOCK'];

describe('unknown methods at the Authen Code service', () => {
  let zone: Zone;
  before(async () => {
    zone = await startZone(await openPglite());
  });
  after(async () => {
    await zone.close();
    await zone.idp.db.close();
  });

  it('web pages: 405 with Allow and a message page', async () => {
    for (const path of ['/', '/visit', '/visit/scan', '/staff', '/staff/visit', '/login', '/healthz', '/nowhere']) {
      for (const method of METHODS) {
        const res = await rawRequest(zone.ac.url, method, path, { accept: 'text/html' });
        assert.equal(res.status, 405, `${method} ${path}`);
        assert.match(String(res.headers.allow), /^[A-Z]+(, [A-Z]+)*$/, `${method} ${path}: Allow`);
        assert.match(res.body, /role="alert"|<main/, `${method} ${path}: a message`);
      }
    }
    assert.deepEqual(String((await rawRequest(zone.ac.url, 'TRACE', '/visit/scan')).headers.allow).split(', ').sort(), ['POST']);
  });

  it('under /api: 405 with Allow in the JSON error shape, never a 500', async () => {
    for (const path of ['/api/openapi.json', '/api/nhso-service/confirm-save', '/api/nhso-service/latest-5-authen-code-all-hospital/1234567890121', '/api/nowhere', '/api']) {
      for (const method of METHODS) {
        const res = await rawRequest(zone.ac.url, method, path);
        assert.equal(res.status, 405, `${method} ${path}`);
        assert.match(String(res.headers.allow), /^[A-Z]+(, [A-Z]+)*$/, `${method} ${path}: Allow`);
        const body = JSON.parse(res.body);
        assert.equal(body.status, 405);
        assert.equal(body.errors[0].code, 'method_not_allowed');
        assert.ok(!body.path.includes('1234567890121'), 'the ID number is not echoed');
      }
    }
    assert.deepEqual(String((await rawRequest(zone.ac.url, 'PROPFIND', '/api/openapi.json')).headers.allow).split(', ').sort(), ['GET', 'HEAD']);
    assert.equal((await rawRequest(zone.ac.url, 'GET', '/api/openapi.json')).status, 200);
  });
});
