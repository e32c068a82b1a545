/** The signed-in customer (`/api/me`) and their sessions. */
import { z } from 'zod';
import { idSchema } from './ids.ts';
import { kycStatus } from './kyc.ts';

export const me = z.object({
  id: z.string(),
  name: z.string().nullable(),
  givenName: z.string().nullable(),
  familyName: z.string().nullable(),
  birthDate: z.string().nullable().describe('YYYY-MM-DD'),
  email: z.string().nullable(),
  kycStatus,
  createdAt: z.string(),
});
export type Me = z.infer<typeof me>;

/** One live session of the signed-in customer (`GET /api/me/sessions`). */
export const mySession = z.object({
  id: z.string(),
  current: z.boolean().describe('True for the session making the request'),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  userAgent: z.string().nullable(),
  acr: z.string().nullable().describe('The BankID authentication context class, e.g. `urn:bankid:bid;LOA=4`'),
});
export type MySession = z.infer<typeof mySession>;

export const sessionParams = z.object({ sessionId: idSchema('ses') });
