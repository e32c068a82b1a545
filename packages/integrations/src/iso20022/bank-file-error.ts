/**
 * Why a bank file was refused. Drop refuses a bank file as a whole (never a partial result), so
 * one error names the first problem found: `problem` in plain English, `location` as the element
 * path and line where the file says so (`Document/BkToCstmrStmt/Stmt[1]/Ntry[3]/Amt, line 57`).
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
