/**
 * What core needs from a bank file: the bank-to-customer reports (camt.053 statements and camt.054
 * notifications) as the ISO 20022 parser in @drop/integrations produces them. Declared here so
 * core does not depend on the parser; the parser's output has this shape.
 */
export interface BankFile {
  kind: 'camt.053' | 'camt.054';
  messageId: string;
  reports: BankReport[];
}

export interface BankReport {
  id: string;
  account: { iban?: string; other?: string; currency?: string };
  entries: BankEntry[];
}

export interface BankEntry {
  /** The bank's reference for the booking: the same booking in two files has the same one. */
  reference: string;
  creditDebit: 'CRDT' | 'DBIT';
  reversal: boolean;
  /** BOOK (booked), PDNG (pending), INFO. Only booked entries move money. */
  status: string;
  amountMinor: bigint;
  currency: string;
  bookingDate?: string;
  valueDate?: string;
  kid?: string;
  unstructured?: string;
  endToEndId?: string;
  accountServicerReference?: string;
  debtor?: { name?: string; account?: string };
  creditor?: { name?: string; account?: string };
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
