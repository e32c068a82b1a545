import { formatDateTime } from '@drop/web-common';
import { type ReactNode, useState } from 'react';
import { FormDialog } from './dialog.tsx';
import { type Messages, useI18n } from './i18n.ts';
import { Field, Notice } from './Login.tsx';
import { DataTable, LoadProblem, PageHead, RefreshControl } from './page.tsx';
import { BASE } from './routes.ts';
import { useSession, useStaffData } from './session.ts';
import { changeStaffMember, fetchStaffMembers, STAFF_ROLES, type StaffMember, type StaffRole } from './staff-api.ts';
import { Badge } from './ui.tsx';

type ChangeKind = 'disable' | 'enable' | 'reset-totp' | 'role';

/** What a change did, kept as facts so the notice follows the language switch. */
interface Outcome {
  kind: ChangeKind;
  name: string;
  sessionsEnded: number;
  role: StaffRole;
  enrolmentLink?: string;
}

function outcomeText(t: Messages, outcome: Outcome): string {
  const done = t.staffAdmin.done;
  if (outcome.kind === 'disable') return done.disable(outcome.name, outcome.sessionsEnded);
  if (outcome.kind === 'enable') return done.enable(outcome.name);
  if (outcome.kind === 'reset-totp') return done['reset-totp'](outcome.name);
  return done.role(outcome.name, t.roles[outcome.role]);
}

const STATE_TONE: Record<StaffMember['state'], 'ok' | 'info' | 'warn' | 'neutral'> = {
  active: 'ok',
  invited: 'info',
  locked: 'warn',
  disabled: 'neutral',
};

