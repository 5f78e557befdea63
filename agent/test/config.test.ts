import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../src/config.ts';

const base = { MPID_AGENT_IDP_URL: 'https://id.example.go.th', MPID_AGENT_AUTHENCODE_URL: 'https://authen.example.go.th/' };
const dir = mkdtempSync(join(tmpdir(), 'mpid-agent-config-'));

test('defaults: 127.0.0.1:8189, origins of the two services, info', () => {
  const c = loadConfig({ env: base });
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.port, 8189);
  assert.equal(c.authencodeUrl, 'https://authen.example.go.th');
  assert.deepEqual(c.allowedOrigins, ['https://id.example.go.th', 'https://authen.example.go.th']);
  assert.equal(c.logLevel, 'info');
});

test('loopback hosts only', () => {
  for (const host of ['127.0.0.1', '::1', 'localhost']) assert.equal(loadConfig({ env: { ...base, MPID_AGENT_HOST: host } }).host, host);
  for (const host of ['0.0.0.0', '192.168.1.20', '::']) {
    assert.throws(() => loadConfig({ env: { ...base, MPID_AGENT_HOST: host } }), (e: Error) => e instanceof ConfigError && /loopback/.test(e.message));
  }
});

test('https for the services, plain http only for localhost', () => {
  assert.throws(() => loadConfig({ env: { ...base, MPID_AGENT_IDP_URL: 'http://id.example.go.th' } }), /MPID_AGENT_IDP_URL must use https/);
  assert.throws(() => loadConfig({ env: { ...base, MPID_AGENT_AUTHENCODE_URL: 'ftp://x.example' } }), /must use https/);
  assert.throws(() => loadConfig({ env: { MPID_AGENT_AUTHENCODE_URL: base.MPID_AGENT_AUTHENCODE_URL } }), /MPID_AGENT_IDP_URL is required/);
  const c = loadConfig({ env: { MPID_AGENT_IDP_URL: 'http://localhost:3000', MPID_AGENT_AUTHENCODE_URL: 'http://127.0.0.1:3001' } });
  assert.deepEqual(c.allowedOrigins, ['http://localhost:3000', 'http://127.0.0.1:3001']);
});

test('allowed origins from a list; a path is refused', () => {
  const c = loadConfig({ env: { ...base, MPID_AGENT_ALLOWED_ORIGINS: 'https://his.hospital.example, http://localhost:8080' } });
  assert.deepEqual(c.allowedOrigins, ['https://his.hospital.example', 'http://localhost:8080']);
  assert.throws(() => loadConfig({ env: { ...base, MPID_AGENT_ALLOWED_ORIGINS: 'https://his.example/app' } }), /origins like/);
});

test('a config file, any key case, the environment winning', () => {
  const file = join(dir, 'agent.json');
  writeFileSync(file, JSON.stringify({ idp_url: 'https://id.example.go.th', AUTHENCODE_URL: 'https://authen.example.go.th', port: 9000, allowed_origins: ['https://a.example'], data_dir: '/var/lib/x', log_level: 'debug' }));
  const c = loadConfig({ file, env: { MPID_AGENT_PORT: '9001' } });
  assert.equal(c.port, 9001);
  assert.deepEqual(c.allowedOrigins, ['https://a.example']);
  assert.equal(c.dataDir, '/var/lib/x');
  assert.equal(c.logLevel, 'debug');
});

test('a bad file is a clear error', () => {
  assert.throws(() => loadConfig({ file: join(dir, 'missing.json'), env: base }), (e: Error) => e instanceof ConfigError && /cannot read the config file .*missing\.json: no such file/.test(e.message));
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{"idp_url": ');
  assert.throws(() => loadConfig({ file: broken, env: base }), (e: Error) => e instanceof ConfigError && /broken\.json is not valid JSON/.test(e.message));
  const unknown = join(dir, 'unknown.json');
  writeFileSync(unknown, '{"idp": "https://x"}');
  assert.throws(() => loadConfig({ file: unknown, env: base }), /unknown setting "idp"/);
  writeFileSync(unknown, '[1]');
  assert.throws(() => loadConfig({ file: unknown, env: base }), /must hold a JSON object/);
});

test('bad port and log level', () => {
  assert.throws(() => loadConfig({ env: { ...base, MPID_AGENT_PORT: '80a' } }), /MPID_AGENT_PORT must be a port number/);
  assert.throws(() => loadConfig({ env: { ...base, MPID_AGENT_LOG_LEVEL: 'loud' } }), /MPID_AGENT_LOG_LEVEL must be one of/);
});
