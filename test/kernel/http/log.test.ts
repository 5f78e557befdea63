// Log redaction normalises before it masks: an ID number or a phone number in a path is masked
// however it is written (dashes, spaces, percent-encoding); a database error is logged by its
// SQLSTATE code, table and constraint, never by its message, detail or parameters (they echo input).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import Koa from 'koa';
import { openPglite, type Database } from '../../../src/kernel/db/index.ts';
import { createLogger, requestLog, safePath } from '../../../src/kernel/http/log.ts';
import { errorPages } from '../../../src/idp/web/errors.ts';

const PID = '3101700203459';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { log: createLogger('info', sink), lines, all: () => lines.join('') };
}

describe('paths in the log', () => {
  test('an ID number is masked however it is written', () => {
    const spellings = [
      PID,
      '3-1017-00203-45-9',
      '3 1017 00203 45 9',
      '3%201017%2000203%2045%209',
      '3%2D1017%2D00203%2D45%2D9',
      [...PID].map((d) => `%3${d}`).join(''),
      '3-1017-%30%30%32%30%33-45-9',
      '3.1017.00203.45.9',
    ];
    for (const spelling of spellings) {
      assert.equal(safePath(`/api/nhso-service/latest-authen-code/${spelling}`), '/api/nhso-service/latest-authen-code/*************', spelling);
    }
  });
  test('a phone number is masked however it is written', () => {
    for (const spelling of ['0812345678', '081-234-5678', '+66812345678', '+66-81-234-5678', '%2B66%2081%20234%205678', '081%20234%205678']) {
      assert.equal(safePath(`/x/${spelling}/y`), '/x/*********/y', spelling);
    }
    assert.equal(safePath('/x/(081) 234-5678'), '/x/(*********');
  });
  test('ids, days and uuids stay readable', () => {
    for (const p of ['/admin/evidence/123/revoke', '/staff/reports/report.csv', '/visit/done/0b8e5c1a-3f7d-4e2a-9c1b-5d6e7f8a9b0c', '/q/2026-02-01', '/static/%E0%B8%81.css', '/a%zz']) {
      assert.equal(safePath(p), p);
    }
  });
  test('the request log line carries the masked path', async () => {
    const { log, all } = capture();
    const app = new Koa();
    app.use(requestLog(log));
    app.use((ctx) => void (ctx.status = 404));
    const server = app.listen(0);
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (const p of ['3-1017-00203-45-9', '3%2D1017%2D00203%2D45%2D9', [...PID].map((d) => `%3${d}`).join('')]) await fetch(`${base}/latest-authen-code/${p}`);
    server.close();
    assert.equal(all().match(/latest-authen-code\/\*{13}"/g)?.length, 3);
    for (const digits of ['1017', '00203', '%33%31']) assert.ok(!all().includes(digits), `no ${digits} in the log`);
  });
});

describe('the request line', () => {
  test('says the method, path, status, time and request id, nothing else; every other line is still redacted', async () => {
    const { log, all } = capture();
    const app = new Koa();
    app.use(requestLog(log));
    app.use((ctx) => {
      log.info({ password: 'hunter2', nested: { token: 'tok-secret' }, pid: PID }, 'inside');
      ctx.status = 204;
    });
    const server = app.listen(0);
    await new Promise((r) => server.once('listening', r));
    await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/token?code=abc`, { method: 'POST', headers: { authorization: 'Basic c2VjcmV0OnNlY3JldA==' } });
    server.close();
    const lines = all().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const request = lines.find((l) => l.msg === 'request')!;
    assert.deepEqual(Object.keys(request).sort(), ['app', 'level', 'method', 'ms', 'msg', 'path', 'request_id', 'status', 'time']);
    assert.deepEqual([request.method, request.path, request.status], ['POST', '/token', 204]);
    const inside = lines.find((l) => l.msg === 'inside')!;
    assert.deepEqual([inside.password, (inside.nested as Record<string, unknown>).token, inside.pid], ['[redacted]', '[redacted]', '[redacted]']);
    assert.equal(inside.request_id, request.request_id);
  });
});

describe('database errors in the log', () => {
  let db: Database;
  let server: Server;
  let base: string;
  before(async () => {
    db = await openPglite();
    await db.exec('CREATE TABLE people (pid text CONSTRAINT people_pid_key UNIQUE)');
  });
  after(async () => {
    server?.close();
    await db.close();
  });

  test('only the SQLSTATE code, table and constraint are logged', async () => {
    const { log, all } = capture();
    await db.query('INSERT INTO people VALUES ($1)', [PID]);
    const duplicate = await db.query('INSERT INTO people VALUES ($1)', [PID]).catch((e: unknown) => e);
    const cast = await db.query('SELECT $1::bigint', ['1e309-from-a-stranger']).catch((e: unknown) => e);
    log.error({ err: duplicate }, 'unhandled error');
    log.error({ err: cast }, 'unhandled error');
    const [first, second] = all().trim().split('\n').map((l) => JSON.parse(l) as { err: Record<string, unknown> });
    assert.deepEqual(first!.err, { name: 'DatabaseError', code: '23505', table: 'people', constraint: 'people_pid_key' });
    assert.deepEqual(second!.err, { name: 'DatabaseError', code: '22P02' });
    assert.ok(!all().includes(PID) && !all().includes('stranger'), 'no value that was sent');
  });

  test('a 500 caused by input logs no input', async () => {
    const { log, all } = capture();
    const app = new Koa();
    app.use(requestLog(log));
    app.use(errorPages(log));
    app.use(async (ctx) => {
      await db.query('SELECT $1::date', [String(ctx.query.day)]);
      ctx.body = 'ok';
    });
    server = app.listen(0);
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const res = await fetch(`${base}/lookup?day=2026-02-30-${PID}`); // not `/`: the frame answers it (the home page)
    assert.equal(res.status, 500);
    assert.match(all(), /"code":"22008"/);
    assert.ok(!all().includes('2026-02-30') && !all().includes(PID), all());
  });

  test('other errors keep their message and stack', () => {
    const { log, all } = capture();
    log.error({ err: new RangeError('the date is before the birth date') }, 'unhandled error');
    const { err } = JSON.parse(all()) as { err: { name: string; message: string; stack: string } };
    assert.equal(err.name, 'RangeError');
    assert.equal(err.message, 'the date is before the birth date');
    assert.match(err.stack, /log\.test\.ts/);
  });
});
