// The oidc-provider adapter contract, run on PGlite and on a real PostgreSQL server; plus the
// migration ledger (idempotent, checksummed, safe when several processes start at once).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { countingStatements, dbTargets } from '../../helpers/db.ts';
import { openPostgres, type Database } from '../../../src/kernel/db/index.ts';
import { migrate, readMigrations, MigrationError } from '../../../src/kernel/db/migrate.ts';
import { modelWrites, postgresAdapter, sweepExpired } from '../../../src/idp/oidc/adapter.ts';
import { DatabaseUnavailable } from '../../../src/kernel/db/index.ts';
import { asRequest } from '../../../src/kernel/http/request_id.ts';

// one request's lookups (requestLog runs every request so), each time a request of its own
const inRequest = <T>(fn: () => T): T => asRequest('adapter-test', fn);

for (const target of dbTargets()) for (const grouped of [false, true]) {
  describe(`adapter contract on ${target.name}${grouped ? ', writes by group commit (as the provider runs it)' : ''}`, () => {
    let db: Database;

    let drop: () => Promise<void>;
    let Adapter: ReturnType<typeof postgresAdapter>;

    before(async () => {
      ({ db, drop } = await target.create());
      await migrate(db);
      Adapter = grouped ? postgresAdapter(db, modelWrites(db)) : postgresAdapter(db);
    });
    after(() => drop());

    if (grouped) {
      test('writes asked for together go in fewer statements; each lands, a key written twice keeps the later', async () => {
        const counted = countingStatements(db);
        const Counted = postgresAdapter(counted.db, modelWrites(counted.db));
        const a = new Counted('AccessToken');
        await Promise.all([
          ...Array.from({ length: 50 }, (_, i) => a.upsert(`gc-${i}`, { n: i, grantId: `g-${i}` }, 60)),
          a.upsert('gc-0', { n: 'later', grantId: 'g-0' }, 60),
        ]);
        assert.ok(counted.count() <= 3, `51 writes in ${counted.count()} statements`);
        const { rows } = await db.query<{ id: string; payload: { n: unknown }; grant_id: string; secs: number }>(
          "SELECT id, payload, grant_id, extract(epoch FROM expires_at - now())::float AS secs FROM oidc_models WHERE model = 'AccessToken' AND id LIKE 'gc-%'",
        );
        assert.equal(rows.length, 50);
        assert.equal(rows.find((r) => r.id === 'gc-0')!.payload.n, 'later', 'the second write of one key lands after the first');
        assert.equal(rows.find((r) => r.id === 'gc-7')!.grant_id, 'g-7');
        assert.ok(rows.every((r) => r.secs > 55 && r.secs <= 60), 'each keeps its expiry');
      });

      if (target.name === 'postgres') {
        test('two processes writing the same records in opposite orders do not deadlock', async () => {
          // two group commits on one database are two processes; a row marked slow sleeps before it is
          // written, so each batch holds its first row while the other batch reaches it
          await db.exec(`CREATE FUNCTION slow_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.3); RETURN NEW; END $$;
            CREATE TRIGGER slow_write BEFORE INSERT ON oidc_models FOR EACH ROW WHEN (NEW.payload ->> 'slow' = 'yes') EXECUTE FUNCTION slow_write()`);
          try {
            const seed = new Adapter('Session');
            await Promise.all(['dl-x', 'dl-y'].map((id) => seed.upsert(id, { n: 'first' }, 60)));
            const one = countingStatements(db);
            const two = countingStatements(db);
            const A = new (postgresAdapter(one.db, modelWrites(one.db)))('Session');
            const B = new (postgresAdapter(two.db, modelWrites(two.db)))('Session');
            // each process's first write goes alone; the two after it are asked for while it is in flight: one batch
            await Promise.all([
              A.upsert('dl-lead-a', { n: 'lead' }, 60), A.upsert('dl-x', { n: 'a' }, 60), A.upsert('dl-y', { n: 'a', slow: 'yes' }, 60),
              B.upsert('dl-lead-b', { n: 'lead' }, 60), B.upsert('dl-y', { n: 'b' }, 60), B.upsert('dl-x', { n: 'b', slow: 'yes' }, 60),
            ]);
            // a deadlock would show as a batch failed after deadlock_timeout (1 s) and its rows written again one by one
            assert.deepEqual([one.count(), two.count()], [2, 2], 'each process: its first write, then one batch');
            const { rows } = await db.query<{ id: string; n: string }>("SELECT id, payload ->> 'n' AS n FROM oidc_models WHERE model = 'Session' AND id IN ('dl-x', 'dl-y') ORDER BY id");
            assert.deepEqual(rows.map((r) => r.id), ['dl-x', 'dl-y']);
            for (const r of rows) assert.ok(['a', 'b'].includes(r.n), `${r.id} holds a write of this test`);
          } finally {
            await db.exec('DROP TRIGGER slow_write ON oidc_models; DROP FUNCTION slow_write()');
          }
        });
      }

      test('a row the database refuses fails its own write only; an unreachable database fails them all', async () => {
        const a = new Adapter('AccessToken');
        const results = await Promise.allSettled([
          a.upsert('gc-ok-1', { fine: true }, 60),
          a.upsert('gc-ok-2', { fine: true }, 60),
          a.upsert('gc-bad', { text: 'nul \u0000 in jsonb' }, 60),
          a.upsert('gc-ok-3', { fine: true }, 60),
        ]);
        assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
        for (const id of ['gc-ok-1', 'gc-ok-2', 'gc-ok-3']) assert.ok(await a.find(id), id);
        const down = { ...db, query: (async () => { throw new DatabaseUnavailable(new Error('connection refused')); }) as Database['query'] };
        const Down = postgresAdapter(down, modelWrites(down));
        const all = await Promise.allSettled([1, 2, 3].map((i) => new Down('AccessToken').upsert(`gc-down-${i}`, {}, 60)));
        assert.ok(all.every((r) => r.status === 'rejected' && r.reason instanceof DatabaseUnavailable));
      });
    }

    test('upsert, find, overwrite, unknown id', async () => {
      const a = new Adapter('Session');
      await a.upsert('s1', { accountId: 'acc-1', uid: 'uid-1' }, 60);
      assert.deepEqual(await a.find('s1'), { accountId: 'acc-1', uid: 'uid-1' });
      await a.upsert('s1', { accountId: 'acc-2', uid: 'uid-1' }, 60);
      assert.equal((await a.find('s1'))?.accountId, 'acc-2');
      assert.equal(await a.find('nope'), undefined);
    });

    test('models are kept apart by name', async () => {
      await new Adapter('AccessToken').upsert('same', { kind: 'AccessToken' }, 60);
      await new Adapter('RefreshToken').upsert('same', { kind: 'RefreshToken' }, 60);
      assert.equal((await new Adapter('AccessToken').find('same'))?.kind, 'AccessToken');
      assert.equal((await new Adapter('RefreshToken').find('same'))?.kind, 'RefreshToken');
    });

    test('findByUid and findByUserCode', async () => {
      await new Adapter('Session').upsert('s2', { uid: 'the-uid' }, 60);
      await new Adapter('DeviceCode').upsert('d1', { userCode: 'ABCD-EFGH' }, 60);
      assert.equal((await new Adapter('Session').findByUid('the-uid'))?.uid, 'the-uid');
      assert.equal((await new Adapter('DeviceCode').findByUserCode('ABCD-EFGH'))?.userCode, 'ABCD-EFGH');
      assert.equal(await new Adapter('Session').findByUid('other'), undefined);
      assert.equal(await new Adapter('Interaction').findByUid('the-uid'), undefined, 'uid lookups stay within the model');
    });

    test('consume marks the payload with the time it was consumed', async () => {
      const a = new Adapter('AuthorizationCode');
      await a.upsert('c1', { grantId: 'g1' }, 60);
      assert.equal((await a.find('c1'))?.consumed, undefined);
      const before = Math.floor(Date.now() / 1000);
      await a.consume('c1');
      const consumed = (await a.find('c1'))?.consumed;
      assert.equal(typeof consumed, 'number');
      assert.ok((consumed as number) >= before - 1 && (consumed as number) <= before + 5);
    });

    test("inside a request a token's grant comes with the token: the grant lookup after it asks nothing", async () => {
      const counted = countingStatements(db);
      const Counted = postgresAdapter(counted.db);
      const grants = new Counted('Grant');
      await grants.upsert('pf-grant', { accountId: 'acc-pf', clientId: 'rp-pf', openid: { scope: 'openid' } }, 60);
      await new Counted('RefreshToken').upsert('pf-rt', { grantId: 'pf-grant', clientId: 'rp-pf' }, 60);
      await new Counted('AccessToken').upsert('pf-at-gone', { grantId: 'pf-grant-gone', clientId: 'rp-pf' }, 60);
      await new Counted('AccessToken').upsert('pf-at-expired', { grantId: 'pf-grant-expired', clientId: 'rp-pf' }, 60);
      await grants.upsert('pf-grant-expired', { accountId: 'acc-pf' }, 60);
      await db.query("UPDATE oidc_models SET expires_at = now() - interval '1 second' WHERE id = 'pf-grant-expired'");

      const asked = counted.count();
      await inRequest(async () => {
        assert.equal((await new Counted('RefreshToken').find('pf-rt'))?.grantId, 'pf-grant');
        assert.equal((await grants.find('pf-grant'))?.accountId, 'acc-pf');
        assert.equal(counted.count() - asked, 1, 'the token and its grant in one statement');
        assert.equal((await grants.find('pf-grant'))?.accountId, 'acc-pf', 'a second lookup reads again');
        assert.equal(counted.count() - asked, 2);
      });
      for (const [token, grant] of [['pf-at-gone', 'pf-grant-gone'], ['pf-at-expired', 'pf-grant-expired']] as const) {
        await inRequest(async () => {
          const before = counted.count();
          assert.ok(await new Counted('AccessToken').find(token));
          assert.equal(await grants.find(grant), undefined, `${grant}: not found, as a lookup of its own finds it`);
          assert.equal(counted.count() - before, 1);
        });
      }
      // another request, or none (the console's own lookups), does not see what this one read
      await inRequest(() => new Counted('RefreshToken').find('pf-rt'));
      const outside = counted.count();
      assert.ok(await grants.find('pf-grant'));
      assert.ok(await new Counted('RefreshToken').find('pf-rt'));
      assert.equal(counted.count() - outside, 2);
      await new Counted('RefreshToken').consume('pf-rt');
      await inRequest(async () => {
        assert.equal(typeof (await new Counted('RefreshToken').find('pf-rt'))?.consumed, 'number', 'a consumed token says so');
      });
    });

    test("inside a request an interaction's client comes with the interaction", async () => {
      const counted = countingStatements(db);
      const Counted = postgresAdapter(counted.db);
      const interactions = new Counted('Interaction');
      const clients = new Counted('Client');
      await clients.upsert('rp-ix', { client_id: 'rp-ix', client_name: 'Hospital' });
      await interactions.upsert('ix-1', { uid: 'ix-1', params: { client_id: 'rp-ix' } }, 60);
      await interactions.upsert('ix-gone', { uid: 'ix-gone', params: { client_id: 'rp-ix-gone' } }, 60);
      await interactions.upsert('ix-none', { uid: 'ix-none', params: {} }, 60);

      await inRequest(async () => {
        const before = counted.count();
        assert.equal((await interactions.find('ix-1'))?.uid, 'ix-1');
        assert.equal((await clients.find('rp-ix'))?.client_name, 'Hospital');
        assert.equal(counted.count() - before, 1, 'the interaction and its client in one statement');
        assert.ok(await clients.find('rp-ix'));
        assert.equal(counted.count() - before, 2, 'a second lookup reads again');
      });
      await inRequest(async () => {
        const before = counted.count();
        assert.ok(await interactions.find('ix-gone'));
        assert.equal(await clients.find('rp-ix-gone'), undefined, 'a client that is gone: not found, without asking again');
        assert.equal(counted.count() - before, 1);
      });
      await inRequest(async () => {
        assert.ok(await interactions.find('ix-none'));
        const before = counted.count();
        assert.ok(await clients.find('rp-ix'), 'an interaction without a client prefetches nothing');
        assert.equal(counted.count() - before, 1);
      });
      await db.query("UPDATE oidc_models SET expires_at = now() - interval '1 second' WHERE model = 'Interaction' AND id = 'ix-1'");
      await inRequest(async () => {
        assert.equal(await interactions.find('ix-1'), undefined, 'an expired interaction is not found');
        const before = counted.count();
        assert.ok(await clients.find('rp-ix'));
        assert.equal(counted.count() - before, 1, 'nor does it bring its client');
      });
    });

    test('destroy and revokeByGrantId (only that grant, only that model)', async () => {
      const at = new Adapter('AccessToken');
      const rt = new Adapter('RefreshToken');
      await at.upsert('at-a', { grantId: 'grant-a' }, 60);
      await at.upsert('at-b', { grantId: 'grant-b' }, 60);
      await rt.upsert('rt-a', { grantId: 'grant-a' }, 60);
      await at.revokeByGrantId('grant-a');
      assert.equal(await at.find('at-a'), undefined);
      assert.ok(await at.find('at-b'), 'another grant is untouched');
      assert.ok(await rt.find('rt-a'), 'another model is revoked by its own adapter call');
      await rt.revokeByGrantId('grant-a');
      assert.equal(await rt.find('rt-a'), undefined);
      await at.destroy('at-b');
      assert.equal(await at.find('at-b'), undefined);
    });

    test('expired rows are invisible at once and swept later; rows without expiry stay', async () => {
      const a = new Adapter('Interaction');
      await a.upsert('short', { uid: 'short-uid' }, 60);
      await new Adapter('Client').upsert('forever', { client_id: 'forever' });
      const { rows: [set] } = await db.query<{ seconds: number }>("SELECT extract(epoch FROM expires_at - now())::float AS seconds FROM oidc_models WHERE id = 'short'");
      assert.ok(set!.seconds > 55 && set!.seconds <= 60, `expires in its expiresIn, got ${set!.seconds} s`);
      assert.ok(await a.find('short'), 'found until then');
      // its time passes (the database's clock decides; the row is moved instead of waiting)
      await db.query("UPDATE oidc_models SET expires_at = now() - interval '1 second' WHERE id = 'short'");
      assert.equal(await a.find('short'), undefined);
      assert.equal(await a.findByUid('short-uid'), undefined);
      assert.ok((await sweepExpired(db)) >= 1);
      const { rows } = await db.query("SELECT count(*)::int AS n FROM oidc_models WHERE id = 'short'");
      assert.equal(rows[0]!.n, 0);
      assert.ok(await new Adapter('Client').find('forever'));
    });

    test('migrations are idempotent, and a changed applied migration is refused', async () => {
      assert.deepEqual(await migrate(db), []);
      const changed = readMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'f'.repeat(64) } : m));
      await assert.rejects(migrate(db, changed), (e: Error) => e instanceof MigrationError && /checksum/.test(e.message));
    });

    if (target.name === 'postgres') {
      test('several processes may migrate at once (advisory lock)', async () => {
        const fresh = await target.create();
        const one = openPostgres(fresh.url!);
        const two = openPostgres(fresh.url!);
        try {
          const [a, b] = await Promise.all([migrate(one), migrate(two)]);
          assert.equal(a.length + b.length, readMigrations().length, 'each migration applied exactly once');
          const { rows } = await one.query('SELECT count(*)::int AS n FROM schema_migrations');
          assert.equal(rows[0]!.n, readMigrations().length);
        } finally {
          await one.close();
          await two.close();
          await fresh.drop();
        }
      });
    }
  });
}
