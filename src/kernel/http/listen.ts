// An HTTP server for one of our Koa apps, with the request and header time limits every service uses,
// and a close that stops taking requests and drops idle keep-alive connections. A port that cannot be
// had (in use, or not permitted) is a PortUnavailable start-up error, never an unhandled 'error' event.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listening {
  port: number;
  close(): Promise<void>;
}

export class PortUnavailable extends Error {
  override name = 'PortUnavailable';
  readonly port: number;
  readonly code: string;
  constructor(port: number, code: string, setting: string) {
    super(code === 'EADDRINUSE'
      ? `port ${port} (${setting}) is already in use: another instance is running, or choose another port`
      : `port ${port} (${setting}) may not be used by this user (${code}): choose a port above 1023`);
    this.port = port;
    this.code = code;
  }
}

/** `setting` names where the port comes from (PORT, AUTHENCODE_PORT), for the operator's message. */
export async function listen(handler: http.RequestListener, port: number, setting = 'PORT'): Promise<Listening> {
  const server = http.createServer(handler);
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
  await new Promise<void>((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' || err.code === 'EACCES' ? new PortUnavailable(port, err.code, setting) : err);
    };
    server.once('error', failed);
    server.listen(port, () => {
      server.off('error', failed);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
