import type { AlertOutcome, AmlAlertDetail } from '@drop/contracts';
import { type Db, type DbClient, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import { DomainError } from '../../errors.ts';
import { escalateAlertIn } from '../cases/escalate-alert-to-case.ts';
import { getAmlAlert } from './get-aml-alert.ts';
import { lockAlert } from './lock-alert.ts';

/** The rules whose alerts come from a name match: a false positive clears the match for its subject. */
const SCREENING_RULES = new Set(['sanctions_match', 'pep_match']);

/**
 * Closes an open alert with an outcome and notes, as runbook 7.1's UPDATE does (status 'closed',
 * reviewed_at, reviewer_notes) plus reviewed_by and the outcome; the trigger on aml_alerts writes
 * the 'closed' history entry. A name-match alert closed as a false positive also clears the match
 * for its subject: a `screening_clearances` row for the list record's current hash, and the match
 * `cleared`, so screening does not raise it again until the record changes. An alert closed as
 * 'escalated' joins its customer's open case (one is opened when there is none) in the same
 * transaction; the answer's `caseId` names it. ALERT_CLOSED when it is closed already (nothing
 * changes).
 */
export async function closeAmlAlert(
  db: Db,
  input: { alertId: string; outcome: AlertOutcome; notes: string; actor: string },
): Promise<AmlAlertDetail> {
  await closeAmlAlertIn(db, input);
  return getAmlAlert(db, input.alertId);
}

/** The same, in the caller's transaction (or its own), without reading the alert back. */
export async function closeAmlAlertIn(db: DbClient, input: { alertId: string; outcome: AlertOutcome; notes: string; actor: string }) {
  const notes = input.notes.trim();
  if (notes.length === 0) throw new DomainError('VALIDATION_FAILED', 'Write the review notes.');
  await withTransaction(db, async (tx) => {
    const alert = await lockAlert(tx, input.alertId, true);
    await tx.query(`SELECT set_config('drop.actor', $1, true)`, [input.actor]);
    await tx.query(
      `UPDATE aml_alerts SET status = 'closed', reviewed_at = now(), reviewer_notes = $2, reviewed_by = $3, outcome = $4 WHERE id = $1`,
      [input.alertId, notes, input.actor, input.outcome],
    );
    let cleared: { list: string; key: string; recordHash: string } | null = null;
    if (input.outcome === 'false_positive' && SCREENING_RULES.has(alert.rule) && alert.screening_match_id) {
      const { rows } = await tx.query<{ subject_type: string; subject_id: string; list: string; record_key: string; record_hash: string }>(
        'SELECT subject_type, subject_id, list, record_key, record_hash FROM screening_matches WHERE id = $1 FOR UPDATE',
        [alert.screening_match_id],
      );
      const match = rows[0];
      if (match) {
        await tx.query(
          `INSERT INTO screening_clearances (subject_type, subject_id, list, record_key, record_hash, cleared_by, reason)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
          [match.subject_type, match.subject_id, match.list, match.record_key, match.record_hash, input.actor, notes],
        );
        await tx.query(`UPDATE screening_matches SET status = 'cleared' WHERE id = $1`, [alert.screening_match_id]);
        cleared = { list: match.list, key: match.record_key, recordHash: match.record_hash };
      }
    }
    const caseId = input.outcome === 'escalated' ? await escalateAlertIn(tx, { alertId: input.alertId, actor: input.actor }) : null;
    await recordAuditEvent(tx, {
      action: 'aml_alert_closed',
      resourceType: 'aml_alert',
      resourceId: input.alertId,
      actor: input.actor,
      details: { outcome: input.outcome, rule: alert.rule, ...(cleared ? { clearedMatch: cleared } : {}), ...(caseId ? { caseId } : {}) },
    });
  });
}
