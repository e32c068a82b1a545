import { type ReactNode, useState } from 'react';
import { formatAmount } from './AmlAlerts.tsx';
import { useI18n } from './i18n.ts';
import { DataTable, LoadProblem, OpenButton, PageHead, RefreshControl, WhenCell } from './page.tsx';
import { pathFor } from './routes.ts';
import { useSession, useStaffData } from './session.ts';
import { fetchStrs, type StrStatus } from './staff-api.ts';
import { Badge } from './ui.tsx';

type Tab = 'awaiting' | 'drafts' | 'approved' | 'filed';
const TAB_STATUS: Record<Tab, StrStatus> = { awaiting: 'awaiting_approval', drafts: 'draft', approved: 'approved', filed: 'filed' };

export function StrStatusBadge(props: { status: StrStatus }): ReactNode {
  const { t } = useI18n();
  const tone =
    props.status === 'filed' ? 'ok' : props.status === 'awaiting_approval' ? 'warn' : props.status === 'approved' ? 'info' : 'neutral';
  return (
    <Badge tone={tone} testId="str-status">
      {t.strs.status[props.status] ?? props.status}
    </Badge>
  );
}

/** `/console/strs`: the STRs by step: awaiting approval (a lead's work), drafts, approved, filed. */
export function Strs(): ReactNode {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const [tab, setTab] = useState<Tab>('awaiting');
  const { result, reloading, reload } = useStaffData(['strs', tab], (signal) => fetchStrs({ status: TAB_STATUS[tab] }, signal));
  const now = new Date();
  return (
    <>
      <PageHead title={t.sections.str} lead={t.strs.lead}>
        <RefreshControl result={result} reloading={reloading} reload={reload} />
      </PageHead>
      <section className="card" aria-label={t.sections.str}>
        <div className="card-head card-head-row">
          <fieldset className="chips" data-testid="str-tabs">
            <legend className="visually-hidden">{t.strs.colStatus}</legend>
            {(Object.keys(TAB_STATUS) as Tab[]).map((option) => (
              <button
                key={option}
                type="button"
                className="chip"
                aria-pressed={tab === option}
                onClick={() => setTab(option)}
                data-testid={`str-tab-${option}`}
              >
                {t.strs.tabs[option]}
              </button>
            ))}
          </fieldset>
        </div>
        {result.state !== 'ok' ? (
          <LoadProblem result={result} retry={reload} role={t.roles[me.role]} />
        ) : (
          <DataTable
            testId="str-table"
            empty={result.data.length === 0 && t.strs.empty}
            columns={[
              t.strs.colReference,
              t.strs.colStatus,
              t.strs.colCustomer,
              { label: t.strs.colAmount, num: true },
              t.strs.colDrafted,
              { label: t.strs.open, hidden: true },
            ]}
          >
            {result.data.map((str) => (
              <tr key={str.id} data-testid="str-row" data-id={str.id} data-status={str.status}>
                <td>
                  <div className="cell-stack">
                    <code className="cell-primary">{str.reference}</code>
                    <span className="cell-secondary">{t.strs.reportType[str.reportType] ?? str.reportType}</span>
                  </div>
                </td>
                <td>
                  <StrStatusBadge status={str.status} />
                </td>
                <td>{str.customerName ?? str.userId}</td>
                <td className="num align-right">{str.amountNok ? formatAmount(str.amountNok, 'NOK', locale) : '–'}</td>
                <td>
                  <div className="cell-stack">
                    <span className="cell-primary">{str.draftedBy?.name ?? '–'}</span>
                    <WhenCell at={str.createdAt} now={now} />
                  </div>
                </td>
                <td className="align-right">
                  <OpenButton to={pathFor('str', '', str.id)} label={t.strs.open} name={str.reference} testId="str-open" />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </>
  );
}
