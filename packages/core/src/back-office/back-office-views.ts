import { parseCustomerNumber } from '@drop/check-digits';
import type { AuditEntry, FourEyesRequest, KycStatus } from '@drop/contracts';
import type { Db } from '@drop/db';
import { FOUR_EYES_SELECT } from '../four-eyes/four-eyes-request-row.ts';

/** What the console shows. Read-only queries; the same facts the runbook's SQL shows operators. */

/** The users columns every list of customers selects (full_name AS name). */
interface CustomerRow {
  id: string;
  customer_number: string;
  email: string | null;
  name: string | null;
  kyc_status: KycStatus;
  created_at: Date;
}

/** A customer as the console's lists show one, before what the list adds. */
function customerFields(row: CustomerRow) {
  return {
    id: row.id,
    customerNumber: row.customer_number,
    email: row.email,
    name: row.name,
    kycStatus: row.kyc_status,
    createdAt: row.created_at.toISOString(),
  };
}

export async function listKycQueue(db: Db) {
  // Runbook 3.2 / 6.2: pending customers, oldest first, those waiting over 24 hours marked.
  const { rows } = await db.query<CustomerRow & { waiting_hours: number }>(
    `SELECT id, customer_number, email, full_name AS name, kyc_status, created_at,
            floor(extract(epoch FROM now() - created_at) / 3600)::int AS waiting_hours
       FROM users WHERE kyc_status = 'pending' AND deleted_at IS NULL ORDER BY created_at ASC`,
  );
  return rows.map((row) => ({
    ...customerFields(row),
    waitingHours: row.waiting_hours,
    overdue: row.waiting_hours >= 24,
  }));
}

/**
 * Customers by id, email, part of the name, or customer number however it was typed ("1000 0017",
 * "1000-0017"; a number whose check digit does not agree finds no one).
 */
export async function searchCustomers(db: Db, query: string) {
  const term = query.trim();
  const { rows } = await db.query<
    CustomerRow & {
      deleted_at: Date | null;
      live_sessions: number;
      block_reason: string | null;
      aml_frozen_at: Date | null;
      aml_frozen_reason: string | null;
    }
  >(
    `SELECT u.id, u.customer_number, u.email, u.full_name AS name, u.kyc_status, u.created_at, u.deleted_at,
            (SELECT count(*)::int FROM sessions s WHERE s.user_id = u.id AND s.revoked = 0 AND s.expires_at > now()) AS live_sessions,
            customer_block_reason(u.kyc_status, u.deleted_at, u.aml_frozen_at) AS block_reason, u.aml_frozen_at, u.aml_frozen_reason
       FROM users u
      WHERE $1 = '' OR u.id = $1 OR lower(u.email) = lower($1) OR u.full_name ILIKE '%' || $1 || '%' OR u.customer_number = $2
      ORDER BY u.created_at DESC LIMIT 50`,
    [term, parseCustomerNumber(term) ?? null],
  );
  // The block or unblock waiting for a second person, so the console shows it instead of a second proposal.
  const pending = await db.query<FourEyesRequest>(
    `${FOUR_EYES_SELECT}
      WHERE r.status = 'pending' AND r.kind IN ('block_customer', 'unblock_customer') AND r.subject_id = ANY($1::text[])`,
    [rows.map((row) => row.id)],
  );
  return rows.map((row) => ({
    ...customerFields(row),
    deletedAt: row.deleted_at?.toISOString() ?? null,
    liveSessions: row.live_sessions,
    blockReason: row.block_reason,
    amlFrozenAt: row.aml_frozen_at?.toISOString() ?? null,
    amlFrozenReason: row.aml_frozen_reason,
    pendingBlockRequest: pending.rows.find((request) => request.subjectId === row.id) ?? null,
  }));
}

/**
 * The newest audit events, with the names of the staff member or customer who acted and of the one
 * the event is about (ids stay alongside, for the tooltip and for searching).
 */
export async function recentAuditLog(db: Db, limit: number): Promise<AuditEntry[]> {
  const { rows } = await db.query<{
    seq: string;
    timestamp: Date;
    actor: string;
    actor_name: string | null;
    action: string;
    resource_type: string;
    resource_id: string | null;
    resource_name: string | null;
  }>(
    `SELECT a.seq, a."timestamp", a.actor, coalesce(actor_staff.full_name, actor_user.full_name) AS actor_name,
            a.action, a.resource_type, a.resource_id, coalesce(res_staff.full_name, res_user.full_name) AS resource_name
       FROM (SELECT * FROM audit_log ORDER BY seq DESC LIMIT $1) a
       LEFT JOIN staff actor_staff ON actor_staff.id = a.actor
       LEFT JOIN users actor_user ON actor_user.id = a.actor
       LEFT JOIN staff res_staff ON res_staff.id = a.resource_id AND a.resource_type = 'staff'
       LEFT JOIN users res_user ON res_user.id = a.resource_id AND a.resource_type IN ('user', 'users')
      ORDER BY a.seq DESC`,
    [limit],
  );
  return rows.map((row) => ({
    seq: row.seq,
    timestamp: row.timestamp.toISOString(),
    actor: row.actor,
    actorName: row.actor_name,
    action: row.action,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    resourceName: row.resource_name,
  }));
}
