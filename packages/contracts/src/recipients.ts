/** The customer's recipients. Details are validated per country by core. */
import { z } from 'zod';

export const RELATIONSHIPS = ['family', 'friend', 'self', 'business', 'other'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

export const recipient = z.object({
  id: z.string(),
  name: z.string(),
  country: z.string(),
  currency: z.string(),
  rail: z.string(),
  relationship: z.string(),
  details: z.record(z.string(), z.string()),
  display: z.string().describe('Safe to show: the account or number masked'),
  createdAt: z.string(),
});
export type Recipient = z.infer<typeof recipient>;

/** `POST /api/recipients`: details holds the fields `GET /api/corridors` lists for the country. */
export const newRecipient = z.strictObject({
  name: z.string().max(200),
  country: z.string().max(2),
  currency: z.string().max(3),
  relationship: z.string().max(20),
  details: z.record(z.string().max(40), z.string().max(80)),
});
export type NewRecipient = Omit<z.infer<typeof newRecipient>, 'relationship'> & { relationship: Relationship };
