/**
 * The notice to the Ministry of Foreign Affairs (Utenriksdepartementet, UD) after a sanctions-list
 * hit. The Norwegian sanctions rules (sanksjonsloven and the regulations that implement UN and EU
 * sanctions in Norway) require whoever freezes funds of a listed person to report it to UD; this
 * renders that report as a letter in Norwegian with a one-line English summary: the listed person
 * or entity matched, the list record, what Drop froze or holds (transfers, amounts), when, and
 * Drop's contact person. Only for a document with `sanctionsHit`; anything else is
 * STR_EXPORT_NOT_APPLICABLE.
 *
 * The letter never mentions the MT report to ØKOKRIM: that a report was made to the FIU is
 * confidential (hvitvaskingsloven's duty of confidentiality covers third parties), and UD is told
 * what the sanctions rules ask, nothing more. For the same reason its reference is the STR's
 * number under a neutral prefix (DROP-STR-000012 → DROP-UD-000012).
 */
import type { StrPerson, StrSanctionsMatch, StrTransaction } from '@drop/contracts';
import { DomainError } from '../../errors.ts';
import type { StrExportFile, StrExportInput } from './str-export-input.ts';
import {
  countryName,
  fullName,
  ID_DOCUMENT_NAMES,
  norwegianAmount,
  norwegianCalendarDate,
  norwegianDate,
  norwegianDateTime,
  parseTimestamp,
  subjectOf,
  sumDecimals,
  transferStatusName,
} from './str-export-text.ts';

/** Statuses in which Drop still has the money: frozen for a listed person (a refund would release it). */
const FUNDS_HELD = new Set(['held', 'funds_received', 'awaiting_funds']);

export function renderMfaNotice(input: StrExportInput): StrExportFile {
  const { document } = input;
  if (!document.sanctionsHit) {
    throw new DomainError('STR_EXPORT_NOT_APPLICABLE', 'The notice to the Ministry of Foreign Affairs is only for a sanctions-list hit.', {
      format: 'mfa',
      reference: document.reference,
    });
  }
  const reference = mfaReference(document.reference);
  return {
    fileName: `${reference.replace(/[^A-Za-z0-9._-]/g, '_')}-varsel-til-ud.txt`,
    contentType: 'text/plain; charset=utf-8',
    body: mfaNoticeText(input, reference),
  };
}

/** The STR's reference under a prefix that does not say "STR" (see the file comment). */
export function mfaReference(strReference: string): string {
  return strReference.replace(/STR/g, 'UD');
}

function mfaNoticeText(input: StrExportInput, reference: string): string {
  const { document, reporter } = input;
  const customer = subjectOf(document.persons);
  const matches = document.sanctionsMatches ?? [];
  const frozen = document.transactions.filter((transaction) => FUNDS_HELD.has(transaction.status));
  const others = document.transactions.filter((transaction) => !FUNDS_HELD.has(transaction.status));
  const frozenTotal = sumDecimals(frozen.map((transaction) => transaction.amountNok));
  const contact = reporter.person;
  const reporterAddress = [reporter.address.street, [reporter.address.postalCode, reporter.address.city].filter(Boolean).join(' ')]
    .filter(Boolean)
    .join(', ');

  const lines = [
    reporter.entityName,
    `Org.nr. ${reporter.orgNumber}`,
    reporterAddress,
    '',
    'Til: Utenriksdepartementet (UD), sanksjonsmyndigheten',
    `Dato: ${norwegianDate(input.submittedAt)}`,
    `Vår referanse: ${reference}`,
    '',
    'MELDING OM FRYSING AV MIDLER – TREFF MOT SANKSJONSLISTE',
    '',
    `Summary (English): ${englishSummary(reporter.entityName, frozen.length, frozenTotal, matches, customer)}`,
    '',
    `${reporter.entityName} melder med dette fra til Utenriksdepartementet, etter sanksjonsregelverket (sanksjonsloven med ` +
      'forskriftene som gjennomfører FNs og EUs sanksjoner i norsk rett), om at vi har fryst midler som tilhører eller ' +
      'skal til en person eller enhet som samsvarer med en oppføring på en sanksjonsliste.',
    '',
    '1. Listeført person eller enhet',
    ...(matches.length > 0
      ? matches.flatMap(matchLines)
      : ['   Listeoppføringen er ikke registrert i saken; vi ettersender den på forespørsel.']),
    '',
    '2. Vår kunde',
    ...(customer ? customerLines(customer) : ['   Ikke registrert.']),
    '',
    '3. Fryste midler',
    ...(frozen.length > 0
      ? [...frozen.flatMap(transactionLines), `   Sum fryst: NOK ${norwegianAmount(frozenTotal)}`]
      : ['   Ingen overføringer står fryst hos oss.']),
    ...(others.length > 0 ? ['', '   Andre overføringer i saken (ikke holdt tilbake hos oss):', ...others.flatMap(transactionLines)] : []),
    '',
    '4. Tiltak og tidspunkt',
    `   ${document.actionTaken ?? 'Midlene holdes tilbake og blir ikke utbetalt eller tilbakeført uten tillatelse.'}`,
    ...(frozen.length > 0 ? [`   Første fryste overføring ble bestilt ${norwegianDateTime(firstDate(frozen))}.`] : []),
    `   Midlene holdes tilbake til UD eventuelt gir tillatelse til annen disponering.`,
    '',
    '5. Kontaktperson',
    `   ${contact.firstName} ${contact.lastName}, ${contact.occupation}`,
    `   E-post: ${contact.email}${contact.phone ? `, telefon: ${contact.phone}` : ''}`,
    '',
    'Med vennlig hilsen',
    `${contact.firstName} ${contact.lastName}`,
    reporter.entityName,
  ];
  return `${lines.join('\n')}\n`;
}

