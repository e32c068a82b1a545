import { createHash } from 'node:crypto';
import type { Db } from '@drop/db';
import { DomainError } from '../errors.ts';
import type { BankFile } from './bank-file.ts';
import { BankFileError, type BankFileParser } from './bank-file-parser.ts';
import { type BankImportSummary, importBankFile } from './import-bank-file.ts';
import type { KidFormat } from './kid.ts';

export interface ImportBankStatementInput {
  bytes: Uint8Array;
  fileName?: string | undefined;
  importedBy: string;
  /**
   * Drop's client account and KID format; `sepaAccountIban` is Drop's EUR account (SEPA payouts),
   * whose statements settle those payouts. Without it only the client account's files are taken.
   */
  payIn: { account: string; kid: KidFormat; lateToleranceDays: number; sepaAccountIban?: string | undefined };
}

/**
 * A bank statement or notification file as the bank delivered it → parsed by the parser port
 * (refused whole, BANK_FILE_INVALID with the problem named, when it is malformed or truncated) →
 * imported (importBankFile). The one path for the console upload and `drop payments import`.
 */
export async function importBankStatement(db: Db, parser: BankFileParser, input: ImportBankStatementInput): Promise<BankImportSummary> {
  let file: BankFile;
  try {
    file = parser.parse(input.bytes);
  } catch (error) {
    if (error instanceof BankFileError) {
      throw new DomainError('BANK_FILE_INVALID', `${error.message} Nothing from the file was imported.`, {
        problem: error.problem,
        ...(error.location ? { location: error.location } : {}),
      });
    }
    throw error;
  }
  return importBankFile(db, {
    file,
    sha256: createHash('sha256').update(input.bytes).digest(),
    fileName: input.fileName,
    importedBy: input.importedBy,
    payInAccount: input.payIn.account,
    kidFormat: input.payIn.kid,
    lateToleranceDays: input.payIn.lateToleranceDays,
    sepaAccountIban: input.payIn.sepaAccountIban,
  });
}
