/**
 * The application's currency table (currencies.ts) and the database's (`currencies`, which
 * format_minor and the foreign keys use) are one list: same codes, same ISO 4217 decimals, same
 * names, and format_minor places the decimal point where the TypeScript table says. A currency
 * added to one and not the other fails here.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createTestDatabase } from '../../../../test/support/database.ts';
import { CURRENCIES } from './currencies.ts';

it('currencies: TypeScript and SQL have the same codes, decimals and names, and format amounts alike', async () => {
  const db = await createTestDatabase();
  try {
    const { rows } = await db.pool.query<{ code: string; decimals: number; name: string; formatted: string }>(
      'SELECT code, decimals, name, format_minor(123456, code) AS formatted FROM currencies ORDER BY code',
    );
    const codes = Object.keys(CURRENCIES).sort() as (keyof typeof CURRENCIES)[];
    assert.deepEqual(
      rows,
      codes.map((code) => {
        const { decimals, name } = CURRENCIES[code];
        const whole = 123456n / 10n ** BigInt(decimals);
        const fraction = String(123456n % 10n ** BigInt(decimals)).padStart(decimals, '0');
        return { code, decimals, name, formatted: decimals === 0 ? String(whole) : `${whole}.${fraction}` };
      }),
    );
  } finally {
    await db.drop();
  }
});
