/**
 * The content of Altinn form MT-0002 ("Melding om mistenkelig transaksjon") for ØKOKRIM/EFE, as
 * one JSON document: `content` holds the 14 items ØKOKRIM lists (shared/data/goaml/norway-mt-0002.md)
 * in fields a system can submit from, `items` maps each numbered item to its field and says whether
 * the report has it, and `text` is the same content in Norwegian, in the form's order, for a person
 * to paste into the Altinn portal.
 *
 * Why JSON with a `text` field rather than a .txt: there is no public field-level schema of
 * MT-0002, so neither a person nor a system integration should have to parse prose; one file
 * serves both, the API can return it as is, and the console can show `text` beside the fields.
 *
 * A sanctions hit is reported to UD as well; the report says whether UD has been notified
 * (`mfaNotifiedAt`), as ØKOKRIM asks.
 */
import type { StrAddress, StrAttachment, StrCompany, StrDocument, StrPerson, StrTransaction } from '@drop/contracts';
import type { StrExportFile, StrExportInput } from './str-export-input.ts';
import {
  countryName,
  fullName,
  ID_DOCUMENT_NAMES,
  norwegianAmount,
  norwegianCalendarDate,
  norwegianDateTime,
  parseTimestamp,
  sumDecimals,
  transferStatusName,
} from './str-export-text.ts';

/** One numbered item of ØKOKRIM's list: where it is in `content`, and whether this report has it. */
export interface AltinnMt0002Item {
  item: number;
  label: string;
  field: string;
  provided: boolean;
}

export interface AltinnMt0002Person {
  firstName: string;
  lastName: string;
  birthDate: string | null;
  nationalId: string | null;
  address: StrAddress | null;
  phone: string | null;
  email: string | null;
  employment: { occupation: string | null; employer: string | null };
  nationality: string | null;
  idDocument: StrPerson['idDocument'];
  dropCustomerId: string | null;
  note: string | null;
}

export interface AltinnMt0002Transaction {
  /** Item 2: Drop's id of the transfer. */
  reference: string;
  /** Item 3 (ISO 8601). */
  date: string;
  /** Item 4. */
  direction: StrTransaction['direction'];
  /** Item 5. */
  destinationCountry: string;
  /** Item 6. */
  typePurposeDescription: string;
  /** Item 7. */
  amountNok: string;
  /** Item 8. */
  foreignAmount: { amount: string; currency: string } | null;
  /** Whether it was carried out (ØKOKRIM asks), from Drop's status. */
  status: string;
  carriedOut: boolean | null;
  sender: StrTransaction['sender'];
  recipient: StrTransaction['recipient'];
}

export interface AltinnMt0002Document {
  form: 'MT-0002';
  formTitle: string;
  addressee: string;
  reporter: {
    name: string;
    orgNumber: string;
    contact: { name: string; occupation: string; email: string; phone: string | null };
  };
  reference: string;
  reportType: StrDocument['reportType'];
  submittedAt: string;
  filingReference: string | null;
  sanctions: { hit: boolean; mfaNotifiedAt: string | null; statement: string | null };
  content: {
    grounds: string;
    indicators: string[];
    actionTaken: string | null;
    transactions: AltinnMt0002Transaction[];
    totalAmountNok: string;
    implicatedPersons: AltinnMt0002Person[];
    implicatedCompanies: StrCompany[];
    otherConnectedPersons: AltinnMt0002Person[];
  };
  items: AltinnMt0002Item[];
  attachments: StrAttachment[];
  /** The same content in Norwegian, in the form's order (Markdown headings, fine to paste as plain text). */
  text: string;
}

const CARRIED_OUT: Record<string, boolean> = {
  paid_out: true,
  awaiting_funds: false,
  funds_received: false,
  processing: false,
  held: false,
  cancelled: false,
  failed: false,
  refunded: false,
};

export function renderAltinnMt0002(input: StrExportInput): StrExportFile {
  const document = buildAltinnMt0002(input);
  return {
    fileName: `${document.reference.replace(/[^A-Za-z0-9._-]/g, '_') || 'str'}-altinn-mt0002.json`,
    contentType: 'application/json; charset=utf-8',
    body: `${JSON.stringify(document, null, 2)}\n`,
  };
}

