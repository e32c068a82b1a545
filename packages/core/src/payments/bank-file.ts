/**
 * What core needs from a bank file: the bank-to-customer reports (camt.053 statements and camt.054
 * notifications). The ISO 20022 parser in @drop/integrations produces exactly this (its
 * ParsedBankFile extends BankFile), so core does not depend on the parser.
 */
export interface BankFile {
  kind: 'camt.053' | 'camt.054';
  messageId: string;
  reports: BankReport[];
}

/** One Stmt (camt.053) or Ntfctn (camt.054): the entries on one account. */
export interface BankReport {
  id: string;
  account: { iban?: string; other?: string; currency?: string };
  entries: BankEntry[];
}

export interface BankEntry {
  /**
   * The booking's identity across files: the bank's `AcctSvcrRef` when it gives one (a camt.054
   * notification and the next camt.053 statement then name the same booking alike), else the
   * entry reference qualified by its report's id; each of an entry's several TxDtls gets `:n`.
   */
  reference: string;
  creditDebit: 'CRDT' | 'DBIT';
  reversal: boolean;
  /** BOOK (booked), PDNG (pending), INFO. Only booked entries move money. */
  status: string;
  /** The transaction's amount in minor units: TxDtls/Amt (or AmtDtls/TxAmt) when present, else the entry's Amt. */
  amountMinor: bigint;
  currency: string;
  /** YYYY-MM-DD, from Dt or the date part of DtTm. */
  bookingDate?: string;
  valueDate?: string;
  /** RmtInf/Strd/CdtrRefInf/Ref: where Norwegian banks put the KID (CdOrPrtry/Cd SCOR). */
  kid?: string;
  /** RmtInf/Ustrd, several joined with a space. */
  unstructured?: string;
  endToEndId?: string;
  accountServicerReference?: string;
  debtor?: { name?: string; account?: string };
  creditor?: { name?: string; account?: string };
  /** RtrInf/Rsn/Cd (or Prtry), on a payment that came back. */
  returnReason?: string;
}

/** Norwegian IBAN (NOkk + 11-digit account) or plain account number → the 11 digits. */
export function norwegianAccountOf(account: { iban?: string; other?: string }): string | undefined {
  const iban = account.iban?.replace(/\s/g, '').toUpperCase();
  if (iban && /^NO\d{13}$/.test(iban)) return iban.slice(4);
  const other = account.other?.replace(/[\s.]/g, '');
  if (other && /^\d{11}$/.test(other)) return other;
  return undefined;
}
