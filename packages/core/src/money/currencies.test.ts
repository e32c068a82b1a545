/**
 * The application's currency table (currencies.ts) and the database's (`currencies`, which
 * format_minor and the foreign keys use) are one list: same codes, same ISO 4217 decimals, same
 * names. A currency added to one and not the other fails here.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.ts';
import { CURRENCIES } from './currencies.ts';

describe('currencies in TypeScript and SQL', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db.drop();
  });

  it('are the same codes with the same decimals and names', async () => {
    const { rows } = await db.pool.query<{ code: string; decimals: number; name: string }>(
      'SELECT code, decimals, name FROM currencies ORDER BY code',
    );
    const sql = Object.fromEntries(rows.map((row) => [row.code, { decimals: row.decimals, name: row.name }]));
    const ts = Object.fromEntries(
      Object.entries(CURRENCIES)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([code, info]) => [code, { decimals: info.decimals, name: info.name }]),
    );
    assert.deepEqual(sql, ts);
  });

  it('format amounts the same way: format_minor agrees with the decimals', async () => {
    for (const [code, info] of Object.entries(CURRENCIES)) {
      const { rows } = await db.pool.query<{ text: string }>('SELECT format_minor(123456, $1) AS text', [code]);
      const expected =
        info.decimals === 0
          ? '123456'
          : `${123456n / 10n ** BigInt(info.decimals)}.${String(123456n % 10n ** BigInt(info.decimals)).padStart(info.decimals, '0')}`;
      assert.equal(rows[0]?.text, expected, code);
    }
  });
});
