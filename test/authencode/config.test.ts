import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, type Vars } from '../../src/kernel/config.ts';
import { authencodeVars, loadAuthencodeConfig, minIalFor, parseMinIal } from '../../src/authencode/config.ts';
import { testDirs } from '../helpers/server.ts';

describe('Authen Code service configuration', () => {
  it('test zone: defaults next to the IdP, secrets generated once and kept', () => {
    const dirs = testDirs();
    const c = loadAuthencodeConfig({ DATA_DIR: dirs.DATA_DIR });
    assert.equal(c.url, 'http://localhost:3100');
    assert.equal(c.idpIssuer, 'http://localhost:3000');
    assert.equal(c.apiAudience, 'http://localhost:3100/api');
    assert.equal(c.staffAcr, 'urn:th:etda:aal:2.1');
    assert.equal(minIalFor(c, 'PG0060001'), '1.2');
    assert.deepEqual(loadAuthencodeConfig({ DATA_DIR: dirs.DATA_DIR }).piiKey, c.piiKey, 'the same key after a restart');
  });

  it('minimum IAL per claim type, and clear errors for bad values', () => {
    const m = parseMinIal('default=1.3, PG0120001=2.1');
    assert.equal(minIalFor({ minIal: m }, 'PG0120001'), '2.1');
    assert.equal(minIalFor({ minIal: m }, 'PG0060001'), '1.3');
    assert.throws(() => parseMinIal('PG0120001=9'), (e: Error) => e instanceof ConfigError && /AUTHENCODE_MIN_IAL/.test(e.message));
    assert.throws(() => parseMinIal('general=1.2'), ConfigError);
    assert.throws(() => loadAuthencodeConfig({ ...testDirs(), AUTHENCODE_STAFF_ACR: 'gold' }), (e: Error) => /AUTHENCODE_STAFF_ACR/.test(e.message));
    assert.throws(() => loadAuthencodeConfig({ ...testDirs(), AUTHENCODE_PORT: 'abc' }), (e: Error) => /AUTHENCODE_PORT/.test(e.message));
    assert.throws(() => loadAuthencodeConfig({ ...testDirs(), AUTHENCODE_PORT: '1e3' }), /AUTHENCODE_PORT must be a whole number/, 'strict, like the IdP\'s PORT');
    assert.throws(() => loadAuthencodeConfig({ ...testDirs(), LOG_LEVEL: 'loud' }), /LOG_LEVEL must be one of/);
    assert.throws(() => loadAuthencodeConfig({ ...testDirs(), TRUST_PROXY: 'yes' }), /TRUST_PROXY must be true or false/);
    assert.throws(() => loadAuthencodeConfig({ ...testDirs(), AUTHENCODE_MIN_IAL: 'default=9' }), (e: Error) => e instanceof ConfigError && /AUTHENCODE_MIN_IAL/.test(e.message));
  });

  it('production refuses http, missing keys and the synthetic entitlement register', () => {
    const base = { IDP_ZONE: 'production', AUTHENCODE_URL: 'https://authen.example.go.th', AUTHENCODE_IDP_ISSUER: 'https://id.example.go.th', DATABASE_URL: 'postgres://x/y' };
    assert.throws(() => loadAuthencodeConfig({ ...base, AUTHENCODE_URL: 'http://authen.example.go.th' }), /https/);
    assert.throws(() => loadAuthencodeConfig(base), /AUTHENCODE_COOKIE_KEYS/);
    const keys = { AUTHENCODE_COOKIE_KEYS: 'k'.repeat(32), AUTHENCODE_PII_KEY: Buffer.alloc(32, 1).toString('base64url'), AUTHENCODE_CLIENT_KEY_FILE: '/etc/authencode/client.json', AUTHENCODE_QR_KEY: '{}' };
    assert.throws(() => loadAuthencodeConfig({ ...base, ...keys }), /ENTITLEMENT_REGISTER_URL/);
    const full = { ...base, ...keys, ENTITLEMENT_REGISTER_URL: 'https://nhso.example/api' };
    for (const [name, v] of Object.entries(authencodeVars.vars as Vars)) {
      if (v.required !== 'production') continue;
      assert.throws(() => loadAuthencodeConfig({ ...full, [name]: undefined }), (e: Error) => e instanceof ConfigError && e.message.includes(name), `documented as required: ${name}`);
    }
    const c = loadAuthencodeConfig(full);
    assert.equal(c.unitsFile, undefined, 'no sample data in production');
    assert.equal(c.databaseUrl, 'postgres://x/y');
  });
});
