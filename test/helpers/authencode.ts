// The test zone as `npm start` runs it: the IdP and the Authen Code service, each on a port it binds
// itself, the service registered with the IdP as a client (private_key_jwt) and as a resource server.
// The service's clock stands at midday in Bangkok, so no test meets the Thai midnight.
import type { Database } from '../../src/kernel/db/index.ts';
import type { RunningServer } from '../../src/idp/server.ts';
import type { Logger } from '../../src/kernel/http/log.ts';
import type { Clock } from '../../src/kernel/clock.ts';
import { thaiDay, thaiInstant } from '../../src/kernel/thai/time.ts';
import { startAuthencode, type RunningAuthencode } from '../../src/authencode/server.ts';
import { clientMetadata } from '../../src/authencode/client_key.ts';
import { registerRelyingService } from '../../src/idp/oidc/relying_services.ts';
import { startTestServer, testDirs } from './server.ts';

export interface Zone {
  idp: RunningServer;
  ac: RunningAuthencode;
  /** the Authen Code service's clock: its day of service never changes during a test run */
  now: Clock;
  close(): Promise<void>;
}

/** Midday in Bangkok on today's Thai day, then running with real time (a run of under 12 hours stays on that day). */
export function middayClock(): Clock {
  const started = Date.now();
  const midday = thaiInstant(thaiDay(new Date(started)), '12:00')!.getTime();
  return () => midday + (Date.now() - started);
}

/** `logs`: loggers for the two services (both silent otherwise). */
export async function startZone(db: Database, env: Record<string, string> = {}, logs: { idp?: Logger; ac?: Logger } = {}): Promise<Zone> {
  const idp = await startTestServer(db, env, logs.idp);
  const now = middayClock();
  const ac = await startAuthencode({
    db,
    now,
    log: logs.ac,
    faceMatcher: idp.app().faceMatcher, // one matcher for both, as `npm start` shares it
    env: {
      ...testDirs(),
      AUTHENCODE_PORT: '0',
      AUTHENCODE_IDP_ISSUER: idp.url,
      POPULATION_FILE: idp.config.populationFile,
      LOG_LEVEL: process.env.AC_LOG ?? 'silent',
      ...env,
    },
  });
  // registered once started: its URL names the port it bound
  await registerRelyingService(idp.app().provider, idp.db, {
    client: clientMetadata({ clientId: ac.config.clientId, url: ac.config.url, jwk: ac.clientJwk }),
    resource: { identifier: ac.config.apiAudience, scope: 'authencode' },
  });
  return {
    idp,
    ac,
    now,
    async close() {
      await ac.close();
      await idp.close();
    },
  };
}
