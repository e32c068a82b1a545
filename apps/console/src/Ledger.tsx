import type { ReactNode } from 'react';
import { formatAmount } from './AmlAlerts.tsx';
import { useI18n } from './i18n.ts';
import { Notice } from './Login.tsx';
import { Card, DataTable, LoadProblem, PageHead, RefreshControl } from './page.tsx';
import { useSession, useStaffData } from './session.ts';
import { fetchLedger } from './staff-api.ts';

/** `/console/ledger` (admins): the ledger's invariants checked now, and balances per purpose and currency. */
export function Ledger(): ReactNode {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const { result, reloading, reload } = useStaffData(['ledger'], fetchLedger);

  return (
    <>
      <PageHead title={t.sections.ledger} lead={t.ledgerLead}>
        <RefreshControl result={result} reloading={reloading} reload={reload} />
      </PageHead>
      {result.state !== 'ok' ? (
        <LoadProblem result={result} retry={reload} role={t.roles[me.role]} />
      ) : (
        <>
          {result.data.report.ok ? (
            <Notice tone="ok" testId="ledger-status">
              {t.ledgerOk}
            </Notice>
          ) : (
            <Notice tone="error" testId="ledger-status">
              {t.ledgerBroken(result.data.report.violations.length)}
            </Notice>
          )}
          <div className="stat-strip">
            <div className="stat">
              <span className="stat-label">{t.ledgerAccounts}</span>
              <span className="stat-value">{result.data.report.accounts}</span>
            </div>
            <div className="stat">
              <span className="stat-label">{t.ledgerPostings}</span>
              <span className="stat-value">{result.data.report.postings}</span>
            </div>
            <div className="stat">
              <span className="stat-label">{t.ledgerTransfers}</span>
              <span className="stat-value">{result.data.report.transfers}</span>
            </div>
          </div>
          {result.data.report.violations.length > 0 && (
            <Card id="violations" title={t.violationsTitle} className="section-gap">
              <DataTable className="table table-dense" columns={[t.colInvariant, t.colDetails]}>
                {result.data.report.violations.map((violation, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a report is shown as it came; rows have no id.
                  <tr key={index}>
                    <td>
                      <code>{violation.invariant}</code>
                    </td>
                    <td>
                      <code className="details">{JSON.stringify(violation.detail)}</code>
                    </td>
                  </tr>
                ))}
              </DataTable>
            </Card>
          )}
          <Card id="balances" title={t.balancesTitle} lead={t.balancesLead}>
            <DataTable
              testId="balance-table"
              empty={result.data.balances.length === 0 && t.postingsEmpty}
              columns={[
                t.colPurpose,
                t.colCurrency,
                { label: t.colAccounts, num: true },
                { label: t.colDebitsPosted, num: true },
                { label: t.colCreditsPosted, num: true },
                { label: t.colReserved, num: true },
                { label: t.colNet, num: true },
              ]}
            >
              {result.data.balances.map((balance) => (
                <tr key={`${balance.purpose}:${balance.currency}`} data-testid="balance-row">
                  <td className="cell-primary">{t.purposes[balance.purpose]}</td>
                  <td>
                    <code>{balance.currency}</code>
                  </td>
                  <td className="num align-right">{balance.accounts}</td>
                  <td className="num align-right">{formatAmount(balance.debitsPosted, balance.currency, locale)}</td>
                  <td className="num align-right">{formatAmount(balance.creditsPosted, balance.currency, locale)}</td>
                  <td className="num align-right muted">
                    {formatAmount(balance.debitsPending, balance.currency, locale)} /{' '}
                    {formatAmount(balance.creditsPending, balance.currency, locale)}
                  </td>
                  <td className="num align-right cell-primary">{formatAmount(balance.postedNet, balance.currency, locale)}</td>
                </tr>
              ))}
            </DataTable>
          </Card>
        </>
      )}
    </>
  );
}
