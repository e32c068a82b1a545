import { formatDateTime } from '@drop/web-common';
import type { ReactNode } from 'react';
import { useI18n } from './i18n.ts';
import { Card, DataTable, LoadProblem } from './page.tsx';
import { useSession, useStaffData } from './session.ts';
import { fetchLastRetentionRun, fetchRetentionRules } from './staff-api.ts';
import { Badge } from './ui.tsx';

/**
 * The retention rules on the Data requests page (issue 14 item 3): what is kept, how long, from
 * when, why, what happens then, who applies it, and how many subjects the job would remove now
 * (`GET /api/staff/privacy/retention`, the same numbers `drop privacy retention` prints). The
 * rule texts are the `retention_rules` rows as written (one home for them: the database).
 */
export function RetentionRules(): ReactNode {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const { result, reload } = useStaffData(['privacy-retention'], (signal) => fetchRetentionRules(signal));
  const lastRun = useStaffData(['privacy-retention-last-run'], (signal) => fetchLastRetentionRun(signal)).result;
  const r = t.dataRequests;
  const lead = (
    <>
      {r.retentionLead}{' '}
      {lastRun.state === 'ok' && (
        <span data-testid="retention-last-run">
          {lastRun.data
            ? r.lastRun(
                formatDateTime(new Date(lastRun.data.at), locale),
                Object.values(lastRun.data.applied).reduce((sum, count) => sum + count, 0),
              )
            : r.neverRun}
        </span>
      )}
    </>
  );
  return (
    <Card id="retention" className="retention-card" title={r.retentionTitle} lead={lead} testId="retention-rules">
      {result.state !== 'ok' ? (
        <LoadProblem result={result} retry={reload} role={t.roles[me.role]} />
      ) : (
        <DataTable
          className="table table-stack"
          testId="retention-table"
          empty={result.data.length === 0 && r.retentionEmpty}
          columns={[r.colWhat, r.colKeepFor, r.colLegal, r.colAction, r.colDueNow]}
        >
          {result.data.map((rule) => (
            <tr key={rule.code} data-testid="retention-rule" data-code={rule.code} data-due={rule.due ?? ''}>
              <td data-label={r.colWhat}>
                <div className="cell-stack">
                  <span className="cell-primary" title={rule.code}>
                    {t.retentionRuleNames[rule.code] ?? rule.code}
                  </span>
                  <span className="cell-secondary cell-wrap" lang="en" title={locale === 'en' ? undefined : t.inEnglish}>
                    {rule.appliesTo}
                  </span>
                </div>
              </td>
              <td data-label={r.colKeepFor}>
                <div className="cell-stack">
                  <span className="cell-primary" data-testid="retention-keep-for">
                    {r.keepFor(rule.keepFor)}
                  </span>
                  <span className="cell-secondary cell-wrap">
                    {r.countedFrom('')}
                    <span lang="en">{rule.countedFrom}</span>
                  </span>
                </div>
              </td>
              <td data-label={r.colLegal}>
                <span className="cell-secondary cell-wrap" lang="en" title={locale === 'en' ? undefined : t.inEnglish}>
                  {rule.legalBasis}
                </span>
              </td>
              <td data-label={r.colAction}>
                <div className="cell-stack">
                  <span className="cell-primary">{r.actions[rule.action]}</span>
                  <span className="cell-secondary">{r.appliedBy(r.enforcedElsewhere[rule.enforcedBy])}</span>
                  {!rule.enabled && <Badge tone="neutral">{r.disabled}</Badge>}
                </div>
              </td>
              <td data-label={r.colDueNow}>
                <div className="cell-stack">
                  <span className="cell-primary" data-testid="retention-due">
                    {rule.due ?? r.notTheJobs}
                  </span>
                  {(rule.heldForInvestigation ?? 0) > 0 && (
                    <span className="cell-secondary">{r.heldBack(rule.heldForInvestigation ?? 0)}</span>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </Card>
  );
}
