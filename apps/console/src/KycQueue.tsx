import { formatDateTime, formatUptime } from '@drop/web-common';
import { AppLink } from '@drop/web-common/routing';
import type { ReactNode } from 'react';
import { useI18n } from './i18n.ts';
import { DataTable, LoadProblem, OpenButton, PageHead, RefreshControl } from './page.tsx';
import { pathFor } from './routes.ts';
import { useSession, useStaffData } from './session.ts';
import { fetchKycQueue, type KycCase } from './staff-api.ts';
import { shortId } from './Transfers.tsx';
import { Badge, ClockIcon } from './ui.tsx';

export function kycTone(status: string): 'neutral' | 'info' | 'ok' | 'warn' | 'danger' {
  if (status === 'approved') return 'ok';
  if (status === 'pending') return 'info';
  if (status === 'rejected') return 'danger';
  if (status === 'retry' || status === 'on_hold') return 'warn';
  return 'neutral';
}

/** Name over email, or the best that is known; the name links somewhere when `link` is given. */
export function CustomerCell(props: { name: string | null; email: string | null; href?: string }): ReactNode {
  const { t } = useI18n();
  const primary = props.name ?? props.email ?? t.noName;
  return (
    <div className="cell-stack">
      {props.href ? (
        <AppLink to={props.href} className="cell-primary cell-link">
          {primary}
        </AppLink>
      ) : (
        <span className="cell-primary">{primary}</span>
      )}
      {props.name !== null && <span className="cell-secondary">{props.email ?? t.noEmail}</span>}
    </div>
  );
}

function KycSummary(props: { cases: KycCase[] }): ReactNode {
  const { t, locale } = useI18n();
  const overdue = props.cases.filter((item) => item.overdue).length;
  const longest = Math.max(0, ...props.cases.map((item) => item.waitingHours));
  return (
    <div className="stat-strip">
      <div className="stat">
        <span className="stat-label">{t.kycWaiting}</span>
        <span className="stat-value" data-testid="kyc-count">
          {props.cases.length}
        </span>
      </div>
      <div className={overdue > 0 ? 'stat stat-alert' : 'stat'}>
        <span className="stat-label">{t.kycOverdue}</span>
        <span className="stat-value" data-testid="kyc-overdue-count">
          {overdue}
        </span>
      </div>
      <div className="stat">
        <span className="stat-label">{t.kycLongest}</span>
        <span className="stat-value stat-value-text">{props.cases.length ? formatUptime(longest * 3600, locale) : '–'}</span>
      </div>
    </div>
  );
}

export function KycQueue(): ReactNode {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const { result, reloading, reload } = useStaffData(['kyc-queue'], fetchKycQueue);

  return (
    <>
      <PageHead title={t.sections.kyc} lead={t.kycLead}>
        <RefreshControl result={result} reloading={reloading} reload={reload} />
      </PageHead>
      {result.state !== 'ok' ? (
        <LoadProblem result={result} retry={reload} role={t.roles[me.role]} />
      ) : (
        <>
          <KycSummary cases={result.data} />
          <section className="card" aria-label={t.sections.kyc}>
            <DataTable
              testId="kyc-table"
              empty={result.data.length === 0 && t.kycEmpty}
              columns={[t.colCustomer, t.colCustomerId, t.colKyc, t.colRegistered, t.colWaiting, { label: t.colActions, hidden: true }]}
            >
              {result.data.map((item) => {
                const href = pathFor('kycCase', '', item.id);
                return (
                  <tr key={item.id} data-testid="kyc-row" data-overdue={item.overdue} data-customer-id={item.id}>
                    <td>
                      <CustomerCell name={item.name} email={item.email} href={href} />
                    </td>
                    <td>
                      <code className="id" title={item.id}>
                        {shortId(item.id)}
                      </code>
                    </td>
                    <td>
                      <Badge tone={kycTone(item.kycStatus)}>{t.kycStatus[item.kycStatus] ?? item.kycStatus}</Badge>
                    </td>
                    <td className="num">{formatDateTime(new Date(item.createdAt), locale)}</td>
                    <td>
                      <span className="waiting">
                        <span className="num">{formatUptime(item.waitingHours * 3600, locale)}</span>
                        {item.overdue && (
                          <Badge tone="danger" testId="overdue-badge">
                            <ClockIcon />
                            {t.overdue}
                          </Badge>
                        )}
                      </span>
                    </td>
                    <td className="align-right">
                      <OpenButton to={href} label={t.kycOpenCase} name={item.name ?? item.email ?? item.id} testId="open-case" />
                    </td>
                  </tr>
                );
              })}
            </DataTable>
          </section>
        </>
      )}
    </>
  );
}
