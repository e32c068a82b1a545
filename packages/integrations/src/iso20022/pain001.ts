/**
 * Writes a SEPA credit transfer initiation (pain.001.001.09, the EPC's customer-to-bank rulebook
 * format): the file Drop uploads to its bank to pay euros out to recipients' accounts in the SEPA
 * area. One file holds one batch from one Drop account: a group header with the count and control
 * sum, one PmtInf (PmtMtd TRF, service level SEPA, charges SLEV, booked per transaction) and one
 * CdtTrfTxInf per payment.
 *
 * The bank rejects a whole file for one bad payment, and a rejected file delays every recipient in
 * it, so everything the EPC schema or rulebook would refuse is refused here first, with the field
 * named: non-euro amounts, empty batches, invalid IBANs and BICs, names over 70 characters and
 * remittance over 140 (never truncated: a shortened name can fail the recipient bank's check of
 * payee name against account, and a shortened reference can no longer be matched).
 */
import { XMLBuilder } from 'fast-xml-parser';
import { isBic, isIsoDate, isIsoDateTime, normalIban, textProblem } from './iso-fields.ts';
import { minorUnitsToDecimal } from './minor-units.ts';

export interface Pain001Payment {
  /** Drop's id for the payout; travels unchanged to the recipient's bank and back in camt files. */
  endToEndId: string;
  instructionId?: string;
  amountMinor: bigint;
  currency: 'EUR';
  creditor: {
    name: string;
    iban: string;
    /** Optional in SEPA (IBAN-only); when given, written as CdtrAgt. */
    bic?: string;
    /** ISO 3166 alpha-2 country of the creditor's address. */
    country: string;
    /** The creditor's town; the EPC rulebook requires it with the country for structured addresses from November 2026. */
    town?: string;
  };
  /** Unstructured remittance information (RmtInf/Ustrd), at most 140 characters. */
  remittance?: string;
}

export interface Pain001Input {
  messageId: string;
  /** ISO date-time, e.g. 2024-06-13T10:00:00+02:00. */
  createdAt: string;
  debtor: { name: string; iban: string; bic: string };
  /** YYYY-MM-DD */
  requestedExecutionDate: string;
  payments: Pain001Payment[];
}

const NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09';

/** SEPA's largest credit transfer: 999,999,999.99 EUR. */
const MAX_SEPA_AMOUNT_MINOR = 99_999_999_999n;

/**
 * The EPC's basic Latin set for references that travel end to end; they also may not start or end
 * with '/' nor contain '//'.
 */
const SEPA_REFERENCE = /^(?!\/)(?!.*\/\/)[A-Za-z0-9/\-?:().,'+ ]*[A-Za-z0-9\-?:().,'+ ]$/;

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, indentBy: '  ' });

export function buildPain001(input: Pain001Input): string {
  const debtorIban = checkParty(input);
  const payments = checkPayments(input.payments);
  const controlSum = minorUnitsToDecimal(
    payments.reduce((sum, payment) => sum + payment.amountMinor, 0n),
    'EUR',
  );
  const count = String(payments.length);
  const document = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    Document: {
      '@_xmlns': NAMESPACE,
      CstmrCdtTrfInitn: {
        GrpHdr: {
          MsgId: input.messageId,
          CreDtTm: input.createdAt,
          NbOfTxs: count,
          CtrlSum: controlSum,
          InitgPty: { Nm: input.debtor.name },
        },
        PmtInf: {
          PmtInfId: input.messageId,
          PmtMtd: 'TRF',
          BtchBookg: 'false',
          NbOfTxs: count,
          CtrlSum: controlSum,
          PmtTpInf: { SvcLvl: { Cd: 'SEPA' } },
          ReqdExctnDt: { Dt: input.requestedExecutionDate },
          Dbtr: { Nm: input.debtor.name },
          DbtrAcct: { Id: { IBAN: debtorIban } },
          DbtrAgt: { FinInstnId: { BICFI: input.debtor.bic } },
          ChrgBr: 'SLEV',
          CdtTrfTxInf: payments.map(transferElement),
        },
      },
    },
  };
  return `${builder.build(document).trimEnd()}\n`;
}

function refuse(problem: string): never {
  throw new Error(`pain.001 not built: ${problem}.`);
}

