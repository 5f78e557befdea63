// Named prepared statements on PostgreSQL: a single statement is prepared once per connection under a
// name made from its text (seen in pg_prepared_statements), a statement inside a transaction is not; a
// table whose columns changed under a prepared statement (0A000) still answers, on a new connection;
// DATABASE_NAMED_STATEMENTS=false keeps every statement unnamed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPostgres, type Database } from '../../../src/kernel/db/index.ts';
import { dbTargets } from '../../helpers/db.ts';

const postgres = dbTargets().find((t) => t.name === 'postgres')!;

describe('named statements on PostgreSQL', () => {
  let made: Awaited<ReturnType<typeof postgres.create>>;
  let db: Database;
  before(async () => {
    made = await postgres.create();
    db = openPostgres(made.url!, 1);
  });
  after(async () => {
    await db.close();
    await made.drop();
  });

  const prepared = async (q: Database) =>
    (await q.query<{ name: string; statement: string }>(`SELECT name, statement FROM pg_prepared_statements WHERE statement LIKE '%named_probe%' AND statement NOT LIKE '%pg_prepared_statements%'`)).rows;

  test('a statement with parameters is prepared once per connection, named by its text; one in a transaction is not', async () => {
    await db.exec('CREATE TABLE named_probe (id int PRIMARY KEY, label text)');
    await db.query('INSERT INTO named_probe (id, label) VALUES ($1, $2)', [1, 'one']);
    for (let i = 0; i < 3; i++) assert.deepEqual((await db.query('SELECT label FROM named_probe WHERE id = $1', [1])).rows, [{ label: 'one' }]);
    const names = await prepared(db);
    assert.equal(names.filter((n) => n.statement === 'SELECT label FROM named_probe WHERE id = $1').length, 1, 'prepared once on the one connection');
    assert.ok(names.every((n) => /^mpid_[\w-]{32}$/.test(n.name)), JSON.stringify(names));
    await db.tx((q) => q.query('UPDATE named_probe SET label = $2 WHERE id = $1', [1, 'uno']));
    assert.ok(!(await prepared(db)).some((n) => n.statement.startsWith('UPDATE')), 'the transaction’s statement is unnamed');
  });

  test('a table whose columns changed under a prepared statement still answers', async () => {
    const sql = 'SELECT * FROM named_probe WHERE id = $1';
    assert.deepEqual((await db.query(sql, [1])).rows, [{ id: 1, label: 'uno' }]);
    await db.exec('ALTER TABLE named_probe ADD COLUMN added int DEFAULT 7');
    assert.deepEqual((await db.query(sql, [1])).rows, [{ id: 1, label: 'uno', added: 7 }]);
    assert.deepEqual((await db.query(sql, [1])).rows, [{ id: 1, label: 'uno', added: 7 }], 'and again, on the new connection');
  });

  test('off: every statement unnamed', async () => {
    const plain = openPostgres(made.url!, 1, { namedStatements: false });
    try {
      await plain.query('SELECT id FROM named_probe WHERE id = $1', [1]);
      assert.deepEqual((await prepared(plain)).filter((n) => n.statement.startsWith('SELECT id')), []);
    } finally {
      await plain.close();
    }
  });
});
