import type { FourEyesRequest } from '@drop/contracts';
import { type Db, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { mappingDomainErrors } from '../database-errors.ts';
import { DomainError } from '../errors.ts';
import { executeFourEyesRequestIn } from './execute-four-eyes-request.ts';
import { fourEyesRequestById } from './four-eyes-request-row.ts';

/**
 * A second person approves (and the proposal is carried out in the same transaction) or rejects
 * a pending proposal, with a note. The proposer cannot decide their own: FOUR_EYES_REQUIRED here,
 * and the database refuses it too (trigger four_eyes_requests_guard, CHECK on the row).
 */
export async function decideFourEyes(
  db: Db,
  input: { id: string; staffId: string; decision: 'approve' | 'reject'; note: string },
): Promise<FourEyesRequest> {
  return mappingDomainErrors(() =>
    withTransaction(db, async (tx) => {
      const { rows } = await tx.query<{
        kind: FourEyesRequest['kind'];
        subject_id: string;
        reason: string;
        proposed_by: string;
        status: string;
      }>('SELECT kind, subject_id, reason, proposed_by, status FROM four_eyes_requests WHERE id = $1 FOR UPDATE', [input.id]);
      const request = rows[0];
      if (!request) throw new DomainError('NOT_FOUND', 'No such request.');
      if (request.status !== 'pending')
        throw new DomainError('CONFLICT', `This request is already ${request.status}.`, { status: request.status });
      if (request.proposed_by === input.staffId) {
        throw new DomainError(
          'FOUR_EYES_REQUIRED',
          'A second person must decide: the proposer cannot approve or reject their own request.',
        );
      }
      await tx.query(
        `UPDATE four_eyes_requests SET status = $2, decided_by = $3, decided_at = now(), decision_note = nullif($4, '') WHERE id = $1`,
        [input.id, input.decision === 'approve' ? 'approved' : 'rejected', input.staffId, input.note],
      );
      const executed =
        input.decision === 'approve'
          ? await executeFourEyesRequestIn(tx, { kind: request.kind, subjectId: request.subject_id, reason: request.reason }, input.staffId)
          : undefined;
      await recordAuditEvent(tx, {
        action: input.decision === 'approve' ? 'four_eyes_approved' : 'four_eyes_rejected',
        resourceType: request.kind.endsWith('_transfer') ? 'transaction' : 'user',
        resourceId: request.subject_id,
        actor: input.staffId,
        details: { requestId: input.id, kind: request.kind, proposedBy: request.proposed_by, note: input.note, outcome: executed?.outcome },
      });
      return (await fourEyesRequestById(tx, input.id)) as FourEyesRequest;
    }),
  );
}
