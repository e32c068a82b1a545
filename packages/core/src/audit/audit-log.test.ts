import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newId, withTransaction } from '@drop/db';
import type pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.ts';
import { recordAuditEvent } from './record-audit-event.ts';
import { verifyAuditChain } from './verify-audit-chain.ts';

/**
 * Edits a row as a superuser (the test database's owner) who first switches off the DDL guard and
 * the append-only trigger: what an attacker with DBA rights could do. The application's login
 * could not (packages/db/src/privileges.test.ts).
 */
async function tamper(pool: pg.Pool, sql: string, params: unknown[] = []): Promise<void> {
  await withTransaction(pool, async (tx) => {
    await tx.query('ALTER EVENT TRIGGER drop_audit_log_guard_alter DISABLE');
    await tx.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_or_delete');
    await tx.query(sql, params);
    await tx.query('ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_update_or_delete');
    await tx.query('ALTER EVENT TRIGGER drop_audit_log_guard_alter ENABLE ALWAYS');
  });
}

async function insertUser(pool: pg.Pool, email: string): Promise<string> {
  const id = newId('usr');
  await pool.query(`INSERT INTO users (id, email, kyc_status) VALUES ($1, $2, 'pending')`, [id, email]);
  return id;
}

describe('audit log', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db.drop();
  });

  it('chains every event to the one before and verifies intact', async () => {
    const first = await recordAuditEvent(db.pool, {
      action: 'login_succeeded',
      resourceType: 'user',
      resourceId: 'usr_x',
      actor: 'usr_x',
      details: { method: 'bankid' },
    });
    const second = await recordAuditEvent(db.pool, { action: 'logout', resourceType: 'user', resourceId: 'usr_x', actor: 'usr_x' });
    assert.equal(BigInt(second.seq), BigInt(first.seq) + 1n);
    const rows = await db.pool.query<{ seq: string; prev_hash: Buffer; hash: Buffer }>(
      'SELECT seq, prev_hash, hash FROM audit_log ORDER BY seq',
    );
    assert.equal(rows.rows.length, 2);
    assert.equal(rows.rows[0]?.prev_hash.length, 0, 'the first row starts the chain');
    assert.deepEqual(rows.rows[1]?.prev_hash, rows.rows[0]?.hash);
    const report = await verifyAuditChain(db.pool);
    assert.equal(report.ok, true);
    assert.equal(report.rowsChecked, 2);
    assert.equal(report.head?.seq, second.seq);
  });

  it('commits an event only with the transaction that records it', async () => {
    const before_ = await db.pool.query('SELECT count(*)::int AS n FROM audit_log');
    await assert.rejects(
      withTransaction(db.pool, async (tx) => {
        await recordAuditEvent(tx, { action: 'kyc_decided', resourceType: 'user', resourceId: 'usr_y', actor: 'stf_z' });
        throw new Error('business change failed');
      }),
      /business change failed/,
    );
    const after_ = await db.pool.query('SELECT count(*)::int AS n FROM audit_log');
    assert.equal(after_.rows[0].n, before_.rows[0].n);
  });

  it('refuses UPDATE, DELETE and TRUNCATE, even for a superuser and in replica mode', async () => {
    await recordAuditEvent(db.pool, { action: 'demo_data_seeded', resourceType: 'test', actor: 'system' });
    const role = await db.owner.query<{ rolsuper: boolean }>('SELECT rolsuper FROM pg_roles WHERE rolname = current_user');
    assert.equal(role.rows[0]?.rolsuper, true, 'the owner connects as a superuser, the strongest case');
    await assert.rejects(db.owner.query(`UPDATE audit_log SET action = 'forged'`), /append-only: UPDATE/);
    await assert.rejects(db.owner.query('DELETE FROM audit_log'), /append-only: DELETE/);
    await assert.rejects(db.owner.query('TRUNCATE audit_log'), /append-only: TRUNCATE/);
    await assert.rejects(
      withTransaction(db.owner, async (tx) => {
        await tx.query(`SET LOCAL session_replication_role = replica`);
        await tx.query(`DELETE FROM audit_log`);
      }),
      /append-only: DELETE/,
    );
    assert.equal((await verifyAuditChain(db.pool)).ok, true);
  });

  it('chains a row an operator inserts by hand, as in the secret-rotation runbook', async () => {
    await db.pool.query(
      `INSERT INTO audit_log (id, action, resource_type, resource_id, details) VALUES (gen_random_uuid(), 'secret_rotated', 'secret', 'JWT_SECRET', '{"rotated_at": "2026-11-22T10:00:00+00:00"}')`,
    );
    const row = await db.pool.query<{ actor: string; seq: string }>(`SELECT actor, seq FROM audit_log WHERE action = 'secret_rotated'`);
    assert.match(row.rows[0]?.actor ?? '', /^db:/, 'a hand-made row names the database user');
    assert.equal((await verifyAuditChain(db.pool)).ok, true);
  });

  it('records a hand-made UPDATE and DELETE on a sensitive table with before and after', async () => {
    const userId = await insertUser(db.pool, 'audit.update@example.no');
    await db.pool.query(`UPDATE users SET kyc_status = 'rejected' WHERE id = $1`, [userId]);
    const update = await db.pool.query(`SELECT * FROM audit_log WHERE action = 'UPDATE' AND resource_type = 'users' AND resource_id = $1`, [
      userId,
    ]);
    assert.equal(update.rowCount, 1);
    const details = update.rows[0].details;
    assert.equal(details.before.kyc_status, 'pending');
    assert.equal(details.after.kyc_status, 'rejected');
    assert.deepEqual(details.changed, ['kyc_status']);
    assert.equal(typeof details.db_user, 'string');

    const sessionId = newId('ses');
    await db.pool.query(`INSERT INTO sessions (id, user_id, expires_at) VALUES ($1, $2, now() + interval '1 hour')`, [sessionId, userId]);
    await db.pool.query(`UPDATE sessions SET last_seen_at = now() + interval '1 second' WHERE id = $1`, [sessionId]);
    const activityOnly = await db.pool.query(`SELECT 1 FROM audit_log WHERE resource_id = $1`, [sessionId]);
    assert.equal(activityOnly.rowCount, 0, 'a session touching its activity time is not an audit event');
    await db.pool.query('DELETE FROM sessions WHERE id = $1', [sessionId]);
    const deleted = await db.pool.query(
      `SELECT details FROM audit_log WHERE action = 'DELETE' AND resource_type = 'sessions' AND resource_id = $1`,
      [sessionId],
    );
    assert.equal(deleted.rowCount, 1);
    assert.equal(deleted.rows[0].details.before.user_id, userId);
    assert.equal(deleted.rows[0].details.after, null);
    assert.equal((await verifyAuditChain(db.pool)).ok, true);
  });

  it('records updates on every sensitive table, including those whose trigger takes no arguments', async () => {
    const userId = await insertUser(db.pool, 'audit.alerts@example.no');
    const alertId = newId('alert');
    await db.pool.query(`INSERT INTO aml_alerts (id, user_id, rule, severity) VALUES ($1, $2, 'large_amount', 'high')`, [alertId, userId]);
    await db.pool.query(`UPDATE aml_alerts SET status = 'closed', reviewed_at = now(), reviewer_notes = 'ok' WHERE id = $1`, [alertId]);
    const rows = await db.pool.query(
      `SELECT details FROM audit_log WHERE action = 'UPDATE' AND resource_type = 'aml_alerts' AND resource_id = $1`,
      [alertId],
    );
    assert.equal(rows.rowCount, 1);
    // reviewed_by too: a close in psql records who closed it (db:<role>, aml_alerts_review).
    assert.deepEqual(rows.rows[0].details.changed, ['reviewed_at', 'reviewed_by', 'reviewer_notes', 'status']);
    assert.match(rows.rows[0].details.after.reviewed_by, /^db:/);
  });

  it('keeps secrets and national id numbers out of row images', async () => {
    const redacted = await db.pool.query(
      `SELECT audit_redact('{"id":"usr_1","national_id_ciphertext":"abc","national_id_hash":"def","email":"a@b.no"}'::jsonb) AS image`,
    );
    assert.deepEqual(redacted.rows[0].image, {
      id: 'usr_1',
      national_id_ciphertext: '[redacted]',
      national_id_hash: '[redacted]',
      email: 'a@b.no',
    });
  });

  it('keeps one unbroken chain under 40 concurrent writers', async () => {
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        withTransaction(db.pool, (tx) =>
          recordAuditEvent(tx, { action: 'demo_data_seeded', resourceType: 'test', resourceId: String(i), actor: 'system' }),
        ),
      ),
    );
    const forks = await db.pool.query(`SELECT prev_hash FROM audit_log GROUP BY prev_hash HAVING count(*) > 1`);
    assert.equal(forks.rowCount, 0, 'no two rows share a predecessor');
    const report = await verifyAuditChain(db.pool);
    assert.equal(report.ok, true);
  });

  it('names the first edited row when a superuser tampers with the log', async () => {
    const target = await recordAuditEvent(db.pool, {
      action: 'transfer_created',
      resourceType: 'transaction',
      resourceId: 'tx_1',
      actor: 'usr_1',
      details: { amount: '1000' },
    });
    await recordAuditEvent(db.pool, { action: 'demo_data_seeded', resourceType: 'test', actor: 'system' });
    await tamper(db.owner, `UPDATE audit_log SET details = '{"amount":"1"}' WHERE id = $1`, [target.id]);
    const report = await verifyAuditChain(db.pool, { batchSize: 7 });
    assert.equal(report.ok, false);
    assert.deepEqual(report.firstBroken, { seq: target.seq, id: target.id, reason: 'hash_mismatch' });
  });

  it('detects a deleted row and a rewritten hash', async () => {
    const other = await createTestDatabase();
    try {
      const events = [];
      for (let i = 0; i < 5; i++)
        events.push(
          await recordAuditEvent(other.pool, { action: 'demo_data_seeded', resourceType: 'test', resourceId: String(i), actor: 'system' }),
        );
      const [, second, third, fourth] = events;
      assert.ok(second && third && fourth);
      await tamper(other.owner, 'UPDATE audit_log SET hash = sha256(hash) WHERE id = $1', [second.id]);
      assert.deepEqual((await verifyAuditChain(other.pool)).firstBroken, { seq: second.seq, id: second.id, reason: 'hash_mismatch' });
      // Restore by recomputing, as a forger would, then remove a later row instead.
      await tamper(
        other.owner,
        `UPDATE audit_log SET hash = audit_log_digest(prev_hash, seq, id, "timestamp", actor, action, resource_type, resource_id, details) WHERE id = $1`,
        [second.id],
      );
      assert.equal((await verifyAuditChain(other.pool)).ok, true);
      await tamper(other.owner, 'DELETE FROM audit_log WHERE id = $1', [third.id]);
      assert.deepEqual((await verifyAuditChain(other.pool)).firstBroken, { seq: fourth.seq, id: fourth.id, reason: 'sequence_gap' });
    } finally {
      await other.drop();
    }
  });
});
