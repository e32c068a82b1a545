/**
 * The simulator's in-memory applicants and their review lifecycle, shaped like Sumsub's:
 *
 *   init ──submit──▶ pending ──approve──▶ completed/GREEN ──downgrade──▶ completed/RED FINAL
 *                      │  ▲    ├─reject_retry─▶ completed/RED RETRY ──submit──▶ pending
 *                      │  │    └─reject_final─▶ completed/RED FINAL (terminal)
 *                      └─on_hold─▶ onHold ──approve / reject_*──▶ completed
 *
 * Every transition names the webhook Sumsub would send for it. One process, no persistence.
 */
import { randomBytes } from 'node:crypto';

export const DECISIONS = ['approve', 'reject_retry', 'reject_final', 'on_hold', 'downgrade'] as const;
export type Decision = (typeof DECISIONS)[number];

export type SimReviewStatus = 'init' | 'pending' | 'onHold' | 'completed';

export interface SimReviewResult {
  reviewAnswer: 'GREEN' | 'RED';
  reviewRejectType?: 'FINAL' | 'RETRY';
  rejectLabels?: string[];
  moderationComment?: string;
  clientComment?: string;
}

export interface SimApplicant {
  id: string;
  inspectionId: string;
  externalUserId: string;
  levelName: string;
  fixedInfo: Record<string, unknown> | undefined;
  createdAtMs: number;
  reviewStatus: SimReviewStatus;
  reviewResult: SimReviewResult | undefined;
  attemptCnt: number;
  attemptId: string;
  reviewId: string;
  reviewDateMs: number | undefined;
}

export type WebhookType = 'applicantCreated' | 'applicantPending' | 'applicantReviewed' | 'applicantOnHold';

/** A refusal with the HTTP status it maps to (404 unknown applicant, 409 wrong state or duplicate). */
export class SimulatorError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'SimulatorError';
    this.status = status;
  }
}

/** Sumsub's ids are 24 lowercase hex characters (MongoDB ObjectId-like). */
export function sumsubId(): string {
  return randomBytes(12).toString('hex');
}

function shortId(): string {
  return randomBytes(3).toString('hex');
}

const RESULTS: Record<Exclude<Decision, 'on_hold'>, SimReviewResult> = {
  approve: { reviewAnswer: 'GREEN' },
  reject_retry: {
    reviewAnswer: 'RED',
    reviewRejectType: 'RETRY',
    rejectLabels: ['BAD_QUALITY'],
    moderationComment: 'Bildet av dokumentet er uskarpt. Ta et nytt bilde i godt lys, med hele dokumentet synlig, og send inn på nytt.',
    clientComment: 'Document photo blurry; asked the applicant to retake it.',
  },
  reject_final: {
    reviewAnswer: 'RED',
    reviewRejectType: 'FINAL',
    rejectLabels: ['FORGERY'],
    moderationComment: 'Vi kunne ikke bekrefte identiteten din.',
    clientComment: 'Signs of document tampering (simulated).',
  },
  downgrade: {
    reviewAnswer: 'RED',
    reviewRejectType: 'FINAL',
    rejectLabels: ['FRAUDULENT_PATTERNS'],
    moderationComment: 'Vi kunne ikke bekrefte identiteten din.',
    clientComment: 'Later downgrade after ongoing monitoring (simulated).',
  },
};

export function allowedDecisions(applicant: SimApplicant): Decision[] {
  switch (applicant.reviewStatus) {
    case 'pending':
      return ['approve', 'reject_retry', 'reject_final', 'on_hold'];
    case 'onHold':
      return ['approve', 'reject_retry', 'reject_final'];
    case 'completed':
      return applicant.reviewResult?.reviewAnswer === 'GREEN' ? ['downgrade'] : [];
    default:
      return [];
  }
}

/** Documents can be sent for a new applicant, and again after a RETRY rejection. */
export function canSubmitDocuments(applicant: SimApplicant): boolean {
  if (applicant.reviewStatus === 'init') return true;
  return applicant.reviewStatus === 'completed' && applicant.reviewResult?.reviewRejectType === 'RETRY';
}

