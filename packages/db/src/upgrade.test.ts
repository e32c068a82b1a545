/**
 * A database made fresh and one upgraded release by release must end with the same schema. The
 * upgraded one gets the migrations one at a time, each migrate() run applying the functions
 * around its migration as a deployment would; the two are compared by their pg_catalog text
 * (functions with their whole definitions, triggers with their ENABLE state, constraints,
 * indexes, columns, views, sequences, comments, privileges).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { describeCatalog } from '../../../test/support/catalog.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { migrate } from './migrate.ts';

describe('a fresh database and one upgraded migration by migration', () => {
  let fresh: TestDatabase;
  let upgraded: TestDatabase;
  let steps = 0;
  before(async () => {
    [fresh, upgraded] = await Promise.all([createTestDatabase({ migrate: false }), createTestDatabase({ migrate: false })]);
    const client = await fresh.pool.connect();
    try {
      await migrate(client);
    } finally {
      client.release();
    }
    const stepper = await upgraded.pool.connect();
    try {
      while ((await migrate(stepper, () => undefined, { count: 1 })).length === 1) steps += 1;
    } finally {
      stepper.release();
    }
  });
  after(async () => {
    await Promise.all([fresh.drop(), upgraded.drop()]);
  });

  it('have the same catalog', async () => {
    const applied = await upgraded.pool.query('SELECT count(*)::int AS count FROM schema_migrations');
    assert.equal(steps, applied.rows[0].count, 'one migration per step');
    assert.ok(steps >= 2);
    const catalog = await describeCatalog(fresh.pool);
    assert.ok(catalog.some((line) => line.startsWith('function: CREATE OR REPLACE FUNCTION public.create_transfer(')));
    assert.ok(
      catalog.includes(
        'trigger: audit_log CREATE TRIGGER audit_log_chain BEFORE INSERT ON public.audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain() enabled=A',
      ),
    );
    assert.deepEqual(await describeCatalog(upgraded.pool), catalog);
  });

  it('would show a difference in a function body, a trigger, a constraint, an index or a column', async () => {
    const expected = await describeCatalog(fresh.pool);
    const client = await upgraded.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN NEW.updated_at := clock_timestamp(); RETURN NEW; END; $$`);
      await client.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_chain');
      await client.query('ALTER TABLE users DROP CONSTRAINT users_locale_check');
      await client.query('DROP INDEX users_email_idx');
      await client.query(`ALTER TABLE users ALTER COLUMN locale SET DEFAULT 'en'`);
      const changed = await describeCatalog(client);
      await client.query('ROLLBACK');
      const missing = expected.filter((line) => !changed.includes(line));
      const extra = changed.filter((line) => !expected.includes(line));
      const mentions = (lines: string[], text: string) => lines.some((line) => line.includes(text));
      for (const text of ['touch_updated_at', 'audit_log_chain', 'users_locale_check', 'users_email_idx', 'locale text not null default']) {
        assert.ok(mentions(missing, text), `the comparison misses the change to ${text}`);
      }
      for (const text of ['clock_timestamp()', 'audit_log_chain() enabled=O', `default 'en'`]) {
        assert.ok(mentions(extra, text), `the comparison misses ${text}`);
      }
      assert.notDeepEqual(changed, expected);
    } finally {
      client.release();
    }
    assert.deepEqual(await describeCatalog(upgraded.pool), expected, 'rolled back');
  });
});
