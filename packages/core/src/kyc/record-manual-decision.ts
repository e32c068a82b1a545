import { type Db, withTransaction } from '@drop/db';
import { DomainError } from '../errors.ts';
import { JOBS, queueJob } from '../jobs.ts';
import { applyKycReview, type CustomerScreening } from './apply-kyc-review.ts';

/**
 * A compliance officer's own decision on a customer's verification, with the reason. It is audited
 * like a provider decision and becomes the latest event: a provider webhook created before it
 * cannot undo it; a newer provider review (a downgrade) still applies. A rejection is then sent
 * to the provider by a job, after commit.
 */
export async function recordManualKycDecision(
  db: Db,
  input: { userId: string; decision: 'approve' | 'reject'; note: string; staffId: string; screening?: CustomerScreening },
): Promise<{ from: string; to: string }> {
  if (input.note.trim().length < 5) throw new DomainError('VALIDATION_FAILED', 'Write why (at least a few words).');
  return withTransaction(db, async (tx) => {
    const applicant = await tx.query<{ applicant_id: string }>(`SELECT applicant_id FROM kyc_applicants WHERE user_id = $1 FOR UPDATE`, [
      input.userId,
    ]);
    const applicantId = applicant.rows[0]?.applicant_id;
    if (!applicantId) throw new DomainError('NOT_FOUND', 'This customer has not started verification.');
    const result = await applyKycReview(tx, {
      userId: input.userId,
      review: {
        applicantId,
        externalUserId: input.userId,
        reviewStatus: 'completed',
        reviewAnswer: input.decision === 'approve' ? 'GREEN' : 'RED',
        rejectType: input.decision === 'reject' ? 'FINAL' : undefined,
        rejectLabels: input.decision === 'reject' ? ['COMPLIANCE_DECISION'] : [],
      },
      eventMs: Date.now(),
      reason: `manual: ${input.note.trim()}`,
      actor: input.staffId,
      decidedBy: input.staffId,
      ...(input.screening ? { screening: input.screening } : {}),
    });
    // Reconcile with Sumsub after commit (outbox): a rejection is sent to Sumsub's reject API, so
    // both sides agree. Sumsub has no approval API outside its sandbox; an approval stands in Drop
    // until Sumsub reviews again, and a newer Sumsub review still applies.
    if (input.decision === 'reject') {
      await queueJob(
        tx,
        JOBS.rejectAtProvider,
        { userId: input.userId, applicantId, note: input.note.trim() },
        { jobKey: `kyc-reject:${applicantId}` },
      );
    }
    return result;
  });
}

/** A customer's verification history for the console: provider events and decisions, oldest first. */
export async function kycHistory(db: Db, userId: string) {
  const { rows } = await db.query<{
    timestamp: Date;
    actor: string;
    actor_name: string | null;
    action: string;
    details: Record<string, unknown>;
  }>(
    `SELECT a."timestamp", a.actor, s.full_name AS actor_name, a.action, a.details
       FROM audit_log a LEFT JOIN staff s ON s.id = a.actor
      WHERE a.resource_type = 'user' AND a.resource_id = $1 AND a.action IN ('kyc_started', 'kyc_status_changed')
      ORDER BY a.seq`,
    [userId],
  );
  return rows.map((row) => ({
    timestamp: row.timestamp.toISOString(),
    actor: row.actor,
    actorName: row.actor_name,
    action: row.action,
    details: row.details,
  }));
}