export function buildAltinnMt0002(input: StrExportInput): AltinnMt0002Document {
  const { document, reporter } = input;
  const transactions = document.transactions.map(altinnTransaction);
  const implicatedPersons = document.persons.filter((person) => person.role === 'subject').map(altinnPerson);
  const otherConnectedPersons = document.persons.filter((person) => person.role === 'connected').map(altinnPerson);
  const mfaStatement = document.sanctionsHit ? mfaSentence(document.mfaNotifiedAt) : null;
  const result: Omit<AltinnMt0002Document, 'text'> = {
    form: 'MT-0002',
    formTitle: 'Melding om mistenkelig transaksjon',
    addressee: 'ØKOKRIM – Enheten for finansiell etterretning (EFE)',
    reporter: {
      name: reporter.entityName,
      orgNumber: reporter.orgNumber,
      contact: {
        name: `${reporter.person.firstName} ${reporter.person.lastName}`,
        occupation: reporter.person.occupation,
        email: reporter.person.email,
        phone: reporter.person.phone,
      },
    },
    reference: document.reference,
    reportType: document.reportType,
    submittedAt: input.submittedAt.toISOString(),
    filingReference: input.filingReference ?? null,
    sanctions: { hit: document.sanctionsHit, mfaNotifiedAt: document.mfaNotifiedAt, statement: mfaStatement },
    content: {
      grounds: document.grounds,
      indicators: document.indicators,
      actionTaken: document.actionTaken,
      transactions,
      totalAmountNok: sumDecimals(document.transactions.map((transaction) => transaction.amountNok)),
      implicatedPersons,
      implicatedCompanies: document.companies,
      otherConnectedPersons,
    },
    items: checklist(document, implicatedPersons, otherConnectedPersons),
    attachments: document.attachments,
  };
  return { ...result, text: altinnText(result, input) };
}

function mfaSentence(mfaNotifiedAt: string | null): string {
  return mfaNotifiedAt
    ? `Treff på sanksjonsliste. Utenriksdepartementet (UD) er varslet ${norwegianDateTime(parseTimestamp(mfaNotifiedAt, 'mfaNotifiedAt'))}.`
    : 'Treff på sanksjonsliste. Utenriksdepartementet (UD) er ennå ikke varslet.';
}

function altinnTransaction(transaction: StrTransaction): AltinnMt0002Transaction {
  return {
    reference: transaction.id,
    date: transaction.date,
    direction: transaction.direction,
    destinationCountry: transaction.destinationCountry,
    typePurposeDescription: transaction.description,
    amountNok: transaction.amountNok,
    foreignAmount: transaction.foreign,
    status: transaction.status,
    carriedOut: CARRIED_OUT[transaction.status] ?? null,
    sender: transaction.sender,
    recipient: transaction.recipient,
  };
}

function altinnPerson(person: StrPerson): AltinnMt0002Person {
  return {
    firstName: person.firstName,
    lastName: person.lastName,
    birthDate: person.birthDate,
    nationalId: person.nationalId,
    address: person.address,
    phone: person.phone,
    email: person.email,
    employment: { occupation: person.occupation, employer: person.employer },
    nationality: person.nationality,
    idDocument: person.idDocument,
    dropCustomerId: person.customerId,
    note: person.note,
  };
}

