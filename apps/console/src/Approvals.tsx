import { AppLink } from '@drop/web-common/routing';
import { type ReactNode, useState } from 'react';
import { FormDialog } from './dialog.tsx';
import { type Messages, useI18n } from './i18n.ts';
import { Field, Notice } from './Login.tsx';
import { DataTable, LoadProblem, PageHead, RefreshControl, WhenCell } from './page.tsx';
import { pathFor } from './routes.ts';
import { useSession, useStaffData } from './session.ts';
import { decideApproval, type FourEyesRequest, fetchApprovals, type StaffResult, withdrawApproval } from './staff-api.ts';

/** A refusal from the four-eyes routes, in words (FOUR_EYES_REQUIRED above all). */
export function fourEyesError(t: Messages, answer: StaffResult<unknown>, expire: () => void): string {
  if (answer.kind === 'unauthenticated') expire();
  if (answer.kind !== 'error') return t.fourEyes.failed('');
  return t.fourEyes.errors[answer.code] ?? t.fourEyes.failed(answer.code);
}

/** A dialog that asks for a text (a reason or a note) and submits it; the server's refusal is shown in it. */
export function TextDialog(props: {
  title: string;
  text: string;
  label: string;
  confirmLabel: string;
  required: boolean;
  tone: 'danger' | 'primary';
  testId: string;
  onSubmit(value: string): Promise<string | null>;
  onClose(): void;
}): ReactNode {
  const { t } = useI18n();
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | null>(null);
  return (
    <FormDialog
      title={props.title}
      confirmLabel={props.confirmLabel}
      busyLabel={t.fourEyes.saving}
      busy={busy}
      tone={props.tone}
      testId={props.testId}
      onCancel={props.onClose}
      onSubmit={async () => {
        if (props.required && !value.trim()) {
          setError(t.fourEyes.reasonRequired);
          return;
        }
        setBusy(true);
        const refused = await props.onSubmit(value.trim());
        setBusy(false);
        if (refused) setFailure(refused);
        else props.onClose();
      }}
    >
      <p>{props.text}</p>
      {failure && (
        <Notice tone="error" testId="four-eyes-error">
          {failure}
        </Notice>
      )}
      <Field label={props.label} error={error}>
        {(attributes) => (
          <textarea {...attributes} name="reason" rows={3} value={value} onChange={(event) => setValue(event.target.value)} />
        )}
      </Field>
    </FormDialog>
  );
}

/** Withdraw one's own pending proposal from the Approvals page. */
export function WithdrawProposal(props: { request: FourEyesRequest; onDone(message: string): void }): ReactNode {
  const { t } = useI18n();
  const { expire } = useSession();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button button-small" data-testid="withdraw-button" onClick={() => setOpen(true)}>
        {t.customerBlock.withdraw}
      </button>
      {open && (
        <TextDialog
          title={t.customerBlock.withdrawTitle}
          text={`${t.fourEyes.kinds[props.request.kind]} · ${props.request.subjectId} — ${t.customerBlock.withdrawText}`}
          label={t.fourEyes.note}
          confirmLabel={t.customerBlock.withdraw}
          required={false}
          tone="primary"
          testId="withdraw-dialog"
          onClose={() => setOpen(false)}
          onSubmit={async (note) => {
            const answer = await withdrawApproval(props.request.id, note);
            if (answer.kind !== 'ok') return fourEyesError(t, answer, expire);
            props.onDone(t.customerBlock.withdrawn);
            return null;
          }}
        />
      )}
    </>
  );
}

function SubjectLink(props: { request: FourEyesRequest }): ReactNode {
  const { subjectId } = props.request;
  if (subjectId.startsWith('tx_')) {
    return (
      <AppLink to={pathFor('transfer', '', subjectId)}>
        <code className="id">{subjectId}</code>
      </AppLink>
    );
  }
  // A customer: their name first (what the approver recognises), the id under it.
  return (
    <div className="cell-stack">
      {props.request.subjectName && <span className="cell-primary">{props.request.subjectName}</span>}
      <AppLink to={pathFor('customers', `?${new URLSearchParams({ query: subjectId })}`)}>
        <code className="id">{subjectId}</code>
      </AppLink>
    </div>
  );
}

