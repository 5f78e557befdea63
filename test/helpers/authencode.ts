// The test zone as `npm start` runs it: the IdP and the Authen Code service, each on its own port,
// the service registered with the IdP as a client (private_key_jwt) and as a resource server.
import type { Database } from '../../src/kernel/db/index.ts';
import type { RunningServer } from '../../src/idp/server.ts';
import type { Logger } from '../../src/kernel/http/log.ts';
import { startAuthencode, type RunningAuthencode } from '../../src/authencode/server.ts';
import { loadAuthencodeConfig } from '../../src/authencode/config.ts';
import { clientMetadata, ensureClientKey } from '../../src/authencode/client_key.ts';
import { registerRelyingService } from '../../src/idp/oidc/relying_services.ts';
import { freePort, startTestServer, testDirs } from './server.ts';

export interface Zone {
  idp: RunningServer;
  ac: RunningAuthencode;
  close(): Promise<void>;
}

/** `acLog`: the Authen Code service's logger, for tests that read its log lines. */
export async function startZone(db: Database, env: Record<string, string> = {}, acLog?: Logger): Promise<Zone> {
  const idp = await startTestServer(db, env);
  const acEnv = {
    ...testDirs(),
    AUTHENCODE_PORT: String(await freePort()),
    AUTHENCODE_IDP_ISSUER: idp.url,
    POPULATION_FILE: idp.config.populationFile,
    LOG_LEVEL: process.env.AC_LOG ?? 'silent',
    ...env,
  };
  const config = loadAuthencodeConfig(acEnv);
  const jwk = await ensureClientKey(config.clientKeyFile, true);
  await registerRelyingService(idp.app().provider, idp.db, {
    client: clientMetadata({ clientId: config.clientId, url: config.url, jwk }),
    resource: { identifier: config.apiAudience, scope: 'authencode' },
  });
  const ac = await startAuthencode({ config, db, log: acLog });
  return {
    idp,
    ac,
    async close() {
      await ac.close();
      await idp.close();
    },
  };
}
