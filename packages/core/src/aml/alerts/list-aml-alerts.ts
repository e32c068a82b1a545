import type { AlertStatus, AmlAlert } from '@drop/contracts';
import type { Db } from '@drop/db';

/** The columns of an alert row as the list and the detail read them (aml_alerts a, users u, transactions t). */
export const ALERT_COLUMNS = `a.id, a.user_id, u.email, u.full_name AS customer_name, a.transaction_id, t.status AS transfer_status,
  a.rule, a.rule_version, a.severity, a.status, a.details ->> 'action' AS action, a.details ->> 'summary' AS summary,
  a.subject_type, a.subject_id, a.screening_match_id, a.created_at, t.send_amount::text AS send_amount, t.send_currency`;

export interface AlertRow {
  id: string;
  user_id: string;
  email: string | null;
  customer_name: string | null;
  transaction_id: string | null;
  transfer_status: AmlAlert['transferStatus'];
  rule: string;
  rule_version: number | null;
  severity: AmlAlert['severity'];
  status: AmlAlert['status'];
  action: string | null;
  summary: string | null;
  subject_type: AmlAlert['subjectType'];
  subject_id: string | null;
  screening_match_id: string | null;
  created_at: Date;
  send_amount: string | null;
  send_currency: string | null;
}

export function alertFromRow(row: AlertRow): AmlAlert {
  return {
    id: row.id,
    userId: row.user_id,
    email: row.email,
    customerName: row.customer_name,
    transactionId: row.transaction_id,
    transferStatus: row.transfer_status,
    rule: row.rule,
    ruleVersion: row.rule_version,
    severity: row.severity,
    status: row.status,
    action: row.action === 'alert' || row.action === 'hold' ? row.action : null,
    summary: row.summary,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    screeningMatchId: row.screening_match_id,
    createdAt: row.created_at.toISOString(),
    sendAmount: row.send_amount,
    sendCurrency: row.send_currency,
  };
}

/** At most this many alerts in one list (the open queue is worked down long before). */
const LIST_LIMIT = 500;

/**
 * AML alerts, newest first (runbook 7.1 lists the open ones: the default), with the customer, the
 * transfer's amount and status, and the rule's summary.
 */
export async function listAmlAlerts(db: Db, query: { status: AlertStatus | 'all' } = { status: 'open' }): Promise<AmlAlert[]> {
  const { rows } = await db.query<AlertRow>(
    `SELECT ${ALERT_COLUMNS}
       FROM aml_alerts a JOIN users u ON a.user_id = u.id LEFT JOIN transactions t ON a.transaction_id = t.id
      WHERE $1::text = 'all' OR a.status = $1
      ORDER BY a.created_at DESC, a.id DESC
      LIMIT ${LIST_LIMIT}`,
    [query.status],
  );
  return rows.map(alertFromRow);
}
