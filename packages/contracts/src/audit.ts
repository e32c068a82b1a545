/** The audit log as staff read it (`GET /api/staff/audit-log`). */
import { z } from 'zod';

export const auditLogQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });

export const auditEntry = z.object({
  seq: z.string(),
  timestamp: z.string(),
  actor: z.string(),
  action: z.string(),
  resourceType: z.string(),
  resourceId: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntry>;
