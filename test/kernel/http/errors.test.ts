// The shared error pages over real HTTP: a service's own refusals show their text, others a text by
// status; API clients get JSON when the service asks for it; unexpected errors are a logged 500 with
// no internals; unanswered requests become the not-found page only where the service asks.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import Koa from 'koa';
import { errorPages, HttpError, type ErrorPages } from '../../../src/kernel/http/errors.ts';
import { requireCsrf } from '../../../src/kernel/http/csrf.ts';
import type { Logger } from '../../../src/kernel/http/log.ts';

type Key = 'tooLarge' | 'notFound' | 'badRequest' | 'serverError' | 'csrfError' | 'gone';
class OwnError extends HttpError<Key> {}

async function serve(o: Omit<ErrorPages<Key>, 'log' | 'page'>, logged: unknown[]) {
  const app = new Koa({ keys: ['k'.repeat(32)] });
  const log = { error: (...args: unknown[]) => logged.push(args) } as unknown as Logger;
  app.use(errorPages<Key>({ ...o, log, page: (lang, key) => `<p>${lang}:${key}</p>` }));
  app.use((ctx) => {
    if (ctx.path === '/own') throw new OwnError(410, 'gone');
    if (ctx.path === '/plumbing') throw new HttpError(400, 'csrfError');
    if (ctx.path === '/large') throw Object.assign(new Error('x'), { status: 413 });
    if (ctx.path === '/boom') throw new Error('secret internals');
    if (ctx.path === '/csrf') requireCsrf(ctx, { token: 'forged' });
    if (ctx.path === '/ok') ctx.body = 'ok';
  });
  const server = app.listen(0);
  await new Promise((r) => server.once('listening', r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const keys = { tooLarge: 'tooLarge', badRequest: 'badRequest', serverError: 'serverError' } as const;

describe('error pages', () => {
  let server: Server;
  let base: string;
  const logged: unknown[] = [];
  before(async () => {
    ({ server, base } = await serve({ keyOf: (err) => (err instanceof OwnError ? err.messageKey : undefined), keys: { ...keys, notFound: 'notFound' }, answerNotFound: true }, logged));
  });
  after(() => server.close());

  const get = async (path: string, accept = 'text/html') => {
    const res = await fetch(`${base}${path}?lang=en`, { headers: { accept } });
    return { status: res.status, body: await res.text() };
  };

  test('own refusals keep their text; others are shown by status', async () => {
    assert.deepEqual(await get('/own'), { status: 410, body: '<p>en:gone</p>' });
    assert.deepEqual(await get('/plumbing'), { status: 400, body: '<p>en:badRequest</p>' }, 'keyOf decides whose texts are shown');
    assert.deepEqual(await get('/large'), { status: 413, body: '<p>en:tooLarge</p>' });
    assert.deepEqual(await get('/nothing-here'), { status: 404, body: '<p>en:notFound</p>' });
    assert.deepEqual(await get('/ok'), { status: 200, body: 'ok' });
  });

  test('an unexpected error is a logged 500 without internals; no JSON unless the service asks', async () => {
    const res = await get('/boom', 'application/json');
    assert.deepEqual(res, { status: 500, body: '<p>en:serverError</p>' });
    assert.equal(logged.length, 1);
  });

  test('a forged CSRF token is a 403 with the csrfError text', async () => {
    const own = await serve({ keyOf: (err) => (err instanceof HttpError ? (err.messageKey as Key) : undefined), keys }, []);
    try {
      const res = await fetch(`${own.base}/csrf?lang=th`);
      assert.equal(res.status, 403);
      assert.equal(await res.text(), '<p>th:csrfError</p>');
    } finally {
      own.server.close();
    }
  });
});

test('JSON for API clients where the service asks; unanswered requests left to Koa otherwise', async () => {
  const { server, base } = await serve({ keyOf: () => undefined, keys, json: (key) => `text of ${key}` }, []);
  try {
    const res = await fetch(`${base}/own`, { headers: { accept: 'application/json' } });
    assert.equal(res.status, 410);
    assert.deepEqual(await res.json(), { error: 'invalid_request', error_description: 'text of badRequest' });
    const missing = await fetch(`${base}/nothing-here`);
    assert.equal(missing.status, 404);
    assert.equal(await missing.text(), 'Not Found');
  } finally {
    server.close();
  }
});

test("answerNotFound 'html': a browser gets the not-found page (told its status), an API or protocol client the plain 404", async () => {
  const app = new Koa({ keys: ['k'.repeat(32)] });
  const log = { error: () => undefined } as unknown as Logger;
  app.use(errorPages<Key>({ log, keyOf: () => undefined, keys: { ...keys, notFound: 'notFound' }, answerNotFound: 'html', page: (lang, key, { status }) => `<p>${lang}:${key}:${status}</p>` }));
  app.use((ctx) => {
    if (ctx.path === '/bad') throw new HttpError(400, 'badRequest');
  });
  const server = app.listen(0);
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const page = await fetch(`${base}/nothing-here?lang=en`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    assert.deepEqual({ status: page.status, body: await page.text() }, { status: 404, body: '<p>en:notFound:404</p>' });
    for (const accept of ['*/*', 'application/json']) {
      const plain = await fetch(`${base}/nothing-here`, { headers: { accept } });
      assert.deepEqual({ status: plain.status, body: await plain.text() }, { status: 404, body: 'Not Found' }, accept);
    }
    const bad = await fetch(`${base}/bad?lang=th`, { headers: { accept: 'text/html' } });
    assert.equal(await bad.text(), '<p>th:badRequest:400</p>');
  } finally {
    server.close();
  }
});
