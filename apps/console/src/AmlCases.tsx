import { formatDateTime } from '@drop/web-common';
import type { ReactNode } from 'react';
import { type AmlCaseSummary, type CaseListStatus, type CaseStatus, fetchAmlCases } from './case-api.ts';
import { type Messages, useI18n } from './i18n.ts';
import { DataTable, LoadProblem, OpenButton, PageHead, RefreshControl } from './page.tsx';
import { pathFor, useNavigate } from './routes.ts';
import { useSession, useStaffData } from './session.ts';
import { Badge } from './ui.tsx';

/** The views of the list: the active cases (the default), the overdue ones, one status, or all. */
const VIEWS = ['active', 'overdue', 'open', 'investigating', 'closed', 'all'] as const;
type CaseView = (typeof VIEWS)[number];

/** `?view=overdue` → 'overdue' (the overview links there); anything else → the active cases. */
export function caseViewOf(search: string): CaseView {
  const view = new URLSearchParams(search).get('view');
  return (VIEWS as readonly string[]).includes(view ?? '') ? (view as CaseView) : 'active';
}

/**
 * A case's title in the reader's language: a case opened by escalating an alert is titled from its
 * rule ("Eskalert varsel: Stor overføring"); the stored title is for psql readers.
 */
export function caseTitleOf(t: Messages, found: { title: string; escalatedRule: string | null }): string {
  return found.escalatedRule ? t.amlCases.escalatedTitle(t.rules[found.escalatedRule] ?? found.escalatedRule) : found.title;
}

const STATUS_TONE: Record<CaseStatus, 'info' | 'warn' | 'neutral'> = { open: 'info', investigating: 'warn', closed: 'neutral' };

export function CaseStatusBadge(props: { status: CaseStatus }): ReactNode {
  const { t } = useI18n();
  return (
    <Badge tone={STATUS_TONE[props.status]} testId="case-status">
      {t.amlCases.status[props.status]}
    </Badge>
  );
}

/** The due date, and when it has passed (and the case is not closed) how many days overdue, in red. */
export function DueCell(props: { item: Pick<AmlCaseSummary, 'dueAt' | 'overdue' | 'daysOverdue'> }): ReactNode {
  const { t, locale } = useI18n();
  const { item } = props;
  return (
    <div className="cell-stack">
      <span className="cell-primary num nowrap">{formatDateTime(new Date(item.dueAt), locale)}</span>
      {item.overdue && (
        <span>
          <Badge tone="critical" testId="case-overdue">
            {item.daysOverdue === 0 ? t.amlCases.overdueToday : t.amlCases.overdueBy(item.daysOverdue)}
          </Badge>
        </span>
      )}
    </div>
  );
}

/** The case list: active cases by default, overdue first; the "Overdue" view is the lead's § 25 follow-up. */
export function AmlCases(props: { search: string }): ReactNode {
  const { t } = useI18n();
  const { me } = useSession();
  const navigate = useNavigate();
  const view = caseViewOf(props.search);
  const status: CaseListStatus = view === 'overdue' ? 'active' : view;
  const { result, reloading, reload } = useStaffData(['aml-cases', view], (signal) => fetchAmlCases(status, view === 'overdue', signal));
  const cases = result.state === 'ok' ? result.data : [];

  return (
    <>
      <PageHead title={t.sections.cases} lead={t.amlCases.lead}>
        <RefreshControl result={result} reloading={reloading} reload={reload} />
      </PageHead>
      {result.state !== 'ok' ? (
        <LoadProblem result={result} retry={reload} role={t.roles[me.role]} />
      ) : (
        <section className="card" aria-label={t.sections.cases}>
          <div className="card-head card-head-row">
            <fieldset className="chips" data-testid="case-view-filter">
              <legend className="visually-hidden">{t.amlCases.statusFilter}</legend>
              {VIEWS.map((option) => (
                <button
                  key={option}
                  type="button"
                  className={option === 'overdue' ? 'chip chip-critical' : 'chip'}
                  aria-pressed={view === option}
                  onClick={() => navigate('cases', { search: option === 'active' ? '' : `?view=${option}`, replace: true })}
                  data-testid={`case-view-${option}`}
                >
                  {t.amlCases.shown[option]}
                </button>
              ))}
            </fieldset>
          </div>
          <DataTable
            testId="case-table"
            view={view}
            empty={cases.length === 0 && (view === 'overdue' ? t.amlCases.overdueEmpty : t.amlCases.empty)}
            columns={[
              t.amlCases.colCustomer,
              t.amlCases.colTitle,
              t.amlCases.colStatus,
              t.amlCases.colDue,
              { label: t.amlCases.colAlerts, num: true },
              t.amlCases.colAssigned,
              { label: t.amlCases.openCase, hidden: true },
            ]}
          >
            {cases.map((item) => (
              <tr
                key={item.id}
                data-testid="case-row"
                data-case-id={item.id}
                data-status={item.status}
                data-overdue={item.overdue ? 'true' : 'false'}
                className={item.overdue ? 'row-alert' : undefined}
              >
                <td>
                  <div className="cell-stack">
                    <span className="cell-primary">{item.customerName ?? item.email ?? item.userId}</span>
                    <span className="cell-secondary">{item.email ?? ''}</span>
                  </div>
                </td>
                <td className="cell-wrap" data-testid="case-title">
                  {caseTitleOf(t, item)}
                </td>
                <td>
                  <CaseStatusBadge status={item.status} />
                </td>
                <td>
                  <DueCell item={item} />
                </td>
                <td className="num align-right" data-testid="case-alert-count">
                  {item.alertCount}
                </td>
                <td>{item.assignedTo ? item.assignedTo.name : <span className="muted">{t.amlCases.unassigned}</span>}</td>
                <td className="align-right">
                  <OpenButton
                    to={pathFor('amlCase', '', item.id)}
                    label={t.amlCases.openCase}
                    name={`${t.amlCases.caseTitle} ${caseTitleOf(t, item)}`}
                    testId="case-open"
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
