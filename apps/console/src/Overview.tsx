import { formatDateTime, formatLatency, formatUptime, type HealthState } from '@drop/web-common';
import { AppLink } from '@drop/web-common/routing';
import type { ReactNode } from 'react';
import { type AmlCaseSummary, fetchAmlCases } from './case-api.ts';
import { type SectionId, useI18n } from './i18n.ts';
import { Card, PageHead } from './page.tsx';
import { pathFor } from './routes.ts';
import { type Loadable, SECTION_ROUTES, useSession, useStaffData } from './session.ts';
import {
  type AmlAlert,
  fetchAmlAlerts,
  fetchDataRequests,
  fetchKycQueue,
  fetchStrs,
  type KycCase,
  type StaffDataRequest,
  type StaffResult,
  type StrSummary,
} from './staff-api.ts';
import { ArrowIcon, ExternalLinkItem, SectionIcon, StatusPill, summarizeHealth, toneOf } from './ui.tsx';

function Kpi(props: { label: string; children: ReactNode; foot?: ReactNode; testId?: string; tone?: 'alert' }): ReactNode {
  return (
    <section className={props.tone === 'alert' ? 'kpi kpi-alert' : 'kpi'} data-testid={props.testId} aria-label={props.label}>
      <h2 className="kpi-label">{props.label}</h2>
      <div className="kpi-value">{props.children}</div>
      {props.foot && <p className="kpi-foot">{props.foot}</p>}
    </section>
  );
}

const nothing = async <T,>(): Promise<StaffResult<T[]>> => ({ kind: 'ok', data: [] });

function count<T>(result: Loadable<T[]>): number | undefined {
  return result.state === 'ok' ? result.data.length : undefined;
}

/** The size of a work queue, marked when some of its items are urgent (overdue, or of high severity). */
function QueueKpi<T>(props: {
  queue: 'kyc' | 'aml';
  label: string;
  result: Loadable<T[]>;
  isUrgent(item: T): boolean;
  foot(urgent: number): string;
}): ReactNode {
  const urgent = props.result.state === 'ok' ? props.result.data.filter(props.isUrgent).length : undefined;
  return (
    <Kpi
      label={props.label}
      testId={`kpi-${props.queue}`}
      tone={urgent ? 'alert' : undefined}
      foot={urgent === undefined ? undefined : props.foot(urgent)}
    >
      <span data-testid={`kpi-${props.queue}-count`}>{count(props.result) ?? '–'}</span>
    </Kpi>
  );
}

