import type { Db } from '@drop/db';

/**
 * How often each secret is to be rotated, in days. 90 days unless named here (runbook 3.3's
 * monthly "secret rotation schedule — anything due?").
 */
export const DEFAULT_ROTATION_PERIOD_DAYS = 90;
export const ROTATION_PERIOD_DAYS: Readonly<Record<string, number>> = { JWT_SECRET: 90, DATABASE_PASSWORD: 90 };

/** The secrets the runbook rotates (5.1 JWT_SECRET, 5.2 the database password); others appear once audited. */
const RUNBOOK_SECRETS = ['JWT_SECRET', 'DATABASE_PASSWORD'] as const;

export interface SecretRotationStatus {
  secret: string;
  /** When it was last rotated, as far as Drop has a record; null when it has none. */
  lastRotatedAt: Date | null;
  /** Where that date comes from. */
  source: 'signing_keys' | 'audit_log' | null;
  periodDays: number;
  ageDays: number | null;
  dueAt: Date | null;
  state: 'ok' | 'overdue' | 'unknown';
}

const DAY_MS = 86_400_000;

/**
 * The age and due date of each secret Drop can know about. The session signing key's age is the
 * active database key's created_at (`drop secrets rotate-jwt`); otherwise the newest
 * `secret_rotated` audit event for the secret (runbook 5.1's manual row). No record: "unknown",
 * never a guess.
 */
export async function secretRotationStatus(db: Db, options: { now?: Date } = {}): Promise<SecretRotationStatus[]> {
  const now = options.now ?? new Date();
  const audited = await db.query<{ resource_id: string; at: Date }>(
    `SELECT resource_id, max("timestamp") AS at FROM audit_log
      WHERE action = 'secret_rotated' AND resource_id IS NOT NULL GROUP BY resource_id`,
  );
  const activeKey = await db.query<{ created_at: Date }>(`SELECT created_at FROM signing_keys WHERE status = 'active' AND kid LIKE 'k-%'`);
  const fromAudit = new Map(audited.rows.map((row) => [row.resource_id, row.at]));
  const names = [
    ...RUNBOOK_SECRETS,
    ...[...fromAudit.keys()].filter((name) => !(RUNBOOK_SECRETS as readonly string[]).includes(name)).sort(),
  ];
  return names.map((secret) => {
    const keyCreated = secret === 'JWT_SECRET' ? activeKey.rows[0]?.created_at : undefined;
    const lastRotatedAt = keyCreated ?? fromAudit.get(secret) ?? null;
    const source = keyCreated ? 'signing_keys' : lastRotatedAt ? 'audit_log' : null;
    const periodDays = ROTATION_PERIOD_DAYS[secret] ?? DEFAULT_ROTATION_PERIOD_DAYS;
    if (!lastRotatedAt) return { secret, lastRotatedAt, source, periodDays, ageDays: null, dueAt: null, state: 'unknown' };
    const dueAt = new Date(lastRotatedAt.getTime() + periodDays * DAY_MS);
    return {
      secret,
      lastRotatedAt,
      source,
      periodDays,
      ageDays: Math.floor((now.getTime() - lastRotatedAt.getTime()) / DAY_MS),
      dueAt,
      state: dueAt.getTime() < now.getTime() ? 'overdue' : 'ok',
    };
  });
}
