/**
 * goAML 5.0.1 XML for a suspicious-transaction (or -activity) report: the `<report>` UNODC's goAML
 * takes, built to validate against goaml-5.0.1/goAMLSchema.xsd (the tests run xmllint on every
 * shape). The MT-0002 → goAML mapping follows shared/data/goaml/norway-mt-0002.md:
 *
 * - grounds → `reason` (with the indicators named in words), what Drop did → `action`;
 * - the reference → `entity_reference` and each transaction's `internal_ref_number`;
 * - each transfer → `transaction`: Drop's id, date, NOK amount, description and status; a sent
 *   transfer goes from our customer (`t_from_my_client/from_person`) to the recipient (`t_to`,
 *   an account with the recipient as signatory, `to_country`, `to_foreign_currency`); a received
 *   one the other way (`t_from` → `t_to_my_client`);
 * - persons and companies not already in a transaction (or all of them when there is none) →
 *   `activity/report_parties` (`person` / `entity`, with how they are connected as the `reason`).
 *
 * Only elements goAML 5.0.1 supports are written (none marked `goaml:supportedIn` 5.1/5.2), so an
 * FIU on 5.0.1 reads everything. Where the schema asks more than Drop knows or allows less than
 * Drop has, the choices are deliberate and listed in README.md beside this file: codes the generic
 * lists leave meaningless are '-', countries/currencies outside the schema's lists become '-' (or
 * the foreign-amount block is left out), text is cut to the schema's lengths with a visible `…`,
 * and a customer without the data `t_person_my_client` requires is reported as a plain `t_person`.
 */
import type { StrAddress, StrCompany, StrDocument, StrPerson, StrReporter, StrTransaction } from '@drop/contracts';
import { XMLBuilder } from 'fast-xml-parser';
import { electronicFormatIBAN, isValidBIC, isValidIBAN } from 'ibantools';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { DomainError } from '../../errors.ts';
import { GOAML_COUNTRY_CODES, GOAML_CURRENCY_CODES } from './goaml-code-lists.ts';
import type { StrExportFile, StrExportInput } from './str-export-input.ts';
import {
  clampText,
  fullName,
  ID_DOCUMENT_NAMES,
  norwegianDateTime,
  osloDateTime,
  parseTimestamp,
  scaled,
  subjectOf,
} from './str-export-text.ts';

/**
 * The goAML codes Drop writes. The generic 5.0.1 lists hold letters without meanings ('-', 'A',
 * 'B', …; the indicator list is only '-'), so every code Drop cannot name precisely is '-' (not
 * specified) until ØKOKRIM/EFE publishes Norway's lists. Change them here, in one place.
 */
export const GOAML_CODES = {
  /** E = electronic submission. */
  submission: 'E',
  fundsType: '-',
  transmode: '-',
  contactType: '-',
  communicationType: '-',
  identifierType: '-',
  indicator: '-',
} as const;

/** Drop's alert rules → goAML `report_indicator` codes; empty until the Norwegian indicator list exists (all map to '-'). */
export const GOAML_INDICATOR_BY_RULE: Readonly<Record<string, string>> = {};

/** Reports on money in Norway are in NOK (`currency_code_local`, and every transaction's `amount_local`). */
const LOCAL_CURRENCY = 'NOK';

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, indentBy: '  ' });

type XmlNode = { [element: string]: XmlValue };
type XmlValue = string | string[] | XmlNode | XmlNode[] | undefined;

