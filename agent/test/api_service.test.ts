// The service without HTTP or PC/SC: reads serialized per reader, a pairing written by another process
// picked up by the running service, and entitlement failures named as such.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgentService } from '../src/service.ts';
import { pairingStore, type Pairing } from '../src/pairing/state.ts';
import { loadOrCreateKey } from '../src/signing/key.ts';
import { silentLogger } from '../src/log.ts';
import { UpstreamError, type Upstream } from '../src/upstream/services.ts';
import type { Readers } from '../src/pcsc/readers.ts';
import type { ThaiIdCard } from '../src/card/thai_id.ts';
import type { Config } from '../src/config.ts';

const card: ThaiIdCard = { pid: '1101700203450', title_th: 'นาย', given_name_th: 'สมชาย', family_name_th: 'ใจดี', birthdate_be: '25250315', gender: '1', issuer: 'x', issue_date_be: '25640110', expiry_date_be: '25730314' };
const config: Config = { host: '127.0.0.1', port: 0, idpUrl: 'http://localhost:1', authencodeUrl: 'http://localhost:2', allowedOrigins: [], dataDir: '', logLevel: 'info' };
const pairing: Pairing = { agent_id: 'agent-0123456789abcdef', hcode: '10669', unit_name: 'u', issuer: 'http://localhost:1', token_endpoint: 'http://localhost:1/token', idp_url: 'http://localhost:1', name: 'n', paired_at: new Date().toISOString() };

function fakeReaders() {
  const busy = new Set<string>();
  let overlap = 0;
  const readers: Readers = {
    terminals: async () => [{ name: 'A', card: true }, { name: 'B', card: true }],
    async read(o) {
      const reader = o.reader ?? 'A';
      if (busy.has(reader)) overlap++;
      busy.add(reader);
      await new Promise((r) => setTimeout(r, 30));
      busy.delete(reader);
      return { reader, atr: '3b68', card };
    },
    state: () => ({ pcsc: true, readers: [] }),
    on() {},
    close: async () => {},
  };
  return { readers, overlap: () => overlap };
}

function fakeUpstream(o: { probe?: Upstream['probe'] } = {}) {
  const calls = { register: 0 };
  const upstream: Upstream = {
    pair: async () => pairing,
    token: async () => 't',
    register: async () => (calls.register++, { agent_id: pairing.agent_id, hcode: pairing.hcode, lease_until: '2026-01-05T11:00:00+07:00' }),
    probe: o.probe ?? (async () => ({ status: 200, contentType: 'application/json', body: Buffer.from('{}') })),
    forward: async () => ({ status: 200, contentType: 'application/json', body: Buffer.from('{}') }),
  };
  return { upstream, calls };
}

test('reads of one reader never overlap; reads of two readers may', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mpid-agent-svc-'));
  try {
    const r = fakeReaders();
    const service = createAgentService({ config, readers: r.readers, key: await loadOrCreateKey(dir), pairing: pairingStore(dir), upstream: fakeUpstream().upstream, log: silentLogger });
    const started = Date.now();
    await Promise.all([1, 2, 3, 4].map(() => service.readCard({ photo: false, reader: 'A' })).concat([service.readCard({ photo: false, reader: 'B' })]));
    assert.equal(r.overlap(), 0);
    assert.ok(Date.now() - started >= 4 * 30 - 5);
    // without a reader named: the first with a card, queued with the others on it
    await Promise.all([service.readCard({ photo: false }), service.readCard({ photo: false, reader: 'A' })]);
    assert.equal(r.overlap(), 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a pairing written by the pair command is picked up by the running service, which registers it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mpid-agent-svc-'));
  try {
    const u = fakeUpstream();
    const service = createAgentService({ config, readers: fakeReaders().readers, key: await loadOrCreateKey(dir), pairing: pairingStore(dir), upstream: u.upstream, log: silentLogger });
    service.start();
    await assert.rejects(service.cardRead({ nonce: 'a'.repeat(32), photo: false }), { code: 'not_paired', status: 503 });
    pairingStore(dir).save(pairing); // another process: the CLI pairing directly
    for (let i = 0; i < 50 && u.calls.register === 0; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(u.calls.register, 1);
    assert.equal(service.status().lease.until, '2026-01-05T11:00:00+07:00');
    const read = await service.cardRead({ nonce: 'a'.repeat(32), photo: false });
    assert.equal(typeof read.document, 'string');
    await service.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Authen Code down after the read: entitlement_unavailable, 503', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mpid-agent-svc-'));
  try {
    const store = pairingStore(dir);
    store.save(pairing);
    const down = async () => {
      throw new UpstreamError(502, 'authencode_unreachable', 'Authen Code at http://localhost:2 cannot be reached (ECONNREFUSED)');
    };
    const service = createAgentService({ config, readers: fakeReaders().readers, key: await loadOrCreateKey(dir), pairing: store, upstream: fakeUpstream({ probe: down }).upstream, log: silentLogger });
    await assert.rejects(service.readWithEntitlement({ photo: false }), (e: UpstreamError) => e.status === 503 && e.code === 'entitlement_unavailable' && /^the card was read but the entitlement could not be checked/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
