import type { CustomerDataRequest, StaffDataRequest, StaffDataRequestRecord } from '@drop/contracts';
import { type Db, type DbClient, newId, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { DomainError } from '../errors.ts';
import { requestErasure } from './request-erasure.ts';

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The customer-facing columns of data_access_requests: never `notes` (written by and for staff). */
const CUSTOMER_COLUMNS = `r.id, r.type, r.status, ${ISO('r.created_at')} AS "createdAt", ${ISO('r.due_at')} AS "dueAt",
  ${ISO('r.completed_at')} AS "completedAt"`;

/** A request is open until it is completed or rejected; only open ones can be overdue. */
const OPEN = `r.status NOT IN ('completed', 'rejected')`;

/** The signed-in customer's own privacy requests, newest first (`GET /api/user/data-requests`). */
export async function listCustomerDataRequests(db: DbClient, input: { userId: string }): Promise<CustomerDataRequest[]> {
  const { rows } = await db.query<CustomerDataRequest>(
    `SELECT ${CUSTOMER_COLUMNS} FROM data_access_requests r WHERE r.user_id = $1 ORDER BY r.created_at DESC, r.id DESC`,
    [input.userId],
  );
  return rows;
}

/** The customer-facing view of one request (the erasure route answers with it). */
export async function getCustomerDataRequest(db: DbClient, input: { requestId: string }): Promise<CustomerDataRequest | undefined> {
  const { rows } = await db.query<CustomerDataRequest>(`SELECT ${CUSTOMER_COLUMNS} FROM data_access_requests r WHERE r.id = $1`, [
    input.requestId,
  ]);
  return rows[0];
}

/**
 * Every privacy request for the console: overdue open ones first (most overdue on top: GDPR
 * article 12(3) gives one month), then the other open ones by due date, then the answered ones,
 * newest first. `now` is the database's clock, so a test's fake clock and the console agree.
 */
export async function listStaffDataRequests(db: DbClient, input: { limit?: number } = {}): Promise<StaffDataRequest[]> {
  const { rows } = await db.query<StaffDataRequest>(
    `${STAFF_SELECT}
      ORDER BY (${OPEN} AND r.due_at < now()) DESC, (${OPEN}) DESC,
               CASE WHEN ${OPEN} THEN r.due_at END ASC, r.created_at DESC, r.id DESC
      LIMIT $1`,
    [input.limit ?? 500],
  );
  return rows;
}

const STAFF_SELECT = `SELECT ${CUSTOMER_COLUMNS}, r.notes, r.channel, to_char(r.received_on, 'YYYY-MM-DD') AS "receivedOn",
            jsonb_build_object('id', u.id, 'name', u.full_name, 'email', u.email) AS customer,
            (${OPEN} AND r.due_at < now()) AS overdue,
            CASE WHEN ${OPEN} AND r.due_at < now() THEN floor(extract(epoch FROM now() - r.due_at) / 86400)::int ELSE 0 END AS "daysOverdue"
       FROM data_access_requests r JOIN users u ON u.id = r.user_id`;

/**
 * Staff record the answer to a request: in progress, completed (sets completed_at) or rejected,
 * with a note. The note is appended to `notes` (earlier answers stay readable) with when and who
 * (name and id);
 * the audit event says who changed what, the note's length but not its text (it may name the
 * customer). A completed or rejected request is answered: CONFLICT, nothing changes.
 */
export async function recordDataRequestStatus(
  db: Db,
  input: { requestId: string; status: 'in_progress' | 'completed' | 'rejected'; note: string; staffId: string },
): Promise<StaffDataRequest> {
  await withTransaction(db, async (tx) => {
    const { rows } = await tx.query<{ status: string; user_id: string }>(
      'SELECT status, user_id FROM data_access_requests WHERE id = $1 FOR UPDATE',
      [input.requestId],
    );
    const found = rows[0];
    if (!found) throw new DomainError('NOT_FOUND', 'No such data request');
    if (found.status === 'completed' || found.status === 'rejected') {
      throw new DomainError('CONFLICT', `The request is already ${found.status}`, { status: found.status });
    }
    await tx.query(
      `UPDATE data_access_requests
          SET status = $2,
              completed_at = CASE WHEN $2 = 'completed' THEN now() ELSE completed_at END,
              notes = concat_ws(E'\\n', notes, format('[%s %s (%s)] %s: %s', ${ISO('now()')},
                                (SELECT full_name FROM staff WHERE id = $3), $3::text, $2::text, $4::text))
        WHERE id = $1`,
      [input.requestId, input.status, input.staffId, input.note],
    );
    await recordAuditEvent(tx, {
      action: 'data_request_status_changed',
      resourceType: 'data_access_request',
      resourceId: input.requestId,
      actor: input.staffId,
      details: { userId: found.user_id, from: found.status, to: input.status, noteLength: input.note.length },
    });
  });
  const { rows } = await db.query<StaffDataRequest>(`${STAFF_SELECT} WHERE r.id = $1`, [input.requestId]);
  const answered = rows[0];
  if (!answered) throw new Error('data request vanished');
  return answered;
}

/**
 * Staff record a request that reached Drop by letter, e-mail or phone (`POST /api/staff/data-requests`),
 * due one month after it was received: by the end of that day in Oslo (23:59:59), the deadline
 * GDPR art. 12(3) sets in days, not hours. An erasure goes through `requestErasure`, the same operation
 * as the app's, so the customer is restricted at once (and an open erasure request is reused, not
 * doubled); the others start as received. The audit event names the type and channel, not the note
 * (it may quote the customer). BAD_REQUEST for a received date in the future or over a year ago,
 * NOT_FOUND for an unknown customer; nothing is stored then. `created` is false when an open
 * erasure request already existed (it is returned instead).
 */
export async function recordStaffDataRequest(
  db: Db,
  input: StaffDataRequestRecord & { staffId: string },
): Promise<{ request: StaffDataRequest; created: boolean }> {
  const { rows: dates } = await db
    .query<{ future: boolean; stale: boolean }>(
      `SELECT $1::date > (now() AT TIME ZONE 'Europe/Oslo')::date AS future,
            $1::date < (now() AT TIME ZONE 'Europe/Oslo')::date - interval '1 year' AS stale`,
      [input.receivedOn],
    )
    .catch(() => {
      throw new DomainError('VALIDATION_FAILED', 'receivedOn is not a date', { field: 'receivedOn' });
    });
  if (dates[0]?.future) throw new DomainError('VALIDATION_FAILED', 'receivedOn is in the future', { field: 'receivedOn' });
  if (dates[0]?.stale) throw new DomainError('VALIDATION_FAILED', 'receivedOn is more than a year ago', { field: 'receivedOn' });
  const note = `recorded by staff (${input.channel}, received ${input.receivedOn}): ${input.note}`;
  let requestId: string;
  let created = true;
  if (input.type === 'erasure') {
    const erasure = await requestErasure(db, {
      userId: input.userId,
      actor: input.staffId,
      note,
      received: { channel: input.channel, receivedOn: input.receivedOn },
    });
    requestId = erasure.id;
    created = erasure.created;
  } else {
    requestId = newId('dar');
    await withTransaction(db, async (tx) => {
      const user = await tx.query('SELECT 1 FROM users WHERE id = $1', [input.userId]);
      if (user.rowCount === 0) throw new DomainError('NOT_FOUND', 'No such customer.');
      await tx.query(
        `INSERT INTO data_access_requests (id, user_id, type, status, notes, channel, received_on, due_at)
         VALUES ($1, $2, $3, 'received', $4, $5, $6::date, ($6::date + interval '1 month 1 day') AT TIME ZONE 'Europe/Oslo' - interval '1 second')`,
        [requestId, input.userId, input.type, note, input.channel, input.receivedOn],
      );
      await recordAuditEvent(tx, {
        action: 'data_request_recorded',
        resourceType: 'data_access_request',
        resourceId: requestId,
        actor: input.staffId,
        details: {
          userId: input.userId,
          type: input.type,
          channel: input.channel,
          receivedOn: input.receivedOn,
          noteLength: input.note.length,
        },
      });
    });
  }
  const { rows } = await db.query<StaffDataRequest>(`${STAFF_SELECT} WHERE r.id = $1`, [requestId]);
  const recorded = rows[0];
  if (!recorded) throw new Error('data request vanished');
  return { request: recorded, created };
}