/** ØKOKRIM's 14 items, each pointed at its field; `provided` is false where the report lacks it. */
function checklist(document: StrDocument, subjects: AltinnMt0002Person[], connected: AltinnMt0002Person[]): AltinnMt0002Item[] {
  const hasTransactions = document.transactions.length > 0;
  const all = (pick: (transaction: StrTransaction) => unknown) => hasTransactions && document.transactions.every((t) => Boolean(pick(t)));
  const any = (people: AltinnMt0002Person[], pick: (person: AltinnMt0002Person) => unknown) => people.some((p) => Boolean(pick(p)));
  const transactionField = (name: string) => `content.transactions[].${name}`;
  return [
    { item: 1, label: 'Grunnlag for MT-rapporten', field: 'content.grounds', provided: document.grounds.trim().length > 0 },
    { item: 2, label: 'Transaksjonsreferanse', field: transactionField('reference'), provided: all((t) => t.id) },
    { item: 3, label: 'Transaksjonsdato', field: transactionField('date'), provided: all((t) => t.date) },
    { item: 4, label: 'Retning (sendt/mottatt)', field: transactionField('direction'), provided: all((t) => t.direction) },
    { item: 5, label: 'Destinasjonsland', field: transactionField('destinationCountry'), provided: all((t) => t.destinationCountry) },
    {
      item: 6,
      label: 'Transaksjonstype, formål og beskrivelse',
      field: transactionField('typePurposeDescription'),
      provided: all((t) => t.description.trim()),
    },
    { item: 7, label: 'Beløp i NOK', field: transactionField('amountNok'), provided: all((t) => t.amountNok) },
    {
      item: 8,
      label: 'Beløp i annen valuta',
      field: transactionField('foreignAmount'),
      provided: hasTransactions && document.transactions.some((t) => t.foreign),
    },
    {
      item: 9,
      label: 'Involverte personer: fornavn og etternavn',
      field: 'content.implicatedPersons[].firstName/lastName',
      provided: subjects.length > 0,
    },
    {
      item: 10,
      label: 'Involverte personer: fødsels- og personnummer',
      field: 'content.implicatedPersons[].nationalId',
      provided: any(subjects, (p) => p.nationalId),
    },
    {
      item: 11,
      label: 'Involverte personer: adresse, telefon, arbeid og statsborgerskap',
      field: 'content.implicatedPersons[].address/phone/employment/nationality',
      provided: any(subjects, (p) => p.address || p.phone || p.employment.occupation || p.employment.employer || p.nationality),
    },
    {
      item: 12,
      label: 'Involverte personer: legitimasjon',
      field: 'content.implicatedPersons[].idDocument',
      provided: any(subjects, (p) => p.idDocument),
    },
    {
      item: 13,
      label: 'Involverte foretak: navn, organisasjonsnummer og adresse',
      field: 'content.implicatedCompanies[]',
      provided: document.companies.length > 0,
    },
    {
      item: 14,
      label: 'Andre tilknyttede personer: navn, adresse og fødselsnummer',
      field: 'content.otherConnectedPersons[]',
      provided: connected.length > 0,
    },
  ];
}

const NOT_KNOWN = 'ikke kjent';

function altinnText(report: Omit<AltinnMt0002Document, 'text'>, input: StrExportInput): string {
  const { content } = report;
  const lines: string[] = [
    '# Melding om mistenkelig transaksjon (MT-0002)',
    '',
    `Til: ${report.addressee}`,
    `Rapporteringspliktig: ${report.reporter.name} (org.nr. ${report.reporter.orgNumber})`,
    `Vår referanse: ${report.reference}`,
    ...(report.filingReference ? [`Innsendingsreferanse: ${report.filingReference}`] : []),
    `Dato: ${norwegianDateTime(input.submittedAt)}`,
    `Rapporten gjelder: ${report.reportType === 'suspicious_activity' ? 'mistenkelig aktivitet' : 'mistenkelige transaksjoner'}`,
    `Kontaktperson: ${[
      report.reporter.contact.name,
      report.reporter.contact.occupation,
      report.reporter.contact.email,
      report.reporter.contact.phone,
    ]
      .filter(Boolean)
      .join(', ')}`,
  ];
  if (report.sanctions.statement) lines.push('', `**${report.sanctions.statement}**`);

  lines.push('', '## 1. Grunnlag for MT-rapporten', '', content.grounds);
  if (content.indicators.length > 0) lines.push('', `Indikatorer (Drops overvåkingsregler): ${content.indicators.join(', ')}`);
  if (content.actionTaken) lines.push('', `Tiltak: ${content.actionTaken}`);

  lines.push('', '## 2–8. Transaksjoner');
  if (content.transactions.length === 0) {
    lines.push('', 'Ingen transaksjon: rapporten gjelder mistenkelig aktivitet uten overføring.');
  }
  content.transactions.forEach((transaction, index) => {
    lines.push('', `### Transaksjon ${index + 1} av ${content.transactions.length}`, ...transactionLines(transaction, report.reference));
  });
  if (content.transactions.length > 1) lines.push('', `Sum for alle transaksjonene: NOK ${norwegianAmount(content.totalAmountNok)}`);

  lines.push('', '## 9–12. Involverte personer');
  if (content.implicatedPersons.length === 0) lines.push('', 'Ingen.');
  for (const person of content.implicatedPersons) lines.push('', `### ${fullName(person)}`, ...personLines(person, true));

  lines.push('', '## 13. Involverte foretak');
  if (content.implicatedCompanies.length === 0) lines.push('', 'Ingen.');
  for (const company of content.implicatedCompanies) lines.push('', ...companyLines(company));

  lines.push('', '## 14. Andre tilknyttede personer');
  if (content.otherConnectedPersons.length === 0) lines.push('', 'Ingen.');
  for (const person of content.otherConnectedPersons) lines.push('', `### ${fullName(person)}`, ...personLines(person, false));

  lines.push('', '## Vedlegg');
  if (report.attachments.length === 0) lines.push('', 'Ingen.');
  else
    lines.push(
      '',
      ...report.attachments.map((attachment) => `- ${attachment.fileName} (${attachment.contentType}, ${attachment.sizeBytes} byte)`),
    );
  return `${lines.join('\n')}\n`;
}

