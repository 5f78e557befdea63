// The IdP on its own: production's process (and the Docker image's), without the Authen Code service,
// which runs as its own process (src/authencode/main.ts). Stops gracefully on SIGTERM/SIGINT.
import { startServer } from './server.ts';
import { closeOnSignals, exitOnStartupError } from '../kernel/lifecycle.ts';

try {
  const server = await startServer();
  server.log.info({ issuer: server.config.issuer, zone: server.config.zone, database: server.db.kind, metrics: server.metricsUrl }, `Mor Prom ID listening on ${server.url}`);
  closeOnSignals(server.log, () => server.close());
} catch (err) {
  exitOnStartupError('mpid', err);
}
