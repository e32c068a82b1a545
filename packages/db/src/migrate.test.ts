import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { FUNCTIONS_DIR, MIGRATIONS_DIR, migrate } from './migrate.ts';

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
          migrate(client, () => undefined, { migrationsDir: dir }),
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

describe('functions (packages/db/functions)', () => {
  const functionFiles = readdirSync(FUNCTIONS_DIR)
    .filter((name) => name.endsWith('.sql'))
    .sort();
  let db: TestDatabase;
  let dir: string;
  before(async () => {
    db = await createTestDatabase({ migrate: false });
    dir = await mkdtemp(path.join(tmpdir(), 'drop-functions-'));
    for (const name of functionFiles) await copyFile(path.join(FUNCTIONS_DIR, name), path.join(dir, name));
  });
  after(async () => {
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const signatures = async (name: string) =>
    (
      await db.pool.query<{ signature: string }>(
        `SELECT oid::regprocedure::text AS signature FROM pg_proc WHERE proname = $1 AND pronamespace = 'public'::regnamespace ORDER BY 1`,
        [name],
      )
    ).rows.map((row) => row.signature);
  const migrateWith = async (functionsDir: string) => {
    const client = await db.pool.connect();
    try {
      return await migrate(client, () => undefined, { functionsDir });
    } finally {
      client.release();
    }
  };

  it('live only there: one file per function, named for it, and no migration defines a function', () => {
    assert.ok(functionFiles.includes('create_transfer.sql'));
    for (const name of functionFiles) {
      const sql = readFileSync(path.join(FUNCTIONS_DIR, name), 'utf8');
      const defined = [...sql.matchAll(/CREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+(\w+)/gi)].map((match) => match[1]);
      assert.deepEqual(defined, [name.replace(/\.sql$/, '')], name);
    }
    for (const name of files) {
      const sql = readFileSync(path.join(MIGRATIONS_DIR, name), 'utf8');
      assert.doesNotMatch(sql, /CREATE\s+(OR\s+REPLACE\s+)?FUNCTION/i, `${name} defines a function: put it in packages/db/functions`);
    }
  });

  it('are applied with the migrations, recorded by checksum, and not applied again while unchanged', async () => {
    await migrateWith(dir);
    const recorded = await db.pool.query<{ name: string; applied_at: Date }>('SELECT name, applied_at FROM schema_functions ORDER BY name');
    assert.deepEqual(
      recorded.rows.map((row) => row.name),
      functionFiles.map((name) => name.replace(/\.sql$/, '')),
    );
    assert.deepEqual(await signatures('create_transfer'), [
      'create_transfer(text,text,bytea,text,text,text,bigint[],bigint,smallint,text,jsonb,text,double precision)',
    ]);
    assert.deepEqual(await migrateWith(dir), []);
    const again = await db.pool.query<{ name: string; applied_at: Date }>('SELECT name, applied_at FROM schema_functions ORDER BY name');
    assert.deepEqual(again.rows, recorded.rows, 'an unchanged file is not applied again');
  });

  it('follow their file: an edited body is applied, a changed signature replaces the old one, a removed file drops the function', async () => {
    const probe = path.join(dir, 'drop_test_probe.sql');
    await writeFile(probe, 'CREATE OR REPLACE FUNCTION drop_test_probe(a int) RETURNS int LANGUAGE sql AS $$ SELECT a + 1 $$;\n');
    await migrateWith(dir);
    assert.deepEqual(await signatures('drop_test_probe'), ['drop_test_probe(integer)']);

    await writeFile(probe, 'CREATE OR REPLACE FUNCTION drop_test_probe(a int) RETURNS int LANGUAGE sql AS $$ SELECT a + 2 $$;\n');
    await migrateWith(dir);
    assert.equal((await db.pool.query('SELECT drop_test_probe(1) AS value')).rows[0].value, 3);

    await writeFile(probe, 'CREATE OR REPLACE FUNCTION drop_test_probe(a int, b int) RETURNS int LANGUAGE sql AS $$ SELECT a + b $$;\n');
    await migrateWith(dir);
    assert.deepEqual(await signatures('drop_test_probe'), ['drop_test_probe(integer,integer)']);

    await rm(probe);
    await migrateWith(dir);
    assert.deepEqual(await signatures('drop_test_probe'), []);
    assert.equal((await db.pool.query(`SELECT 1 FROM schema_functions WHERE name = 'drop_test_probe'`)).rowCount, 0);
  });

  it('refuse to drop a function a trigger still uses, and to take a file that defines another name', async () => {
    const touch = path.join(dir, 'touch_updated_at.sql');
    const text = readFileSync(touch, 'utf8');
    await rm(touch);
    try {
      await assert.rejects(migrateWith(dir), /cannot drop function touch_updated_at\(\) because other objects depend on it/);
    } finally {
      await writeFile(touch, text);
    }
    assert.deepEqual(await signatures('touch_updated_at'), ['touch_updated_at()']);

    const wrong = path.join(dir, 'misnamed.sql');
    await writeFile(wrong, 'CREATE OR REPLACE FUNCTION something_else() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n');
    try {
      await assert.rejects(migrateWith(dir), /misnamed\.sql must define exactly one function, misnamed/);
    } finally {
      await rm(wrong);
    }
  });

  it('leave the audit triggers ENABLE ALWAYS when applied again', async () => {
    await db.pool.query(`UPDATE schema_functions SET checksum = 'stale'`);
    await migrateWith(dir);
    const { rows } = await db.pool.query<{ trigger: string; enabled: string }>(
      `SELECT tgrelid::regclass || '.' || tgname AS trigger, tgenabled AS enabled FROM pg_trigger
        WHERE NOT tgisinternal AND (tgname LIKE '%audit%' OR tgrelid = 'audit_log'::regclass) ORDER BY 1`,
    );
    assert.ok(rows.length >= 10, 'the audit triggers are there');
    for (const row of rows) assert.equal(row.enabled, 'A', `${row.trigger} fires always`);
  });
});

it('migrate() from two servers at once: one applies everything while the other waits, then finds nothing to do', async () => {
  const db = await createTestDatabase({ migrate: false });
  const [a, b] = [await db.pool.connect(), await db.pool.connect()];
  try {
    const results = await Promise.all([migrate(a), migrate(b)]);
    assert.deepEqual(
      results.map((names) => names.length).sort((x, y) => x - y),
      [0, files.length],
    );
  } finally {
    a.release();
    b.release();
    await db.drop();
  }
});
