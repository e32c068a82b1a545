import { type Locale, localeTag } from '@drop/web-common';
import type { ReactNode } from 'react';
import { actorText, auditActionName, auditResourceName, useI18n } from './i18n.ts';
import { DataTable, LoadProblem, PageHead, RefreshControl } from './page.tsx';
import { useSession, useStaffData } from './session.ts';
import { fetchAuditLog } from './staff-api.ts';
import { shortId } from './Transfers.tsx';

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
          <DataTable
            className="table table-dense"
            testId="audit-table"
            empty={result.data.length === 0 && t.auditEmpty}
            columns={[{ label: t.colSeq, num: true }, t.colTime, t.colActor, t.colAction, t.colResource]}
          >
            {result.data.map((entry) => (
              <tr key={entry.seq} data-testid="audit-row">
                <td className="num align-right muted">{entry.seq}</td>
                <td className="num nowrap">{formatTimestamp(entry.timestamp, locale)}</td>
                <td data-testid="audit-actor" title={entry.actor || undefined}>
                  {entry.actor ? <AuditActor actor={entry.actor} name={entry.actorName} /> : '–'}
                </td>
                <td>
                  <span className="action-tag" title={entry.action} data-action={entry.action}>
                    {auditActionName(t, entry.action)}
                  </span>
                </td>
                <td>
                  {entry.resourceType || entry.resourceId ? (
                    <span className="resource">
                      <span className="cell-primary">{auditResourceName(t, entry.resourceType)}</span>
                      {entry.resourceName ? (
                        <span className="cell-secondary" title={entry.resourceId ?? undefined}>
                          {entry.resourceName}
                        </span>
                      ) : (
                        entry.resourceId && (
                          <code className="cell-secondary id" title={entry.resourceId}>
                            {shortId(entry.resourceId)}
                          </code>
                        )
                      )}
                    </span>
                  ) : (
                    <span className="muted">–</span>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        </section>
      )}
    </>
  );
}

/**
 * Who acted, in words. A database login (`db:drop_app_login`, written by a trigger when no person
 * was named) is a name, not a word to translate or a code, so it is marked translate="no".
 */
function AuditActor(props: { actor: string; name: string | null }): ReactNode {
  const { t } = useI18n();
  const text = actorText(t, props.actor, props.name);
  const role = props.actor.startsWith('db:') ? props.actor.slice(3) : '';
  const at = role ? text.lastIndexOf(role) : -1;
  if (props.name || at < 0) return text;
  return (
    <>
      {text.slice(0, at)}
      <span translate="no">{role}</span>
      {text.slice(at + role.length)}
    </>
  );
}
