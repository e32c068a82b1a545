import type { AmlCaseSummary, CaseOutcome, CaseStatus } from '@drop/contracts';
import type { Db } from '@drop/db';

/** The columns of a case as the list and the detail read them (aml_cases c, users u, staff opener/assignee). */
export const CASE_COLUMNS = `c.id, c.user_id, u.email, u.full_name AS customer_name, c.title, c.escalated_rule, c.status, c.outcome, c.opened_at,
  c.opened_by, opener.full_name AS opened_by_name, c.assigned_to, assignee.full_name AS assigned_to_name, c.due_at, c.closed_at,
  (c.status <> 'closed' AND c.due_at < now()) AS overdue,
  CASE WHEN c.status <> 'closed' AND c.due_at < now() THEN floor(extract(epoch FROM now() - c.due_at) / 86400)::int ELSE 0 END AS days_overdue,
  (SELECT count(*)::int FROM aml_alerts a WHERE a.case_id = c.id) AS alert_count`;

export const CASE_FROM = `aml_cases c JOIN users u ON u.id = c.user_id
  JOIN staff opener ON opener.id = c.opened_by LEFT JOIN staff assignee ON assignee.id = c.assigned_to`;

export interface CaseRow {
  id: string;
  user_id: string;
  email: string | null;
  customer_name: string | null;
  title: string;
  escalated_rule: string | null;
  status: CaseStatus;
  outcome: CaseOutcome | null;
  opened_at: Date;
  opened_by: string;
  opened_by_name: string | null;
  assigned_to: string | null;
  assigned_to_name: string | null;
  due_at: Date;
  closed_at: Date | null;
  overdue: boolean;
  days_overdue: number;
  alert_count: number;
}

export function caseFromRow(row: CaseRow): AmlCaseSummary {
  return {
    id: row.id,
    userId: row.user_id,
    email: row.email,
    customerName: row.customer_name,
    title: row.title,
    escalatedRule: row.escalated_rule,
    status: row.status,
    outcome: row.outcome,
    openedAt: row.opened_at.toISOString(),
    openedBy: { id: row.opened_by, name: row.opened_by_name ?? row.opened_by },
    assignedTo: row.assigned_to ? { id: row.assigned_to, name: row.assigned_to_name ?? row.assigned_to } : null,
    dueAt: row.due_at.toISOString(),
    overdue: row.overdue,
    daysOverdue: row.days_overdue,
    closedAt: row.closed_at?.toISOString() ?? null,
    alertCount: row.alert_count,
  };
}

/** At most this many cases in one list. */
const LIST_LIMIT = 500;

/**
 * Cases: the active ones (open or investigating) unless `status` says otherwise; `overdue` keeps
 * those not closed whose due date has passed. Overdue first, then the nearest due date, so the
 * duty to investigate that is late or next is on top.
 */
export async function listAmlCases(
  db: Db,
  query: { status?: CaseStatus | 'active' | 'all'; overdue?: boolean } = {},
): Promise<AmlCaseSummary[]> {
  const status = query.status ?? 'active';
  const { rows } = await db.query<CaseRow>(
    `SELECT ${CASE_COLUMNS}
       FROM ${CASE_FROM}
      WHERE ($1::text = 'all' OR ($1 = 'active' AND c.status <> 'closed') OR c.status = $1)
        AND (NOT $2::boolean OR (c.status <> 'closed' AND c.due_at < now()))
      ORDER BY (c.status <> 'closed' AND c.due_at < now()) DESC, (c.status = 'closed'), c.due_at, c.id
      LIMIT ${LIST_LIMIT}`,
    [status, query.overdue ?? false],
  );
  return rows.map(caseFromRow);
}
