import { type SlaDay, type SlaIncident, type SlaReport, slaMonth, slaReport } from '@drop/contracts';
import { type ApiRequest, callApi, localeTag } from '@drop/web-common';
import { AppLink } from '@drop/web-common/routing';
import { type ReactNode, useState } from 'react';
import { type Messages, useI18n } from './i18n.ts';
import { Card, DataTable, LoadProblem, PageHead, RefreshControl } from './page.tsx';
import { pathFor, useNavigate, useRoute } from './routes.ts';
import { useSession, useStaffData } from './session.ts';
import type { StaffResult } from './staff-api.ts';
import { Badge } from './ui.tsx';

/**
 * The monthly SLA report (issue 15 item 8, runbook 3.3) in the Operations section: the month's
 * uptime, error rate and p99 against their targets, a bar per day, and the incidents that cost
 * them, from `GET /api/staff/ops/sla?month=…` (the same report `drop sla report` prints). The
 * month is in the URL (`/operations/sla?month=2026-11`), so a review can be linked.
 */

/** `GET /api/staff/ops/sla?month=YYYY-MM` (permission `operations`). */
function fetchSlaReport(month: string, signal?: AbortSignal): Promise<StaffResult<SlaReport>> {
  const request: ApiRequest = { path: `/api/staff/ops/sla?month=${encodeURIComponent(month)}`, signal, timeoutMs: 20_000 };
  return callApi(request, slaReport);
}

/** The month before the current one (UTC), what the monthly review looks at. */
function previousMonth(now = new Date()): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}

function shiftMonth(month: string, by: number): string {
  const [year, number] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, number - 1 + by, 1)).toISOString().slice(0, 7);
}

/** Health and SLA, the two pages of Operations, as tabs. */
export function OperationsTabs(props: { current: 'health' | 'sla' }): ReactNode {
  const { t } = useI18n();
  return (
    <nav className="tabs" aria-label={t.sla.tabsLabel}>
      <AppLink to={pathFor('operations')} className="tab" current={props.current === 'health'} testId="tab-health">
        {t.sla.tabHealth}
      </AppLink>
      <AppLink to={pathFor('sla')} className="tab" current={props.current === 'sla'} testId="tab-sla">
        {t.sla.tabSla}
      </AppLink>
    </nav>
  );
}

