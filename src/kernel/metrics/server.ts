// The metrics listener: GET /metrics in Prometheus' text format on its own port (METRICS_PORT,
// AUTHENCODE_METRICS_PORT), never on the service's public port. It binds METRICS_HOST (loopback unless
// configured) and, when METRICS_TOKEN is set, answers only `Authorization: Bearer <token>`.
import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PortUnavailable, type Listening } from '../http/listen.ts';
import type { ServiceMetrics } from './index.ts';

export interface MetricsListenerOptions {
  port: number;
  host: string;
  token?: string;
  /** the variable that names the port, for the operator's message */
  setting: string;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export async function serveMetrics(metrics: ServiceMetrics, o: MetricsListenerOptions): Promise<Listening & { url: string }> {
  const expected = o.token ? digest(`Bearer ${o.token}`) : undefined;
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    if (expected && !timingSafeEqual(digest(req.headers.authorization ?? ''), expected)) {
      res.writeHead(401, { 'www-authenticate': 'Bearer realm="metrics"', 'content-type': 'text/plain' }).end('unauthorized\n');
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : text),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics could not be collected\n'),
    );
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' || err.code === 'EACCES' ? new PortUnavailable(o.port, err.code, o.setting) : err);
    server.once('error', failed);
    server.listen(o.port, o.host, () => {
      server.off('error', failed);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = o.host === '0.0.0.0' ? '127.0.0.1' : o.host === '::' ? '[::1]' : o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    port,
    url: `http://${host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
