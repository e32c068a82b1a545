import { AppLink } from '@drop/web-common/routing';
import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { caseTitleOf } from './AmlCases.tsx';
import { type AmlCaseSummary, addAlertToAmlCase, fetchAmlCases, openAmlCase } from './case-api.ts';
import { type Messages, useI18n } from './i18n.ts';
import { Notice } from './Login.tsx';
import { pathFor, useNavigate } from './routes.ts';
import { useSession, useStaffData } from './session.ts';
import type { AmlAlertDetail, StaffResult } from './staff-api.ts';

const noCases = async (): Promise<StaffResult<AmlCaseSummary[]>> => ({ kind: 'ok', data: [] });

function failureText(t: Messages, answer: Extract<StaffResult<unknown>, { kind: 'error' }>): string {
  if (answer.status === 0) return t.networkFailed;
  return t.amlCases.errors[answer.code] ?? t.amlCases.failed(answer.code);
}

/**
 * The alert's case on its page: a link when it is in one (closed as escalated, or added); else,
 * for staff who work cases, "Add to the case …" when its customer has an open case, or "Open case"
 * with this alert in it.
 */
export function AlertCase(props: { alert: AmlAlertDetail }): ReactNode {
  const { t } = useI18n();
  const { me, expire } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { alert } = props;
  const mayWorkCases = me.permissions.includes('str_reports');
  const wanted = mayWorkCases && !alert.caseId;
  const cases = useStaffData<AmlCaseSummary[]>(
    wanted ? ['aml-cases', 'active'] : ['aml-cases', 'not needed'],
    wanted ? (signal) => fetchAmlCases('active', false, signal) : noCases,
  );
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();

  if (alert.caseId) {
    return (
      <Notice tone="info" testId="alert-case">
        {t.amlCases.inCase}{' '}
        <AppLink to={pathFor('amlCase', '', alert.caseId)} testId="alert-case-link">
          {t.amlCases.openCaseLink}
        </AppLink>
      </Notice>
    );
  }
  if (!mayWorkCases || cases.result.state !== 'ok') return null;
  const customerCase = cases.result.data.find((item) => item.userId === alert.customer.id);

  const run = async (call: () => Promise<StaffResult<{ id: string }>>) => {
    setBusy(true);
    setFailure(undefined);
    const answer = await call();
    setBusy(false);
    if (answer.kind === 'unauthenticated') return expire();
    if (answer.kind === 'error') return setFailure(failureText(t, answer));
    await queryClient.invalidateQueries({ queryKey: ['aml-cases'] });
    navigate('amlCase', { id: answer.data.id });
  };

  return (
    <div className="section-gap review-actions" data-testid="alert-case-actions">
      {failure && (
        <Notice tone="error" testId="alert-case-error">
          {failure}
        </Notice>
      )}
      {customerCase ? (
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => run(() => addAlertToAmlCase(customerCase.id, alert.id))}
          data-testid="alert-add-to-case"
        >
          {t.amlCases.addToCase(caseTitleOf(t, customerCase))}
        </button>
      ) : (
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() =>
            run(() =>
              openAmlCase({
                userId: alert.customer.id,
                title: t.amlCases.defaultTitle(t.rules[alert.rule] ?? alert.rule),
                alertIds: [alert.id],
              }),
            )
          }
          data-testid="alert-open-case"
        >
          {t.amlCases.openNewCase}
        </button>
      )}
    </div>
  );
}
