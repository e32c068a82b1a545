import type { FourEyesRequest } from '@drop/contracts';
import { type Db, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { mappingDomainErrors } from '../database-errors.ts';
import { DomainError } from '../errors.ts';
import { fourEyesRequestById } from './four-eyes-request-row.ts';

/**
 * The proposer takes back their own pending proposal (status 'withdrawn'; nothing is carried out).
 * Only the proposer: anyone else decides it instead (approve or reject), so a withdrawal by
 * another person is FORBIDDEN rather than a quiet way round the second pair of eyes. decided_by
 * stays NULL (the row's CHECK keeps it for a second person); who withdrew is the proposer, and
 * the audit event says so with the note.
 */
export async function withdrawFourEyes(db: Db, input: { id: string; staffId: string; note: string }): Promise<FourEyesRequest> {
  return mappingDomainErrors(() =>
    withTransaction(db, async (tx) => {
      const { rows } = await tx.query<{ kind: FourEyesRequest['kind']; subject_id: string; proposed_by: string; status: string }>(
        'SELECT kind, subject_id, proposed_by, status FROM four_eyes_requests WHERE id = $1 FOR UPDATE',
        [input.id],
      );
      const request = rows[0];
      if (!request) throw new DomainError('NOT_FOUND', 'No such request.');
      if (request.proposed_by !== input.staffId) {
        throw new DomainError('FORBIDDEN', 'Only the person who proposed it can withdraw a proposal; others approve or reject it.');
      }
      if (request.status !== 'pending')
        throw new DomainError('CONFLICT', `This request is already ${request.status}.`, { status: request.status });
      await tx.query(
        `UPDATE four_eyes_requests SET status = 'withdrawn', decided_at = now(), decision_note = nullif($2, '') WHERE id = $1`,
        [input.id, input.note],
      );
      await recordAuditEvent(tx, {
        action: 'four_eyes_withdrawn',
        resourceType: request.kind.endsWith('_transfer') ? 'transaction' : 'user',
        resourceId: request.subject_id,
        actor: input.staffId,
        details: { requestId: input.id, kind: request.kind, note: input.note },
      });
      return (await fourEyesRequestById(tx, input.id)) as FourEyesRequest;
    }),
  );
}
