// The Authen Code service on its own (production: its own process, next to the IdP's).
import { startAuthencode } from './server.ts';
import { closeOnSignals, exitOnStartupError } from '../kernel/lifecycle.ts';

try {
  const service = await startAuthencode();
  service.log.info({ url: service.config.url, idp: service.config.idpIssuer, zone: service.config.zone, metrics: service.metricsUrl }, `Authen Code service listening on ${service.url}`);
  closeOnSignals(service.log, () => service.close());
} catch (err) {
  exitOnStartupError('authencode', err);
}