export function renderGoamlXml(input: StrExportInput): StrExportFile {
  const { document, reporter } = input;
  const customer = subjectOf(document.persons);
  const transactions = document.transactions.map((transaction) => goamlTransaction(transaction, document, reporter, customer));
  const parties = [
    ...document.persons.filter((person) => transactions.length === 0 || person !== customer).map(personParty),
    ...document.companies.map(companyParty),
  ];
  if (transactions.length === 0 && parties.length === 0) {
    throw new DomainError('STR_EXPORT_NOT_APPLICABLE', 'A goAML report needs at least one transaction, person or company.', {
      format: 'goaml',
    });
  }
  const report: XmlNode = {
    rentity_id: rentityId(reporter),
    rentity_branch: requiredText(reporter.address.city ?? reporter.entityName, 255),
    submission_code: GOAML_CODES.submission,
    report_code: document.reportType === 'suspicious_activity' && transactions.length === 0 ? 'SAR' : 'STR',
    entity_reference: optional(document.reference, 255),
    submission_date: osloDateTime(input.submittedAt),
    currency_code_local: LOCAL_CURRENCY,
    reporting_person: reportingPerson(reporter),
    location: goamlAddress(reporter.address, reporter.entityName),
    reason: optional(reasonText(document), 8000),
    action: document.actionTaken ? optional(document.actionTaken, 8000) : undefined,
    transaction: transactions.length > 0 ? transactions : undefined,
    activity: parties.length > 0 ? { report_parties: { report_party: parties } } : undefined,
    report_indicators: { indicator: indicatorCodes(document.indicators) },
  };
  const body = builder.build({ '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' }, report }) as string;
  return { fileName: `${safeFileStem(document.reference)}-goaml.xml`, contentType: 'application/xml; charset=utf-8', body };
}

/** The reason text: the grounds, then the indicators and the sanctions status in words (the indicator codes say nothing yet). */
function reasonText(document: StrDocument): string {
  const lines = [document.grounds];
  if (document.indicators.length > 0) lines.push('', `Indikatorer (Drops regler): ${document.indicators.join(', ')}`);
  if (document.sanctionsHit) {
    lines.push(
      document.mfaNotifiedAt
        ? `Treff på sanksjonsliste. Utenriksdepartementet (UD) er varslet ${norwegianDateTime(parseTimestamp(document.mfaNotifiedAt, 'mfaNotifiedAt'))}.`
        : 'Treff på sanksjonsliste. Utenriksdepartementet (UD) varsles.',
    );
  }
  return lines.join('\n');
}

function indicatorCodes(indicators: readonly string[]): string[] {
  const codes = new Set(indicators.map((rule) => GOAML_INDICATOR_BY_RULE[rule] ?? GOAML_CODES.indicator));
  // The schema requires at least one indicator.
  return codes.size > 0 ? [...codes] : [GOAML_CODES.indicator];
}

function rentityId(reporter: StrReporter): string {
  // goAML's rentity_id is an xs:int ≥ 1; anything else is a configuration error, not the report's.
  if (!/^[1-9]\d{0,8}$/.test(reporter.fiuEntityId)) {
    throw new Error(`The reporter's FIU entity id must be goAML's numeric rentity_id, got "${reporter.fiuEntityId}".`);
  }
  return reporter.fiuEntityId;
}

function goamlTransaction(
  transaction: StrTransaction,
  document: StrDocument,
  reporter: StrReporter,
  customer: StrPerson | undefined,
): XmlNode {
  const foreign = foreignCurrency(transaction);
  const ourCustomer = customer ? personMyClient(customer) : undefined;
  const head: XmlNode = {
    transactionnumber: requiredText(transaction.id, 100),
    internal_ref_number: requiredText(document.reference, 100),
    transaction_location: 'Drop (app/nett)',
    transaction_description: requiredText(`${transaction.description} (status i Drop: ${transaction.status})`, 8000),
    date_transaction: osloDateTime(parseTimestamp(transaction.date, `The date of ${transaction.id}`)),
    transmode_code: GOAML_CODES.transmode,
    transmode_comment: transaction.direction === 'sent' ? 'Pengeoverføring til utlandet' : 'Pengeoverføring fra utlandet',
    amount_local: goamlDecimal(transaction.amountNok),
  };
  const homeCountry = goamlCountry(reporter.address.country);
  if (transaction.direction === 'sent') {
    const fundsComment = transaction.sender.account ? optional(`Innbetalt fra konto ${transaction.sender.account}`, 255) : undefined;
    const from: XmlNode = ourCustomer
      ? {
          t_from_my_client: {
            from_funds_code: GOAML_CODES.fundsType,
            from_funds_comment: fundsComment,
            from_person: ourCustomer,
            from_country: homeCountry,
          },
        }
      : {
          t_from: {
            from_funds_code: GOAML_CODES.fundsType,
            from_funds_comment: fundsComment,
            from_person: customer ? person(customer) : personFromName(transaction.sender.name),
            from_country: homeCountry,
          },
        };
    return {
      ...head,
      ...from,
      t_to: {
        to_funds_code: GOAML_CODES.fundsType,
        to_foreign_currency: foreign,
        ...recipientParty(transaction, document, foreign?.foreign_currency_code as string | undefined),
        to_country: goamlCountry(transaction.recipient.country),
      },
    };
  }
  // Received: the counterparty sent money to our customer. goAML wants the sender's account and
  // country; Drop's record keeps only the sender's name and account, so the country is '-'.
  const senderAccount: XmlNode = transaction.sender.account
    ? {
        institution_name: 'Ikke oppgitt',
        institution_code: '-',
        account: requiredText(transaction.sender.account, 255),
        account_name: requiredText(transaction.sender.name, 255),
        signatory: { t_person: personFromName(transaction.sender.name) },
      }
    : personFromName(transaction.sender.name);
  const to: XmlNode = ourCustomer
    ? {
        t_to_my_client: {
          to_funds_code: GOAML_CODES.fundsType,
          to_person: ourCustomer,
          to_country: goamlCountry(transaction.recipient.country),
        },
      }
    : {
        t_to: {
          to_funds_code: GOAML_CODES.fundsType,
          to_person: customer ? person(customer) : personFromName(transaction.recipient.name),
          to_country: goamlCountry(transaction.recipient.country),
        },
      };
  return {
    ...head,
    t_from: {
      from_funds_code: GOAML_CODES.fundsType,
      from_foreign_currency: foreign,
      ...(transaction.sender.account ? { from_account: senderAccount } : { from_person: senderAccount }),
      from_country: '-',
    },
    ...to,
  };
}

