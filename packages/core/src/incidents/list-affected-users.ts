/**
 * Who a security incident touched (the DR runbook's scenario 5, "identify scope of breach"), from
 * what Drop records: customer sessions (`sessions`: when each was live, from which IP, revoked or
 * not) and the audit log (who changed which record, and when). Three ways in, combinable:
 *
 * - a set of sessions (stolen tokens, a leaked session table): their owners;
 * - a time window, optionally one IP: customers with a session live in the window;
 * - a staff account (optionally in a window): customers whose records it changed.
 *
 * Staff reads are not audited (only changes are, refusals, and opening a customer's profile:
 * `customer_profile_viewed`, listed like a change), so for a compromised staff account
 * the list is a floor, not the whole: the report says so in `caveats`, and whoever notifies must
 * treat everyone the account's role could open as possibly affected.
 *
 * The answer is internal: `touched` may say `compliance_records` (an alert, case or STR about the
 * customer), which never reaches a customer (hvitvaskingsloven § 26; see render-breach-notice.ts).
 */
import { isIP } from 'node:net';
import type { Db } from '@drop/db';
import { z } from 'zod';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { DomainError } from '../errors.ts';

/** What kind of a customer's data was exposed or changed. */
export const DATA_CATEGORIES = [
  'profile',
  'kyc_status',
  'recipients',
  'transfers',
  'payments',
  'sessions',
  'compliance_records',
  'other',
] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

/** Everything a signed-in customer can see in the app: what a stolen session could read. */
export const CUSTOMER_SESSION_EXPOSES: readonly DataCategory[] = [
  'profile',
  'kyc_status',
  'recipients',
  'transfers',
  'payments',
  'sessions',
];

/** A changed record's kind (the audit log's resource_type) as a data category. */
function categoryOf(resourceType: string): DataCategory {
  switch (resourceType) {
    case 'user':
    case 'users':
      return 'profile';
    case 'session':
    case 'sessions':
      return 'sessions';
    case 'transaction':
    case 'transactions':
    case 'transfer':
      return 'transfers';
    case 'recipient':
    case 'recipients':
      return 'recipients';
    case 'payment':
    case 'bank_entry':
    case 'customer_refund':
      return 'payments';
    case 'kyc':
      return 'kyc_status';
    default:
      return /^(aml|str|screening|four_eyes)/.test(resourceType) ? 'compliance_records' : 'other';
  }
}

const SESSION_ID = /^ses_[0-9A-HJKMNP-TV-Z]{26}$/;

export interface AffectedUsersCriteria {
  sessionIds?: readonly string[];
  from?: Date;
  to?: Date;
  /** Only sessions from this address (with a window). */
  ip?: string;
  /** The compromised staff account's e-mail. */
  staffEmail?: string;
}

/** The report, as `drop incident affected-users --json` prints it and `drop incident notice --affected` reads it back. */
export const affectedUserSchema = z.object({
  userId: z.string(),
  email: z.string().nullable(),
  fullName: z.string().nullable(),
  locale: z.enum(['nb', 'en']),
  /** Erased or blocked by an operator (`users.deleted_at`): still notified, the breach concerns them all the same. */
  deleted: z.boolean(),
  touched: z.array(z.enum(DATA_CATEGORIES)),
  reasons: z.array(z.string()),
  sessionIds: z.array(z.string()),
  /** Audited actions, by action name, that the report counts against this customer (their own while a session was live, or the staff account's). */
  auditedActions: z.record(z.string(), z.number().int()),
});
export type AffectedUser = z.infer<typeof affectedUserSchema>;

export const affectedUsersReportSchema = z.object({
  generatedAt: z.string(),
  criteria: z.object({
    sessionIds: z.array(z.string()),
    from: z.string().nullable(),
    to: z.string().nullable(),
    ip: z.string().nullable(),
    staffEmail: z.string().nullable(),
  }),
  counts: z.object({ users: z.number().int(), sessions: z.number().int(), records: z.number().int() }),
  users: z.array(affectedUserSchema),
  unknownSessionIds: z.array(z.string()),
  staffSessions: z.array(z.object({ id: z.string(), ip: z.string().nullable(), createdAt: z.string(), lastSeenAt: z.string() })),
  caveats: z.array(z.string()),
});
export type AffectedUsersReport = z.infer<typeof affectedUsersReportSchema>;

interface SessionRow {
  id: string;
  user_id: string;
  created_at: Date;
  last_seen_at: Date;
  revoked_at: Date | null;
  ip: string | null;
  listed: boolean;
  in_window: boolean;
}

interface ActionRow {
  user_id: string;
  action: string;
  resource_type: string;
  events: number;
}

