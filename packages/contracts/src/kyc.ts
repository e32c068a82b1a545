/** Identity verification (KYC): the statuses, the customer's overview and starting the provider's WebSDK. */
import { z } from 'zod';
import { nokWhole } from './money.ts';

/** `users.kyc_status`: not_started → pending → approved / retry / rejected / on_hold. */
export const KYC_STATUSES = ['not_started', 'pending', 'approved', 'rejected', 'retry', 'on_hold'] as const;
export const kycStatus = z.enum(KYC_STATUSES);
export type KycStatus = z.infer<typeof kycStatus>;

/** `GET /api/kyc`: status, tier and limits (whole NOK as decimal strings). */
export const kycOverview = z.object({
  status: kycStatus,
  tier: z.number().int().min(0).max(2).describe('0: not verified; 1: verified; 2: verified with enhanced due diligence'),
  canSend: z.boolean(),
  rejectType: z.enum(['FINAL', 'RETRY']).nullable(),
  message: z.string().nullable().describe("The provider's comment for the customer (what to fix on RETRY)"),
  sourceOfFundsDeclared: z.boolean(),
  sourceOfFundsRequested: z
    .boolean()
    .describe('Drop asks this customer where their money comes from (enhanced due diligence) and has no answer yet'),
  limitsNok: z.object({ perTransfer: nokWhole, thirtyDays: nokWhole, twelveMonths: nokWhole }),
  usedNok: z.object({ thirtyDays: nokWhole, twelveMonths: nokWhole }),
});
export type KycOverview = z.infer<typeof kycOverview>;

/** `POST /api/kyc/start`: a token for the WebSDK and the builder script to embed it with. */
export const kycStart = z.object({
  accessToken: z.string(),
  levelName: z.string(),
  webSdkScriptUrl: z
    .string()
    .describe("Load this script, then snsWebSdk.init(accessToken, refresh).withConf({ lang }).build().launch('#container')"),
});
export type KycStart = z.infer<typeof kycStart>;

/** `POST /api/kyc/source-of-funds`. */
export const sourceOfFundsRequest = z.object({ source: z.string().min(10).max(500) });
