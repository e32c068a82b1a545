import { formatDateTime, formatLatency, formatUptime, type HealthState } from '@drop/web-common';
import type { ReactNode } from 'react';
import { useI18n } from './i18n.ts';
import { pathFor } from './router.ts';
import { AppLink, ArrowIcon, ExternalIcon, SectionIcon, StatusPill, summarizeHealth, toneOf } from './ui.tsx';

function Kpi(props: { label: string; children: ReactNode; foot?: ReactNode; testId?: string }): ReactNode {
  return (
    <section className="kpi" data-testid={props.testId} aria-label={props.label}>
      <h2 className="kpi-label">{props.label}</h2>
      <div className="kpi-value">{props.children}</div>
      {props.foot && <p className="kpi-foot">{props.foot}</p>}
    </section>
  );
}

export function Overview(props: { health: HealthState; navigate(route: 'operations'): void }): ReactNode {
  const { t, locale } = useI18n();
  const { result } = props.health;
  const { state, stateLabel, report, db } = summarizeHealth(result, t);

  return (
    <>
      <div className="page-head">
        <div>
          <h1>{t.sections.overview}</h1>
          <p className="page-lead">{t.overviewLead}</p>
        </div>
      </div>

      <div className="kpis">
        <Kpi label={t.systemStatus} testId="kpi-system">
          <StatusPill tone={toneOf(state)} testId="system-status">
            {stateLabel}
          </StatusPill>
        </Kpi>
        <Kpi
          label={t.database}
          testId="kpi-database"
          foot={db?.latencyMs != null ? `${t.latency}: ${formatLatency(db.latencyMs, locale)}` : undefined}
        >
          <StatusPill tone={toneOf(db?.status ?? (state === 'unreachable' ? 'down' : undefined))} testId="db-status">
            {db ? (db.status === 'ok' ? t.dbStatusOk : t.dbStatusDown) : state === 'unreachable' ? t.stateUnreachable : t.stateChecking}
          </StatusPill>
        </Kpi>
        <Kpi label={t.version} testId="kpi-version">
          <span className="mono" data-testid="version">
            {report?.version ?? '–'}
          </span>
        </Kpi>
        <Kpi
          label={t.uptime}
          testId="kpi-uptime"
          foot={report && result ? t.since(formatDateTime(new Date(result.checkedAt.getTime() - report.uptime * 1000), locale)) : undefined}
        >
          {report ? formatUptime(report.uptime, locale) : '–'}
        </Kpi>
      </div>

      <div className="columns">
        <section className="card" aria-labelledby="queues-title">
          <div className="card-head">
            <h2 id="queues-title">{t.queuesTitle}</h2>
            <p className="card-lead">{t.queuesLead}</p>
          </div>
          <ul className="queue-list">
            {t.queues.map((queue) => (
              <li key={queue.id} className="queue">
                <span className="queue-icon">
                  <SectionIcon section={queue.id} />
                </span>
                <span className="queue-label">{queue.label}</span>
                <span className="queue-count" aria-hidden="true">
                  –
                </span>
                <span className="soon soon-light">{t.comingSoonLong}</span>
              </li>
            ))}
          </ul>
        </section>

        <section className="card" aria-labelledby="tools-title">
          <div className="card-head">
            <h2 id="tools-title">{t.toolsTitle}</h2>
          </div>
          <ul className="link-list">
            <li>
              <a href="/api/docs" target="_blank" rel="noreferrer">
                <span>
                  <strong>{t.apiDocs}</strong>
                  <small>{t.apiDocsText}</small>
                </span>
                <ExternalIcon />
              </a>
            </li>
            <li>
              <a href="/metrics" target="_blank" rel="noreferrer">
                <span>
                  <strong>{t.metrics}</strong>
                  <small>{t.metricsText}</small>
                </span>
                <ExternalIcon />
              </a>
            </li>
            <li>
              <AppLink href={pathFor('operations')} onNavigate={() => props.navigate('operations')}>
                <span>
                  <strong>{t.openOperations}</strong>
                  <small>{t.operationsLead}</small>
                </span>
                <ArrowIcon />
              </AppLink>
            </li>
          </ul>
        </section>
      </div>
    </>
  );
}
