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
import { idSchema } from './ids.ts';

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

// ---------------------------------------------------------------------------------------------
// The STR routes (`/api/staff/strs`): draft from a case, edit, submit, approve or return, file,
// and record that UD was notified. Amounts are decimal strings in NOK, like everywhere else.

export const strParams = z.object({ id: z.uuid() });

/** `GET /api/staff/strs?status=`: every STR (newest first), or those in one status; `awaitingMyApproval` = waiting for a second person, drafted by someone else. */
export const strListQuery = z.object({
  status: strStatus.optional(),
  awaitingMyApproval: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: only the STRs awaiting approval that someone else drafted (what I can approve)'),
});
export type StrListQuery = z.infer<typeof strListQuery>;

/** A person the drafter adds by hand (MT-0002 item 14): what is known of them. */
export const strConnectedPersonInput = z.object({
  firstName: z.string().trim().min(1).max(100),
  lastName: z.string().trim().min(1).max(100),
  birthDate: strPerson.shape.birthDate.optional(),
  nationalId: strPerson.shape.nationalId.optional(),
  nationality: countryCode.nullable().optional(),
  address: strAddress.nullable().optional(),
  phone: z.string().trim().max(40).nullable().optional(),
  email: z.string().trim().max(200).nullable().optional(),
  occupation: z.string().trim().max(200).nullable().optional(),
  employer: z.string().trim().max(200).nullable().optional(),
  note: z.string().trim().max(1000).nullable().optional(),
});
export type StrConnectedPersonInput = z.infer<typeof strConnectedPersonInput>;

/** A company the drafter adds by hand (MT-0002 item 13). */
export const strCompanyInput = z.object({
  name: z.string().trim().min(1).max(200),
  orgNumber: z.string().trim().max(40).nullable().optional(),
  country: countryCode.nullable().optional(),
  address: strAddress.nullable().optional(),
  note: z.string().trim().max(1000).nullable().optional(),
});
export type StrCompanyInput = z.infer<typeof strCompanyInput>;

/** What the drafter writes; the server builds the rest of the document from Drop's own records. */
export const strContentInput = z.object({
  grounds: z.string().trim().min(1).max(20000).describe('Why this is reported, in prose (details.reason)'),
  transactionIds: z
    .array(z.string())
    .max(200)
    .describe("The reported transfers: the case customer's, or those of another customer with alerts in the case"),
  actionTaken: z.string().trim().max(4000).nullable().optional(),
  connectedPersons: z.array(strConnectedPersonInput).max(50).optional(),
  companies: z.array(strCompanyInput).max(50).optional(),
});
export type StrContentInput = z.infer<typeof strContentInput>;

/** `POST /api/staff/strs`: draft an STR from a case. */
export const strDraftRequest = strContentInput.extend({ caseId: idSchema('case') });
export type StrDraftRequest = z.infer<typeof strDraftRequest>;

/** `PUT /api/staff/strs/:id`: the drafter edits their draft (the document is built again). */
export const strEditRequest = strContentInput;

/** `POST /api/staff/strs/:id/return`: back to the drafter, with why. */
export const strReturnRequest = z.object({ note: z.string().trim().min(1).max(4000) });
/** `POST /api/staff/strs/:id/reject`: a lead rejects an STR awaiting approval, with why (final). */
export const strRejectRequest = z.object({ reason: z.string().trim().min(1).max(4000) });
/** `POST /api/staff/strs/:id/approve`: an optional note for the record. */
export const strApproveRequest = z.object({ note: z.string().trim().max(4000).optional() });
/** `POST /api/staff/strs/:id/file`: Altinn's receipt number for the MT-0002 submission, when there is one. */
export const strFileRequest = z.object({ filingReference: z.string().trim().max(100).optional() });

const staffRef = z.object({ id: z.string(), name: z.string() });

/** An STR in the list. */
export const strSummary = z.object({
  id: z.string(),
  reference: z.string(),
  status: strStatus,
  reportType: z.string(),
  caseId: z.string().nullable(),
  userId: z.string(),
  customerName: z.string().nullable(),
  transactionId: z.string().nullable(),
  transactionCount: z.number().int().nonnegative(),
  amountNok: decimal.nullable().describe('details.amount: the reported total in NOK'),
  reason: z.string().nullable().describe('details.reason: the grounds'),
  sanctionsHit: z.boolean(),
  draftedBy: staffRef.nullable(),
  approvedBy: staffRef.nullable(),
  createdAt: z.string(),
  submittedAt: z.string().nullable(),
  approvedAt: z.string().nullable(),
  filedAt: z.string().nullable(),
});
export type StrSummary = z.infer<typeof strSummary>;

/** One STR with its document and its steps (from the case's history). */
export const strDetail = strSummary.extend({
  caseTitle: z.string().nullable(),
  caseEscalatedRule: z.string().nullable().describe("The case's escalatedRule: the console titles such a case in the reader's language"),
  document: strDocument.nullable().describe('Null for an STR filed by the runbook INSERT, which has only reason and amount'),
  draftInput: strContentInput.nullable().describe('What the drafter wrote (for editing a draft); null for a row without it'),
  filedBy: staffRef.nullable(),
  filingReference: z.string().nullable(),
  mfaNotifiedAt: z.string().nullable(),
  rejectedBy: staffRef.nullable(),
  rejectedAt: z.string().nullable(),
  decisionNote: z.string().nullable().describe('The approver’s note, why it was returned, or why it was rejected'),
  updatedAt: z.string(),
  history: z.array(
    z.object({
      kind: z.string(),
      actor: staffRef,
      text: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
});
export type StrDetail = z.infer<typeof strDetail>;

/** `/api/staff/strs/:id/attachments/:attachmentId`: download or (draft) remove one attachment. */
export const strAttachmentParams = z.object({ id: z.uuid(), attachmentId: idSchema('sta') });
/** `POST /api/staff/strs/:id/attachments?fileName=`: the file is the raw body, its type the Content-Type. */
export const strAttachmentUploadQuery = z.object({
  fileName: z.string().max(255).optional().describe('The file’s name; sanitised (path, control characters and quotes removed)'),
});

/** `GET /api/staff/strs/draft-context?caseId=`: what the drafting page offers from a case. */
export const strDraftContextQuery = z.object({ caseId: idSchema('case') });
export const strDraftContext = z.object({
  case: z.object({
    id: z.string(),
    title: z.string(),
    escalatedRule: z.string().nullable(),
    status: z.string(),
    userId: z.string(),
    customerName: z.string().nullable(),
  }),
  indicators: z.array(z.string()),
  sanctionsHit: z.boolean(),
  /** The transfers that may be reported: the case customer's and those of other customers with alerts in the case, newest first. */
  transfers: z.array(
    z.object({
      id: z.string(),
      userId: z.string(),
      customerName: z.string().nullable(),
      createdAt: z.string(),
      status: z.string(),
      sendAmount: decimal,
      receiveAmount: z.string().nullable(),
      receiveCurrency: z.string().nullable(),
      recipientName: z.string().nullable(),
      recipientCountry: z.string().nullable(),
      flagged: z.boolean().describe('An alert of the case is about this transfer'),
    }),
  ),
});
export type StrDraftContext = z.infer<typeof strDraftContext>;

/** `GET /api/staff/strs/:id/export?format=`: an approved or filed STR as a file for its channel. */
export const strExportQuery = z.object({ format: strExportFormat });