export class ApplicantStore {
  readonly #byId = new Map<string, SimApplicant>();
  readonly #byExternalUserId = new Map<string, string>();

  all(): SimApplicant[] {
    return [...this.#byId.values()];
  }

  get(applicantId: string): SimApplicant | undefined {
    return this.#byId.get(applicantId);
  }

  byExternalUserId(externalUserId: string): SimApplicant | undefined {
    const id = this.#byExternalUserId.get(externalUserId);
    return id === undefined ? undefined : this.#byId.get(id);
  }

  require(applicantId: string): SimApplicant {
    const applicant = this.#byId.get(applicantId);
    if (!applicant) throw new SimulatorError(404, 'Applicant not found');
    return applicant;
  }

  create(input: { externalUserId: string; levelName: string; fixedInfo?: Record<string, unknown>; now: number }): SimApplicant {
    const existing = this.byExternalUserId(input.externalUserId);
    if (existing) {
      throw new SimulatorError(409, `Applicant with external user id '${input.externalUserId}' already exists: ${existing.id}`);
    }
    const applicant: SimApplicant = {
      id: sumsubId(),
      inspectionId: sumsubId(),
      externalUserId: input.externalUserId,
      levelName: input.levelName,
      fixedInfo: input.fixedInfo,
      createdAtMs: input.now,
      reviewStatus: 'init',
      reviewResult: undefined,
      attemptCnt: 0,
      attemptId: shortId(),
      reviewId: shortId(),
      reviewDateMs: undefined,
    };
    this.#byId.set(applicant.id, applicant);
    this.#byExternalUserId.set(applicant.externalUserId, applicant.id);
    return applicant;
  }

  submitDocuments(applicantId: string): SimApplicant {
    const applicant = this.require(applicantId);
    if (!canSubmitDocuments(applicant)) {
      throw new SimulatorError(409, `Documents cannot be submitted while the applicant is ${describeReview(applicant)}`);
    }
    applicant.reviewStatus = 'pending';
    applicant.reviewResult = undefined;
    applicant.reviewDateMs = undefined;
    applicant.attemptCnt += 1;
    applicant.attemptId = shortId();
    return applicant;
  }

  decide(applicantId: string, decision: Decision, now: number): { applicant: SimApplicant; webhook: WebhookType } {
    const applicant = this.require(applicantId);
    if (!allowedDecisions(applicant).includes(decision)) {
      throw new SimulatorError(409, `Decision '${decision}' is not possible while the applicant is ${describeReview(applicant)}`);
    }
    if (decision === 'on_hold') {
      applicant.reviewStatus = 'onHold';
      return { applicant, webhook: 'applicantOnHold' };
    }
    applicant.reviewStatus = 'completed';
    applicant.reviewResult = structuredClone(RESULTS[decision]);
    applicant.reviewDateMs = now;
    return { applicant, webhook: 'applicantReviewed' };
  }
}

/**
 * Sumsub's "Reject applicant" API (POST /resources/applicants/{id}/-/reject): RED, FINAL, the
 * EXTERNAL_DECISION_REJECTION label, whatever the applicant's current status.
 */
export function rejectExternally(store: ApplicantStore, applicantId: string, now: number): SimApplicant {
  const applicant = store.require(applicantId);
  applicant.reviewStatus = 'completed';
  applicant.reviewResult = { reviewAnswer: 'RED', reviewRejectType: 'FINAL', rejectLabels: ['EXTERNAL_DECISION_REJECTION'] };
  applicant.reviewDateMs = now;
  return applicant;
}

export function describeReview(applicant: SimApplicant): string {
  const result = applicant.reviewResult;
  if (!result) return applicant.reviewStatus;
  return [applicant.reviewStatus, result.reviewAnswer, result.reviewRejectType].filter(Boolean).join('/');
}
