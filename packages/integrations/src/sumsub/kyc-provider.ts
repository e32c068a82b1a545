import type { KycApplicantReview, KycProvider } from '@drop/core';
import { createSumsubClient, type SumsubClient, SumsubError } from './client.ts';
import type { Applicant } from './types.ts';

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
    rejectApplicant: (applicantId, note) => client.rejectApplicant(applicantId, { note }),
  };
}

/** The provider from the Sumsub settings: what the server, the worker and the CLI all use. */
export function sumsubKycProviderFrom(settings: { baseUrl: string; appToken: string; secretKey: string }): KycProvider {
  return sumsubKycProvider(createSumsubClient(settings));
}
