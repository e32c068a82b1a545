/** The signed-in customer (`/api/me`) and their sessions. */
import { z } from 'zod';
import { idSchema } from './ids.ts';
import { kycStatus } from './kyc.ts';

/** The languages Drop speaks to a customer in: the app, emails and receipts. */
export const customerLanguage = z.enum(['nb', 'en']);
export type CustomerLanguage = z.infer<typeof customerLanguage>;

export const me = z.object({
  id: z.string(),
  customerNumber: z
    .string()
    .describe('Eight digits with a Luhn check digit, what the customer quotes to support (`10000017`, shown `1000 0017`)'),
  language: customerLanguage.describe("The customer's language for emails and receipts (`PUT /api/me/language`)"),
  name: z.string().nullable(),
  givenName: z.string().nullable(),
  familyName: z.string().nullable(),
  birthDate: z.string().nullable().describe('YYYY-MM-DD'),
  email: z.string().nullable(),
  kycStatus,
  createdAt: z.string(),
});
export type Me = z.infer<typeof me>;

/** `PUT /api/me/language`: the language the app was switched to, kept for emails and receipts. */
export const myLanguageRequest = z.strictObject({ language: customerLanguage });

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