/** The dialog for one change: the reason (always), and the new role for a role change. */
function ChangeDialog(props: {
  member: StaffMember;
  kind: ChangeKind;
  onClose(): void;
  onDone(outcome: Outcome): void;
  /** Someone else changed the account meanwhile: the list is loaded again. */
  onStale(): void;
}): ReactNode {
  const { t } = useI18n();
  const { expire } = useSession();
  const s = t.staffAdmin;
  const { member, kind } = props;
  const [reason, setReason] = useState('');
  const [role, setRole] = useState<StaffRole>(member.role === 'support' ? 'compliance_officer' : 'support');
  const [error, setError] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const title =
    kind === 'disable'
      ? s.disableTitle(member.name)
      : kind === 'enable'
        ? s.enableTitle(member.name)
        : kind === 'reset-totp'
          ? s.resetTitle(member.name)
          : s.roleTitle(member.name);
  const text = kind === 'disable' ? s.disableText : kind === 'enable' ? s.enableText : kind === 'reset-totp' ? s.resetText : s.roleText;
  const confirmLabel = kind === 'disable' ? s.disable : kind === 'enable' ? s.enable : kind === 'reset-totp' ? s.resetTotp : s.save;

  const submit = async () => {
    if (reason.trim().length < 3) {
      setError(s.reasonRequired);
      return;
    }
    setError(undefined);
    setFailure(undefined);
    setBusy(true);
    const answer = await changeStaffMember(
      member.id,
      kind === 'role' ? { kind, role, reason: reason.trim() } : { kind, reason: reason.trim() },
    );
    setBusy(false);
    if (answer.kind === 'unauthenticated') return expire();
    if (answer.kind !== 'ok') {
      setFailure(s.errors[answer.code] ?? s.failed(answer.code));
      if (answer.code === 'STAFF_STATE_INVALID' || answer.code === 'NOT_FOUND') props.onStale();
      return;
    }
    const changed = answer.data;
    props.onDone({
      kind,
      name: changed.member.name,
      sessionsEnded: changed.sessionsEnded,
      role: changed.member.role,
      ...(changed.enrolmentToken
        ? { enrolmentLink: `${window.location.origin}${BASE}/enrol?token=${encodeURIComponent(changed.enrolmentToken)}` }
        : {}),
    });
  };

  return (
    <FormDialog
      title={title}
      confirmLabel={confirmLabel}
      busyLabel={s.saving}
      busy={busy}
      tone={kind === 'disable' || kind === 'reset-totp' ? 'danger' : 'primary'}
      testId={`staff-${kind}-dialog`}
      onCancel={props.onClose}
      onSubmit={() => void submit()}
    >
      <p>{text}</p>
      {failure && (
        <Notice tone="error" testId="staff-change-error">
          {failure}
        </Notice>
      )}
      {kind === 'role' && (
        <Field label={s.newRole}>
          {(attributes) => (
            <select {...attributes} name="role" value={role} onChange={(event) => setRole(event.target.value as StaffRole)}>
              {STAFF_ROLES.map((option) => (
                <option key={option} value={option} disabled={option === member.role}>
                  {t.roles[option]}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <Field label={s.reason} error={error}>
        {(attributes) => (
          <textarea
            {...attributes}
            name="reason"
            rows={3}
            maxLength={500}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
          />
        )}
      </Field>
    </FormDialog>
  );
}

/** `/console/staff`: every staff account, and an admin's changes to them (never to their own). */
export function StaffAdmin(): ReactNode {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const s = t.staffAdmin;
  const { result, reloading, reload } = useStaffData(['staff-members'], (signal) => fetchStaffMembers(signal));
  const [change, setChange] = useState<{ member: StaffMember; kind: ChangeKind }>();
  const [outcome, setOutcome] = useState<Outcome>();

  return (
    <>
      <PageHead title={t.sections.staff} lead={s.lead}>
        <RefreshControl result={result} reloading={reloading} reload={reload} />
      </PageHead>
      {outcome && (
        <div className="stack-tight staff-outcome" data-testid="staff-outcome">
          <Notice tone="ok">{outcomeText(t, outcome)}</Notice>
          {outcome.enrolmentLink && (
            <div className="card card-body">
              <p>
                <strong>{s.enrolLink}</strong>
              </p>
              <p>
                <code className="id enrol-link" data-testid="staff-enrol-link">
                  {outcome.enrolmentLink}
                </code>
              </p>
              <p className="muted">{s.enrolLinkHint}</p>
            </div>
          )}
        </div>
      )}
      {result.state !== 'ok' ? (
        <LoadProblem result={result} retry={reload} role={t.roles[me.role]} />
      ) : (
        <section className="card" aria-labelledby="staff-title" aria-busy={reloading}>
          <div className="card-head">
            <h2 id="staff-title">{s.countTitle(result.data.length)}</h2>
          </div>
          <DataTable
            className="table table-stack"
            testId="staff-table"
            columns={[s.colName, s.colRole, s.colState, s.colLastSignIn, { label: s.colActions, hidden: true }]}
          >
            {result.data.map((member) => {
              const own = member.id === me.id;
              return (
                <tr
                  key={member.id}
                  data-testid="staff-row"
                  data-staff-id={member.id}
                  data-state={member.state}
                  className={member.state === 'disabled' ? 'row-muted' : undefined}
                >
                  <td data-label={s.colName}>
                    <div className="cell-stack">
                      <span className="cell-primary">
                        {member.name}
                        {own && <span className="muted"> ({s.you})</span>}
                      </span>
                      <span className="cell-secondary">{member.email}</span>
                    </div>
                  </td>
                  <td data-label={s.colRole} data-testid="staff-role-cell">
                    {t.roles[member.role]}
                  </td>
                  <td data-label={s.colState}>
                    <div className="cell-stack">
                      <span>
                        <Badge tone={STATE_TONE[member.state]} testId="staff-state">
                          {s.states[member.state] ?? member.state}
                        </Badge>
                      </span>
                      {member.liveSessions > 0 && <span className="cell-secondary">{s.liveSessions(member.liveSessions)}</span>}
                    </div>
                  </td>
                  <td data-label={s.colLastSignIn} className="num nowrap">
                    {member.lastSignInAt ? formatDateTime(new Date(member.lastSignInAt), locale) : s.never}
                  </td>
                  <td className="align-right">
                    {own ? (
                      <span className="cell-secondary" data-testid="staff-own">
                        {s.ownAccount}
                      </span>
                    ) : (
                      <span className="row-actions">
                        {member.state !== 'disabled' && (
                          <>
                            <button
                              type="button"
                              className="button button-small"
                              data-testid="staff-role-button"
                              onClick={() => {
                                setOutcome(undefined);
                                setChange({ member, kind: 'role' });
                              }}
                            >
                              {s.changeRole}
                              <span className="visually-hidden"> – {member.name}</span>
                            </button>
                            <button
                              type="button"
                              className="button button-small"
                              data-testid="staff-reset-button"
                              onClick={() => {
                                setOutcome(undefined);
                                setChange({ member, kind: 'reset-totp' });
                              }}
                            >
                              {s.resetTotp}
                              <span className="visually-hidden"> – {member.name}</span>
                            </button>
                          </>
                        )}
                        <button
                          type="button"
                          className={`button button-small ${member.state === 'disabled' ? '' : 'button-danger-outline'}`}
                          data-testid={member.state === 'disabled' ? 'staff-enable-button' : 'staff-disable-button'}
                          onClick={() => {
                            setOutcome(undefined);
                            setChange({ member, kind: member.state === 'disabled' ? 'enable' : 'disable' });
                          }}
                        >
                          {member.state === 'disabled' ? s.enable : s.disable}
                          <span className="visually-hidden"> – {member.name}</span>
                        </button>
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </DataTable>
        </section>
      )}
      {change && (
        <ChangeDialog
          member={change.member}
          kind={change.kind}
          onClose={() => setChange(undefined)}
          onStale={reload}
          onDone={(done) => {
            setChange(undefined);
            setOutcome(done);
            reload();
          }}
        />
      )}
    </>
  );
}
