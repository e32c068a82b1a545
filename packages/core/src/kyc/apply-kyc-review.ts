import type { KycStatus } from '@drop/contracts';
import type { DbClient } from '@drop/db';
import type { ScreeningVerdict } from '../aml/screening/subject-screener.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import type { KycApplicantReview } from './kyc-provider.ts';

export type { KycStatus } from '@drop/contracts';

/** What a provider review means for Drop: GREEN approves; RED RETRY asks again; RED FINAL rejects. */
function statusForReview(review: KycApplicantReview): KycStatus | undefined {
  switch (review.reviewStatus) {
    case 'init':
      return undefined;
    case 'onHold':
      return 'on_hold';
    case 'completed':
      if (review.reviewAnswer === 'GREEN') return 'approved';
      if (review.reviewAnswer === 'RED') return review.rejectType === 'RETRY' ? 'retry' : 'rejected';
      return undefined;
    default:
      return 'pending';
  }
}

/** Screens the customer against the sanctions and PEP lists, recording what it finds. */
export interface CustomerScreening {
  screenCustomer(tx: DbClient, userId: string): Promise<ScreeningVerdict>;
}

/**
 * Applies a review to a customer inside the caller's transaction: the applicant row, the user's
 * `kyc_status` and tier, and the audit event with the reason. When a customer stops being approved
 * (a rejection, a retry, a hold, a later downgrade), the database holds their transfers in flight
 * at once (trigger users_contain_blocked); the event counts them.
 *
 * An approval is screened first (hvitvaskingsloven § 24, sanksjonsloven): a sanctions match holds
 * the verification (`on_hold`, with a critical alert) instead of approving it; a PEP match
 * approves and asks for enhanced due diligence.
 */
export async function applyKycReview(
  tx: DbClient,
  input: {
    userId: string;
    review: KycApplicantReview;
    eventMs: number;
    reason: string;
    actor: string;
    decidedBy?: string;
    screening?: CustomerScreening;
  },
): Promise<{ from: KycStatus; to: KycStatus; transfersHeld: number; screening?: ScreeningVerdict }> {
  await tx.query(`SELECT set_config('drop.actor', $1, true)`, [input.actor]);
  const user = await tx.query<{ kyc_status: KycStatus; edd: boolean }>(
    `SELECT kyc_status, source_of_funds_declared_at IS NOT NULL AS edd FROM users WHERE id = $1 FOR UPDATE`,
    [input.userId],
  );
  const from = user.rows[0]?.kyc_status ?? 'not_started';
  let to = statusForReview(input.review) ?? from;
  let reason = input.reason;
  let screening: ScreeningVerdict | undefined;
  if (to === 'approved' && from !== 'approved' && input.screening) {
    screening = await input.screening.screenCustomer(tx, input.userId);
    if (screening === 'hold') {
      to = 'on_hold';
      reason = `${input.reason}; held: sanctions screening match`;
    }
  }
  await tx.query(
    `UPDATE kyc_applicants SET review_status = $2, review_answer = $3, reject_type = $4, reject_labels = $5, moderation_comment = $6,
            last_event_ms = greatest(last_event_ms, $7), decided_by = $8
      WHERE user_id = $1`,
    [
      input.userId,
      input.review.reviewStatus,
      input.review.reviewAnswer ?? null,
      input.review.rejectType ?? null,
      input.review.rejectLabels ?? [],
      input.review.moderationComment ?? null,
      input.eventMs,
      input.decidedBy ?? 'sumsub',
    ],
  );
  let transfersHeld = 0;
  if (to !== from) {
    const tier = to === 'approved' ? (user.rows[0]?.edd ? 2 : 1) : 0;
    // The database holds the transfers (trigger users_contain_blocked, as for any writer of
    // kyc_status); the difference in held transfers is what this review held.
    const heldNow = async () =>
      (await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM transactions WHERE user_id = $1 AND status = 'held'`, [input.userId]))
        .rows[0]?.n ?? 0;
    const before = await heldNow();
    await tx.query(`UPDATE users SET kyc_status = $2, kyc_tier = $3 WHERE id = $1`, [input.userId, to, tier]);
    const after = await heldNow();
    transfersHeld = after - before;
    await recordAuditEvent(tx, {
      action: 'kyc_status_changed',
      resourceType: 'user',
      resourceId: input.userId,
      actor: input.actor,
      details: {
        from,
        to,
        reason,
        ...(screening ? { screening } : {}),
        reviewAnswer: input.review.reviewAnswer ?? null,
        rejectType: input.review.rejectType ?? null,
        rejectLabels: input.review.rejectLabels ?? [],
        transfersHeld,
      },
    });
  }
  return { from, to, transfersHeld, ...(screening ? { screening } : {}) };
}