function checkParty(input: Pain001Input): string {
  checkReference(input.messageId, 'messageId');
  if (typeof input.createdAt !== 'string' || !isIsoDateTime(input.createdAt))
    refuse(`createdAt '${input.createdAt}' is not an ISO date-time`);
  if (typeof input.requestedExecutionDate !== 'string' || !isIsoDate(input.requestedExecutionDate)) {
    refuse(`requestedExecutionDate '${input.requestedExecutionDate}' is not a date (YYYY-MM-DD)`);
  }
  checkName(input.debtor?.name, 'debtor.name');
  const iban = normalIban(input.debtor.iban) ?? refuse(`debtor.iban '${input.debtor.iban}' is not a valid IBAN`);
  if (!isBic(input.debtor.bic)) refuse(`debtor.bic '${input.debtor.bic}' is not a valid BIC`);
  return iban;
}

function checkPayments(payments: Pain001Payment[]): Pain001Payment[] {
  if (!Array.isArray(payments) || payments.length === 0) refuse('the batch has no payments; a pain.001 needs at least one');
  const seen = new Set<string>();
  return payments.map((payment, i) => {
    const field = `payments[${i}]`;
    checkReference(payment.endToEndId, `${field}.endToEndId`);
    if (seen.has(payment.endToEndId)) refuse(`${field}.endToEndId '${payment.endToEndId}' appears twice; each payment needs its own`);
    seen.add(payment.endToEndId);
    if (payment.instructionId !== undefined) checkReference(payment.instructionId, `${field}.instructionId`);
    if (payment.currency !== 'EUR') refuse(`${field} is in ${String(payment.currency)}; a SEPA credit transfer is in EUR only`);
    if (typeof payment.amountMinor !== 'bigint' || payment.amountMinor <= 0n) refuse(`${field}.amountMinor must be a positive bigint`);
    if (payment.amountMinor > MAX_SEPA_AMOUNT_MINOR) refuse(`${field}.amountMinor is more than SEPA's 999999999.99 EUR`);
    checkName(payment.creditor?.name, `${field}.creditor.name`);
    const iban = normalIban(payment.creditor.iban) ?? refuse(`${field}.creditor.iban '${payment.creditor.iban}' is not a valid IBAN`);
    if (payment.creditor.bic !== undefined && !isBic(payment.creditor.bic))
      refuse(`${field}.creditor.bic '${payment.creditor.bic}' is not a valid BIC`);
    if (typeof payment.creditor.country !== 'string' || !/^[A-Z]{2}$/.test(payment.creditor.country)) {
      refuse(`${field}.creditor.country '${payment.creditor.country}' is not an ISO 3166 alpha-2 code`);
    }
    if (payment.creditor.town !== undefined) checkText(payment.creditor.town, 35, `${field}.creditor.town`);
    if (payment.remittance !== undefined) checkText(payment.remittance, 140, `${field}.remittance`);
    return { ...payment, creditor: { ...payment.creditor, iban } };
  });
}

function checkReference(value: unknown, field: string): void {
  checkText(value, 35, field);
  if (!SEPA_REFERENCE.test(value as string)) {
    refuse(
      `${field} '${value}' uses characters outside the SEPA set (A-Z a-z 0-9 / - ? : ( ) . , ' + space) or starts, ends or doubles '/'`,
    );
  }
}

function checkName(value: unknown, field: string): void {
  checkText(value, 70, field);
}

function checkText(value: unknown, maxLength: number, field: string): void {
  const problem = textProblem(value, maxLength);
  if (problem) refuse(`${field} ${problem}`);
}

function transferElement(payment: Pain001Payment): object {
  const { creditor } = payment;
  return {
    PmtId: { ...(payment.instructionId === undefined ? {} : { InstrId: payment.instructionId }), EndToEndId: payment.endToEndId },
    Amt: { InstdAmt: { '#text': minorUnitsToDecimal(payment.amountMinor, 'EUR'), '@_Ccy': 'EUR' } },
    ...(creditor.bic === undefined ? {} : { CdtrAgt: { FinInstnId: { BICFI: creditor.bic } } }),
    Cdtr: { Nm: creditor.name, PstlAdr: { ...(creditor.town === undefined ? {} : { TwnNm: creditor.town }), Ctry: creditor.country } },
    CdtrAcct: { Id: { IBAN: creditor.iban } },
    ...(payment.remittance === undefined ? {} : { RmtInf: { Ustrd: payment.remittance } }),
  };
}
