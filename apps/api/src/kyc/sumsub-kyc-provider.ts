import type { KycApplicantReview, KycProvider } from '@drop/core';
import { type Applicant, type SumsubClient, SumsubError } from '@drop/integrations';

function toReview(applicant: Applicant): KycApplicantReview {
  const result = applicant.review?.reviewResult;
  return {
    applicantId: applicant.id,
    externalUserId: applicant.externalUserId,
    reviewStatus: applicant.review?.reviewStatus ?? 'init',
    reviewAnswer: result?.reviewAnswer,
    rejectType: result?.reviewRejectType,
    rejectLabels: result?.rejectLabels,
    moderationComment: result?.moderationComment,
  };
}

/** Core's KycProvider, backed by the real Sumsub client (pointed at Sumsub or its simulator). */
export function sumsubKycProvider(client: SumsubClient): KycProvider {
  return {
    async ensureApplicant(input) {
      const existing = await client.findApplicantByExternalUserId(input.externalUserId);
      if (existing) return toReview(existing);
      try {
        return toReview(await client.createApplicant(input));
      } catch (error) {
        // Created by a concurrent request in between: read it.
        if (error instanceof SumsubError && error.status === 409) {
          const created = await client.findApplicantByExternalUserId(input.externalUserId);
          if (created) return toReview(created);
        }
        throw error;
      }
    },
    getApplicant: async (applicantId) => toReview(await client.getApplicant(applicantId)),
    createAccessToken: async (input) => (await client.createAccessToken(input)).token,
  };
}
