import { type Db, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import { DomainError } from '../../errors.ts';

/**
 * Turns transaction monitoring (every rule and the aggregates) on or off, audited with the
 * reason. Sanctions and PEP screening and a frozen customer's hold apply either way.
 */
export async function setAmlMonitoring(db: Db, input: { enabled: boolean; actor: string; reason: string }): Promise<void> {
  if (input.reason.trim().length < 3) throw new DomainError('VALIDATION_FAILED', 'Give a reason for the change.');
  await withTransaction(db, async (tx) => {
    await tx.query(`SELECT set_config('drop.actor', $1, true)`, [input.actor]);
    const { rowCount } = await tx.query('UPDATE aml_settings SET enabled = $1, updated_by = $2 WHERE enabled <> $1', [
      input.enabled,
      input.actor,
    ]);
    if (!rowCount) return;
    await recordAuditEvent(tx, {
      action: 'aml_monitoring_changed',
      resourceType: 'aml_settings',
      actor: input.actor,
      details: { enabled: input.enabled, reason: input.reason },
    });
  });
}
