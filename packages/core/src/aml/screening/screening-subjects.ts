/**
 * Who Drop screens, and how each becomes a screening query: the customer (BankID's name and birth
 * date) and each recipient (the name the customer typed; a business recipient is screened as an
 * organisation). A recipient's country is where the money goes, not a nationality, so it is not
 * given to the matcher as one: a listed person abroad must not look cleaner for living there.
 */
import type { ScreeningQuery } from '@drop/screening';

export const SCREENING_SUBJECT_TYPES = ['customer', 'recipient'] as const;
export type ScreeningSubjectType = (typeof SCREENING_SUBJECT_TYPES)[number];

export interface ScreeningSubject {
  type: ScreeningSubjectType;
  /** `usr_…` or `rcp_…`. */
  id: string;
  /** The customer the subject belongs to (the customer themself, or the recipient's owner). */
  userId: string;
  query: ScreeningQuery;
}

export interface CustomerIdentity {
  id: string;
  given_name: string | null;
  family_name: string | null;
  full_name: string | null;
  birth_date: Date | string | null;
}

export interface RecipientIdentity {
  id: string;
  user_id: string;
  name: string;
  relationship: string;
}

function isoDate(value: Date | string | null): string | undefined {
  if (value === null) return undefined;
  if (typeof value === 'string') return value.slice(0, 10);
  // A DATE column read by node-postgres is a local-midnight Date: format it in local time.
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
}

/** The customer as BankID named them; undefined when Drop has no name yet (nothing to screen). */
export function customerSubject(row: CustomerIdentity): ScreeningSubject | undefined {
  const name = [row.given_name, row.family_name].filter(Boolean).join(' ').trim() || row.full_name?.trim();
  if (!name) return undefined;
  const birthDate = isoDate(row.birth_date);
  return {
    type: 'customer',
    id: row.id,
    userId: row.id,
    query: { name, schema: 'Person', ...(birthDate ? { birthDate } : {}) },
  };
}

export function recipientSubject(row: RecipientIdentity): ScreeningSubject {
  return {
    type: 'recipient',
    id: row.id,
    userId: row.user_id,
    query: { name: row.name, schema: row.relationship === 'business' ? 'Organization' : 'Person' },
  };
}

/** The columns `customerSubject` reads, for a SELECT on users. */
export const CUSTOMER_IDENTITY_COLUMNS = 'id, given_name, family_name, full_name, birth_date';
/** The columns `recipientSubject` reads, for a SELECT on recipients. */
export const RECIPIENT_IDENTITY_COLUMNS = 'id, user_id, name, relationship';
