import type { StrExportFormat } from '@drop/contracts';
import type { Db } from '@drop/db';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import { DomainError } from '../../errors.ts';
import type { NationalIdProtector } from '../../identity/national-id.ts';
import { renderStrExport } from '../str-exports/render-str-export.ts';
import type { StrExportFile } from '../str-exports/str-export-input.ts';
import { buildStrReporter, type ReportingEntitySettings } from './build-str-reporter.ts';
import { getStr } from './get-str.ts';

/**
 * An approved or filed STR as a file for its channel (goAML XML, the Altinn MT-0002 content, or
 * for a sanctions hit the notice to UD), rendered by `renderStrExport` from the stored document
 * and the reporter: Drop from settings, and as the reporting person the staff member who filed it
 * (or, before filing, the one exporting it, who is about to). A draft or an STR awaiting approval
 * is not exported (CONFLICT: a second person has not approved it yet); a row the runbook INSERTed
 * has no document (STR_EXPORT_NOT_APPLICABLE). Each export is audited: it carries personal data out.
 */
export async function exportStr(
  db: Db,
  input: { id: string; format: StrExportFormat; actor: string; entity: ReportingEntitySettings; nationalIds: NationalIdProtector },
): Promise<StrExportFile> {
  const str = await getStr(db, input.id, input.nationalIds);
  if (str.status !== 'approved' && str.status !== 'filed') {
    throw new DomainError('CONFLICT', 'Only an approved or filed STR is exported: a second person must approve it first.', {
      status: str.status,
    });
  }
  if (!str.document) {
    throw new DomainError(
      'STR_EXPORT_NOT_APPLICABLE',
      'This STR was filed by the runbook: it has only a reason and an amount, no document.',
      {
        format: input.format,
        reference: str.reference,
      },
    );
  }
  const staffId = str.filedBy?.id.startsWith('stf_') ? str.filedBy.id : input.actor;
  if (!staffId.startsWith('stf_')) {
    throw new DomainError('VALIDATION_FAILED', 'Name the staff member who files it: the report names them as the reporting person.');
  }
  const reporter = await buildStrReporter(db, { entity: input.entity, staffId });
  const file = renderStrExport(input.format, {
    document: str.document,
    reporter,
    submittedAt: new Date(str.filedAt ?? Date.now()),
    filingReference: str.filingReference,
  });
  await recordAuditEvent(db, {
    action: 'str_exported',
    resourceType: 'str_report',
    resourceId: str.id,
    actor: input.actor,
    details: { reference: str.reference, format: input.format, status: str.status, fileName: file.fileName },
  });
  return file;
}
