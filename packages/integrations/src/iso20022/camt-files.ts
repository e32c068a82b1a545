/**
 * Writes camt.054.001.08 notifications and camt.053.001.08 statements the way a Norwegian bank
 * does (DNB and Nordea publish the same shape): one Ntfctn or Stmt per file, entries booked (BOOK)
 * with the bank's reference in AcctSvcrRef, one TxDtls per entry, the KID as a SCOR creditor
 * reference, the payer in RltdPties. They feed tests, demos and the local bank simulator, so what
 * they write reads back through parseCamt to the same entries, and the statements pass the
 * official camt.053.001.08 schema.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { isIsoDate, isIsoDateTime, normalIban, textProblem } from './iso-fields.ts';
import { AmountProblem, knownCurrencyDecimals, minorUnitsToDecimal, scaledToDecimal } from './minor-units.ts';

export interface CamtEntryInput {
  /** The bank's reference for the booking, written as AcctSvcrRef (what parseCamt reads back as `reference`). */
  reference: string;
  creditDebit: 'CRDT' | 'DBIT';
  amountMinor: bigint;
  currency: string;
  bookingDate: string;
  valueDate?: string;
  kid?: string;
  unstructured?: string;
  debtorName?: string;
  /** An IBAN, or another account number such as a Norwegian BBAN. */
  debtorAccount?: string;
  /** Who a debit paid (a refund's payee), and their account. */
  creditorName?: string;
  creditorAccount?: string;
  endToEndId?: string;
  reversal?: boolean;
  /** ISO external return reason code, e.g. AC04 (account closed). */
  returnReason?: string;
}

export interface Camt054Input {
  messageId: string;
  /** ISO date-time, e.g. 2024-06-12T09:30:15+02:00. */
  createdAt: string;
  account: { iban: string; currency?: string };
  entries: CamtEntryInput[];
}

export interface Camt053Input extends Camt054Input {
  statementId: string;
  /** The booked balance before the first entry, in the statement currency (negative when overdrawn); 0 if not given. */
  openingBalanceMinor?: bigint;
}

const NAMESPACE_054 = 'urn:iso:std:iso:20022:tech:xsd:camt.054.001.08';
const NAMESPACE_053 = 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.08';

/** EPC and Nordic guides write this where the payer gave no end-to-end id; parseCamt reads it as none. */
const NO_END_TO_END_ID = 'NOTPROVIDED';

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, indentBy: '  ' });

export function buildCamt054(input: Camt054Input): string {
  const refuse = refusal('camt.054');
  const header = checkHeader(input, refuse);
  const entries = input.entries.map((entry, i) => checkEntry(entry, `entries[${i}]`, refuse));
  return write(NAMESPACE_054, 'BkToCstmrDbtCdtNtfctn', 'Ntfctn', {
    GrpHdr: { MsgId: header.messageId, CreDtTm: header.createdAt },
    report: {
      Id: header.messageId,
      CreDtTm: header.createdAt,
      Acct: account(header.iban, input.account.currency),
      TxsSummry: summary(entries),
      ...(entries.length > 0 ? { Ntry: entries.map(entryElement) } : {}),
    },
  });
}

export function buildCamt053(input: Camt053Input): string {
  const refuse = refusal('camt.053');
  const header = checkHeader(input, refuse);
  const statementIdProblem = textProblem(input.statementId, 35);
  if (statementIdProblem) refuse(`statementId ${statementIdProblem}`);
  const entries = input.entries.map((entry, i) => checkEntry(entry, `entries[${i}]`, refuse));

  // A statement balances one account in one currency; its balances are written in that currency.
  const currency = input.account.currency ?? entries[0]?.currency ?? refuse('a statement without entries needs account.currency');
  checkCurrency(currency, 'account.currency', refuse);
  const foreign = entries.findIndex((entry) => entry.currency !== currency);
  if (foreign !== -1) refuse(`entries[${foreign}] is in ${entries[foreign]?.currency}, but the statement is in ${currency}`);
  const opening = input.openingBalanceMinor ?? 0n;
  if (typeof opening !== 'bigint') refuse('openingBalanceMinor is not a bigint');
  const closing = opening + net(entries);

  const days = entries.map((entry) => entry.bookingDate).sort();
  const firstDay = days[0] ?? header.createdAt.slice(0, 10);
  const lastDay = days.at(-1) ?? firstDay;
  return write(NAMESPACE_053, 'BkToCstmrStmt', 'Stmt', {
    GrpHdr: { MsgId: header.messageId, CreDtTm: header.createdAt },
    report: {
      Id: input.statementId,
      CreDtTm: header.createdAt,
      FrToDt: { FrDtTm: `${firstDay}T00:00:00`, ToDtTm: `${lastDay}T23:59:59` },
      Acct: account(header.iban, currency),
      Bal: [balance('OPBD', opening, currency, firstDay), balance('CLBD', closing, currency, lastDay)],
      TxsSummry: summary(entries),
      ...(entries.length > 0 ? { Ntry: entries.map(entryElement) } : {}),
    },
  });
}

