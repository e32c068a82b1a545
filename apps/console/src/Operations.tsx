import { formatLatency, formatTime, formatUptime, HEALTH_INTERVAL_MS, type HealthState, type LatencySample } from '@drop/web-common';
import type { ReactNode } from 'react';
import { useI18n } from './i18n.ts';
import { Card, DataTable } from './page.tsx';
import { OperationsTabs } from './Sla.tsx';
import { ExternalLinkItem, RefreshIcon, StatusPill, summarizeHealth, toneOf } from './ui.tsx';

/** Bars of the database latency of each probe this session; a red stub where the database was down. */
function LatencyChart(props: { samples: LatencySample[] }): ReactNode {
  const { t, locale } = useI18n();
  const values = props.samples.flatMap((sample) => (sample.latencyMs === null ? [] : [sample.latencyMs]));
  if (props.samples.length === 0) return <p className="muted">{t.latencyHistoryEmpty}</p>;
  const max = Math.max(1, ...values);
  const slots = 40;
  const width = 100 / slots;
  const last = props.samples.at(-1)?.latencyMs;
  return (
    <figure className="chart">
      <svg viewBox="0 0 100 40" preserveAspectRatio="none" role="img" aria-label={t.latencyHistory}>
        <line x1="0" x2="100" y1="39.5" y2="39.5" className="chart-axis" />
        {props.samples.map((sample, index) => {
          const x = (slots - props.samples.length + index) * width + width * 0.15;
          const height = sample.latencyMs === null ? 6 : Math.max(1.5, (sample.latencyMs / max) * 36);
          return (
            <rect
              key={sample.seq}
              x={x}
              y={40 - height}
              width={width * 0.7}
              height={height}
              className={sample.latencyMs === null ? 'bar bar-down' : 'bar'}
            />
          );
        })}
      </svg>
      <figcaption>
        {t.latencySummary(
          props.samples.length,
          last == null ? '–' : formatLatency(last, locale),
          values.length ? formatLatency(Math.max(...values), locale) : '–',
        )}
      </figcaption>
    </figure>
  );
}

export function Operations(props: { health: HealthState }): ReactNode {
  const { t, locale } = useI18n();
  const { result, history, checking, refresh } = props.health;
  const { state, stateLabel, report, db } = summarizeHealth(result, t);

  return (
    <>
      <div className="page-head">
        <div>
          <h1>{t.sections.operations}</h1>
          <p className="page-lead">{t.operationsLead}</p>
        </div>
        <StatusPill tone={toneOf(state)} testId="system-status">
          {stateLabel}
        </StatusPill>
      </div>
      <OperationsTabs current="health" />

      <section className="card" aria-labelledby="health-title" data-testid="health-checks" data-state={state}>
        <div className="card-head card-head-row">
          <div>
            <h2 id="health-title">{t.healthTitle}</h2>
            <p className="card-lead" aria-live="polite">
              {result ? t.checkedAt(formatTime(result.checkedAt, locale)) : t.stateChecking} · {t.autoRefresh(HEALTH_INTERVAL_MS / 1000)}
            </p>
          </div>
          <button type="button" className="button" onClick={refresh} disabled={checking} aria-busy={checking}>
            <RefreshIcon />
            {checking ? t.refreshing : t.refresh}
          </button>
        </div>
        <DataTable columns={[t.colComponent, t.colStatus, t.colLatency, t.colDetails]}>
          <tr data-testid="check-api">
            <th scope="row">{t.componentApi}</th>
            <td>
              <StatusPill tone={result ? toneOf(report ? 'ok' : 'down') : 'unknown'}>
                {result ? (report ? t.stateOk : t.stateUnreachable) : t.stateChecking}
              </StatusPill>
            </td>
            <td className="num" data-testid="api-latency">
              {result?.kind === 'report' ? formatLatency(result.roundTripMs, locale) : '–'}
            </td>
            <td className="details">
              {result?.kind === 'report' && (
                <>
                  {t.apiDetails(result.httpStatus)}{' '}
                  <span className="mono" data-testid="version">
                    {result.report.version}
                  </span>
                </>
              )}
              {result?.kind === 'unreachable' && t.unreachableDetails(result.reason)}
              {report && (
                <span className="muted">
                  {' '}
                  · {t.uptime.toLowerCase()} {formatUptime(report.uptime, locale)}
                </span>
              )}
            </td>
          </tr>
          <tr data-testid="check-db">
            <th scope="row">{t.componentDb}</th>
            <td>
              <StatusPill tone={toneOf(db?.status ?? (result ? 'down' : undefined))} testId="db-status">
                {db ? (db.status === 'ok' ? t.dbStatusOk : t.dbStatusDown) : result ? t.stateUnreachable : t.stateChecking}
              </StatusPill>
            </td>
            <td className="num" data-testid="db-latency">
              {db?.latencyMs != null ? formatLatency(db.latencyMs, locale) : '–'}
            </td>
            <td className="details">{db ? (db.status === 'ok' ? t.dbDetailsOk : (db.error ?? t.dbStatusDown)) : '–'}</td>
          </tr>
        </DataTable>
        <div className="card-body">
          <h3 className="subhead">{t.latencyHistory}</h3>
          <LatencyChart samples={history} />
        </div>
      </section>

      <div className="columns">
        <Card id="endpoints" title={t.endpointsTitle}>
          <ul className="link-list">
            <ExternalLinkItem href="/api/health" title={<code translate="no">GET /api/health</code>} text={t.healthJsonText} />
            <ExternalLinkItem href="/api/docs" title={<code translate="no">GET /api/docs</code>} text={t.apiDocsText} />
            <ExternalLinkItem href="/metrics" title={<code translate="no">GET /metrics</code>} text={t.metricsText} />
          </ul>
        </Card>

        <Card id="cli" title={t.cliTitle} lead={t.cliLead}>
          <dl className="commands">
            {(
              [
                ['npm run drop -- health', t.cliHealth],
                ['npm run drop -- audit verify', t.cliAudit],
                ['npm run drop -- db migrate', t.cliMigrate],
                ['npm run drop -- sla report --month 2026-11', t.sla.cliReport],
              ] as const
            ).map(([command, text]) => (
              <div key={command}>
                <dt>
                  <code translate="no">{command}</code>
                </dt>
                <dd>{text}</dd>
              </div>
            ))}
          </dl>
        </Card>
      </div>
    </>
  );
}