/** `/console/approvals`: proposals waiting for a second person, with Approve and Reject (never for your own). */
export function Approvals(): ReactNode {
  const { t } = useI18n();
  const { me, expire } = useSession();
  const { result, reloading, reload } = useStaffData(['approvals'], (signal) => fetchApprovals(undefined, signal));
  const [deciding, setDeciding] = useState<{ request: FourEyesRequest; decision: 'approve' | 'reject' } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const mayApprove = me.permissions.includes('four_eyes_approve');
  const now = new Date();

  return (
    <>
      <PageHead title={t.sections.approvals} lead={t.fourEyes.lead}>
        <RefreshControl result={result} reloading={reloading} reload={reload} />
      </PageHead>
      {done && (
        <Notice tone="ok" testId="approval-done">
          {done}
        </Notice>
      )}
      {result.state !== 'ok' ? (
        <LoadProblem result={result} retry={reload} role={t.roles[me.role]} />
      ) : (
        <section className="card" aria-label={t.sections.approvals}>
          <DataTable
            className="table table-stack"
            testId="approvals-table"
            empty={result.data.length === 0 && t.fourEyes.empty}
            columns={[t.fourEyes.colKind, t.fourEyes.colSubject, t.fourEyes.colReason, t.fourEyes.colProposed, t.fourEyes.colActions]}
          >
            {result.data.map((request) => {
              const own = request.proposedBy === me.id;
              const why = own ? t.fourEyes.ownRequest : mayApprove ? undefined : t.fourEyes.noApprovePermission;
              return (
                <tr key={request.id} data-testid="approval-row" data-id={request.id} data-kind={request.kind}>
                  <td data-label={t.fourEyes.colKind}>{t.fourEyes.kinds[request.kind]}</td>
                  <td data-label={t.fourEyes.colSubject}>
                    <SubjectLink request={request} />
                  </td>
                  <td data-label={t.fourEyes.colReason}>{request.reason}</td>
                  <td data-label={t.fourEyes.colProposed}>
                    <div className="cell-stack">
                      <span className="cell-primary">{request.proposedByName}</span>
                      <WhenCell at={request.proposedAt} now={now} />
                    </div>
                  </td>
                  <td data-label={t.fourEyes.colActions}>
                    <div className="cell-stack">
                      <span className="button-row">
                        {(['approve', 'reject'] as const).map((decision) => (
                          <button
                            key={decision}
                            type="button"
                            className={`button button-small ${decision === 'approve' ? 'button-primary' : ''}`}
                            disabled={why !== undefined}
                            aria-describedby={why ? `why-${request.id}` : undefined}
                            data-testid={`${decision}-button`}
                            onClick={() => {
                              setDone(null);
                              setDeciding({ request, decision });
                            }}
                          >
                            {t.fourEyes[decision]}
                          </button>
                        ))}
                      </span>
                      {why && (
                        <span className="cell-secondary" id={`why-${request.id}`} data-testid="approval-why-disabled">
                          {why}
                        </span>
                      )}
                      {own && (
                        <span className="button-row">
                          <WithdrawProposal
                            request={request}
                            onDone={(message) => {
                              setDone(message);
                              reload();
                            }}
                          />
                        </span>
                      )}
                    </div>
                  </td>
                </tr>
              );
            })}
          </DataTable>
        </section>
      )}
      {deciding && (
        <TextDialog
          title={deciding.decision === 'approve' ? t.fourEyes.approveTitle : t.fourEyes.rejectTitle}
          text={`${t.fourEyes.kinds[deciding.request.kind]} · ${deciding.request.subjectId} — ${deciding.decision === 'approve' ? t.fourEyes.approveText : t.fourEyes.rejectText}`}
          label={t.fourEyes.note}
          confirmLabel={t.fourEyes[deciding.decision]}
          required={false}
          tone={deciding.decision === 'approve' ? 'primary' : 'danger'}
          testId={`${deciding.decision}-dialog`}
          onClose={() => setDeciding(null)}
          onSubmit={async (note) => {
            const answer = await decideApproval(deciding.request.id, deciding.decision, note);
            if (answer.kind !== 'ok') return fourEyesError(t, answer, expire);
            setDone(t.fourEyes.decided(answer.data.status));
            reload();
            return null;
          }}
        />
      )}
    </>
  );
}