function englishSummary(
  entityName: string,
  frozenCount: number,
  frozenTotal: string,
  matches: readonly StrSanctionsMatch[],
  customer: StrPerson | undefined,
): string {
  const record = matches[0]
    ? `sanctions list record ${matches[0].list}/${matches[0].recordKey} (${matches[0].listedName})`
    : 'a sanctions list record';
  const funds =
    frozenCount > 0
      ? `has frozen ${frozenCount} transfer${frozenCount === 1 ? '' : 's'} totalling NOK ${englishAmount(frozenTotal)}`
      : 'has frozen the customer relationship';
  return `${entityName} ${funds} for ${customer ? fullName(customer) : 'a customer'}, who matches ${record}, and reports this to the Ministry of Foreign Affairs under the Norwegian sanctions rules.`;
}

function matchLines(match: StrSanctionsMatch): string[] {
  return [
    `   Navn på listen: ${match.listedName}`,
    `   Liste og oppføring: ${match.list.toUpperCase()}, oppføring ${match.recordKey}${match.listedOn ? `, listeført ${norwegianCalendarDate(match.listedOn)}` : ''}`,
    ...(match.programmes.length > 0 ? [`   Sanksjonsregime: ${match.programmes.join(', ')}`] : []),
    `   Navnet som ga treff hos oss: ${match.matchedName}`,
  ];
}

function customerLines(person: StrPerson): string[] {
  const address = person.address
    ? [
        person.address.street,
        [person.address.postalCode, person.address.city].filter(Boolean).join(' '),
        countryName(person.address.country),
      ]
        .filter(Boolean)
        .join(', ')
    : null;
  return [
    `   Navn: ${fullName(person)}`,
    ...(person.birthDate ? [`   Født: ${norwegianCalendarDate(person.birthDate)}`] : []),
    ...(person.nationalId ? [`   Fødselsnummer: ${person.nationalId}`] : []),
    ...(person.nationality ? [`   Statsborgerskap: ${countryName(person.nationality)}`] : []),
    ...(address ? [`   Adresse: ${address}`] : []),
    ...(person.idDocument
      ? [
          `   Legitimasjon: ${ID_DOCUMENT_NAMES[person.idDocument.type]} nr. ${person.idDocument.number} (${person.idDocument.issuingCountry})`,
        ]
      : []),
    ...(person.customerId ? [`   Kundenummer hos oss: ${person.customerId}`] : []),
  ];
}

function transactionLines(transaction: StrTransaction): string[] {
  const foreign = transaction.foreign ? ` (${norwegianAmount(transaction.foreign.amount)} ${transaction.foreign.currency})` : '';
  return [
    `   - ${transaction.id}, bestilt ${norwegianDateTime(parseTimestamp(transaction.date, `The date of ${transaction.id}`))}: ` +
      `NOK ${norwegianAmount(transaction.amountNok)}${foreign} til ${transaction.recipient.name}, ${countryName(transaction.recipient.country)}` +
      `${transaction.recipient.account ? `, konto ${transaction.recipient.account}` : ''}. Status: ${transferStatusName(transaction.status)}.`,
  ];
}

function firstDate(transactions: readonly StrTransaction[]): Date {
  return new Date(
    Math.min(...transactions.map((transaction) => parseTimestamp(transaction.date, `The date of ${transaction.id}`).getTime())),
  );
}

/** "98000.00" → "98,000.00" for the English line. */
function englishAmount(decimal: string): string {
  const [whole = '0', fraction = ''] = decimal.split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction.padEnd(2, '0')}`;
}
