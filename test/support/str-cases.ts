/**
 * Cases for the STR tests, written in SQL as the case screens will write them: an open case for a
 * customer, opened by a staff member, and alerts of a rule attached to it (`aml_alerts.case_id`).
 */
import { newId } from '@drop/db';
import type pg from 'pg';

/** An open case for the customer; returns its id. */
export async function openCase(pool: pg.Pool, input: { userId: string; openedBy: string; title?: string }): Promise<string> {
  const id = newId('case');
  await pool.query(`INSERT INTO aml_cases (id, user_id, title, status, opened_by) VALUES ($1, $2, $3, 'investigating', $4)`, [
    id,
    input.userId,
    input.title ?? 'Large transfers to Germany',
    input.openedBy,
  ]);
  await pool.query(`INSERT INTO aml_case_events (case_id, kind, actor) VALUES ($1, 'opened', $2)`, [id, input.openedBy]);
  return id;
}

/** An alert of `rule` for the customer (and transfer), in the case; returns its id. */
export async function alertInCase(
  pool: pg.Pool,
  input: { caseId: string; userId: string; rule: string; transactionId?: string | null; severity?: string },
): Promise<string> {
  const id = newId('alert');
  await pool.query(
    `INSERT INTO aml_alerts (id, user_id, transaction_id, rule, severity, details, case_id) VALUES ($1, $2, $3, $4, $5, '{}', $6)`,
    [id, input.userId, input.transactionId ?? null, input.rule, input.severity ?? 'high', input.caseId],
  );
  return id;
}