export function Overview(props: { health: HealthState }): ReactNode {
  const { t, locale } = useI18n();
  const { me, can } = useSession();
  const { result } = props.health;
  const { state, stateLabel, report, db } = summarizeHealth(result, t);
  const kyc = useStaffData<KycCase[]>(can('kyc') ? ['kyc-queue'] : ['kyc-queue', 'not allowed'], can('kyc') ? fetchKycQueue : nothing);
  const aml = useStaffData<AmlAlert[]>(
    can('aml') ? ['aml-alerts', 'open'] : ['aml-alerts', 'not allowed'],
    can('aml') ? (signal) => fetchAmlAlerts('open', signal) : nothing,
  );

  // STRs waiting for a second person: for a lead, those someone else drafted (what they can approve).
  const approvesStrs = me.permissions.includes('str_approve');
  const strs = useStaffData<StrSummary[]>(
    can('str') ? ['strs', 'waiting', approvesStrs] : ['strs', 'not allowed'],
    can('str') ? (signal) => fetchStrs(approvesStrs ? { awaitingMyApproval: true } : { status: 'awaiting_approval' }, signal) : nothing,
  );
  // The duty to investigate (hvitvaskingsloven § 25): the lead sees at once how many cases are late.
  const overdueCases = useStaffData<AmlCaseSummary[]>(
    can('cases') ? ['aml-cases', 'overdue'] : ['aml-cases', 'not allowed'],
    can('cases') ? (signal) => fetchAmlCases('active', true, signal) : nothing,
  );

  // Privacy requests still to answer (GDPR article 12(3): one month), for support and the lead.
  const dataRequests = useStaffData<StaffDataRequest[]>(
    can('dataRequests') ? ['data-requests'] : ['data-requests', 'not allowed'],
    can('dataRequests') ? fetchDataRequests : nothing,
  );
  const openDataRequests =
    dataRequests.result.state === 'ok'
      ? dataRequests.result.data.filter((request) => request.status !== 'completed' && request.status !== 'rejected').length
      : undefined;

  const kpis: ReactNode[] = [
    <Kpi key="system" label={t.systemStatus} testId="kpi-system">
      <StatusPill tone={toneOf(state)} testId="system-status">
        {stateLabel}
      </StatusPill>
    </Kpi>,
  ];
  if (can('kyc')) {
    kpis.push(
      <QueueKpi key="kyc" queue="kyc" label={t.kpiKyc} result={kyc.result} isUrgent={(item) => item.overdue} foot={t.kpiKycFoot} />,
    );
  }
  if (can('aml')) {
    kpis.push(
      <QueueKpi
        key="aml"
        queue="aml"
        label={t.kpiAml}
        result={aml.result}
        isUrgent={(alert) => alert.severity === 'critical' || alert.severity === 'high'}
        foot={t.kpiAmlFoot}
      />,
    );
  }
  if (approvesStrs && can('str')) {
    kpis.push(
      <Kpi
        key="strs"
        label={t.strs.waitingTitle}
        testId="kpi-strs"
        tone={count(strs.result) ? 'alert' : undefined}
        foot={
          <AppLink to={pathFor('strs')} testId="kpi-strs-link">
            {t.strs.waitingLink}
          </AppLink>
        }
      >
        <span data-testid="kpi-strs-count">{count(strs.result) ?? '–'}</span>
      </Kpi>,
    );
  }
  const fillers: ReactNode[] = [
    <Kpi
      key="db"
      label={t.database}
      testId="kpi-database"
      foot={db?.latencyMs != null ? `${t.latency}: ${formatLatency(db.latencyMs, locale)}` : undefined}
    >
      <StatusPill tone={toneOf(db?.status ?? (state === 'unreachable' ? 'down' : undefined))} testId="db-status">
        {db ? (db.status === 'ok' ? t.dbStatusOk : t.dbStatusDown) : state === 'unreachable' ? t.stateUnreachable : t.stateChecking}
      </StatusPill>
    </Kpi>,
    <Kpi key="version" label={t.version} testId="kpi-version">
      <span className="mono" data-testid="version">
        {report?.version ?? '–'}
      </span>
    </Kpi>,
    <Kpi
      key="uptime"
      label={t.uptime}
      testId="kpi-uptime"
      foot={report && result ? t.since(formatDateTime(new Date(result.checkedAt.getTime() - report.uptime * 1000), locale)) : undefined}
    >
      {report ? formatUptime(report.uptime, locale) : '–'}
    </Kpi>,
  ];
  kpis.push(...fillers.slice(0, Math.max(0, 4 - kpis.length)));

  const queueCounts: Partial<Record<SectionId, number | undefined>> = {
    kyc: count(kyc.result),
    aml: count(aml.result),
    str: count(strs.result),
    dataRequests: openDataRequests,
  };
  const queues = (['kyc', 'aml', 'str', 'dataRequests'] as const).filter((section) => can(section));
  const overdueCount = count(overdueCases.result);
  const accessible = (Object.keys(t.sections) as SectionId[]).filter((section) => can(section));

  const link = (section: SectionId, children: ReactNode, className?: string) => {
    const route = SECTION_ROUTES[section];
    return route ? (
      <AppLink to={pathFor(route)} className={className}>
        {children}
      </AppLink>
    ) : (
      <span className={className}>{children}</span>
    );
  };

  return (
    <>
      <PageHead title={t.sections.overview} lead={t.overviewLead} />

      <div className="kpis">{kpis}</div>

      <div className="columns">
        <div className="stack">
          {(queues.length > 0 || can('cases')) && (
            <Card id="queues" title={t.queuesTitle} lead={t.queuesLeadLive}>
              <ul className="queue-list">
                {queues.map((section) => {
                  const built = SECTION_ROUTES[section] !== undefined;
                  const value = queueCounts[section];
                  return (
                    <li key={section} className="queue" data-testid={`queue-${section}`}>
                      {link(
                        section,
                        <>
                          <span className="queue-icon">
                            <SectionIcon section={section} />
                          </span>
                          <span className="queue-label">{t.queues[section]}</span>
                          {built ? (
                            <>
                              <span className={value ? 'queue-count queue-count-live' : 'queue-count'}>{value ?? '–'}</span>
                              <ArrowIcon />
                            </>
                          ) : (
                            <span className="soon soon-light">{t.comingSoonLong}</span>
                          )}
                        </>,
                        built ? 'queue-link' : 'queue-link queue-link-disabled',
                      )}
                    </li>
                  );
                })}
                {can('cases') && (
                  <li className="queue" data-testid="queue-overdue-cases">
                    <AppLink to={pathFor('cases', '?view=overdue')} className="queue-link">
                      <span className="queue-icon">
                        <SectionIcon section="cases" />
                      </span>
                      <span className="queue-label">{t.amlCases.overdueQueue}</span>
                      <span className={overdueCount ? 'queue-count queue-count-live' : 'queue-count'} data-testid="overdue-cases-count">
                        {overdueCount ?? '–'}
                      </span>
                      <ArrowIcon />
                    </AppLink>
                  </li>
                )}
              </ul>
            </Card>
          )}
          {can('customers') && (
            <section className="card" aria-labelledby="find-title">
              <ul className="link-list">
                <li>
                  {link(
                    'customers',
                    <>
                      <span>
                        <strong id="find-title">{t.findCustomer}</strong>
                        <small>{t.findCustomerText}</small>
                      </span>
                      <ArrowIcon />
                    </>,
                  )}
                </li>
              </ul>
            </section>
          )}
        </div>

        <div className="stack">
          <Card id="access" title={t.yourAccess} lead={t.yourAccessText(t.roles[me.role])} testId="your-access">
            <ul className="access-list">
              {accessible.map((section) => (
                <li key={section}>
                  <SectionIcon section={section} />
                  {t.sections[section]}
                </li>
              ))}
            </ul>
          </Card>

          {can('operations') && (
            <Card id="tools" title={t.toolsTitle}>
              <ul className="link-list">
                <ExternalLinkItem href="/api/docs" title={t.apiDocs} text={t.apiDocsText} />
                <ExternalLinkItem href="/metrics" title={t.metrics} text={t.metricsText} />
                <li>
                  {link(
                    'operations',
                    <>
                      <span>
                        <strong>{t.openOperations}</strong>
                        <small>{t.operationsLead}</small>
                      </span>
                      <ArrowIcon />
                    </>,
                  )}
                </li>
              </ul>
            </Card>
          )}
        </div>
      </div>
    </>
  );
}
