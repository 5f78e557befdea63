// The oidc-provider adapter contract, run on PGlite and on a real PostgreSQL server; plus the
// migration ledger (idempotent, checksummed, safe when several processes start at once).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dbTargets } from '../../helpers/db.ts';
import { openPostgres, type Database } from '../../../src/kernel/db/index.ts';
import { migrate, readMigrations, MigrationError } from '../../../src/kernel/db/migrate.ts';
import { postgresAdapter, sweepExpired } from '../../../src/idp/oidc/adapter.ts';

for (const target of dbTargets()) {
  describe(`adapter contract on ${target.name}`, () => {
    let db: Database;

    let drop: () => Promise<void>;
    let Adapter: ReturnType<typeof postgresAdapter>;

    before(async () => {
      ({ db, drop } = await target.create());
      await migrate(db);
      Adapter = postgresAdapter(db);
    });
    after(() => drop());

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