type Refuse = (problem: string) => never;

function refusal(kind: string): Refuse {
  return (problem) => {
    throw new Error(`${kind} not built: ${problem}.`);
  };
}

function checkHeader(input: Camt054Input, refuse: Refuse): { messageId: string; createdAt: string; iban: string } {
  const messageIdProblem = textProblem(input.messageId, 35);
  if (messageIdProblem) refuse(`messageId ${messageIdProblem}`);
  if (typeof input.createdAt !== 'string' || !isIsoDateTime(input.createdAt))
    refuse(`createdAt '${input.createdAt}' is not an ISO date-time`);
  const iban = normalIban(input.account?.iban) ?? refuse(`account.iban '${input.account?.iban}' is not a valid IBAN`);
  if (input.account.currency !== undefined) checkCurrency(input.account.currency, 'account.currency', refuse);
  if (!Array.isArray(input.entries)) refuse('entries is not a list');
  return { messageId: input.messageId, createdAt: input.createdAt, iban };
}

function checkEntry(entry: CamtEntryInput, field: string, refuse: Refuse): CamtEntryInput {
  const texts: [keyof CamtEntryInput, number][] = [
    ['reference', 35],
    ['kid', 35],
    ['unstructured', 140],
    ['debtorName', 140],
    ['debtorAccount', 34],
    ['creditorName', 140],
    ['creditorAccount', 34],
    ['endToEndId', 35],
    ['returnReason', 4],
  ];
  for (const [name, maxLength] of texts) {
    if (name !== 'reference' && entry[name] === undefined) continue;
    const problem = textProblem(entry[name], maxLength);
    if (problem) refuse(`${field}.${name} ${problem}`);
  }
  if (entry.endToEndId === NO_END_TO_END_ID) refuse(`${field}.endToEndId is ${NO_END_TO_END_ID}, which means none; leave it out instead`);
  if (entry.creditDebit !== 'CRDT' && entry.creditDebit !== 'DBIT') refuse(`${field}.creditDebit is not CRDT or DBIT`);
  if (typeof entry.amountMinor !== 'bigint' || entry.amountMinor <= 0n) refuse(`${field}.amountMinor must be a positive bigint`);
  checkCurrency(entry.currency, `${field}.currency`, refuse);
  if (!isIsoDate(entry.bookingDate)) refuse(`${field}.bookingDate '${entry.bookingDate}' is not a date (YYYY-MM-DD)`);
  if (entry.valueDate !== undefined && !isIsoDate(entry.valueDate))
    refuse(`${field}.valueDate '${entry.valueDate}' is not a date (YYYY-MM-DD)`);
  if (entry.reversal !== undefined && typeof entry.reversal !== 'boolean') refuse(`${field}.reversal is not a boolean`);
  if (entry.debtorAccount !== undefined && looksLikeIban(entry.debtorAccount) && normalIban(entry.debtorAccount) !== entry.debtorAccount) {
    refuse(`${field}.debtorAccount '${entry.debtorAccount}' looks like an IBAN but is not a valid one in electronic form`);
  }
  return entry;
}

function checkCurrency(currency: unknown, field: string, refuse: Refuse): void {
  if (typeof currency !== 'string') refuse(`${field} is not a currency code`);
  try {
    knownCurrencyDecimals(currency);
  } catch (error) {
    if (error instanceof AmountProblem) refuse(`${field}: ${error.message}`);
    throw error;
  }
}

function looksLikeIban(account: string): boolean {
  return /^[A-Z]{2}\d{2}/.test(account);
}

function write(namespace: string, message: string, reportElement: string, parts: { GrpHdr: object; report: object }): string {
  const document = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    Document: { '@_xmlns': namespace, [message]: { GrpHdr: parts.GrpHdr, [reportElement]: parts.report } },
  };
  return `${builder.build(document).trimEnd()}\n`;
}

function account(iban: string, currency: string | undefined): object {
  return { Id: { IBAN: iban }, ...(currency === undefined ? {} : { Ccy: currency }) };
}

function amount(amountMinor: bigint, currency: string): object {
  return { '#text': minorUnitsToDecimal(amountMinor, currency), '@_Ccy': currency };
}

function balance(code: 'OPBD' | 'CLBD', amountMinor: bigint, currency: string, day: string): object {
  return {
    Tp: { CdOrPrtry: { Cd: code } },
    Amt: amount(amountMinor < 0n ? -amountMinor : amountMinor, currency),
    CdtDbtInd: amountMinor < 0n ? 'DBIT' : 'CRDT',
    Dt: { Dt: day },
  };
}

