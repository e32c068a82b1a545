/**
 * Reads the files a bank sends about Drop's accounts: camt.053 (BkToCstmrStmt, the statement of an
 * account, usually once a day) and camt.054 (BkToCstmrDbtCdtNtfctn, a notification of entries as
 * they happen), message versions 001.02 to 001.13. Norwegian banks (DNB, Nordea, SpareBank 1, …)
 * deliver both; Drop matches incoming payments to transfers by the KID in Strd/CdtrRefInf/Ref.
 *
 * A file is taken whole or not at all: any problem throws BankFileError naming the element and
 * line, and no partial result is ever returned, so a half-read file cannot book half its money.
 *
 * Every version reads the same way because the parts Drop uses kept their names and places from
 * 001.02 on. Where a later version changed a part's shape, both shapes are read: Sts as text in
 * 001.02 and as Sts/Cd (or Sts/Prtry) later; the debtor as RltdPties/Dbtr/Nm in 001.02 and as
 * Dbtr/Pty/Nm in 001.08; the transaction amount as TxDtls/AmtDtls/TxAmt/Amt in 001.02, which later
 * versions also write directly as TxDtls/Amt.
 */
import { type BankEntry, type BankFile, BankFileError, type BankFileParser, type BankReport } from '@drop/core';

export type { BankEntry, BankReport } from '@drop/core';

import { isIsoDate } from './iso-fields.ts';
import { AmountProblem, decimalToMinorUnits, knownCurrencyDecimals, scaledToDecimal } from './minor-units.ts';
import { readBankXml } from './read-bank-xml.ts';
import type { XmlElement } from './xml-element.ts';

/**
 * A parsed file: core's view of it (`BankFile`, with the reports and entries documented there)
 * plus what the parser also reads.
 */
export interface ParsedBankFile extends BankFile {
  /** The message version, e.g. `001.02` for camt.054.001.02. */
  version: string;
  /** GrpHdr/CreDtTm as the bank wrote it (ISO date-time). */
  createdAt: string;
}

const CAMT_NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:(camt\.05[34])\.001\.(\d{2})$/;
const ISO_20022_NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:([a-z]{4}\.\d{3}\.\d{3}\.\d{2})$/;
const OLDEST_VERSION = 2;
const NEWEST_VERSION = 13;

const MESSAGE_ELEMENT = { 'camt.053': 'BkToCstmrStmt', 'camt.054': 'BkToCstmrDbtCdtNtfctn' } as const;
const REPORT_ELEMENT = { 'camt.053': 'Stmt', 'camt.054': 'Ntfctn' } as const;

/** The elements Drop reads that the schemas let repeat. */
const REPEATABLE = new Set(['Stmt', 'Ntfctn', 'Bal', 'Ntry', 'NtryDtls', 'TxDtls', 'Ustrd', 'Strd']);

/** EPC and Nordic guides write NOTPROVIDED when the payer gave no end-to-end id; it identifies nothing. */
const NO_END_TO_END_ID = 'NOTPROVIDED';

/** The camt.053/camt.054 reader as core's bank-file parser port (the import of a bank statement). */
export const camtBankFileParser: BankFileParser = { parse: (bytes) => parseCamt(bytes) };

export function parseCamt(xml: string | Uint8Array): ParsedBankFile {
  const file = readBankXml(xml, REPEATABLE);
  const { kind, version } = identifyMessage(file.rootName, file.rootNamespace, file.rootLine);
  const message = messageElement(file.root, kind);
  const header = message.required('GrpHdr');
  const messageId = header.requiredText('MsgId');
  const createdAt = readDateTime(header.required('CreDtTm'));
  const reports = message.children(REPORT_ELEMENT[kind]);
  if (reports.length === 0) message.fail(`the ${kind} message has no ${REPORT_ELEMENT[kind]}, so it reports nothing`);
  return { kind, version, messageId, createdAt, reports: reports.map(readReport) };
}

