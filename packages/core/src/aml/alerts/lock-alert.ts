import type { DbClient } from '@drop/db';
import { DomainError } from '../../errors.ts';

export interface LockedAlert {
  id: string;
  status: 'open' | 'closed';
  rule: string;
  assigned_to: string | null;
  screening_match_id: string | null;
}

/**
 * The alert, locked for this transaction: NOT_FOUND for an unknown id, ALERT_CLOSED (409) when
 * `mustBeOpen` and it is closed already, so a second close or a late assignment changes nothing.
 */
export async function lockAlert(tx: DbClient, alertId: string, mustBeOpen: boolean): Promise<LockedAlert> {
  const { rows } = await tx.query<LockedAlert>(
    'SELECT id, status, rule, assigned_to, screening_match_id FROM aml_alerts WHERE id = $1 FOR UPDATE',
    [alertId],
  );
  const alert = rows[0];
  if (!alert) throw new DomainError('NOT_FOUND', 'No such alert.');
  if (mustBeOpen && alert.status === 'closed') throw new DomainError('ALERT_CLOSED', 'This alert is closed already.');
  return alert;
}
