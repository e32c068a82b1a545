import { createHash } from 'node:crypto';
import { type BankImportSummary, DomainError, importBankFile, type KidFormat } from '@drop/core';
import type { Db } from '@drop/db';
import { BankFileError, parseCamt } from '../iso20022/camt.ts';

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
 * A camt.053 or camt.054 file as the bank delivered it → parsed (refused whole, with the problem
 * named, when it is malformed or truncated) → imported (core's importBankFile). The one path for
 * the console upload and `drop payments import`.
 */
export async function importBankStatement(db: Db, input: ImportBankStatementInput): Promise<BankImportSummary> {
  let file: ReturnType<typeof parseCamt>;
  try {
    file = parseCamt(input.bytes);
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
