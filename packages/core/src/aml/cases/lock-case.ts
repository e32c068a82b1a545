import type { CaseStatus } from '@drop/contracts';
import type { DbClient } from '@drop/db';
import { DomainError } from '../../errors.ts';

export interface LockedCase {
  id: string;
  user_id: string;
  status: CaseStatus;
  assigned_to: string | null;
}

/**
 * The case, locked for this transaction: NOT_FOUND for an unknown id, CASE_CLOSED (409) when it is
 * closed, so a late note, assignment or second close changes nothing. A closed case's history is
 * final: a new suspicion about the customer opens a new case.
 */
export async function lockCase(tx: DbClient, caseId: string): Promise<LockedCase> {
  const { rows } = await tx.query<LockedCase>('SELECT id, user_id, status, assigned_to FROM aml_cases WHERE id = $1 FOR UPDATE', [caseId]);
  const found = rows[0];
  if (!found) throw new DomainError('NOT_FOUND', 'No such case.');
  if (found.status === 'closed') throw new DomainError('CASE_CLOSED', 'This case is closed.', { caseId });
  return found;
}
