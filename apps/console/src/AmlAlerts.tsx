import { formatMoney } from '@drop/contracts';
import type { Locale } from '@drop/web-common';
import { AppLink } from '@drop/web-common/routing';
import { type ReactNode, useState } from 'react';
import { useI18n } from './i18n.ts';
import { DataTable, LoadProblem, OpenButton, PageHead, RefreshControl, SystemReason, WhenCell } from './page.tsx';
import { pathFor } from './routes.ts';
import { useSession, useStaffData } from './session.ts';
import { ALERT_SEVERITIES, type AlertSeverity, type AlertStatus, fetchAmlAlerts } from './staff-api.ts';
import { TransferStatusBadge } from './Transfers.tsx';
import { Badge } from './ui.tsx';

const SEVERITY_TONE: Record<AlertSeverity, 'critical' | 'danger' | 'warn' | 'neutral'> = {
  critical: 'critical',
  high: 'danger',
  medium: 'warn',
  low: 'neutral',
};

/** "tx_01M8…C650P5": a prefixed ULID shortened in the middle (its start is only the time); the full ID is in the tooltip. */
function shortId(id: string): string {
  const prefix = id.indexOf('_') + 1;
  return id.length - prefix > 14 ? `${id.slice(0, prefix + 4)}…${id.slice(-6)}` : id;
}

/** The queue (open, runbook 7.1) first, then the closed ones, then both. */
const STATUS_FILTERS: Array<AlertStatus | 'all'> = ['open', 'closed', 'all'];

/** Most severe first, for the filter. */
const SEVERITY_ORDER: AlertSeverity[] = [...ALERT_SEVERITIES].reverse();

/** "75 000,00 kr": an amount the API sends as a decimal string, formatted without going through a float. */
/** An API amount in its currency, as every Drop app shows it (contracts' formatMoney). */
export function formatAmount(amount: string, currency: string, locale: Locale): string {
  return formatMoney(amount, currency, locale);
}

export function SeverityBadge(props: { severity: AlertSeverity }): ReactNode {
  const { t } = useI18n();
  return (
    <Badge tone={SEVERITY_TONE[props.severity]} testId="severity">
      <span className="badge-dot" aria-hidden="true" />
      {t.severity[props.severity]}
    </Badge>
  );
}

export function AmlAlerts(): ReactNode {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const [status, setStatus] = useState<AlertStatus | 'all'>('open');
  const { result, reloading, reload } = useStaffData(['aml-alerts', status], (signal) => fetchAmlAlerts(status, signal));
  const [filter, setFilter] = useState<AlertSeverity | 'all'>('all');
  const now = new Date();

  const alerts = result.state === 'ok' ? result.data : [];
  const shown = filter === 'all' ? alerts : alerts.filter((alert) => alert.severity === filter);

  return (
    <>
      <PageHead title={t.sections.aml} lead={t.amlLead}>
        <RefreshControl result={result} reloading={reloading} reload={reload} />
      </PageHead>
      {result.state !== 'ok' ? (
        <LoadProblem result={result} retry={reload} role={t.roles[me.role]} />
      ) : (
        <section className="card" aria-label={t.sections.aml}>
          <div className="card-head card-head-row">
            <fieldset className="chips" data-testid="status-filter">
              <legend className="visually-hidden">{t.alertStatusFilter}</legend>
              {STATUS_FILTERS.map((option) => (
                <button
                  key={option}
                  type="button"
                  className="chip"
                  aria-pressed={status === option}
                  onClick={() => setStatus(option)}
                  data-testid={`status-${option}`}
                >
                  {t.alertStatusShown[option]}
                </button>
              ))}
            </fieldset>
            <fieldset className="chips">
              <legend className="visually-hidden">{t.severityFilter}</legend>
              <button type="button" className="chip" aria-pressed={filter === 'all'} onClick={() => setFilter('all')}>
                {t.allSeverities}
                <span className="chip-count">{alerts.length}</span>
              </button>
              {SEVERITY_ORDER.map((severity) => (
                <button
                  key={severity}
                  type="button"
                  className={`chip chip-${severity}`}
                  aria-pressed={filter === severity}
                  onClick={() => setFilter(severity)}
                >
                  <span className="badge-dot" aria-hidden="true" />
                  {t.severity[severity]}
                  <span className="chip-count">{alerts.filter((alert) => alert.severity === severity).length}</span>
                </button>
              ))}
            </fieldset>
          </div>
          <DataTable
            testId="aml-table"
            empty={shown.length === 0 && (alerts.length === 0 ? t.amlEmpty : t.amlFilterEmpty)}
            columns={[
              t.colSeverity,
              t.colRule,
              t.colCustomer,
              t.colTransaction,
              { label: t.colAmount, num: true },
              t.colAge,
              { label: t.openAlert, hidden: true },
            ]}
          >
            {shown.map((alert) => (
              <tr key={alert.id} data-testid="aml-row" data-severity={alert.severity} data-alert-id={alert.id} data-status={alert.status}>
                <td>
                  <div className="cell-stack">
                    <SeverityBadge severity={alert.severity} />
                    {alert.status === 'closed' && (
                      <span>
                        <Badge tone="neutral" testId="aml-row-status">
                          {t.alertStatus.closed}
                        </Badge>
                      </span>
                    )}
                  </div>
                </td>
                <td>
                  <div className="cell-stack">
                    <span className="cell-primary" title={t.ruleCodeTitle(alert.rule)}>
                      {t.rules[alert.rule] ?? alert.rule}
                    </span>
                    {alert.summary && (
                      <span className="cell-secondary cell-wrap" data-testid="aml-summary">
                        <SystemReason reason={alert.summary} />
                      </span>
                    )}
                  </div>
                </td>
                <td>
                  <div className="cell-stack">
                    <span className="cell-primary">{alert.customerName ?? alert.email ?? t.noEmail}</span>
                    <code className="cell-secondary id" title={alert.userId}>
                      {shortId(alert.userId)}
                    </code>
                  </div>
                </td>
                <td>
                  {alert.transactionId ? (
                    <div className="cell-stack">
                      <AppLink to={pathFor('transfer', '', alert.transactionId)} className="id" aria-label={alert.transactionId}>
                        <code>{shortId(alert.transactionId)}</code>
                      </AppLink>
                      {alert.transferStatus && (
                        <span>
                          <TransferStatusBadge status={alert.transferStatus} />
                        </span>
                      )}
                    </div>
                  ) : (
                    <span className="muted">{t.noTransaction}</span>
                  )}
                </td>
                <td className="num align-right" data-testid="aml-amount">
                  {alert.sendAmount === null ? (
                    <span className="muted">–</span>
                  ) : (
                    formatAmount(alert.sendAmount, alert.sendCurrency ?? 'NOK', locale)
                  )}
                </td>
                <td>
                  <WhenCell at={alert.createdAt} now={now} />
                </td>
                <td className="align-right">
                  <OpenButton
                    to={pathFor('amlAlert', '', alert.id)}
                    label={t.openAlert}
                    name={`${t.alertTitle} ${shortId(alert.id)}`}
                    testId="aml-open"
                  />
                </td>
              </tr>
            ))}
          </DataTable>
        </section>
      )}
    </>
  );
}
