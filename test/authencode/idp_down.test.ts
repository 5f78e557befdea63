// When the IdP cannot be reached, the service says so (503) instead of failing: the API in its error
// shape, the login page in words.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openPglite } from '../../src/kernel/db/index.ts';
import { startAuthencode, type RunningAuthencode } from '../../src/authencode/server.ts';
import { deadAddress, testDirs } from '../helpers/server.ts';

describe('Authen Code service without a reachable IdP', () => {
  let ac: RunningAuthencode;
  let idp: Awaited<ReturnType<typeof deadAddress>>;
  before(async () => {
    const dirs = testDirs();
    idp = await deadAddress();
    ac = await startAuthencode({
      db: await openPglite(),
      env: { ...dirs, AUTHENCODE_PORT: '0', AUTHENCODE_IDP_ISSUER: idp.url, POPULATION_FILE: `${dirs.DATA_DIR}/population.csv`, LOG_LEVEL: 'silent' },
    });
  });
  after(async () => {
    await ac.close();
    await ac.db.close();
    await idp.close();
  });

  it('the API answers 503 idp_unreachable; the login page says the IdP cannot be reached', async () => {
    const res = await fetch(`${ac.url}/api/nhso-service/latest-5-authen-code-all-hospital/1234567890121`, { headers: { authorization: 'Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln' } });
    assert.equal(res.status, 503);
    assert.equal((await res.json()).errors[0].code, 'idp_unreachable');
    const page = await fetch(`${ac.url}/login?as=citizen`, { redirect: 'manual' });
    assert.equal(page.status, 503);
    assert.match(await page.text(), /ติดต่อหมอพร้อม ดิจิทัลไอดีไม่ได้/);
    assert.equal((await fetch(`${ac.url}/healthz`)).status, 200, 'the service itself is up');
  });
});