const number = (value: number, locale: 'nb' | 'en', digits: number) =>
  new Intl.NumberFormat(localeTag(locale), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
const percent = (value: number | null, locale: 'nb' | 'en', digits = 3) => (value === null ? '–' : `${number(value, locale, digits)} %`);
const count = (value: number, locale: 'nb' | 'en') => new Intl.NumberFormat(localeTag(locale)).format(value);
const minutes = (value: number, locale: 'nb' | 'en') => `${number(value, locale, value % 1 === 0 ? 0 : 1)} min`;
const utc = (iso: string, locale: 'nb' | 'en') =>
  `${new Intl.DateTimeFormat(localeTag(locale), { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }).format(new Date(iso))} UTC`;
const utcDay = (iso: string, locale: 'nb' | 'en') =>
  new Intl.DateTimeFormat(localeTag(locale), { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(iso));
const utcClock = (iso: string, locale: 'nb' | 'en') =>
  new Intl.DateTimeFormat(localeTag(locale), { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }).format(new Date(iso));

/** "02:14–02:31 UTC" within a day, else with the end's day. */
function span(incident: SlaIncident, locale: 'nb' | 'en'): string {
  const sameDay = incident.start.slice(0, 10) === new Date(Date.parse(incident.end) - 1).toISOString().slice(0, 10);
  const end = sameDay ? utcClock(incident.end, locale) : `${utcDay(incident.end, locale)} ${utcClock(incident.end, locale)}`;
  return `${utcClock(incident.start, locale)}–${end} UTC`;
}

function Verdict(props: { met: boolean | null; testId: string }): ReactNode {
  const { t } = useI18n();
  if (props.met === null) return <Badge tone="neutral">{t.sla.noData}</Badge>;
  return (
    <Badge tone={props.met ? 'ok' : 'danger'} testId={props.testId}>
      {props.met ? t.sla.met : t.sla.missed}
    </Badge>
  );
}

/** One figure against its target: the value, the target, met or missed, and what it is made of. */
function Figure(props: { label: string; value: string; target: string; met: boolean | null; foot: ReactNode; testId: string }): ReactNode {
  return (
    <section className={props.met === false ? 'kpi kpi-alert sla-figure' : 'kpi sla-figure'} data-testid={props.testId}>
      <div className="sla-figure-head">
        <h2 className="kpi-label">{props.label}</h2>
        <Verdict met={props.met} testId={`${props.testId}-verdict`} />
      </div>
      <div className="kpi-value" data-testid={`${props.testId}-value`}>
        {props.value}
      </div>
      <p className="kpi-foot">
        <span className="sla-target">{props.target}</span> · {props.foot}
      </p>
    </section>
  );
}

type Metric = 'uptime' | 'errorRate' | 'p99';

/** A day's value of the chosen metric, and whether it broke the month's target. */
function dayValue(day: SlaDay, metric: Metric, report: SlaReport): { value: number | null; bad: boolean } {
  if (metric === 'uptime')
    return { value: day.uptimePercent, bad: day.uptimePercent !== null && day.uptimePercent < report.targets.uptimePercent };
  if (metric === 'errorRate')
    return { value: day.errorRatePercent, bad: day.errorRatePercent !== null && day.errorRatePercent >= report.targets.errorRatePercent };
  return { value: day.p99Ms, bad: day.p99Ms !== null && day.p99Ms > report.targets.p99Ms };
}

/**
 * A bar per day of the month, in the style of the health page's latency chart, with the target as
 * a dashed line. Uptime bars show the downtime below 100 % (a bar of 100 % is a full bar; the
 * scale starts where the worst day or 99 % is, so a few minutes are visible); days that broke
 * the target are red; a day with nothing observed has no bar.
 */
function DailyChart(props: { report: SlaReport; metric: Metric }): ReactNode {
  const { t, locale } = useI18n();
  const { report, metric } = props;
  const days = report.days;
  const values = days.map((day) => dayValue(day, metric, report));
  const numbers = values.flatMap((entry) => (entry.value === null ? [] : [entry.value]));
  const target =
    metric === 'uptime' ? report.targets.uptimePercent : metric === 'errorRate' ? report.targets.errorRatePercent : report.targets.p99Ms;
  const floor = metric === 'uptime' ? Math.min(99, ...numbers.map((value) => Math.floor(value))) : 0;
  const ceiling = metric === 'uptime' ? 100 : Math.max(target * 1.25, ...numbers);
  const height = 40;
  const scale = (value: number) => ((value - floor) / (ceiling - floor)) * (height - 4);
  const slot = 100 / days.length;
  const format = (value: number) =>
    metric === 'p99' ? `≤ ${count(value, locale)} ms` : percent(value, locale, metric === 'uptime' ? 3 : 3);
  const targetY = height - scale(target);
  return (
    <figure className="chart sla-chart" data-testid="sla-chart" data-metric={metric}>
      <svg viewBox={`0 0 100 ${height}`} preserveAspectRatio="none" role="img" aria-label={t.sla.chartLabel[metric]}>
        <line x1="0" x2="100" y1={height - 0.5} y2={height - 0.5} className="chart-axis" />
        {days.map((day, index) => {
          const entry = values[index];
          if (!entry || entry.value === null) return null;
          const barHeight = Math.max(0.8, scale(entry.value));
          return (
            <rect
              key={day.date}
              x={index * slot + slot * 0.15}
              y={height - barHeight}
              width={slot * 0.7}
              height={barHeight}
              className={entry.bad ? 'bar bar-down' : 'bar'}
              data-testid="sla-bar"
              data-date={day.date}
            >
              <title>{`${day.date}: ${format(entry.value)}`}</title>
            </rect>
          );
        })}
        <line x1="0" x2="100" y1={targetY} y2={targetY} className="sla-target-line" />
      </svg>
      <div className="sla-chart-days" aria-hidden="true">
        {days.map((day, index) =>
          index % 5 === 0 || index === days.length - 1 ? (
            <span key={day.date} style={{ left: `${(index + 0.5) * slot}%` }}>
              {Number(day.date.slice(8))}
            </span>
          ) : null,
        )}
      </div>
      <figcaption>
        {t.sla.chartCaption(t.sla.metrics[metric], metric === 'p99' ? format(target) : percent(target, locale, 1), numbers.length)}
        {metric === 'uptime' && ` · ${t.sla.scaleFrom(percent(floor, locale, 0))}`}
      </figcaption>
    </figure>
  );
}

function incidentImpact(incident: SlaIncident, t: Messages, locale: 'nb' | 'en'): string {
  if (incident.kind === 'error_spike') return t.sla.errorsOf(count(incident.errors5xx, locale), count(incident.requests, locale));
  return t.sla.downFor(minutes(incident.downtimeMinutes, locale));
}

function IncidentTable(props: { report: SlaReport }): ReactNode {
  const { t, locale } = useI18n();
  const s = t.sla;
  return (
    <DataTable
      className="table table-stack"
      testId="sla-incidents"
      empty={props.report.incidents.length === 0 && s.noIncidents}
      columns={[s.colStart, s.colDuration, s.colKind, s.colImpact, s.colBudget, s.colDetails]}
    >
      {props.report.incidents.map((incident) => (
        <tr key={`${incident.kind}-${incident.start}`} data-testid="sla-incident" data-kind={incident.kind}>
          <td data-label={s.colStart}>
            <div className="cell-stack sla-when">
              <span className="cell-primary">{utcDay(incident.start, locale)}</span>
              <span className="cell-secondary">{span(incident, locale)}</span>
            </div>
          </td>
          <td data-label={s.colDuration} className="num">
            {minutes(incident.durationMinutes, locale)}
          </td>
          <td data-label={s.colKind}>
            <Badge tone={incident.kind === 'error_spike' ? 'warn' : 'danger'}>{s.kinds[incident.kind]}</Badge>
          </td>
          <td data-label={s.colImpact} data-testid="sla-incident-impact">
            {incidentImpact(incident, t, locale)}
          </td>
          <td data-label={s.colBudget}>
            <div className="cell-stack">
              <div className="sla-budget">
                <span
                  className="cell-primary"
                  data-testid="sla-incident-budget"
                >{`${number(incident.budgetSpentPercent, locale, 1)} %`}</span>
                <span className="sla-budget-track" aria-hidden="true">
                  <span
                    className={incident.kind === 'error_spike' ? 'sla-budget-fill sla-budget-errors' : 'sla-budget-fill'}
                    style={{ width: `${Math.min(100, incident.budgetSpentPercent)}%` }}
                  />
                </span>
              </div>
              <span className="cell-secondary">{incident.kind === 'error_spike' ? s.ofErrorBudget : s.ofDowntimeBudget}</span>
            </div>
          </td>
          <td data-label={s.colDetails} className="details">
            <span className="cell-wrap">
              {incident.kind === 'database_down' && s.failedProbes(incident.failedProbes, incident.lastError ?? '–')}
              {incident.kind === 'no_samples' && s.noSamplesDetail}
              {incident.kind === 'error_spike' && s.spikeDetail}
              {incident.instances.length > 0 && <span className="muted mono"> · {incident.instances.join(', ')}</span>}
            </span>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

export function Sla(): ReactNode {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const { search } = useRoute();
  const navigate = useNavigate();
  const asked = new URLSearchParams(search).get('month');
  const month = asked && slaMonth.safeParse(asked).success ? asked : previousMonth();
  const [metric, setMetric] = useState<Metric>('uptime');
  const { result, reloading, reload } = useStaffData(['sla', month], (signal) => fetchSlaReport(month, signal));
  const s = t.sla;
  const goTo = (next: string) => {
    if (slaMonth.safeParse(next).success) navigate('sla', { search: `?month=${next}`, replace: true });
  };

  return (
    <>
      <PageHead title={t.sections.operations} lead={s.lead}>
        <RefreshControl result={result} reloading={reloading} reload={reload} />
      </PageHead>
      <OperationsTabs current="sla" />

      <div className="sla-toolbar">
        <div className="sla-month">
          <button type="button" className="button button-small" onClick={() => goTo(shiftMonth(month, -1))} aria-label={s.previousMonth}>
            ‹
          </button>
          <label className="visually-hidden" htmlFor="sla-month">
            {s.month}
          </label>
          <input
            id="sla-month"
            className="input sla-month-input"
            type="month"
            value={month}
            data-testid="sla-month"
            onChange={(event) => goTo(event.target.value)}
          />
          <button type="button" className="button button-small" onClick={() => goTo(shiftMonth(month, 1))} aria-label={s.nextMonth}>
            ›
          </button>
        </div>
        {result.state === 'ok' && (
          <p className="muted sla-observed" data-testid="sla-observed">
            {result.data.observedFrom && result.data.observedTo
              ? s.observed(utc(result.data.observedFrom, locale), utc(result.data.observedTo, locale), result.data.instances.length)
              : s.nothingObserved}
          </p>
        )}
      </div>

      {result.state !== 'ok' ? (
        <LoadProblem result={result} retry={reload} role={t.roles[me.role]} />
      ) : (
        <div data-testid="sla-report" data-month={result.data.month}>
          <div className="kpis sla-figures">
            <Figure
              testId="sla-uptime"
              label={s.uptime}
              value={percent(result.data.uptimePercent, locale)}
              target={s.targetAtLeast(percent(result.data.targets.uptimePercent, locale, 1))}
              met={result.data.met.uptime}
              foot={s.downtimeOf(minutes(result.data.downtimeMinutes, locale), minutes(result.data.downtimeBudgetMinutes, locale))}
            />
            <Figure
              testId="sla-error-rate"
              label={s.errorRate}
              value={percent(result.data.errorRatePercent, locale)}
              target={s.targetBelow(percent(result.data.targets.errorRatePercent, locale, 1))}
              met={result.data.met.errorRate}
              foot={s.errorsOf(count(result.data.errors5xx, locale), count(result.data.requests, locale))}
            />
            <Figure
              testId="sla-p99"
              label={s.p99}
              value={result.data.p99Ms === null ? '–' : `≤ ${count(result.data.p99Ms, locale)} ms`}
              target={s.targetAtMost(`${count(result.data.targets.p99Ms, locale)} ms`)}
              met={result.data.met.p99}
              foot={s.p99Foot}
            />
          </div>

          <section className="card" aria-labelledby="sla-daily-title">
            <div className="card-head card-head-row">
              <div>
                <h2 id="sla-daily-title">{s.dailyTitle}</h2>
                <p className="card-lead">{s.dailyLead}</p>
              </div>
              <fieldset className="chips">
                <legend className="visually-hidden">{s.metricLabel}</legend>
                {(['uptime', 'errorRate', 'p99'] as const).map((option) => (
                  <button
                    key={option}
                    type="button"
                    className="chip"
                    aria-pressed={metric === option}
                    data-testid={`sla-metric-${option}`}
                    onClick={() => setMetric(option)}
                  >
                    {s.metrics[option]}
                  </button>
                ))}
              </fieldset>
            </div>
            <div className="card-body">
              <DailyChart report={result.data} metric={metric} />
            </div>
          </section>

          <Card id="sla-incidents" className="section-gap" title={s.incidentsTitle} lead={s.incidentsLead}>
            <IncidentTable report={result.data} />
          </Card>
        </div>
      )}
    </>
  );
}
