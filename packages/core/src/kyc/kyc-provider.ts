/**
 * What Drop needs from its identity-verification provider (Sumsub). `@drop/integrations` has the
 * real client; the API wires it in. Core knows only this shape.
 */
export interface KycApplicantReview {
  applicantId: string;
  externalUserId: string;
  reviewStatus: 'init' | 'pending' | 'prechecked' | 'queued' | 'completed' | 'onHold';
  reviewAnswer?: 'GREEN' | 'RED' | undefined;
  rejectType?: 'FINAL' | 'RETRY' | undefined;
  rejectLabels?: string[] | undefined;
  moderationComment?: string | undefined;
}

export interface KycProvider {
  /** The applicant for this Drop user, created at the given level if there is none yet. */
  ensureApplicant(input: { externalUserId: string; levelName: string; fixedInfo?: Record<string, string> }): Promise<KycApplicantReview>;
  getApplicant(applicantId: string): Promise<KycApplicantReview>;
  createAccessToken(input: { externalUserId: string; levelName: string; ttlInSecs: number }): Promise<string>;
  /** Tells the provider that Drop rejected this applicant (a compliance officer's decision). */
  rejectApplicant(applicantId: string, note: string): Promise<void>;
}
