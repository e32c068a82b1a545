/** `GET /api/company` (public): who Drop is and how to reach it, from configuration. */
import { z } from 'zod';

export const companyInfo = z.object({
  name: z.string(),
  orgNumber: z.string().describe('Brønnøysundregistrene, as configured ("123 456 789")'),
  address: z.string(),
  supportEmail: z.string(),
});
export type CompanyInfo = z.infer<typeof companyInfo>;