/**
 * The recipient of a sent transfer: `to_account` with the recipient as signatory (a connected
 * person of the same name gives the details), or `to_person` when Drop has no account number.
 */
function recipientParty(transaction: StrTransaction, document: StrDocument, currency: string | undefined): XmlNode {
  const recipient = transaction.recipient;
  const known = document.persons.find((candidate) => sameName(fullName(candidate), recipient.name));
  const holder = known ? person(known) : personFromName(recipient.name);
  if (!recipient.account) return { to_person: holder };
  const bic = recipient.bankBic && isValidBIC(recipient.bankBic) ? recipient.bankBic : null;
  const iban = electronicFormatIBAN(recipient.account);
  const account: XmlNode = {
    // Drop keeps the recipient's BIC, not their bank's name.
    institution_name: bic ? `Bank med BIC ${bic}` : 'Ikke oppgitt',
    ...(bic ? { swift: bic } : { institution_code: '-' }),
    account: requiredText(recipient.account, 255),
    currency_code: currency,
    account_name: requiredText(recipient.name, 255),
    iban: iban && isValidIBAN(iban) ? iban : undefined,
    signatory: { t_person: holder },
  };
  return { to_account: account };
}

function foreignCurrency(transaction: StrTransaction): XmlNode | undefined {
  const foreign = transaction.foreign;
  // A currency outside the schema's list (e.g. VES) cannot be written; the description still names it.
  if (!foreign || !GOAML_CURRENCY_CODES.has(foreign.currency)) return undefined;
  return {
    foreign_currency_code: foreign.currency,
    foreign_amount: goamlDecimal(foreign.amount),
    foreign_exchange_rate: exchangeRate(transaction.amountNok, foreign.amount),
  };
}