/** The sessions asked for by id, and those live in the window (from the IP, if given). */
const SESSIONS_SQL = `
  SELECT s.id, s.user_id, s.created_at, s.last_seen_at, s.revoked_at, host(s.ip) AS ip,
         s.id = ANY($1::text[]) AS listed,
         ($2::timestamptz IS NOT NULL AND s.created_at <= $3 AND s.last_seen_at >= $2
            AND (s.revoked_at IS NULL OR s.revoked_at >= $2)
            AND ($4::inet IS NULL OR s.ip = $4::inet)) AS in_window
    FROM sessions s
   WHERE s.id = ANY($1::text[])
      OR ($2::timestamptz IS NOT NULL AND s.created_at <= $3 AND s.last_seen_at >= $2
          AND (s.revoked_at IS NULL OR s.revoked_at >= $2)
          AND ($4::inet IS NULL OR s.ip = $4::inet))
   ORDER BY s.created_at, s.id`;

/**
 * What each customer's own account did while one of these sessions was live (created_at to its
 * last request). The audit log does not record which session acted, so a second, legitimate
 * session of the same customer in that time is counted too: over-inclusion is the safe error here.
 * An event in the life of two listed sessions counts once.
 */
const SESSION_ACTIONS_SQL = `
  SELECT e.user_id, e.action, e.resource_type, count(*)::int AS events
    FROM (SELECT DISTINCT a.id, a.actor AS user_id, a.action, a.resource_type
            FROM sessions s
            JOIN audit_log a ON a.actor = s.user_id AND a."timestamp" BETWEEN s.created_at AND s.last_seen_at
           WHERE s.id = ANY($1::text[])) e
   GROUP BY e.user_id, e.action, e.resource_type`;

/**
 * The customers whose records a staff account changed: the customer is the record itself (a
 * users row), the row's owner (a before-image's user_id) or the event's `userId`.
 */
const STAFF_ACTIONS_SQL = `
  WITH events AS (
    SELECT coalesce(CASE WHEN a.resource_id LIKE 'usr\\_%' THEN a.resource_id END,
                    a.details -> 'before' ->> 'user_id', a.details ->> 'userId', a.details ->> 'user_id') AS user_id,
           a.action, a.resource_type
      FROM audit_log a
     WHERE a.actor = $1
       AND ($2::timestamptz IS NULL OR a."timestamp" >= $2)
       AND ($3::timestamptz IS NULL OR a."timestamp" <= $3))
  SELECT e.user_id, e.action, e.resource_type, count(*)::int AS events
    FROM events e JOIN users u ON u.id = e.user_id
   GROUP BY e.user_id, e.action, e.resource_type`;

