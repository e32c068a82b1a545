import { z } from 'zod';

/** The parts of Sumsub's applicant and webhook payloads Drop reads (docs.sumsub.com). Unknown fields pass. */
export const reviewResultSchema = z.looseObject({
  reviewAnswer: z.enum(['GREEN', 'RED']),
  reviewRejectType: z.enum(['FINAL', 'RETRY']).optional(),
  rejectLabels: z.array(z.string()).optional(),
  moderationComment: z.string().optional(),
  clientComment: z.string().optional(),
});
export type ReviewResult = z.infer<typeof reviewResultSchema>;

export const reviewStatusSchema = z.enum(['init', 'pending', 'prechecked', 'queued', 'completed', 'onHold']);
export type ReviewStatus = z.infer<typeof reviewStatusSchema>;

export const applicantSchema = z.looseObject({
  id: z.string().min(1),
  externalUserId: z.string().min(1),
  levelName: z.string().optional(),
  createdAt: z.string().optional(),
  review: z
    .looseObject({
      reviewStatus: reviewStatusSchema,
      reviewResult: reviewResultSchema.optional(),
    })
    .optional(),
});
export type Applicant = z.infer<typeof applicantSchema>;

export const accessTokenSchema = z.looseObject({ token: z.string().min(1), userId: z.string().min(1) });

/** `createdAtMs` comes as "2020-02-21 13:23:19.321" (UTC); returns epoch milliseconds. */
export function parseSumsubTimestamp(value: string): number {
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(value) ? `${value.replace(' ', 'T')}Z` : value;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not a Sumsub timestamp: ${value}`);
  return ms;
}

export function formatSumsubTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

export const webhookSchema = z.looseObject({
  type: z.string().min(1),
  applicantId: z.string().min(1),
  externalUserId: z.string().min(1),
  levelName: z.string().optional(),
  correlationId: z.string().optional(),
  inspectionId: z.string().optional(),
  reviewStatus: reviewStatusSchema.optional(),
  reviewResult: reviewResultSchema.optional(),
  createdAtMs: z.string().min(1),
  sandboxMode: z.boolean().optional(),
});
export type SumsubWebhook = z.infer<typeof webhookSchema>;
