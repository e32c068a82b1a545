/** Money out by SEPA, for staff: the pain.001 files exported for Drop's own bank. */
import { z } from 'zod';
import { idSchema } from './ids.ts';

export const sepaFileSummary = z.object({ fileId: z.string(), messageId: z.string(), count: z.number().int(), controlSum: z.string() });

export const sepaFilesQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export const sepaFileRecord = z.object({
  id: z.string(),
  messageId: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  payouts: z.number().int(),
  controlSum: z.string(),
  currency: z.string(),
  sha256: z.string(),
});

export const sepaFileParams = z.object({ id: idSchema('spf') });