/** NOK per unit of the foreign currency (amount_local = foreign_amount × rate), to 6 decimals, computed on integers. */
function exchangeRate(amountNok: string, foreignAmount: string): string {
  const places = 6;
  const foreign = scaled(foreignAmount, places);
  if (foreign === 0n) return '0';
  const nok = scaled(amountNok, places) * 10n ** BigInt(places);
  const negative = nok < 0n !== foreign < 0n;
  const absForeign = foreign < 0n ? -foreign : foreign;
  const absNok = nok < 0n ? -nok : nok;
  const rate = (absNok + absForeign / 2n) / absForeign;
  const digits = rate.toString().padStart(places + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -places)}.${digits.slice(-places)}`;
}

/**
 * Our customer as goAML's `t_person_my_client`, which requires birth date, national id (ssn),
 * nationality, residence, a phone and an occupation; undefined when Drop lacks one of the first
 * five (the caller then reports a plain `t_person`). A missing occupation is written as "Ikke oppgitt".
 */
function personMyClient(subject: StrPerson): XmlNode | undefined {
  const birthdate = goamlDate(subject.birthDate);
  const phone = subject.phone ? goamlPhone(subject.phone) : undefined;
  if (!birthdate || !subject.nationalId || !subject.nationality || !subject.address || !phone) return undefined;
  return person(subject, { birthdate, ssn: subject.nationalId, residence: goamlCountry(subject.address.country), phone });
}

/** A person in goAML's element order (t_person; with `client` filled, t_person_my_client). */
function person(subject: StrPerson, client?: { birthdate: string; ssn: string; residence: string; phone: XmlNode }): XmlNode {
  const document = subject.idDocument;
  const address = goamlAddress(subject.address);
  const phone = client?.phone ?? (subject.phone ? goamlPhone(subject.phone) : undefined);
  return {
    first_name: requiredText(subject.firstName, 100),
    last_name: requiredText(subject.lastName, 100),
    birthdate: client?.birthdate ?? goamlDate(subject.birthDate),
    ssn: client?.ssn ?? subject.nationalId ?? undefined,
    passport_number: document?.type === 'passport' ? requiredText(document.number, 255) : undefined,
    passport_country: document?.type === 'passport' ? goamlCountry(document.issuingCountry) : undefined,
    nationality1: subject.nationality ? goamlCountry(subject.nationality) : client ? '-' : undefined,
    residence: client?.residence ?? (subject.address ? goamlCountry(subject.address.country) : undefined),
    phones: phone ? { phone } : undefined,
    addresses: address ? { address } : undefined,
    email: subject.email?.trim() ? optional(subject.email.trim(), 255) : undefined,
    occupation: subject.occupation?.trim() ? requiredText(subject.occupation, 255) : client ? 'Ikke oppgitt' : undefined,
    employer_name: subject.employer?.trim() ? optional(subject.employer, 255) : undefined,
    identification: document
      ? {
          type: GOAML_CODES.identifierType,
          number: requiredText(document.number, 255),
          expiry_date: goamlDate(document.expiresOn),
          issue_country: goamlCountry(document.issuingCountry),
          comments: ID_DOCUMENT_NAMES[document.type],
        }
      : undefined,
    comments: optional(personComments(subject), 8000) || undefined,
  };
}

function personComments(subject: StrPerson): string {
  return [
    subject.role === 'subject' ? 'Rolle: mistenkt (rapportens subjekt)' : 'Rolle: tilknyttet person',
    subject.customerId ? `Drop-kunde ${subject.customerId}` : null,
    subject.note,
  ]
    .filter((part): part is string => Boolean(part))
    .join('. ');
}

/** A person Drop knows only by a name as typed ("Juan Carlos Pérez"): last word as surname, the rest as given names. */
function personFromName(name: string): XmlNode {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const lastName = words.length > 1 ? words.pop() : undefined;
  return {
    first_name: requiredText(words.join(' '), 100),
    last_name: requiredText(lastName ?? '-', 100),
    comments: 'Navn som oppgitt i overføringen',
  };
}

function personParty(subject: StrPerson): XmlNode {
  return {
    person: person(subject),
    significance: subject.role === 'subject' ? '10' : undefined,
    reason: optional(subject.note ?? (subject.role === 'subject' ? 'Rapportens subjekt' : 'Tilknyttet person'), 8000),
  };
}

function companyParty(company: StrCompany): XmlNode {
  const address = goamlAddress(company.address);
  return {
    entity: {
      name: requiredText(company.name, 255),
      incorporation_number: company.orgNumber?.trim() ? requiredText(company.orgNumber, 50) : undefined,
      addresses: address ? { address } : undefined,
      incorporation_country_code: company.country ? goamlCountry(company.country) : undefined,
      comments: company.note ? optional(company.note, 8000) : undefined,
    },
    reason: company.note ? optional(company.note, 8000) : 'Tilknyttet foretak',
  };
}

function reportingPerson(reporter: StrReporter): XmlNode {
  const phone = reporter.person.phone ? goamlPhone(reporter.person.phone) : undefined;
  const address = goamlAddress(reporter.address, reporter.entityName);
  return {
    first_name: requiredText(reporter.person.firstName, 100),
    last_name: requiredText(reporter.person.lastName, 100),
    phones: phone ? { phone } : undefined,
    addresses: address ? { address } : undefined,
    email: optional(reporter.person.email, 255),
    occupation: requiredText(reporter.person.occupation, 255),
    employer_name: optional(reporter.entityName, 255),
  };
}

/** A t_address, which needs an address line and a city: one stands in for the other, `fallback` for both. */
function goamlAddress(address: StrAddress | null, fallback?: string): XmlNode | undefined {
  if (!address) return undefined;
  const line = address.street?.trim() || address.city?.trim() || fallback;
  const city = address.city?.trim() || address.street?.trim() || fallback;
  if (!line || !city) return undefined;
  return {
    address_type: GOAML_CODES.contactType,
    address: requiredText(line, 100),
    city: requiredText(city, 255),
    zip: address.postalCode?.trim() ? optional(address.postalCode.trim(), 10) : undefined,
    country_code: goamlCountry(address.country),
  };
}

/** A phone number split as goAML wants it (country prefix ≤ 4 digits, number); unparsable numbers keep their text with prefix '-'. */
function goamlPhone(raw: string): XmlNode | undefined {
  const text = raw.trim();
  if (!text) return undefined;
  const parsed = parsePhoneNumberFromString(text, 'NO');
  return {
    tph_contact_type: GOAML_CODES.contactType,
    tph_communication_type: GOAML_CODES.communicationType,
    tph_country_prefix: parsed ? parsed.countryCallingCode : '-',
    tph_number: requiredText(parsed ? parsed.nationalNumber : text, 50),
  };
}

function goamlCountry(code: string): string {
  return GOAML_COUNTRY_CODES.has(code) ? code : '-';
}

/** A calendar date (`YYYY-MM-DD`) as sql_date, or undefined when absent, not a real date, or before 1753 (the schema's floor). */
function goamlDate(date: string | null): string | undefined {
  const match = date ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(date) : null;
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (year < 1753 || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return `${match[0]}T00:00:00`;
}

/** sql_decimal: at most 13 decimals and |amount| ≤ 7.9e15. Amounts outside that are refused, never rounded. */
function goamlDecimal(amount: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount);
  const whole = match?.[2]?.replace(/^0+(?=\d)/, '');
  const fraction = match?.[3]?.replace(/0+$/, '') ?? '';
  if (!match || !whole || fraction.length > 13 || whole.length > 16 || (whole.length === 16 && whole > '7900000000000000')) {
    throw new DomainError('VALIDATION_FAILED', `The amount ${amount} cannot be written to goAML.`, { amount });
  }
  return `${match[1]}${whole}.${fraction.padEnd(2, '0')}`;
}

/**
 * Text with every character XML 1.0 cannot carry (its `Char` production excludes most control
 * characters, lone surrogates, U+FFFE and U+FFFF) replaced by U+FFFD, so a stray byte in a note
 * cannot make the whole report unreadable.
 */
function xmlCharacters(text: string): string {
  let safe = '';
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    const allowed =
      code === 0x9 ||
      code === 0xa ||
      code === 0xd ||
      (code >= 0x20 && code <= 0xd7ff) ||
      (code >= 0xe000 && code <= 0xfffd) ||
      code >= 0x10000;
    safe += allowed ? character : '\uFFFD';
  }
  return safe;
}

/** Text for an element with a maximum length; escaping of & < > " ' is the builder's. */
function optional(text: string, max: number): string {
  return clampText(xmlCharacters(text), max);
}

/** Text for an element that must not be empty: blank text becomes '-'. */
function requiredText(text: string, max: number): string {
  const value = optional(text, max);
  return value.trim() ? value : '-';
}

function sameName(a: string, b: string): boolean {
  const normal = (name: string) => name.trim().replace(/\s+/g, ' ').toLocaleLowerCase('nb');
  return normal(a) === normal(b);
}

function safeFileStem(reference: string): string {
  return reference.replace(/[^A-Za-z0-9._-]/g, '_') || 'str';
}
