import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { withTransaction } from './pool.ts';

describe('withTransaction', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase({ migrate: false });
    await db.pool.query('CREATE TABLE notes (text text NOT NULL)');
  });
  after(async () => {
    await db.drop();
  });
  const notes = async () => (await db.pool.query<{ text: string }>('SELECT text FROM notes ORDER BY text')).rows.map((r) => r.text);
  const backendPid = async (client: { query: (sql: string) => Promise<{ rows: { pid: number }[] }> }) =>
    (await client.query('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;

  it('commits what the work wrote, and rolls all of it back when the work throws', async () => {
    await db.pool.query('TRUNCATE notes');
    await withTransaction(db.pool, (tx) => tx.query("INSERT INTO notes VALUES ('kept')"));
    await assert.rejects(
      withTransaction(db.pool, async (tx) => {
        await tx.query("INSERT INTO notes VALUES ('lost')");
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.deepEqual(await notes(), ['kept']);
  });

  it('nested in a transaction, runs on the same connection under a savepoint, committed with the outer one', async () => {
    await db.pool.query('TRUNCATE notes');
    await withTransaction(db.pool, async (tx) => {
      const outerPid = await backendPid(tx);
      await tx.query("INSERT INTO notes VALUES ('outer')");
      await withTransaction(tx, async (inner) => {
        assert.equal(inner, tx, 'the inner work gets the outer client');
        assert.equal(await backendPid(inner), outerPid, 'no second connection');
        // The inner part sees the outer transaction's uncommitted row.
        assert.equal((await inner.query("SELECT count(*)::int AS n FROM notes WHERE text = 'outer'")).rows[0].n, 1);
        await inner.query("INSERT INTO notes VALUES ('inner')");
      });
      // Nothing is committed until the outer transaction commits.
      assert.deepEqual(await notes(), []);
    });
    assert.deepEqual(await notes(), ['inner', 'outer']);
  });

  it('an error inside rolls back only the nested part; the outer transaction can go on and commit', async () => {
    await db.pool.query('TRUNCATE notes');
    await withTransaction(db.pool, async (tx) => {
      await tx.query("INSERT INTO notes VALUES ('before')");
      await assert.rejects(
        withTransaction(tx, async (inner) => {
          await inner.query("INSERT INTO notes VALUES ('nested')");
          await withTransaction(inner, (deepest) => deepest.query("INSERT INTO notes VALUES ('deepest')"));
          await inner.query('SELECT 1/0');
        }),
        /division by zero/,
      );
      await tx.query("INSERT INTO notes VALUES ('after')");
    });
    assert.deepEqual(await notes(), ['after', 'before']);
  });

  it('an error that escapes the nested part rolls back the whole transaction', async () => {
    await db.pool.query('TRUNCATE notes');
    await assert.rejects(
      withTransaction(db.pool, async (tx) => {
        await tx.query("INSERT INTO notes VALUES ('outer')");
        await withTransaction(tx, async () => {
          throw new Error('refused');
        });
      }),
      /refused/,
    );
    assert.deepEqual(await notes(), []);
  });

  it('given a client outside any transaction, opens one on it and leaves the client to its owner', async () => {
    await db.pool.query('TRUNCATE notes');
    const client = await db.pool.connect();
    try {
      await withTransaction(client, (tx) => tx.query("INSERT INTO notes VALUES ('on a client')"));
      assert.equal((await client.query('SELECT 1 AS one')).rows[0].one, 1, 'the client is still usable');
    } finally {
      client.release();
    }
    assert.deepEqual(await notes(), ['on a client']);
  });

  it('as a snapshot, reads one state of the database throughout and refuses to write', async () => {
    await db.pool.query('TRUNCATE notes');
    await db.pool.query("INSERT INTO notes VALUES ('before')");
    const count = async (tx: { query: (sql: string) => Promise<{ rows: { n: number }[] }> }) =>
      (await tx.query('SELECT count(*)::int AS n FROM notes')).rows[0]?.n;
    const counts = await withTransaction(
      db.pool,
      async (tx) => {
        const first = await count(tx);
        await db.pool.query("INSERT INTO notes VALUES ('meanwhile')"); // committed by another connection
        const second = await count(tx);
        await assert.rejects(tx.query("INSERT INTO notes VALUES ('inside')"), /read-only transaction/);
        return [first, second];
      },
      { snapshot: true },
    );
    assert.deepEqual(counts, [1, 1], 'the snapshot does not see what committed after it began');
    assert.deepEqual(await notes(), ['before', 'meanwhile']);
  });
});
