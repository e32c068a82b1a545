import type { StrDraftContext } from '@drop/contracts';
import type { Db } from '@drop/db';
import { DomainError } from '../../errors.ts';

/**
 * What the drafting page offers from a case: the case, its alerts' rules (the indicators), whether
 * one is a sanctions match, and the transfers that may be reported (the case customer's and those
 * of other customers with alerts in the case, the same rule build-str-document.ts enforces).
 */
export async function getStrDraftContext(db: Db, caseId: string): Promise<StrDraftContext> {
  const caseRow = (
    await db.query<{
      id: string;
      title: string;
      escalated_rule: string | null;
      status: string;
      user_id: string;
      customer_name: string | null;
    }>(
      `SELECT c.id, c.title, c.escalated_rule, c.status, c.user_id, u.full_name AS customer_name FROM aml_cases c JOIN users u ON u.id = c.user_id WHERE c.id = $1`,
      [caseId],
    )
  ).rows[0];
  if (!caseRow) throw new DomainError('NOT_FOUND', 'No such case.');
  const alerts = (
    await db.query<{ rule: string; user_id: string; transaction_id: string | null }>(
      'SELECT rule, user_id, transaction_id FROM aml_alerts WHERE case_id = $1 ORDER BY created_at',
      [caseId],
    )
  ).rows;
  const indicators = [...new Set(alerts.map((alert) => alert.rule))];
  const flagged = new Set(alerts.flatMap((alert) => (alert.transaction_id ? [alert.transaction_id] : [])));
  const customers = [...new Set([caseRow.user_id, ...alerts.map((alert) => alert.user_id)])];
  const { rows } = await db.query<{
    id: string;
    user_id: string;
    customer_name: string | null;
    created_at: Date;
    status: string;
    send_amount: string;
    receive_amount: string | null;
    receive_currency: string | null;
    recipient_name: string | null;
    recipient_country: string | null;
  }>(
    `SELECT t.id, t.user_id, u.full_name AS customer_name, t.created_at, t.status, t.send_amount::text AS send_amount,
            format_minor(t.receive_amount_minor, t.receive_currency) AS receive_amount, t.receive_currency,
            r.name AS recipient_name, r.country AS recipient_country
       FROM transactions t JOIN users u ON u.id = t.user_id LEFT JOIN recipients r ON r.id = t.recipient_id
      WHERE t.user_id = ANY($1::text[]) ORDER BY t.created_at DESC, t.id LIMIT 200`,
    [customers],
  );
  return {
    case: {
      id: caseRow.id,
      title: caseRow.title,
      escalatedRule: caseRow.escalated_rule,
      status: caseRow.status,
      userId: caseRow.user_id,
      customerName: caseRow.customer_name,
    },
    indicators,
    sanctionsHit: indicators.includes('sanctions_match'),
    transfers: rows.map((row) => ({
      id: row.id,
      userId: row.user_id,
      customerName: row.customer_name,
      createdAt: row.created_at.toISOString(),
      status: row.status,
      sendAmount: row.send_amount,
      receiveAmount: row.receive_amount,
      receiveCurrency: row.receive_currency,
      recipientName: row.recipient_name,
      recipientCountry: row.recipient_country,
      flagged: flagged.has(row.id),
    })),
  };
}