function identifyMessage(rootName: string, namespace: string | undefined, line: number): Pick<ParsedBankFile, 'kind' | 'version'> {
  const where = `${rootName}, line ${line}`;
  if (rootName !== 'Document') throw refusal(`the root element is ${rootName}, not the Document of an ISO 20022 message`, where);
  if (namespace === undefined) throw refusal('the Document has no namespace, so it does not say which message it is', where);
  const camt = CAMT_NAMESPACE.exec(namespace);
  if (!camt) {
    const other = ISO_20022_NAMESPACE.exec(namespace)?.[1];
    const problem = other
      ? `the file is ${other}, not a camt.053 statement or camt.054 notification`
      : `the namespace '${namespace}' is not that of a camt.053 or camt.054 message`;
    throw refusal(problem, where);
  }
  const kind = camt[1] as ParsedBankFile['kind'];
  const version = Number(camt[2]);
  if (version < OLDEST_VERSION || version > NEWEST_VERSION) {
    throw refusal(`${kind}.001.${camt[2]} is not a version Drop reads (001.02 to 001.13)`, where);
  }
  return { kind, version: `001.${camt[2]}` };
}

function messageElement(document: XmlElement, kind: ParsedBankFile['kind']): XmlElement {
  const expected = MESSAGE_ELEMENT[kind];
  const message = document.optional(expected);
  if (message) return message;
  const other = Object.values(MESSAGE_ELEMENT).find((name) => document.optional(name) !== undefined);
  return document.fail(
    other ? `the namespace says ${kind}, but the message is ${other}` : `the required element ${document.path}/${expected} is missing`,
  );
}

function readReport(report: XmlElement): BankReport {
  const id = report.requiredText('Id');
  const account = readAccount(report.required('Acct'));
  const bookings = report.children('Ntry').map((entry, i) => readEntry(entry, id, i + 1));
  checkTotals(report, bookings);
  return { id, account, entries: bookings.flatMap((booking) => booking.transactions) };
}

function readAccount(account: XmlElement): BankReport['account'] {
  const id = account.required('Id');
  const iban = id.optionalText('IBAN');
  const other = id.optional('Othr')?.requiredText('Id');
  if (iban === undefined && other === undefined) account.fail('the account has neither an IBAN nor another identification (Id/Othr/Id)');
  return compact({ iban, other, currency: account.optionalText('Ccy') });
}

/** An Ntry as booked (what the totals count) and the transactions it carries (what Drop matches). */
interface Booking {
  amountMinor: bigint;
  currency: string;
  creditDebit: BankEntry['creditDebit'];
  transactions: BankEntry[];
}

function readEntry(entry: XmlElement, reportId: string, position: number): Booking {
  const booked = readMoney(entry.required('Amt'));
  const creditDebit = readCreditDebit(entry);
  const reversal = readBoolean(entry.optional('RvslInd')) ?? false;
  const status = readStatus(entry.required('Sts'));
  const bookingDate = readDate(entry.optional('BookgDt'));
  const valueDate = readDate(entry.optional('ValDt'));
  const servicerReference = entry.optionalText('AcctSvcrRef');
  // The bank's own reference (AcctSvcrRef) identifies a booking across files. Without it, the
  // entry reference is only unique within its report (banks number NtryRef 1, 2, 3 per file), so
  // it is qualified by the report's id: a booking reported twice without AcctSvcrRef is then seen
  // twice, but two different bookings are never taken for one.
  const entryReference = servicerReference ?? `${reportId}:${entry.optionalText('NtryRef') ?? position}`;
  const shared = { reversal, status, bookingDate, valueDate };

  const details = entry.children('NtryDtls').flatMap((group) => group.children('TxDtls'));
  if (details.length === 0) {
    const only = compact({ reference: entryReference, creditDebit, ...shared, ...booked, accountServicerReference: servicerReference });
    return { ...booked, creditDebit, transactions: [only] };
  }
  const transactions = details.map((transaction, i): BankEntry => {
    const money =
      readTransactionMoney(transaction) ??
      (details.length === 1
        ? booked
        : transaction.fail(`the entry is a batch of ${details.length} transactions, but this one has no amount of its own`));
    const references = transaction.optional('Refs');
    const parties = transaction.optional('RltdPties');
    const remittance = transaction.optional('RmtInf');
    const endToEndId = references?.optionalText('EndToEndId');
    const unstructured = remittance
      ?.children('Ustrd')
      .map((line) => line.text())
      .filter((line) => line !== '');
    const reason = transaction.optional('RtrInf')?.optional('Rsn');
    return compact({
      reference: details.length === 1 ? entryReference : `${entryReference}:${i + 1}`,
      creditDebit: transaction.optional('CdtDbtInd') ? readCreditDebit(transaction) : creditDebit,
      ...shared,
      ...money,
      kid: remittance
        ?.children('Strd')
        .map((structured) => structured.optional('CdtrRefInf')?.optionalText('Ref'))
        .find((reference) => reference !== undefined),
      unstructured: unstructured && unstructured.length > 0 ? unstructured.join(' ') : undefined,
      endToEndId: endToEndId === NO_END_TO_END_ID ? undefined : endToEndId,
      accountServicerReference: references?.optionalText('AcctSvcrRef') ?? servicerReference,
      debtor: readParty(parties, 'Dbtr', 'DbtrAcct'),
      creditor: readParty(parties, 'Cdtr', 'CdtrAcct'),
      returnReason: reason?.optionalText('Cd') ?? reason?.optionalText('Prtry'),
    });
  });
  return { ...booked, creditDebit, transactions };
}

