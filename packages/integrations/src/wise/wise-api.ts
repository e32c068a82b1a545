/**
 * The parts of Wise Platform's answers and webhooks Drop reads (docs.wise.com: "Quote",
 * "Recipient Account", "Transfer", "Fund a transfer", "Transfer state change", "Error Handling").
 * Objects are loose: Wise adds fields, and Drop must not break when it does.
 */
import { z } from 'zod';

/** `POST /v3/profiles/{profileId}/quotes` (authenticated quote). */
export const wiseQuoteSchema = z.looseObject({
  id: z.string().min(1),
  sourceCurrency: z.string(),
  targetCurrency: z.string(),
  rate: z.number().optional(),
});

/** `POST /v1/accounts`. */
export const wiseAccountSchema = z.looseObject({
  id: z.number().int().positive(),
});

/** `POST /v1/transfers`, `GET /v1/transfers/{transferId}`. */
export const wiseTransferSchema = z.looseObject({
  id: z.number().int().positive(),
  status: z.string().min(1),
  targetCurrency: z.string(),
  targetValue: z.number(),
  customerTransactionId: z.string().nullish(),
});
export type WiseTransfer = z.infer<typeof wiseTransferSchema>;

/** `POST /v3/profiles/{profileId}/transfers/{transferId}/payments`: `{type, status: COMPLETED | REJECTED, errorCode}`. */
export const wiseFundingSchema = z.looseObject({
  type: z.string(),
  status: z.string(),
  errorCode: z.string().nullish(),
  errorMessage: z.string().nullish(),
});

/** Wise's two error shapes: `{errors: [{code, message, path}]}` and `{error, error_description}`. */
const wiseErrorBodySchema = z.looseObject({
  errors: z.array(z.looseObject({ code: z.string().nullish(), message: z.string().nullish(), path: z.string().nullish() })).optional(),
  error: z.string().optional(),
  error_description: z.string().optional(),
  errorCode: z.string().nullish(),
  message: z.string().optional(),
});

/** Wise's error codes in an error body, whichever shape it has. */
export function wiseErrorCodes(body: unknown): string[] {
  const parsed = wiseErrorBodySchema.safeParse(body);
  if (!parsed.success) return [];
  const { errors, error, errorCode } = parsed.data;
  return [...(errors ?? []).map((e) => e.code), error, errorCode].filter((code): code is string => typeof code === 'string' && code !== '');
}

/** Wise's error message, for logs and support; undefined when the body says nothing readable. */
export function wiseErrorMessage(body: unknown): string | undefined {
  const parsed = wiseErrorBodySchema.safeParse(body);
  if (!parsed.success) return undefined;
  const { errors, error, error_description, errorCode, message } = parsed.data;
  const parts = (errors ?? []).map((e) => [e.code, e.message].filter(Boolean).join(': ') + (e.path ? ` (${e.path})` : ''));
  if (error) parts.push(error_description ? `${error}: ${error_description}` : error);
  if (errorCode) parts.push(errorCode);
  if (message) parts.push(message);
  const text = parts.filter(Boolean).join('; ');
  return text ? text.slice(0, 300) : undefined;
}

export const WISE_TRANSFER_STATE_CHANGE = 'transfers#state-change';

/** The `transfers#state-change` event, schema version 4.0.0. */
export const wiseTransferStateChangeSchema = z.looseObject({
  event_type: z.literal(WISE_TRANSFER_STATE_CHANGE),
  schema_version: z.string().optional(),
  subscription_id: z.string().optional(),
  sent_at: z.string().optional(),
  data: z.looseObject({
    resource: z.looseObject({
      type: z.literal('transfer'),
      id: z.number().int().positive(),
      profile_id: z.number().int().optional(),
      account_id: z.number().int().optional(),
    }),
    current_state: z.string().min(1),
    previous_state: z.string().nullish(),
    occurred_at: z.iso.datetime({ offset: true }),
  }),
});
export type WiseTransferStateChange = z.infer<typeof wiseTransferStateChangeSchema>;
