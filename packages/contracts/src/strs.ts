/**
 * Suspicious-transaction reports (issue 13). An officer drafts an STR from a case, a compliance
 * lead (never the drafter) approves it, and filing records it in `str_reports` as the runbook's
 * INSERT does (`status = 'filed'`, `filed_at`). `StrDocument` is the report's content, one model
 * for every channel: Altinn form MT-0002 (what ØKOKRIM lists in shared/data/goaml/norway-mt-0002.md),
 * goAML XML (5.0.1 schema) and, for a sanctions hit, the notice to the Ministry of Foreign Affairs.
 * The row's `details` keeps the runbook's keys `reason` (the grounds) and `amount` (NOK) beside it.
 * The API shapes for the STR routes are added here beside the content model.
 */
import { z } from 'zod';

/** `str_reports.status`: the runbook's 'filed' plus the steps before it. */
export const STR_STATUSES = ['draft', 'awaiting_approval', 'approved', 'filed', 'rejected'] as const;
export const strStatus = z.enum(STR_STATUSES);
export type StrStatus = z.infer<typeof strStatus>;

/** `str_reports.report_type`: about transfers (the runbook's), or about activity without a transfer. */
export const STR_REPORT_TYPES = ['suspicious_transaction', 'suspicious_activity'] as const;
export const strReportType = z.enum(STR_REPORT_TYPES);
export type StrReportType = z.infer<typeof strReportType>;

/** What `drop str export` and the console's export buttons produce. */
export const STR_EXPORT_FORMATS = ['goaml', 'altinn', 'mfa'] as const;
export const strExportFormat = z.enum(STR_EXPORT_FORMATS);
export type StrExportFormat = z.infer<typeof strExportFormat>;

const countryCode = z.string().regex(/^[A-Z]{2}$/);
const decimal = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/)
  .describe('A decimal amount in major units, e.g. "50001.00"');

export const strAddress = z.object({
  street: z.string().nullable(),
  postalCode: z.string().nullable(),
  city: z.string().nullable(),
  country: countryCode,
});
export type StrAddress = z.infer<typeof strAddress>;

export const STR_ID_DOCUMENT_TYPES = ['passport', 'national_id_card', 'drivers_licence', 'other'] as const;

/** A person the report implicates (the subject) or names as connected (MT-0002 items 9–12 and 14). */
export const strPerson = z.object({
  role: z.enum(['subject', 'connected']),
  /** The Drop customer (usr_…) this person is, when they are one. */
  customerId: z.string().nullable(),
  firstName: z.string().min(1),
  lastName: z.string().min(1),
  birthDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable(),
  /** Norwegian fødselsnummer (11 digits) when known. */
  nationalId: z
    .string()
    .regex(/^\d{11}$/)
    .nullable(),
  nationality: countryCode.nullable(),
  address: strAddress.nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  occupation: z.string().nullable(),
  employer: z.string().nullable(),
  idDocument: z
    .object({
      type: z.enum(STR_ID_DOCUMENT_TYPES),
      number: z.string().min(1),
      issuingCountry: countryCode,
      expiresOn: z.string().nullable(),
    })
    .nullable(),
  /** How a connected person is connected (recipient of the transfers, co-signer, …). */
  note: z.string().nullable(),
});
export type StrPerson = z.infer<typeof strPerson>;

/** A company the report implicates (MT-0002 item 13). */
export const strCompany = z.object({
  name: z.string().min(1),
  orgNumber: z.string().nullable(),
  country: countryCode.nullable(),
  address: strAddress.nullable(),
  note: z.string().nullable(),
});
export type StrCompany = z.infer<typeof strCompany>;

/** One reported transfer (MT-0002 items 2–8). */
export const strTransaction = z.object({
  /** Drop's transfer id (tx_…): the reporter's transaction reference. */
  id: z.string(),
  /** When the transfer was made (ISO 8601). */
  date: z.string(),
  direction: z.enum(['sent', 'received']),
  /** Drop's transfer status when reported (whether it was carried out). */
  status: z.string(),
  destinationCountry: countryCode,
  /** Type, purpose and description, in words. */
  description: z.string(),
  amountNok: decimal,
  foreign: z.object({ amount: decimal, currency: z.string().regex(/^[A-Z]{3}$/) }).nullable(),
  sender: z.object({ name: z.string(), account: z.string().nullable() }),
  recipient: z.object({
    name: z.string(),
    /** IBAN or local account number as the customer gave it. */
    account: z.string().nullable(),
    bankBic: z.string().nullable(),
    country: countryCode,
  }),
});
export type StrTransaction = z.infer<typeof strTransaction>;

/** A supporting document attached to the report (sent with it, or after it). */
export const strAttachment = z.object({
  id: z.string(),
  fileName: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type StrAttachment = z.infer<typeof strAttachment>;

/**
 * The sanctions-list record a subject matched (from `screening_matches`): what the notice to UD
 * names as the listed person. Optional in `StrDocument` so documents drafted without it stay valid.
 */
export const strSanctionsMatch = z.object({
  /** The screening list (un, eu, uk, ofac-sdn, …) and the record's key in it. */
  list: z.string(),
  recordKey: z.string(),
  /** The record's primary name, as the list publishes it. */
  listedName: z.string(),
  /** The name Drop screened (customer or recipient) that matched it. */
  matchedName: z.string(),
  /** The sanctions programmes/regimes the record is listed under, when the list says. */
  programmes: z.array(z.string()),
  listedOn: z.string().nullable(),
});
export type StrSanctionsMatch = z.infer<typeof strSanctionsMatch>;

/** The report's content: the same for Altinn MT-0002, goAML and (for a sanctions hit) the notice to UD. */
export const strDocument = z.object({
  /** The reporter's own reference (`str_reports.reference`, e.g. DROP-STR-000012). */
  reference: z.string(),
  reportType: strReportType,
  /** Why this is reported, in prose: who, what, where, when, how, and the origin of the funds. */
  grounds: z.string().min(1),
  /** The alerts' rules that raised the suspicion (large_transfer, sanctions_match, structuring, …). */
  indicators: z.array(z.string()),
  /** What Drop did (held the transfers, stopped them, froze or exited the customer). */
  actionTaken: z.string().nullable(),
  /** A sanctions-list hit: UD is notified as well, and the MT report says so. */
  sanctionsHit: z.boolean(),
  mfaNotifiedAt: z.string().nullable(),
  /** For a sanctions hit: the list records matched (named in the notice to UD). Optional, added for the exports. */
  sanctionsMatches: z.array(strSanctionsMatch).optional(),
  transactions: z.array(strTransaction),
  persons: z.array(strPerson),
  companies: z.array(strCompany),
  attachments: z.array(strAttachment),
});
export type StrDocument = z.infer<typeof strDocument>;

/** Drop as the reporting entity, and the staff member who files (goAML `rentity_id`, `reporting_person`). */
export const strReporter = z.object({
  entityName: z.string(),
  orgNumber: z.string(),
  /** The id the FIU gave Drop as a reporting entity (goAML `rentity_id`). */
  fiuEntityId: z.string(),
  address: strAddress,
  person: z.object({
    firstName: z.string(),
    lastName: z.string(),
    email: z.string(),
    phone: z.string().nullable(),
    occupation: z.string(),
  }),
});
export type StrReporter = z.infer<typeof strReporter>;
