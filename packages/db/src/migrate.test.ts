import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { MIGRATIONS_DIR, migrate } from './migrate.ts';

const files = readdirSync(MIGRATIONS_DIR)
  .filter((name) => name.endsWith('.sql'))
  .sort();

describe('migrations', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  after(async () => {
    await db.drop();
  });

  it('are reviewed SQL files named <timestamp>_<name>.sql with both directions', () => {
    assert.ok(files.length >= 2);
    for (const name of files) {
      assert.match(name, /^\d{14}_[a-z0-9-]+\.sql$/, name);
      const sql = readFileSync(path.join(MIGRATIONS_DIR, name), 'utf8');
      assert.match(sql, /^-- Up Migration$/m, `${name} has an up section`);
      assert.match(sql, /^-- Down Migration$/m, `${name} has a down section`);
    }
    const stamps = files.map((name) => name.slice(0, 14));
    assert.equal(new Set(stamps).size, stamps.length, 'no two migrations share a timestamp');
  });

  it('apply to an empty database in file order, and a second run applies nothing', async () => {
    const client = await db.pool.connect();
    try {
      const applied = await migrate(client);
      assert.deepEqual(
        applied,
        files.map((name) => name.replace(/\.sql$/, '')),
      );
      const recorded = await client.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY run_on, id');
      assert.deepEqual(
        recorded.rows.map((row) => row.name),
        applied,
      );
      assert.deepEqual(await migrate(client), []);
      const tables = await client.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
      );
      for (const table of ['aml_alerts', 'audit_log', 'data_access_requests', 'sessions', 'str_reports', 'transactions', 'users']) {
        assert.ok(
          tables.rows.some((row) => row.table_name === table),
          `${table} exists`,
        );
      }
    } finally {
      client.release();
    }
  });

  it('refuse a migration that sorts before one already applied', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'drop-migrations-'));
    try {
      for (const name of files) await copyFile(path.join(MIGRATIONS_DIR, name), path.join(dir, name));
      await writeFile(path.join(dir, '20200101000000_late-arrival.sql'), '-- Up Migration\nSELECT 1;\n-- Down Migration\nSELECT 1;\n');
      const client = await db.pool.connect();
      try {
        await assert.rejects(
          migrate(client, () => undefined, dir),
          /Not run migration 20200101000000_late-arrival is preceding already run migration/,
        );
      } finally {
        client.release();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