export async function listAffectedUsers(db: Db, criteria: AffectedUsersCriteria, options: { actor: string }): Promise<AffectedUsersReport> {
  const sessionIds = [...new Set(criteria.sessionIds ?? [])];
  const malformed = sessionIds.filter((id) => !SESSION_ID.test(id));
  if (malformed.length > 0) {
    throw new DomainError('VALIDATION_FAILED', `Not a session id: ${malformed.slice(0, 5).join(', ')}.`, { malformed });
  }
  const { from, to, ip, staffEmail } = criteria;
  if ((from === undefined) !== (to === undefined))
    throw new DomainError('VALIDATION_FAILED', 'Give both ends of the window, --from and --to.');
  if (from && to && !(from.getTime() <= to.getTime())) throw new DomainError('VALIDATION_FAILED', 'The window ends before it starts.');
  if (ip && !from) throw new DomainError('VALIDATION_FAILED', 'An IP narrows a window: give --from and --to with it.');
  if (ip && isIP(ip) === 0) throw new DomainError('VALIDATION_FAILED', `Not an IP address: ${ip}.`);
  if (ip && staffEmail) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'An IP narrows customer sessions; a staff account is listed with its sessions and their IPs.',
    );
  }
  if (sessionIds.length === 0 && !from && !staffEmail) {
    throw new DomainError('VALIDATION_FAILED', 'Say what was compromised: sessions, a time window, or a staff account.');
  }

  let staff: { id: string } | undefined;
  if (staffEmail) {
    staff = (await db.query<{ id: string }>('SELECT id FROM staff WHERE lower(email) = lower($1)', [staffEmail])).rows[0];
    if (!staff) throw new DomainError('NOT_FOUND', `No staff member ${staffEmail}.`);
  }

  const byUser = new Map<string, { touched: Set<DataCategory>; reasons: string[]; sessionIds: string[]; actions: Map<string, number> }>();
  const entry = (userId: string) => {
    let found = byUser.get(userId);
    if (!found) {
      found = { touched: new Set(), reasons: [], sessionIds: [], actions: new Map() };
      byUser.set(userId, found);
    }
    return found;
  };
  const countAction = (target: ReturnType<typeof entry>, row: ActionRow) => {
    target.actions.set(row.action, (target.actions.get(row.action) ?? 0) + row.events);
    target.touched.add(categoryOf(row.resource_type));
  };

  // A staff investigation looks at the staff account's actions in the window, not at every
  // customer who happened to be signed in then: the window belongs to the staff account.
  const customerWindow = staff ? undefined : from && to ? { from, to } : undefined;
  const sessions = (
    await db.query<SessionRow>(SESSIONS_SQL, [sessionIds, customerWindow?.from ?? null, customerWindow?.to ?? null, ip ?? null])
  ).rows;
  const found = new Set(sessions.map((session) => session.id));
  const unknownSessionIds = sessionIds.filter((id) => !found.has(id));
  for (const session of sessions) {
    const target = entry(session.user_id);
    for (const category of CUSTOMER_SESSION_EXPOSES) target.touched.add(category);
    target.sessionIds.push(session.id);
    const live = `${session.created_at.toISOString()} to ${session.last_seen_at.toISOString()}`;
    const revoked = session.revoked_at ? `, revoked ${session.revoked_at.toISOString()}` : '';
    const from_ = session.ip ? ` from ${session.ip}` : '';
    target.reasons.push(
      session.listed
        ? `session ${session.id} is in the compromised set (live ${live}${from_}${revoked})`
        : `session ${session.id} was live in the window (${live}${from_}${revoked})`,
    );
  }
  let records = 0;
  if (sessions.length > 0) {
    const actions = (await db.query<ActionRow>(SESSION_ACTIONS_SQL, [sessions.map((session) => session.id)])).rows;
    for (const row of actions) {
      countAction(entry(row.user_id), row);
      records += row.events;
    }
  }

  const staffSessions: AffectedUsersReport['staffSessions'] = [];
  if (staff) {
    const actions = (await db.query<ActionRow>(STAFF_ACTIONS_SQL, [staff.id, from ?? null, to ?? null])).rows;
    const eventsByUser = new Map<string, number>();
    for (const row of actions) {
      countAction(entry(row.user_id), row);
      records += row.events;
      eventsByUser.set(row.user_id, (eventsByUser.get(row.user_id) ?? 0) + row.events);
    }
    for (const [userId, events] of eventsByUser) {
      entry(userId).reasons.push(`records changed by ${staffEmail} (${events} audited event${events === 1 ? '' : 's'})`);
    }
    const rows = (
      await db.query<{ id: string; ip: string | null; created_at: Date; last_seen_at: Date }>(
        `SELECT id, host(ip) AS ip, created_at, last_seen_at FROM staff_sessions
          WHERE staff_id = $1 AND ($2::timestamptz IS NULL OR last_seen_at >= $2) AND ($3::timestamptz IS NULL OR created_at <= $3)
          ORDER BY created_at`,
        [staff.id, from ?? null, to ?? null],
      )
    ).rows;
    for (const row of rows) {
      staffSessions.push({ id: row.id, ip: row.ip, createdAt: row.created_at.toISOString(), lastSeenAt: row.last_seen_at.toISOString() });
    }
  }

  const people = (
    await db.query<{ id: string; email: string | null; full_name: string | null; locale: 'nb' | 'en'; deleted: boolean }>(
      'SELECT id, email, full_name, locale, deleted_at IS NOT NULL AS deleted FROM users WHERE id = ANY($1::text[]) ORDER BY id',
      [[...byUser.keys()]],
    )
  ).rows;
  const users: AffectedUser[] = people.map((person) => {
    const target = byUser.get(person.id) as NonNullable<ReturnType<typeof byUser.get>>;
    return {
      userId: person.id,
      email: person.email,
      fullName: person.full_name,
      locale: person.locale,
      deleted: person.deleted,
      touched: DATA_CATEGORIES.filter((category) => target.touched.has(category)),
      reasons: target.reasons,
      sessionIds: target.sessionIds,
      auditedActions: Object.fromEntries([...target.actions].sort(([a], [b]) => a.localeCompare(b))),
    };
  });

  const caveats: string[] = [];
  if (staff) {
    caveats.push(
      "Staff reads are not audited, except opening a customer's profile (customer_profile_viewed): this lists the customers whose records the staff account changed or whose profile it opened. Anyone its role could open in the window (a transfer, an alert, a case) may have been viewed.",
    );
  }
  if (sessions.length > 0) {
    caveats.push(
      'The audit log does not say which session acted: audited actions count everything the customer did while the session was live.',
    );
  }

  const report: AffectedUsersReport = {
    generatedAt: new Date().toISOString(),
    criteria: {
      sessionIds,
      from: from?.toISOString() ?? null,
      to: to?.toISOString() ?? null,
      ip: ip ?? null,
      staffEmail: staffEmail ?? null,
    },
    counts: { users: users.length, sessions: sessions.length, records },
    users,
    unknownSessionIds,
    staffSessions,
    caveats,
  };
  // Pseudonymous facts only: how it was asked and how many, never who (the list itself holds names).
  await recordAuditEvent(db, {
    action: 'incident_affected_users_listed',
    resourceType: 'incident',
    actor: options.actor,
    details: {
      sessions: sessionIds.length,
      from: report.criteria.from,
      to: report.criteria.to,
      ip: report.criteria.ip,
      staffId: staff?.id ?? null,
      users: users.length,
      records,
    },
  });
  return report;
}
