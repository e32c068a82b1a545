import type { Db } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { DomainError } from '../errors.ts';
import type { Mailer } from '../notifications/mailer.ts';
import { oneLine } from '../notifications/transfer-emails.ts';
import type { AffectedUser } from './list-affected-users.ts';
import { blanksIn, type NoticeLanguage, renderCustomerNotice } from './render-breach-notice.ts';

export interface SendCustomerBreachNoticesInput {
  users: ReadonlyArray<Pick<AffectedUser, 'userId' | 'touched'>>;
  /** The admin sending (staff id): recorded on every `incident_notice_sent`. */
  staffId: string;
  whatHappened: string;
  whatWeDid: string;
  contact: string;
  /** Everyone in this language; otherwise each customer's own (`users.locale`). */
  lang?: NoticeLanguage;
  /** The incident's reference, in the mail's `X-Drop-Incident` header and the audit log. */
  reference?: string;
}

export interface SendCustomerBreachNoticesResult {
  sent: string[];
  noAddress: string[];
  failed: Array<{ userId: string; error: string }>;
}

/**
 * Mails the breach notice (GDPR art. 34) to each affected customer, in their language, with the
 * categories of their own data involved. Refused whole before anything is sent when a text is
 * missing, still has a blank, or names AML work. Each mail the server accepted is audited
 * (`incident_notice_sent`) on its own: SMTP is not transactional, so a run that stops half-way
 * leaves a true record of who was told, and a second run given only the customers not yet told finishes the job.
 * The address is read now, not from the report: a customer may have changed it since.
 */
export async function sendCustomerBreachNotices(
  db: Db,
  mailer: Mailer,
  input: SendCustomerBreachNoticesInput,
): Promise<SendCustomerBreachNoticesResult> {
  const texts = { whatHappened: input.whatHappened.trim(), whatWeDid: input.whatWeDid.trim(), contact: input.contact.trim() };
  if (!texts.whatHappened || !texts.whatWeDid || !texts.contact) {
    throw new DomainError('VALIDATION_FAILED', 'Sending needs --what-happened, --what-we-did and --contact, written by a person.');
  }
  // Renders once per language first: a blank or an AML word refuses the run before any mail leaves.
  for (const lang of ['nb', 'en'] as const) {
    const preview = renderCustomerNotice({ lang, categories: [], ...texts });
    if (blanksIn(preview.text) > 0) throw new DomainError('VALIDATION_FAILED', 'The notice still has a blank to fill in.');
  }
  const ids = input.users.map((user) => user.userId);
  const rows = (
    await db.query<{ id: string; email: string | null; locale: NoticeLanguage; given_name: string | null; full_name: string | null }>(
      'SELECT id, email, locale, given_name, full_name FROM users WHERE id = ANY($1::text[]) ORDER BY id',
      [ids],
    )
  ).rows;
  const byId = new Map(rows.map((row) => [row.id, row]));
  const result: SendCustomerBreachNoticesResult = { sent: [], noAddress: [], failed: [] };
  for (const user of input.users) {
    const row = byId.get(user.userId);
    if (!row?.email) {
      result.noAddress.push(user.userId);
      continue;
    }
    const lang = input.lang ?? row.locale;
    const notice = renderCustomerNotice({
      lang,
      customerName: row.given_name ?? row.full_name?.split(' ')[0],
      categories: user.touched,
      ...texts,
    });
    try {
      await mailer.send({
        to: row.email,
        ...notice,
        // One line: a reference typed on the command line cannot add a header.
        ...(input.reference ? { headers: { 'X-Drop-Incident': oneLine(input.reference) } } : {}),
      });
    } catch (error) {
      result.failed.push({ userId: user.userId, error: error instanceof Error ? error.message : String(error) });
      continue;
    }
    await recordAuditEvent(db, {
      action: 'incident_notice_sent',
      resourceType: 'user',
      resourceId: user.userId,
      actor: input.staffId,
      details: { to: 'customer', lang, reference: input.reference ?? null },
    });
    result.sent.push(user.userId);
  }
  return result;
}
