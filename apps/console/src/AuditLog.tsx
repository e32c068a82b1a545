import { type Locale, localeTag } from '@drop/web-common';
import type { ReactNode } from 'react';
import { useI18n } from './i18n.ts';
import { EmptyRow, LoadProblem, PageHead, RefreshControl } from './page.tsx';
import { useSession, useStaffData } from './session.ts';
import { fetchAuditLog } from './staff-api.ts';

const load = (signal: AbortSignal) => fetchAuditLog(50, signal);

/** Audit times to the second. */
function formatTimestamp(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(localeTag(locale), { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(iso));
}

export function AuditLog(): ReactNode {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const { result, reloading, reload } = useStaffData(['audit-log'], load);

  return (
    <>
      <PageHead
        title={t.sections.auditLog}
        lead={
          <>
            {t.auditLead} {t.auditVerify} <code>npm run drop -- audit verify</code>.
          </>
        }
      >
        <RefreshControl result={result} reloading={reloading} reload={reload} />
      </PageHead>
      {result.state !== 'ok' ? (
        <LoadProblem result={result} retry={reload} role={t.roles[me.role]} />
      ) : (
        <section className="card" aria-label={t.sections.auditLog}>
          <div className="table-wrap">
            <table className="table table-dense" data-testid="audit-table">
              <thead>
                <tr>
                  <th scope="col" className="align-right">
                    {t.colSeq}
                  </th>
                  <th scope="col">{t.colTime}</th>
                  <th scope="col">{t.colActor}</th>
                  <th scope="col">{t.colAction}</th>
                  <th scope="col">{t.colResource}</th>
                </tr>
              </thead>
              <tbody>
                {result.data.length === 0 && <EmptyRow columns={5}>{t.auditEmpty}</EmptyRow>}
                {result.data.map((entry) => (
                  <tr key={entry.seq} data-testid="audit-row">
                    <td className="num align-right muted">{entry.seq}</td>
                    <td className="num nowrap">{formatTimestamp(entry.timestamp, locale)}</td>
                    <td>
                      <code className="id">{entry.actor || '–'}</code>
                    </td>
                    <td>
                      <span className="action-tag">{entry.action}</span>
                    </td>
                    <td>
                      {entry.resourceType || entry.resourceId ? (
                        <span className="resource">
                          <span className="cell-primary">{entry.resourceType ?? '–'}</span>
                          {entry.resourceId && <code className="cell-secondary">{entry.resourceId}</code>}
                        </span>
                      ) : (
                        <span className="muted">–</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </>
  );
}
