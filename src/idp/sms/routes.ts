// GET /test-zone/sms?to=<E.164>: the test zone's SMS outbox, newest first. Never mounted in production.
import { Router } from '@koa/router';
import { normalizeThaiMobile } from '../../kernel/thai/phone.ts';
import type { OutboxSmsGateway } from './index.ts';

export function testZoneSmsRoutes(outbox: OutboxSmsGateway) {
  const router = new Router();
  router.get('/test-zone/sms', async (ctx) => {
    const to = typeof ctx.query.to === 'string' ? normalizeThaiMobile(ctx.query.to) : undefined;
    if (!to) {
      ctx.status = 400;
      ctx.body = { error: 'invalid_request', error_description: 'to must be a Thai mobile number in E.164 form, e.g. +66812345678' };
      return;
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await outbox.messagesTo(to);
  });
  return router;
}
