import type { BankFile } from './bank-file.ts';

/**
 * The port the bank-file import reads files through: bytes as the bank delivered them → core's
 * view of the file (`BankFile`). A file is taken whole or not at all: a parser never returns a
 * partial result, and refuses a malformed or truncated file by throwing BankFileError. The ISO
 * 20022 camt.053/camt.054 parser in @drop/integrations (`camtBankFileParser`) implements it.
 */
export interface BankFileParser {
  parse(bytes: Uint8Array): BankFile;
}

/**
 * Why a bank file was refused. One error names the first problem found: `problem` in plain
 * English, `location` as the element path and line where the file says so
 * (`Document/BkToCstmrStmt/Stmt[1]/Ntry[3]/Amt, line 57`).
 */
export class BankFileError extends Error {
  readonly problem: string;
  readonly location: string | undefined;

  constructor(problem: string, location?: string) {
    super(location === undefined ? `Bank file refused: ${problem}.` : `Bank file refused: ${problem} (at ${location}).`);
    this.name = 'BankFileError';
    this.problem = problem;
    this.location = location;
  }
}
