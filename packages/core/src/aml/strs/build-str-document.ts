import type { StrCompany, StrContentInput, StrDocument, StrPerson, StrSanctionsMatch, StrTransaction } from '@drop/contracts';
import type { DbClient } from '@drop/db';
import { DomainError } from '../../errors.ts';
import { isValidNationalId, type NationalIdProtector } from '../../identity/national-id.ts';

interface CaseRow {
  id: string;
  user_id: string;
  status: string;
}

interface TransferRow {
  id: string;
  user_id: string;
  status: string;
  created_at: Date;
  send_amount: string;
  receive_amount: string | null;
  receive_currency: string | null;
  sender_name: string | null;
  recipient_id: string | null;
  recipient_name: string | null;
  recipient_country: string | null;
  rail: string | null;
  relationship: string | null;
  details: Record<string, string> | null;
  display: string | null;
}

interface CustomerRow {
  id: string;
  full_name: string | null;
  given_name: string | null;
  family_name: string | null;
  birth_date: string | null;
  email: string | null;
  national_id_ciphertext: Buffer | null;
}

export interface BuiltStr {
  document: StrDocument;
  /** The subject: the case's customer. */
  userId: string;
  /** The total of the reported transfers in NOK, as the decimal string the database summed. */
  amountNok: string;
  /** The first reported transfer (str_reports.transaction_id), null for an activity report. */
  firstTransactionId: string | null;
}

// The document is read by ØKOKRIM (the Norwegian FIU): what the server writes into it is bokmål.
const RAIL_WORDS: Record<string, string> = {
  iban: 'til bankkonto (IBAN)',
  bank_account: 'til bankkonto',
  mobile_money: 'til mobilpengekonto (mobile money)',
};

const RELATIONSHIP_WORDS: Record<string, string> = {
  family: 'familie',
  friend: 'venn',
  self: 'seg selv',
  business: 'virksomhet',
  other: 'annet',
};

/** A name Drop does not have, in the report's language. */
const UNKNOWN = 'Ukjent';