function transactionLines(transaction: AltinnMt0002Transaction, reportReference: string): string[] {
  const status = transferStatusName(transaction.status);
  const carried = transaction.carriedOut === null ? '' : transaction.carriedOut ? ' – gjennomført' : ' – ikke gjennomført';
  return [
    `- 2. Transaksjonsreferanse: ${transaction.reference} (rapportens referanse ${reportReference})`,
    `- 3. Transaksjonsdato: ${norwegianDateTime(parseTimestamp(transaction.date, `The date of ${transaction.reference}`))}`,
    `- 4. Retning: ${transaction.direction === 'sent' ? 'sendt (fra kunden til utlandet)' : 'mottatt (til kunden)'}`,
    `- 5. Destinasjonsland: ${countryName(transaction.destinationCountry)}`,
    `- 6. Type, formål og beskrivelse: pengeoverføring. ${sentence(transaction.typePurposeDescription)} Status: ${status}${carried}.`,
    `- 7. Beløp i NOK: ${norwegianAmount(transaction.amountNok)}`,
    `- 8. Beløp i annen valuta: ${transaction.foreignAmount ? `${norwegianAmount(transaction.foreignAmount.amount)} ${transaction.foreignAmount.currency}` : 'ingen'}`,
    `- Avsender: ${transaction.sender.name}${transaction.sender.account ? `, konto ${transaction.sender.account}` : ''}`,
    `- Mottaker: ${[
      transaction.recipient.name,
      transaction.recipient.account ? `konto ${transaction.recipient.account}` : null,
      transaction.recipient.bankBic ? `BIC ${transaction.recipient.bankBic}` : null,
      countryName(transaction.recipient.country),
    ]
      .filter(Boolean)
      .join(', ')}`,
  ];
}

function personLines(person: AltinnMt0002Person, implicated: boolean): string[] {
  const idDocument = person.idDocument
    ? `${ID_DOCUMENT_NAMES[person.idDocument.type]} nr. ${person.idDocument.number}, utstedt av ${countryName(person.idDocument.issuingCountry)}${
        person.idDocument.expiresOn ? `, gyldig til ${norwegianCalendarDate(person.idDocument.expiresOn)}` : ''
      }`
    : NOT_KNOWN;
  const number = (item: number) => (implicated ? `${item}. ` : '');
  return [
    `- ${number(9)}Navn: ${person.firstName} (fornavn) ${person.lastName} (etternavn)`,
    `- ${number(10)}Fødsels- og personnummer: ${person.nationalId ?? NOT_KNOWN}${person.birthDate ? ` (født ${norwegianCalendarDate(person.birthDate)})` : ''}`,
    `- ${number(11)}Adresse: ${addressText(person.address)}`,
    `- ${number(11)}Telefon: ${person.phone ?? NOT_KNOWN}${person.email ? `; e-post: ${person.email}` : ''}`,
    `- ${number(11)}Arbeid: ${[person.employment.occupation, person.employment.employer].filter(Boolean).join(', ') || NOT_KNOWN}`,
    `- ${number(11)}Statsborgerskap: ${person.nationality ? countryName(person.nationality) : NOT_KNOWN}`,
    `- ${number(12)}Legitimasjon: ${idDocument}`,
    ...(person.dropCustomerId ? [`- Drop-kunde: ${person.dropCustomerId}`] : []),
    ...(person.note ? [`- Tilknytning: ${person.note}`] : []),
  ];
}

function companyLines(company: StrCompany): string[] {
  return [
    `### ${company.name}`,
    `- Organisasjonsnummer: ${company.orgNumber ?? NOT_KNOWN}`,
    `- Adresse: ${company.address ? addressText(company.address) : company.country ? countryName(company.country) : NOT_KNOWN}`,
    ...(company.note ? [`- Tilknytning: ${company.note}`] : []),
  ];
}

function addressText(address: StrAddress | null): string {
  if (!address) return NOT_KNOWN;
  const place = [address.postalCode, address.city].filter(Boolean).join(' ');
  return [address.street, place, countryName(address.country)].filter(Boolean).join(', ');
}

/** Text as a sentence: ends with a full stop (unless it already ends with punctuation). */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?…]$/.test(trimmed) || trimmed === '' ? trimmed : `${trimmed}.`;
}
