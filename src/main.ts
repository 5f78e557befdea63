// Process entry: start the IdP; in the test zone also the Authen Code service (its own port and
// database schema or data directory, registered with the IdP as a client, talking to it over HTTP) and
// the stand-in ThaID (a fake of DOPA's provider on its own port, unless THAID_ISSUER names a real one).
// Stop gracefully on SIGTERM/SIGINT.
import path from 'node:path';
import { startServer } from './idp/server.ts';
import { startAuthencode, type RunningAuthencode } from './authencode/server.ts';
import { clientMetadata } from './authencode/client_key.ts';
import { registerRelyingService } from './idp/oidc/relying_services.ts';
import { closeOnSignals, exitOnStartupError } from './kernel/lifecycle.ts';
import { startTestZoneThaid } from './idp/upstream/stand_in/index.ts';

try {
  const thaid = await startTestZoneThaid(process.env);
  const server = await startServer(thaid ? { env: thaid.env } : {});
  thaid?.connect(server.config);
  if (thaid) server.log.info({ url: thaid.env.THAID_ISSUER }, `stand-in ThaID listening on ${thaid.env.THAID_ISSUER}`);
  server.log.info({ issuer: server.config.issuer, zone: server.config.zone, database: server.db.kind, metrics: server.metricsUrl }, `Mor Prom ID listening on ${server.url}`);
  let authencode: RunningAuthencode | undefined;
  if (server.config.zone === 'test' && process.env.AUTHENCODE !== 'off') {
    // registered once started: with AUTHENCODE_PORT=0 its URL (redirect URIs, API audience) names the bound port
    const env = { ...process.env, AUTHENCODE_IDP_ISSUER: process.env.AUTHENCODE_IDP_ISSUER ?? server.config.issuer };
    // one face matcher (its worker threads, its models) serves both services in this process
    authencode = await startAuthencode({ env, log: server.log.child({ service: 'authencode' }), faceMatcher: server.app().faceMatcher });
    const { config } = authencode;
    await registerRelyingService(server.app().provider, server.db, {
      client: clientMetadata({ clientId: config.clientId, url: config.url, jwk: authencode.clientJwk }),
      resource: { identifier: config.apiAudience, scope: 'authencode' },
    });
    server.log.info({ url: authencode.url, api: config.apiAudience, metrics: authencode.metricsUrl }, `Authen Code service listening on ${authencode.url}`);
  }
  if (server.config.zone === 'test') {
    // the coverage pages' synthetic country, imported once in the background (an interrupted import is finished next start)
    server.app().coverage.seedSyntheticCountry(path.join(server.config.dataDir, 'coverage')).then(
      (done) => done && server.log.info('coverage: the synthetic country imported (77 provinces; Sa Kaeo as the seed document gives it)'),
      (err: Error) => server.log.warn({ err: { message: err.message } }, 'coverage: the synthetic country was not imported'),
    );
  }
  closeOnSignals(server.log, async () => {
    await authencode?.close();
    await server.close();
    await thaid?.close();
  });
} catch (err) {
  exitOnStartupError('mpid', err);
}