/** First and last name from BankID's given and family names, else split from the full name. */
function namesOf(customer: CustomerRow): { firstName: string; lastName: string } {
  if (customer.given_name && customer.family_name) return { firstName: customer.given_name, lastName: customer.family_name };
  const words = (customer.full_name ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { firstName: UNKNOWN, lastName: UNKNOWN };
  if (words.length === 1) return { firstName: words[0] as string, lastName: words[0] as string };
  return { firstName: words.slice(0, -1).join(' '), lastName: words.at(-1) as string };
}

function splitName(name: string): { firstName: string; lastName: string } {
  const words = name.trim().split(/\s+/);
  return words.length > 1
    ? { firstName: words.slice(0, -1).join(' '), lastName: words.at(-1) as string }
    : { firstName: name, lastName: name };
}

/** The account the money went to, as the customer gave it: IBAN, account number or wallet. */
function accountOf(details: Record<string, string> | null, display: string | null): string | null {
  if (!details) return display;
  return details.iban ?? details.accountNumber ?? details.mobileNumber ?? display;
}

/**
 * The list records the case's sanctions alerts matched (named in the notice to UD): from the
 * screening match behind each alert, with the record's programmes and listing date where the
 * lists are stored (the newest stored version that holds the key).
 */
async function sanctionsMatchesOf(tx: DbClient, caseId: string): Promise<StrSanctionsMatch[]> {
  const matches = (
    await tx.query<{ list: string; record_key: string; name: string; matched_name: string | null; query_name: string | null }>(
      `SELECT DISTINCT ON (m.list, m.record_key, coalesce(m.query_name, m.name)) m.list, m.record_key, m.name, m.matched_name, m.query_name
         FROM aml_alerts a JOIN screening_matches m ON m.id = a.screening_match_id
        WHERE a.case_id = $1 AND a.rule = 'sanctions_match'
        ORDER BY m.list, m.record_key, coalesce(m.query_name, m.name), m.created_at`,
      [caseId],
    )
  ).rows;
  const stored = (await tx.query<{ present: boolean }>(`SELECT to_regclass('sanctions_list_records') IS NOT NULL AS present`)).rows[0]
    ?.present;
  const result: StrSanctionsMatch[] = [];
  for (const match of matches) {
    const record = stored
      ? (
          await tx.query<{ programmes: string[]; listed_on: string | null }>(
            `SELECT r.programmes, r.listed_on FROM sanctions_list_records r JOIN sanctions_list_versions v ON v.id = r.version_id
              WHERE v.list = $1 AND r.key = $2 ORDER BY v.current DESC, v.version DESC LIMIT 1`,
            [match.list, match.record_key],
          )
        ).rows[0]
      : undefined;
    result.push({
      list: match.list,
      recordKey: match.record_key,
      listedName: match.name,
      matchedName: match.query_name ?? match.matched_name ?? match.name,
      programmes: record?.programmes ?? [],
      listedOn: record?.listed_on ?? null,
    });
  }
  return result;
}

/**
 * Builds an STR's document from a case and what the drafter wrote: the subjects from Drop's
 * customer records (name, birth date, fødselsnummer opened with the national-id key, email), the
 * reported transfers with their recipients (amounts in NOK and in the paid-out currency, the
 * destination and the account), the recipients as connected persons (a business recipient as a
 * company), the drafter's own connected persons and companies, the case's alerts' rules as the
 * indicators, and whether any of them is a sanctions match. A transfer must belong to the case's
 * customer or to another customer with alerts in the case (VALIDATION_FAILED otherwise).
 */
export async function buildStrDocument(
  tx: DbClient,
  input: {
    caseId: string;
    content: StrContentInput;
    nationalIds: Pick<NationalIdProtector, 'decrypt'>;
    reference: string;
    mfaNotifiedAt: string | null;
  },
): Promise<BuiltStr> {
  const caseRow = (await tx.query<CaseRow>('SELECT id, user_id, status FROM aml_cases WHERE id = $1', [input.caseId])).rows[0];
  if (!caseRow) throw new DomainError('NOT_FOUND', 'No such case.');

  const alerts = (
    await tx.query<{ rule: string; user_id: string }>('SELECT rule, user_id FROM aml_alerts WHERE case_id = $1 ORDER BY created_at', [
      caseRow.id,
    ])
  ).rows;
  const indicators = [...new Set(alerts.map((alert) => alert.rule))];
  const caseCustomers = new Set([caseRow.user_id, ...alerts.map((alert) => alert.user_id)]);

  const transactionIds = [...new Set(input.content.transactionIds)];
  const transfers = (
    await tx.query<TransferRow>(
      `SELECT t.id, t.user_id, t.status, t.created_at, t.send_amount::text AS send_amount,
              format_minor(t.receive_amount_minor, t.receive_currency) AS receive_amount, t.receive_currency,
              u.full_name AS sender_name, r.id AS recipient_id, r.name AS recipient_name, r.country AS recipient_country,
              r.rail, r.relationship, r.details, r.display
         FROM transactions t JOIN users u ON u.id = t.user_id LEFT JOIN recipients r ON r.id = t.recipient_id
        WHERE t.id = ANY($1::text[]) ORDER BY t.created_at, t.id`,
      [transactionIds],
    )
  ).rows;
  const outside = transactionIds.filter((id) => !transfers.some((transfer) => transfer.id === id && caseCustomers.has(transfer.user_id)));
  if (outside.length > 0) {
    throw new DomainError(
      'VALIDATION_FAILED',
      "A reported transfer must be the case customer's, or another customer's with alerts in this case.",
      { transactionIds: outside },
    );
  }

  const transactions: StrTransaction[] = transfers.map((transfer) => {
    const country = transfer.recipient_country ?? 'XX';
    const rail = transfer.rail ? (RAIL_WORDS[transfer.rail] ?? transfer.rail) : 'i utlandet';
    const relationship = transfer.relationship ? (RELATIONSHIP_WORDS[transfer.relationship] ?? transfer.relationship) : null;
    return {
      id: transfer.id,
      date: transfer.created_at.toISOString(),
      direction: 'sent',
      status: transfer.status,
      destinationCountry: country,
      description: `Pengeoverføring fra Norge til ${transfer.recipient_name ?? 'en mottaker'} i ${country}, utbetalt ${rail}${
        relationship ? ` (kundens oppgitte relasjon: ${relationship})` : ''
      }`,
      amountNok: transfer.send_amount,
      foreign:
        transfer.receive_amount && transfer.receive_currency
          ? { amount: transfer.receive_amount, currency: transfer.receive_currency }
          : null,
      sender: { name: transfer.sender_name ?? UNKNOWN, account: null },
      recipient: {
        name: transfer.recipient_name ?? UNKNOWN,
        account: accountOf(transfer.details, transfer.display),
        bankBic: transfer.details?.bic ?? null,
        country,
      },
    };
  });

  // The subjects: the case's customer first, then any other customer whose transfers are reported.
  const subjectIds = [caseRow.user_id, ...transfers.map((transfer) => transfer.user_id)].filter(
    (id, index, all) => all.indexOf(id) === index,
  );
  const customers = (
    await tx.query<CustomerRow>(
      `SELECT id, full_name, given_name, family_name, birth_date::text AS birth_date, email, national_id_ciphertext
         FROM users WHERE id = ANY($1::text[])`,
      [subjectIds],
    )
  ).rows;
  const subjects: StrPerson[] = subjectIds.flatMap((id) => {
    const customer = customers.find((row) => row.id === id);
    if (!customer) return [];
    const nationalId = customer.national_id_ciphertext ? input.nationalIds.decrypt(customer.national_id_ciphertext) : null;
    return [
      {
        role: 'subject' as const,
        customerId: customer.id,
        ...namesOf(customer),
        birthDate: customer.birth_date,
        nationalId: nationalId && /^\d{11}$/.test(nationalId) ? nationalId : null,
        // Drop knows Norwegian residents through BankID; it keeps no address or nationality of its own.
        nationality: null,
        address: null,
        phone: null,
        email: customer.email,
        occupation: null,
        employer: null,
        idDocument: null,
        note: id === caseRow.user_id ? 'Sakens kunde' : 'Kunde hos Drop med varsler i denne saken',
      },
    ];
  });

  // Who received the money: persons, or companies for a business recipient.
  const recipients = new Map<string, { transfer: TransferRow; count: number }>();
  for (const transfer of transfers) {
    if (!transfer.recipient_id) continue;
    const seen = recipients.get(transfer.recipient_id);
    recipients.set(transfer.recipient_id, { transfer, count: (seen?.count ?? 0) + 1 });
  }
  const recipientPersons: StrPerson[] = [];
  const recipientCompanies: StrCompany[] = [];
  for (const { transfer, count } of recipients.values()) {
    const note = `Mottaker av ${count} rapportert${count === 1 ? '' : 'e'} overføring${count === 1 ? '' : 'er'}, konto ${accountOf(transfer.details, transfer.display) ?? 'ukjent'}`;
    const name = transfer.recipient_name ?? UNKNOWN;
    if (transfer.relationship === 'business') {
      recipientCompanies.push({ name, orgNumber: null, country: transfer.recipient_country, address: null, note });
      continue;
    }
    recipientPersons.push({
      role: 'connected',
      customerId: null,
      ...splitName(name),
      birthDate: null,
      nationalId: null,
      nationality: null,
      address: transfer.recipient_country ? { street: null, postalCode: null, city: null, country: transfer.recipient_country } : null,
      phone: null,
      email: null,
      occupation: null,
      employer: null,
      idDocument: null,
      note,
    });
  }

  const connected: StrPerson[] = (input.content.connectedPersons ?? []).map((person, index) => {
    if (person.nationalId && !isValidNationalId(person.nationalId)) {
      throw new DomainError('VALIDATION_FAILED', 'A connected person’s national identity number is not a valid fødselsnummer.', {
        field: `connectedPersons.${index}.nationalId`,
      });
    }
    return {
      role: 'connected',
      customerId: null,
      firstName: person.firstName,
      lastName: person.lastName,
      birthDate: person.birthDate ?? null,
      nationalId: person.nationalId ?? null,
      nationality: person.nationality ?? null,
      address: person.address ?? null,
      phone: person.phone || null,
      email: person.email || null,
      occupation: person.occupation || null,
      employer: person.employer || null,
      idDocument: null,
      note: person.note || null,
    };
  });
  const companies: StrCompany[] = [
    ...recipientCompanies,
    ...(input.content.companies ?? []).map((company) => ({
      name: company.name,
      orgNumber: company.orgNumber || null,
      country: company.country ?? null,
      address: company.address ?? null,
      note: company.note || null,
    })),
  ];

  const total = (
    await tx.query<{ total: string }>(
      `SELECT coalesce(sum(send_amount), 0)::numeric(18, 2)::text AS total FROM transactions WHERE id = ANY($1::text[])`,
      [transactionIds],
    )
  ).rows[0]?.total as string;

  return {
    userId: caseRow.user_id,
    amountNok: total,
    firstTransactionId: transactions[0]?.id ?? null,
    document: {
      reference: input.reference,
      reportType: transactions.length > 0 ? 'suspicious_transaction' : 'suspicious_activity',
      grounds: input.content.grounds.trim(),
      indicators,
      actionTaken: input.content.actionTaken?.trim() || null,
      sanctionsHit: indicators.includes('sanctions_match'),
      mfaNotifiedAt: input.mfaNotifiedAt,
      ...(indicators.includes('sanctions_match') ? { sanctionsMatches: await sanctionsMatchesOf(tx, caseRow.id) } : {}),
      transactions,
      persons: [...subjects, ...recipientPersons, ...connected],
      companies,
      attachments: [],
    },
  };
}
