/**
 * Customers who may send: KYC approved at tier 2 with their source of funds declared (so enhanced
 * due diligence passes), one recipient in Germany each (added the way the API adds it), and a
 * live session each with the signed cookie token the server would have issued at sign-in.
 */
import { addRecipient, keyRingFromSecret, signSessionToken } from '@drop/core';
import { newId } from '@drop/db';
import type pg from 'pg';

export interface BenchCustomer {
  /** 1-based, the number pgbench picks customers by. */
  n: number;
  userId: string;
  sessionId: string;
  recipientId: string;
  /** The `__Host-drop_session` cookie value. */
  token: string;
}

/** 1 → 'A', 27 → 'AA': recipient names may hold letters only. */
function letters(n: number): string {
  let name = '';
  for (let rest = n; rest > 0; rest = Math.floor((rest - 1) / 26)) name = String.fromCharCode(65 + ((rest - 1) % 26)) + name;
  return name;
}

export async function createCustomers(
  pool: pg.Pool,
  options: { count: number; jwtSecret: string; issuer: string },
): Promise<BenchCustomer[]> {
  // The server accepts tokens signed with the JWT_SECRET key (kid `env-<hash>`) as long as no
  // rotation retired it, which a fresh database has not had.
  const ring = keyRingFromSecret(options.jwtSecret);
  const customers: BenchCustomer[] = [];
  const createOne = async (n: number): Promise<BenchCustomer> => {
    const userId = newId('usr');
    await pool.query(
      `INSERT INTO users (id, full_name, locale, kyc_status, kyc_tier, source_of_funds, source_of_funds_declared_at)
       VALUES ($1, $2, 'en', 'approved', 2, 'salary', now())`,
      [userId, `Bench Customer ${letters(n)}`],
    );
    const recipient = await addRecipient(pool, {
      userId,
      recipient: {
        name: `Bench Recipient ${letters(n)}`,
        country: 'DE',
        currency: 'EUR',
        relationship: 'family',
        details: { iban: 'DE89370400440532013000' },
      },
    });
    const sessionId = newId('ses');
    const { rows } = await pool.query<{ expires_at: Date }>(
      `INSERT INTO sessions (id, user_id, expires_at) VALUES ($1, $2, now() + interval '1 day') RETURNING expires_at`,
      [sessionId, userId],
    );
    const expiresAt = rows[0]?.expires_at;
    if (!expiresAt) throw new Error('session insert returned no row');
    const token = await signSessionToken(ring, options.issuer, { userId, sessionId, expiresAt });
    return { n, userId, sessionId, recipientId: recipient.id, token };
  };
  // A few at a time: the pool has four connections.
  for (let first = 1; first <= options.count; first += 4) {
    const batch = [];
    for (let n = first; n < first + 4 && n <= options.count; n++) batch.push(createOne(n));
    customers.push(...(await Promise.all(batch)));
  }

  // The lookup table the pgbench script picks a customer from by number.
  await pool.query(
    `CREATE TABLE bench_customers (n integer PRIMARY KEY, user_id text NOT NULL, session_id text NOT NULL, recipient_id text NOT NULL)`,
  );
  await pool.query(
    `INSERT INTO bench_customers (n, user_id, session_id, recipient_id)
     SELECT * FROM unnest($1::integer[], $2::text[], $3::text[], $4::text[])`,
    [customers.map((c) => c.n), customers.map((c) => c.userId), customers.map((c) => c.sessionId), customers.map((c) => c.recipientId)],
  );
  await pool.query('ANALYZE');
  return customers;
}
