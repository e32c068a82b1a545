/** `GET /api/health`, in the shape the runbooks read with jq. */
import { z } from 'zod';

export const checkStatus = z.enum(['ok', 'down']);
export type CheckStatus = z.infer<typeof checkStatus>;

export const healthReport = z.object({
  status: checkStatus,
  version: z.string(),
  uptime: z.number().int().describe('Seconds since this process started'),
  checks: z.object({
    db: z.object({
      status: checkStatus,
      latencyMs: z.number().nullable().describe('Round-trip time of `SELECT 1`, in milliseconds'),
      error: z.string().optional(),
    }),
  }),
});
export type HealthReport = z.infer<typeof healthReport>;
