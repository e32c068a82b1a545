import type { AuditAction } from '@drop/contracts';
import type { DbClient } from '@drop/db';

export interface AuditEvent {
  /** What happened, in snake_case: `login_succeeded`, `kyc_decided`, `secret_rotated`… */
  action: AuditAction;
  resourceType: string;
  resourceId?: string | undefined;
  /** Who did it: `usr_…`, `stf_…`, `system`, `cli:<os user>`. */
  actor: string;
  /** Pseudonymous facts only: ids, codes, amounts. Never national id numbers or secrets. */
  details?: Record<string, unknown>;
}

/**
 * The one way application code writes to the audit log. Pass the transaction that makes the
 * change, so the event commits (or rolls back) with it. The database chains the row's hash.
 */
export async function recordAuditEvent(db: DbClient, event: AuditEvent): Promise<{ id: string; seq: string }> {
  const result = await db.query<{ id: string; seq: string }>(
    `INSERT INTO audit_log (action, resource_type, resource_id, actor, details)
     VALUES ($1, $2, $3, $4, $5::jsonb) RETURNING id, seq`,
    [event.action, event.resourceType, event.resourceId ?? null, event.actor, JSON.stringify(event.details ?? {})],
  );
  const row = result.rows[0];
  if (!row) throw new Error('audit insert returned no row');
  return row;
}
