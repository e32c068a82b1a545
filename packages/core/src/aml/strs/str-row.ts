import type { StrContentInput, StrDocument, StrStatus } from '@drop/contracts';
import type { DbClient } from '@drop/db';
import { DomainError } from '../../errors.ts';
import type { NationalIdProtector } from '../../identity/national-id.ts';

/**
 * `str_reports.details` as Drop writes it: the runbook's keys `reason` (the grounds) and `amount`
 * (the total in NOK, a number) beside the document. National identity numbers are not kept in
 * the document in the clear (the row's before/after images go to the audit log): each person's
 * number is sealed with the national-id key in `protectedNationalIds`, by the person's index,
 * and put back when the STR is read.
 */
export interface StrDetails {
  reason?: unknown;
  amount?: unknown;
  document?: StrDocument;
  protectedNationalIds?: Array<string | null>;
  /** What the drafter wrote, for editing the draft; connected persons' national ids are the document's (sealed there). */
  input?: StrContentInput;
}

/**
 * The `details` Drop stores for a built STR: the runbook's `reason` and `amount` (a JSON number,
 * as the runbook's INSERT writes it), the document with its national ids sealed, and the
 * drafter's input without them.
 */
export function strDetailsToStore(
  built: { document: StrDocument; amountNok: string },
  content: StrContentInput,
  protector: Pick<NationalIdProtector, 'encrypt'>,
): StrDetails {
  const sealed = sealNationalIds(built.document, protector);
  return {
    reason: built.document.grounds,
    amount: Number(built.amountNok),
    document: sealed.document,
    protectedNationalIds: sealed.protectedNationalIds,
    input: { ...content, connectedPersons: (content.connectedPersons ?? []).map((person) => ({ ...person, nationalId: null })) },
  };
}

/**
 * The drafter's input as they wrote it, for the edit form: their connected persons are the last
 * persons of the document (build-str-document.ts appends them last), whose national ids are opened.
 */
export function draftInputOf(details: StrDetails, document: StrDocument | null): StrContentInput | null {
  const input = details.input;
  if (!input || !document) return null;
  const added = input.connectedPersons ?? [];
  const offset = document.persons.length - added.length;
  return {
    ...input,
    connectedPersons: added.map((person, index) => ({ ...person, nationalId: document.persons[offset + index]?.nationalId ?? null })),
  };
}

/** Seals the persons' national ids: the document to store (ids null) and the sealed ids by index. */
export function sealNationalIds(
  document: StrDocument,
  protector: Pick<NationalIdProtector, 'encrypt'>,
): { document: StrDocument; protectedNationalIds: Array<string | null> } {
  return {
    document: { ...document, persons: document.persons.map((person) => ({ ...person, nationalId: null })) },
    protectedNationalIds: document.persons.map((person) =>
      person.nationalId ? protector.encrypt(person.nationalId).toString('base64') : null,
    ),
  };
}

/** The stored document with its persons' national ids opened again, and the row's own reference and UD note. */
export function openStrDocument(
  details: StrDetails,
  row: { reference: string; mfa_notified_at: Date | null },
  protector: Pick<NationalIdProtector, 'decrypt'>,
): StrDocument | null {
  const document = details.document;
  if (!document) return null;
  const sealed = details.protectedNationalIds ?? [];
  return {
    ...document,
    reference: row.reference,
    mfaNotifiedAt: row.mfa_notified_at?.toISOString() ?? document.mfaNotifiedAt,
    persons: document.persons.map((person, index) => {
      const ciphertext = sealed[index];
      return ciphertext ? { ...person, nationalId: protector.decrypt(Buffer.from(ciphertext, 'base64')) } : person;
    }),
  };
}

export interface LockedStr {
  id: string;
  reference: string;
  status: StrStatus;
  user_id: string;
  case_id: string | null;
  drafted_by: string | null;
  approved_by: string | null;
  details: StrDetails;
  mfa_notified_at: Date | null;
}

/**
 * The STR, locked for this transaction: NOT_FOUND for an unknown id (or one that is not a uuid),
 * CONFLICT (409) when it is not in one of `statuses`, so a late or repeated step changes nothing.
 */
export async function lockStr(tx: DbClient, id: string, statuses: readonly StrStatus[]): Promise<LockedStr> {
  const { rows } = await tx.query<LockedStr>(
    `SELECT id, reference, status, user_id, case_id, drafted_by, approved_by, details, mfa_notified_at
       FROM str_reports WHERE id::text = $1 FOR UPDATE`,
    [id],
  );
  const str = rows[0];
  if (!str) throw new DomainError('NOT_FOUND', 'No such STR.');
  if (!statuses.includes(str.status)) {
    throw new DomainError('CONFLICT', `This STR is ${str.status.replace('_', ' ')}: it cannot take this step.`, {
      status: str.status,
    });
  }
  return str;
}

/** Records a step of the STR in its case's history (when it has a case; the runbook's rows have none). */
export async function recordStrCaseEvent(
  tx: DbClient,
  str: Pick<LockedStr, 'id' | 'reference' | 'case_id'>,
  event: {
    kind: 'str_drafted' | 'str_submitted' | 'str_returned' | 'str_approved' | 'str_filed' | 'str_rejected' | 'str_mfa_notified';
    actor: string;
    text: string | null;
  },
): Promise<void> {
  if (!str.case_id) return;
  await tx.query(`INSERT INTO aml_case_events (case_id, kind, actor, text, details) VALUES ($1, $2, $3, $4, $5::jsonb)`, [
    str.case_id,
    event.kind,
    event.actor,
    event.text,
    JSON.stringify({ strId: str.id, reference: str.reference }),
  ]);
}
