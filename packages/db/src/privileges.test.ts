/**
 * Least privilege: Drop's pool logs in as a member of drop_app (every migrated test database's
 * `pool` does), which owns nothing. It may read and write what the application needs, but it cannot
 * change the audit log or the ledger's postings (only INSERT and SELECT), empty a table, drop or
 * alter one, or disable a trigger; the privilege system refuses each (42501) before any trigger
 * runs. The owner cannot drop the audit log either: the event trigger refuses it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { APP_ROLE, AUDIT_DDL_GUARD_TRIGGERS, auditDdlGuardPresent } from './privileges.ts';

const refused = (code: string) => (error: unknown) => {
  assert.equal((error as { code?: string }).code, code, (error as Error).message);
  return true;
};

describe("the application's database role", () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
    // One audit row and one posting to aim at.
    await db.pool.query(`INSERT INTO audit_log (actor, action, resource_type) VALUES ('test', 'test_event', 'test')`);
  });
  after(async () => {
    await db.drop();
  });

  it('logs in as a member of drop_app that owns no table, function or schema', async () => {
    const { rows } = await db.pool.query<{ member: boolean; owned: string; superuser: boolean }>(
      `SELECT pg_has_role(current_user, $1, 'member') AS member,
              (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
              ((SELECT count(*) FROM pg_class c WHERE pg_has_role(current_user, c.relowner, 'USAGE'))
             + (SELECT count(*) FROM pg_proc p WHERE pg_has_role(current_user, p.proowner, 'USAGE'))
             + (SELECT count(*) FROM pg_namespace n WHERE pg_has_role(current_user, n.nspowner, 'USAGE')))::text AS owned`,
      [APP_ROLE],
    );
    assert.deepEqual(rows[0], { member: true, superuser: false, owned: '0' });
  });

  it('may insert and read the audit log, and may not update, delete or truncate it', async () => {
    await db.pool.query(`INSERT INTO audit_log (actor, action, resource_type) VALUES ('test', 'test_event', 'test')`);
    assert.ok(Number((await db.pool.query('SELECT count(*) AS n FROM audit_log')).rows[0].n) >= 2);
    await assert.rejects(db.pool.query(`UPDATE audit_log SET actor = 'someone else'`), refused('42501'));
    await assert.rejects(db.pool.query('DELETE FROM audit_log'), refused('42501'));
    await assert.rejects(db.pool.query('TRUNCATE audit_log'), refused('42501'));
    const { rows } = await db.pool.query<{ update: boolean; delete: boolean; truncate: boolean; insert: boolean }>(
      `SELECT has_table_privilege('audit_log', 'UPDATE') AS update, has_table_privilege('audit_log', 'DELETE') AS delete,
              has_table_privilege('audit_log', 'TRUNCATE') AS truncate, has_table_privilege('audit_log', 'INSERT') AS insert`,
    );
    assert.deepEqual(rows[0], { update: false, delete: false, truncate: false, insert: true });
  });

  it("may not update, delete or truncate the ledger's postings", async () => {
    for (const statement of ['UPDATE ledger_transfers SET amount = amount', 'DELETE FROM ledger_transfers', 'TRUNCATE ledger_transfers']) {
      await assert.rejects(db.pool.query(statement), refused('42501'), statement);
    }
    const { rows } = await db.pool.query<{ select: boolean; insert: boolean }>(
      `SELECT has_table_privilege('ledger_transfers', 'SELECT') AS select, has_table_privilege('ledger_transfers', 'INSERT') AS insert`,
    );
    assert.deepEqual(rows[0], { select: true, insert: true });
  });

  it('may append, read and delete deferred ledger changes, never update them', async () => {
    const { rows } = await db.pool.query(
      `SELECT has_table_privilege('ledger_pending_deltas', 'SELECT') AS select, has_table_privilege('ledger_pending_deltas', 'INSERT') AS insert,
              has_table_privilege('ledger_pending_deltas', 'DELETE') AS delete, has_table_privilege('ledger_pending_deltas', 'UPDATE') AS update`,
    );
    assert.deepEqual(rows[0], { select: true, insert: true, delete: true, update: false });
    await assert.rejects(db.pool.query('UPDATE ledger_pending_deltas SET debits_pending = 0'), refused('42501'));
  });

  it('every append-only table (a refuse_change trigger) is INSERT and SELECT only; no table may be truncated', async () => {
    const { rows } = await db.pool.query<{ table: string; update: boolean; delete: boolean; truncate: boolean }>(
      `SELECT c.relname AS table,
              has_table_privilege(c.oid, 'UPDATE') AND EXISTS (SELECT 1 FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
                WHERE t.tgrelid = c.oid AND p.proname = 'refuse_change' AND t.tgtype & 16 <> 0) AS update,
              has_table_privilege(c.oid, 'DELETE') AND EXISTS (SELECT 1 FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
                WHERE t.tgrelid = c.oid AND p.proname = 'refuse_change' AND t.tgtype & 8 <> 0) AS delete,
              has_table_privilege(c.oid, 'TRUNCATE') AS truncate
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname IN ('public', 'graphile_worker')`,
    );
    assert.ok(rows.length > 40, `tables seen: ${rows.length}`);
    assert.deepEqual(
      rows.filter((row) => row.update || row.delete || row.truncate),
      [],
    );
  });

  it('may not drop, alter or create a table, nor disable a trigger', async () => {
    await assert.rejects(db.pool.query('DROP TABLE audit_log'), refused('42501'));
    await assert.rejects(db.pool.query('DROP TABLE users CASCADE'), refused('42501'));
    await assert.rejects(db.pool.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_or_delete'), refused('42501'));
    await assert.rejects(db.pool.query('ALTER TABLE ledger_transfers DISABLE TRIGGER ALL'), refused('42501'));
    await assert.rejects(db.pool.query('ALTER TABLE users ADD COLUMN sneaky text'), refused('42501'));
    await assert.rejects(db.pool.query('CREATE TABLE sneaky (id int)'), refused('42501'));
    await assert.rejects(
      db.pool.query('CREATE OR REPLACE FUNCTION refuse_change() RETURNS trigger LANGUAGE sql AS $$ SELECT NULL $$'),
      refused('42501'),
    );
    await assert.rejects(db.pool.query(`SET session_replication_role = replica`), refused('42501'));
  });

  it('checks at start that the schema is current, and changes nothing', async () => {
    const { migrate } = await import('./migrate.ts');
    const client = await db.pool.connect();
    try {
      assert.deepEqual(await migrate(client), []);
    } finally {
      client.release();
    }
  });

  it('as the owner, dropping the audit log, the postings or a trigger of the log, or disabling one, is refused by the event trigger', async () => {
    assert.equal(await auditDdlGuardPresent(db.owner), true);
    for (const statement of [
      'DROP TABLE audit_log',
      'DROP TABLE audit_log CASCADE',
      'DROP TABLE ledger_transfers CASCADE',
      'DROP TRIGGER audit_log_no_update_or_delete ON audit_log',
      'ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_or_delete',
      'ALTER TABLE audit_log DISABLE TRIGGER ALL',
      'ALTER TABLE audit_log ENABLE REPLICA TRIGGER audit_log_no_truncate',
      'ALTER TABLE audit_log RENAME TO audit_log_old',
    ]) {
      await assert.rejects(db.owner.query(statement), /refused/, statement);
    }
    // Still there, still guarded.
    await assert.rejects(db.owner.query('DELETE FROM audit_log'), /append-only/);
    const { rows } = await db.owner.query<{ evtname: string; evtenabled: string }>(
      'SELECT evtname, evtenabled FROM pg_event_trigger WHERE evtname = ANY($1::text[]) ORDER BY evtname',
      [AUDIT_DDL_GUARD_TRIGGERS],
    );
    assert.deepEqual(
      rows,
      [...AUDIT_DDL_GUARD_TRIGGERS].sort().map((evtname) => ({ evtname, evtenabled: 'A' })),
    );
  });
});
