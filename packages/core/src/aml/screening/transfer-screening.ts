/**
 * Both parties of a new transfer, screened before `create_transfer` runs, so the AML decision
 * inside that function sees the matches (its `p_screening`) and the transfer still costs one
 * round trip. Who the parties are is remembered for a few minutes (names change rarely, and a
 * recipient's never: it is replaced, not edited); what they match is cached per list version by
 * the screener.
 */
import type { DbClient } from '@drop/db';
import {
  CUSTOMER_IDENTITY_COLUMNS,
  type CustomerIdentity,
  customerSubject,
  RECIPIENT_IDENTITY_COLUMNS,
  type RecipientIdentity,
  recipientSubject,
  type ScreeningSubject,
} from './screening-subjects.ts';
import { type PartyMatch, partyMatches, type SubjectScreener } from './subject-screener.ts';

const IDENTITY_TTL_MS = 5 * 60_000;
const IDENTITY_LIMIT = 100_000;

export class TransferScreening {
  readonly #screener: SubjectScreener;
  readonly #identities = new Map<string, { subject: ScreeningSubject | undefined; until: number }>();

  constructor(screener: SubjectScreener) {
    this.#screener = screener;
  }

  /** The matches of the sender and the recipient, for `create_transfer`'s `p_screening`. */
  async partiesOf(client: DbClient, userId: string, recipientId: string): Promise<PartyMatch[]> {
    const [sender, recipient] = await this.#subjects(client, userId, recipientId);
    const found: PartyMatch[] = [];
    if (sender) found.push(...partyMatches('sender', sender, await this.#screener.screen(sender)));
    if (recipient) found.push(...partyMatches('recipient', recipient, await this.#screener.screen(recipient)));
    return found;
  }

  /** Forgets a subject's identity (its name changed), in this process. */
  forget(subjectId: string): void {
    this.#identities.delete(subjectId);
  }

  async #subjects(
    client: DbClient,
    userId: string,
    recipientId: string,
  ): Promise<[ScreeningSubject | undefined, ScreeningSubject | undefined]> {
    const now = Date.now();
    const sender = this.#identities.get(userId);
    const recipient = this.#identities.get(recipientId);
    if (sender && sender.until > now && recipient && recipient.until > now) return [sender.subject, recipient.subject];

    // One round trip for both; a recipient that is not the customer's is create_transfer's to refuse.
    const { rows } = await client.query<CustomerIdentity & { recipient: RecipientIdentity | null }>(
      `SELECT ${CUSTOMER_IDENTITY_COLUMNS.split(', ')
        .map((column) => `u.${column}`)
        .join(', ')},
              (SELECT to_jsonb(r) FROM (SELECT ${RECIPIENT_IDENTITY_COLUMNS} FROM recipients
                                         WHERE id = $2 AND user_id = $1) r) AS recipient
         FROM users u WHERE u.id = $1`,
      [userId, recipientId],
    );
    const row = rows[0];
    if (!row) return [undefined, undefined];
    const senderSubject = customerSubject(row);
    const recipientSubjectFound = row.recipient ? recipientSubject(row.recipient) : undefined;
    if (this.#identities.size >= IDENTITY_LIMIT) this.#identities.clear();
    this.#identities.set(userId, { subject: senderSubject, until: now + IDENTITY_TTL_MS });
    if (recipientSubjectFound) this.#identities.set(recipientId, { subject: recipientSubjectFound, until: now + IDENTITY_TTL_MS });
    return [senderSubject, recipientSubjectFound];
  }
}
