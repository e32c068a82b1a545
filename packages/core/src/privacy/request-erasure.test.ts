/**
 * requestErasure against a real PostgreSQL: an erasure request that came in another way (staff
 * recorded a letter as 'received') is restricted when the customer asks in the app, keeping its id
 * and deadline; asking again changes nothing; an unknown customer is NOT_FOUND.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newId } from '@drop/db';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.ts';
import { DomainError } from '../errors.ts';
import { requestErasure } from './request-erasure.ts';

describe('requestErasure', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_erasure' });
  });
  after(async () => {
    await db?.drop();
  });

  it('restricts a customer whose request came in by letter, keeping the request and its deadline', async () => {
    const userId = newId('usr');
    await db.pool.query(`INSERT INTO users (id, full_name, kyc_status) VALUES ($1, 'Liv Berg', 'approved')`, [userId]);
    await db.pool.query(`INSERT INTO sessions (id, user_id, expires_at) VALUES ($1, $2, now() + interval '1 day')`, [newId('ses'), userId]);
    const letter = newId('dar');
    await db.pool.query(
      `INSERT INTO data_access_requests (id, user_id, type, created_at, due_at) VALUES ($1, $2, 'erasure', '2026-11-20T10:00:00Z', '2026-12-20T10:00:00Z')`,
      [letter, userId],
    );

    const asked = await requestErasure(db.pool, { userId, actor: userId, note: 'in the app' });
    assert.deepEqual([asked.id, asked.created, asked.status, asked.dueAt], [letter, false, 'restricted', '2026-12-20T10:00:00.000Z']);
    const user = await db.pool.query('SELECT deleted_at FROM users WHERE id = $1', [userId]);
    assert.ok(user.rows[0].deleted_at);
    const live = await db.pool.query('SELECT 1 FROM sessions WHERE user_id = $1 AND revoked = 0', [userId]);
    assert.equal(live.rowCount, 0);

    const auditBefore = await db.pool.query('SELECT count(*)::int AS n FROM audit_log');
    const again = await requestErasure(db.pool, { userId, actor: userId, note: 'in the app' });
    assert.deepEqual([again.id, again.created], [letter, false]);
    const auditAfter = await db.pool.query('SELECT count(*)::int AS n FROM audit_log');
    assert.equal(auditAfter.rows[0].n, auditBefore.rows[0].n, 'asking again writes nothing');
  });

  it('refuses an unknown customer', async () => {
    await assert.rejects(
      requestErasure(db.pool, { userId: newId('usr'), actor: 'stf_x', note: 'x' }),
      (error) => error instanceof DomainError && error.code === 'NOT_FOUND',
    );
  });
});