function readTransactionMoney(transaction: XmlElement): Pick<BankEntry, 'amountMinor' | 'currency'> | undefined {
  const amount = transaction.optional('Amt') ?? transaction.optional('AmtDtls')?.optional('TxAmt')?.optional('Amt');
  return amount && readMoney(amount);
}

function readMoney(amount: XmlElement): Pick<BankEntry, 'amountMinor' | 'currency'> {
  const currency = amount.attribute('Ccy');
  if (currency === undefined || currency === '') amount.fail('the amount has no currency (the Ccy attribute)');
  const text = amount.text();
  if (text === '') amount.fail('the amount is empty');
  let amountMinor: bigint;
  try {
    amountMinor = decimalToMinorUnits(text, currency);
  } catch (error) {
    if (error instanceof AmountProblem) amount.fail(error.message);
    throw error;
  }
  if (amountMinor === 0n) amount.fail(`the amount is zero (${text} ${currency}); a booking moves money`);
  return { amountMinor, currency };
}

function readCreditDebit(parent: XmlElement): BankEntry['creditDebit'] {
  const element = parent.required('CdtDbtInd');
  const indicator = element.text();
  if (indicator === 'CRDT' || indicator === 'DBIT') return indicator;
  return element.fail(`CdtDbtInd is '${indicator}', not CRDT or DBIT`);
}

function readStatus(status: XmlElement): string {
  const code = status.optionalText('Cd') ?? status.optionalText('Prtry') ?? status.text();
  if (code === '') status.fail('the entry status (Sts) is empty');
  return code;
}

/** xs:boolean: true, false, 1 or 0. */
function readBoolean(element: XmlElement | undefined): boolean | undefined {
  if (element === undefined) return undefined;
  const text = element.text();
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  return element.fail(`'${text}' is not true or false`);
}

/** DateAndDateTime2Choice → YYYY-MM-DD, the day as the bank wrote it (no time zone conversion). */
function readDate(choice: XmlElement | undefined): string | undefined {
  if (choice === undefined) return undefined;
  const text = choice.optionalText('Dt') ?? choice.optionalText('DtTm') ?? choice.fail(`${choice.path} has neither Dt nor DtTm`);
  const day = text.slice(0, 10);
  if (!isIsoDate(day) || !/^(?:$|T|[Z+-])/.test(text.slice(10))) choice.fail(`'${text}' is not a date`);
  return day;
}

function readDateTime(element: XmlElement): string {
  const text = element.text();
  if (!isIsoDate(text.slice(0, 10)) || !/^T\d{2}:\d{2}:\d{2}/.test(text.slice(10))) element.fail(`'${text}' is not a date and time`);
  return text;
}

