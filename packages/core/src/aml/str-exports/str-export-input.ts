/**
 * What every STR export renders from, and what it gives back. The renderers are pure: the caller
 * (the STR routes, `drop str export`) reads the stored `StrDocument` and Drop's reporter settings,
 * and decides what to do with the file (download, attach, submit).
 */
import type { StrDocument, StrReporter } from '@drop/contracts';

export interface StrExportInput {
  document: StrDocument;
  reporter: StrReporter;
  /** When the report is (or was) submitted: goAML's submission_date, the date on the Altinn text and the UD letter. */
  submittedAt: Date;
  /** The FIU's or Altinn's receipt reference once filed (`str_reports.filing_reference`), shown when known. */
  filingReference?: string | null;
}

export interface StrExportFile {
  fileName: string;
  contentType: string;
  body: string;
}
