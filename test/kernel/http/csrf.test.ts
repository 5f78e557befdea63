// CSRF tokens expire, and only the browser that got one can use it. Real Koa cookies over real HTTP;
// the clock is passed in so expiry is tested without waiting two hours.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import Koa from 'koa';
import { checkCsrfToken, issueCsrfToken, CSRF_MAX_AGE_MS } from '../../../src/kernel/http/csrf.ts';

let server: Server;
let base: string;

before(async () => {
  const app = new Koa({ keys: ['k'.repeat(32)] });
  app.use((ctx) => {
    const now = Number(ctx.query.now);
    ctx.body = ctx.path === '/issue' ? issueCsrfToken(ctx, now) : String(checkCsrfToken(ctx, ctx.query.token, now));
  });
  server = app.listen(0);
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

async function issue(now: number) {
  const res = await fetch(`${base}/issue?now=${now}`);
  return { token: await res.text(), cookie: res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') };
}
async function check(token: string, cookie: string, now: number) {
  return (await (await fetch(`${base}/check?now=${now}&token=${encodeURIComponent(token)}`, { headers: { cookie } })).text()) === 'true';
}

test('a token is accepted until it expires, then refused', async () => {
  const now = Date.now();
  const { token, cookie } = await issue(now);
  assert.equal(await check(token, cookie, now + 1000), true);
  assert.equal(await check(token, cookie, now + CSRF_MAX_AGE_MS - 1), true);
  assert.equal(await check(token, cookie, now + CSRF_MAX_AGE_MS + 1), false);
  assert.equal(await check(token, cookie, now - 60_000), false, 'a token from the future is refused');
});

test('a token without its cookie, with a tampered cookie, or malformed, is refused', async () => {
  const now = Date.now();
  const { token, cookie } = await issue(now);
  assert.equal(await check(token, '', now), false);
  assert.equal(await check(token, cookie.replace(/mpid\.csrf=[^;]+/, 'mpid.csrf=attacker-chosen'), now), false);
  for (const bad of ['', 'x.y', `${now}.`, `${now + 1}.${token.split(".")[1]}`]) assert.equal(await check(bad, cookie, now), false, bad);
});