function net(entries: CamtEntryInput[]): bigint {
  return entries.reduce((sum, entry) => sum + (entry.creditDebit === 'CRDT' ? entry.amountMinor : -entry.amountMinor), 0n);
}

/** TxsSummry's sums are "irrespective of currencies", so they are written at the finest scale among the entries. */
function summary(entries: CamtEntryInput[]): object {
  const scale = Math.max(0, ...entries.map((entry) => knownCurrencyDecimals(entry.currency)));
  const scaled = (entry: CamtEntryInput) => entry.amountMinor * 10n ** BigInt(scale - knownCurrencyDecimals(entry.currency));
  const total = (list: CamtEntryInput[]) =>
    scaledToDecimal(
      list.reduce((sum, entry) => sum + scaled(entry), 0n),
      scale,
    );
  const credits = entries.filter((entry) => entry.creditDebit === 'CRDT');
  const debits = entries.filter((entry) => entry.creditDebit === 'DBIT');
  const netScaled = credits.reduce((sum, entry) => sum + scaled(entry), 0n) - debits.reduce((sum, entry) => sum + scaled(entry), 0n);
  return {
    TtlNtries: {
      NbOfNtries: String(entries.length),
      Sum: total(entries),
      TtlNetNtry: { Amt: scaledToDecimal(netScaled < 0n ? -netScaled : netScaled, scale), CdtDbtInd: netScaled < 0n ? 'DBIT' : 'CRDT' },
    },
    TtlCdtNtries: { NbOfNtries: String(credits.length), Sum: total(credits) },
    TtlDbtNtries: { NbOfNtries: String(debits.length), Sum: total(debits) },
  };
}

/**
 * Bank transaction codes as Norwegian banks book them: PMNT/RCDT/DMCT for a domestic credit
 * transfer received, PMNT/ICDT/DMCT for one sent, RRTN in place of DMCT when it came back.
 */
function transactionCode(entry: CamtEntryInput): object {
  const received = (entry.creditDebit === 'CRDT') !== (entry.returnReason !== undefined);
  return { Domn: { Cd: 'PMNT', Fmly: { Cd: received ? 'RCDT' : 'ICDT', SubFmlyCd: entry.returnReason === undefined ? 'DMCT' : 'RRTN' } } };
}

function entryElement(entry: CamtEntryInput): object {
  const parties = {
    ...(entry.debtorName === undefined ? {} : { Dbtr: { Pty: { Nm: entry.debtorName } } }),
    ...(entry.debtorAccount === undefined ? {} : { DbtrAcct: { Id: accountId(entry.debtorAccount) } }),
    ...(entry.creditorName === undefined ? {} : { Cdtr: { Pty: { Nm: entry.creditorName } } }),
    ...(entry.creditorAccount === undefined ? {} : { CdtrAcct: { Id: accountId(entry.creditorAccount) } }),
  };
  const remittance = {
    ...(entry.unstructured === undefined ? {} : { Ustrd: entry.unstructured }),
    ...(entry.kid === undefined ? {} : { Strd: { CdtrRefInf: { Tp: { CdOrPrtry: { Cd: 'SCOR' } }, Ref: entry.kid } } }),
  };
  return {
    Amt: amount(entry.amountMinor, entry.currency),
    CdtDbtInd: entry.creditDebit,
    ...(entry.reversal ? { RvslInd: 'true' } : {}),
    Sts: { Cd: 'BOOK' },
    BookgDt: { Dt: entry.bookingDate },
    ...(entry.valueDate === undefined ? {} : { ValDt: { Dt: entry.valueDate } }),
    AcctSvcrRef: entry.reference,
    BkTxCd: transactionCode(entry),
    NtryDtls: {
      TxDtls: {
        Refs: { AcctSvcrRef: entry.reference, EndToEndId: entry.endToEndId ?? NO_END_TO_END_ID },
        Amt: amount(entry.amountMinor, entry.currency),
        CdtDbtInd: entry.creditDebit,
        ...(Object.keys(parties).length > 0 ? { RltdPties: parties } : {}),
        ...(Object.keys(remittance).length > 0 ? { RmtInf: remittance } : {}),
        ...(entry.returnReason === undefined ? {} : { RtrInf: { Rsn: { Cd: entry.returnReason } } }),
      },
    },
  };
}

/** IBAN when it is one, else Othr/Id with scheme BBAN (how Norwegian banks report domestic account numbers). */
function accountId(accountNumber: string): object {
  return looksLikeIban(accountNumber) ? { IBAN: accountNumber } : { Othr: { Id: accountNumber, SchmeNm: { Cd: 'BBAN' } } };
}