/** Dbtr/Pty/Nm (001.08) or Dbtr/Nm (001.02); the account as IBAN or Othr/Id (a Norwegian BBAN, say). */
function readParty(parties: XmlElement | undefined, party: 'Dbtr' | 'Cdtr', account: 'DbtrAcct' | 'CdtrAcct'): BankEntry['debtor'] {
  if (parties === undefined) return undefined;
  const who = parties.optional(party);
  const name = who?.optional('Pty')?.optionalText('Nm') ?? who?.optionalText('Nm');
  const id = parties.optional(account)?.optional('Id');
  const number = id?.optionalText('IBAN') ?? id?.optional('Othr')?.optionalText('Id');
  return name === undefined && number === undefined ? undefined : compact({ name, account: number });
}

/**
 * TxsSummry is the bank's own count of what it sent; a file that disagrees with itself was cut,
 * merged or garbled somewhere, and is refused. The sums are "irrespective of currencies", so they
 * are compared as exact decimals.
 */
function checkTotals(report: XmlElement, bookings: Booking[]): void {
  const summary = report.optional('TxsSummry');
  if (summary === undefined) return;
  const credits = bookings.filter((booking) => booking.creditDebit === 'CRDT');
  const debits = bookings.filter((booking) => booking.creditDebit === 'DBIT');
  const all = summary.optional('TtlNtries');
  checkCountAndSum(all, bookings, 'entries');
  checkCountAndSum(summary.optional('TtlCdtNtries'), credits, 'credit entries');
  checkCountAndSum(summary.optional('TtlDbtNtries'), debits, 'debit entries');

  // 001.02 writes the net as TtlNtries/TtlNetNtryAmt beside TtlNtries/CdtDbtInd; later versions as TtlNetNtry/Amt and /CdtDbtInd.
  const netGroup = all?.optional('TtlNetNtry');
  const net = netGroup ?? (all?.optional('TtlNetNtryAmt') ? all : undefined);
  if (net === undefined) return;
  const stated = readDecimal(netGroup ? net.required('Amt') : net.required('TtlNetNtryAmt'));
  const scale = Math.max(stated.scale, ...bookings.map((booking) => knownCurrencyDecimals(booking.currency)));
  const actual = scaledSum(credits, scale) - scaledSum(debits, scale);
  const direction = readCreditDebit(net);
  const statedNet = rescale(stated, scale) * (direction === 'DBIT' ? -1n : 1n);
  if (statedNet !== actual) {
    net.fail(
      `the file says its entries net to ${direction} ${stated.text}, but they net to ${actual < 0n ? 'DBIT' : 'CRDT'} ${scaledToDecimal(abs(actual), scale)}`,
    );
  }
}

function checkCountAndSum(totals: XmlElement | undefined, bookings: Booking[], what: string): void {
  if (totals === undefined) return;
  const count = totals.optional('NbOfNtries');
  if (count !== undefined) {
    const stated = count.text();
    if (!/^\d{1,15}$/.test(stated)) count.fail(`'${stated}' is not a number of entries`);
    if (BigInt(stated) !== BigInt(bookings.length)) count.fail(`the file says it holds ${stated} ${what}, but it holds ${bookings.length}`);
  }
  const sum = totals.optional('Sum');
  if (sum !== undefined) {
    const stated = readDecimal(sum);
    const scale = Math.max(stated.scale, ...bookings.map((booking) => knownCurrencyDecimals(booking.currency)));
    const actual = scaledSum(bookings, scale);
    if (rescale(stated, scale) !== actual)
      sum.fail(`the file says its ${what} sum to ${stated.text}, but they sum to ${scaledToDecimal(actual, scale)}`);
  }
}

interface Decimal {
  text: string;
  units: bigint;
  scale: number;
}

function readDecimal(element: XmlElement): Decimal {
  const text = element.text();
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return element.fail(`'${text}' is not a decimal number`);
  const fraction = match[2] ?? '';
  return { text, units: BigInt((match[1] ?? '') + fraction), scale: fraction.length };
}

function rescale(value: Decimal, scale: number): bigint {
  return value.units * 10n ** BigInt(scale - value.scale);
}

function scaledSum(bookings: Booking[], scale: number): bigint {
  return bookings.reduce((sum, booking) => sum + booking.amountMinor * 10n ** BigInt(scale - knownCurrencyDecimals(booking.currency)), 0n);
}

function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}

function refusal(problem: string, location: string): BankFileError {
  return new BankFileError(problem, location);
}

/** Drops the keys whose value is undefined, so a parsed entry carries only what the file said. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
