/**
 * What "a refused request wrote nothing" means, as a cheap fingerprint of the database taken
 * between requests (the fuzzer sends one request at a time, with the worker off, so the only writer
 * is the request in flight).
 *
 * Each table of the `public` schema contributes its row count and its newest row version
 * (`max(xmin)`: an INSERT or an UPDATE makes a row version with a new transaction id, a DELETE
 * lowers the count). Left out, because they legitimately change whatever the answer:
 *   - `audit_log`: refusals are recorded on purpose (failed sign-ins, refused webhooks, denied
 *     staff access); it is append-only, so nothing else can be undone there;
 *   - `request_stats`, `availability_samples`: the SLA counters count every request, and the
 *     availability sampler writes on a timer;
 *   - the job queue (graphile_worker's own schema, not `public`).
 * `sessions` and `staff_sessions` are compared without `last_seen_at`, which every authenticated
 * request moves forward (the idle timeout).
 *
 * A refusal may still write where its code says so (ALLOWED_WRITES): a session found expired or
 * idle is marked ended as it is refused (UNAUTHENTICATED); a wrong staff password counts towards
 * the lockout (INVALID_CREDENTIALS, ACCOUNT_LOCKED); a wrong e-mail code counts towards its limit.
 */
import type pg from 'pg';

const NOT_COMPARED = new Set(['audit_log', 'request_stats', 'availability_samples']);
const TOUCHED_COLUMNS: Record<string, string> = { sessions: 'last_seen_at', staff_sessions: 'last_seen_at' };

export const ALLOWED_WRITES: Partial<Record<string, readonly string[]>> = {
  UNAUTHENTICATED: ['sessions', 'staff_sessions'],
  INVALID_CREDENTIALS: ['staff'],
  ACCOUNT_LOCKED: ['staff'],
  EMAIL_CODE_INVALID: ['email_verifications'],
  EMAIL_CODE_LOCKED: ['email_verifications'],
};

export type Fingerprint = Map<string, string>;

export async function fingerprintQuery(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const parts = rows
    .map((row) => row.table_name)
    .filter((table) => !NOT_COMPARED.has(table))
    .map((table) => {
      const name = `"${table.replaceAll('"', '""')}"`;
      const literal = `'${table.replaceAll("'", "''")}'`;
      const touched = TOUCHED_COLUMNS[table];
      const value = touched
        ? `count(*)::text || ':' || coalesce(md5(string_agg((to_jsonb(t) - '${touched}')::text, ',' ORDER BY (to_jsonb(t) - '${touched}')::text)), '')`
        : `count(*)::text || ':' || coalesce(max(xmin::text::bigint), 0)::text`;
      return `SELECT ${literal} AS t, ${value} AS v FROM ${name} t`;
    });
  return parts.join('\nUNION ALL\n');
}

export async function takeFingerprint(pool: pg.Pool, query: string): Promise<Fingerprint> {
  const { rows } = await pool.query<{ t: string; v: string }>(query);
  return new Map(rows.map((row) => [row.t, row.v]));
}

/** The tables whose fingerprint differs. */
export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  return [...after.keys()].filter((table) => before.get(table) !== after.get(table));
}
