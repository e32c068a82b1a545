/**
 * Drop keeps one active admin whoever writes (staff_keep_an_admin): two admins who disable each
 * other at the same moment take turns on the trigger's lock, and the second is refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.ts';
import { enrolStaff } from '../../../../test/support/staff.ts';

describe('staff_keep_an_admin', () => {
  let db: TestDatabase;
  const ids: Record<string, string> = {};
  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_keep_admin' });
    for (const name of ['anne', 'bjorn']) {
      await enrolStaff(db.pool, { email: `${name}@drop.no`, role: 'admin' });
      ids[name] = (await db.pool.query<{ id: string }>('SELECT id FROM staff WHERE email = $1', [`${name}@drop.no`])).rows[0]?.id as string;
    }
  });
  after(async () => {
    await db?.drop();
  });

  it('refuses the second of two admins disabling each other at the same moment', async () => {
    const first = await db.pool.connect();
    const second = await db.pool.connect();
    try {
      await first.query('BEGIN');
      await second.query('BEGIN');
      await first.query('UPDATE staff SET disabled_at = now() WHERE id = $1', [ids.bjorn]);
      // Waits for the first transaction's lock, then sees Bjørn disabled: Anne is the last admin.
      const secondUpdate = second.query('UPDATE staff SET disabled_at = now() WHERE id = $1', [ids.anne]).then(
        () => 'updated',
        (error: Error) => error.message,
      );
      await first.query('COMMIT');
      assert.equal(await secondUpdate, 'LAST_ADMIN');
      await second.query('ROLLBACK');
    } finally {
      first.release();
      second.release();
    }
    const active = await db.pool.query(`SELECT email FROM staff WHERE role = 'admin' AND disabled_at IS NULL`);
    assert.deepEqual(active.rows, [{ email: 'anne@drop.no' }]);
  });
});
