import { countryName, formatCustomerNumber, formatDate, formatDateTime, formatNok } from '@drop/web-common';
import { AppLink } from '@drop/web-common/routing';
import { type FormEvent, type ReactNode, useState } from 'react';
import { formatAmount } from './AmlAlerts.tsx';
import { CustomerBlockActions } from './CustomerBlock.tsx';
import { ConfirmDialog } from './dialog.tsx';
import { useI18n } from './i18n.ts';
import { History } from './KycCase.tsx';
import { kycTone } from './KycQueue.tsx';
import { Field, Notice } from './Login.tsx';
import { BackLink, Card, DataTable, LoadProblem, OpenButton, PageHead, RefreshControl, WhenCell } from './page.tsx';
import { pathFor } from './routes.ts';
import { useSession, useStaffData } from './session.ts';
import { addCustomerNote, fetchCustomerProfile, type CustomerProfile as Profile, revokeCustomerSessions } from './staff-api.ts';
import { TransferStatusBadge, transfersSearch } from './Transfers.tsx';
import { Badge, LogoutIcon } from './ui.tsx';

type Standing = Profile['standing'];

function Fact(props: { label: string; children: ReactNode; testId?: string }): ReactNode {
  return (
    <div className="fact">
      <dt>{props.label}</dt>
      <dd data-testid={props.testId}>{props.children}</dd>
    </div>
  );
}

/** Whether the customer may move money: closed, blocked by compliance, held back by KYC, or active. */
function AccountBadge(props: { standing: Standing }): ReactNode {
  const { t, locale } = useI18n();
  const { standing } = props;
  if (standing.deletedAt) return <Badge tone="danger">{t.profile.deleted(formatDate(standing.deletedAt, locale))}</Badge>;
  if (standing.amlFrozenAt) return <Badge tone="critical">{t.profile.blocked(formatDate(standing.amlFrozenAt, locale))}</Badge>;
  if (standing.blockReason) return <Badge tone="warn">{t.profile.cannotSend}</Badge>;
  return <Badge tone="ok">{t.profile.active}</Badge>;
}

function StandingStrip(props: { profile: Profile }): ReactNode {
  const { t, locale } = useI18n();
  const { standing, transfers } = props.profile;
  return (
    <dl className="case-facts card" data-testid="profile-standing">
      <div className="case-fact">
        <dt>{t.profile.standingKyc}</dt>
        <dd>
          <Badge tone={kycTone(standing.kycStatus)} testId="profile-kyc-status">
            {t.kycStatus[standing.kycStatus] ?? standing.kycStatus}
          </Badge>
        </dd>
      </div>
      <div className="case-fact">
        <dt>{t.profile.standingAccount}</dt>
        <dd data-testid="profile-account">
          <AccountBadge standing={standing} />
        </dd>
        {standing.amlFrozenReason && <dd className="figure-note">{standing.amlFrozenReason}</dd>}
      </div>
      <div className="case-fact">
        <dt>{t.profile.standingTier}</dt>
        <dd data-testid="profile-tier">{t.profile.tier(standing.kycTier)}</dd>
        {standing.sourceOfFundsDeclaredAt ? (
          <dd className="figure-note">{t.profile.eddDeclared(formatDate(standing.sourceOfFundsDeclaredAt, locale))}</dd>
        ) : (
          standing.eddRequiredAt && <dd className="figure-note">{t.profile.eddRequested}</dd>
        )}
      </div>
      <div className="case-fact">
        <dt>{t.profile.standingTransfers}</dt>
        <dd className="figure" data-testid="profile-transfer-total">
          {transfers.total}
        </dd>
      </div>
    </dl>
  );
}

function IdentityCard(props: { profile: Profile }): ReactNode {
  const { t, locale } = useI18n();
  const { identity } = props.profile;
  return (
    <Card id="identity" title={t.profile.identityTitle} lead={t.profile.identityLead} testId="profile-identity">
      <dl className="facts">
        <Fact label={t.colCustomerNumber} testId="identity-customer-number">
          <span className="id">{formatCustomerNumber(identity.customerNumber)}</span>
        </Fact>
        <Fact label={t.profile.name} testId="identity-name">
          {identity.name ?? t.noName}
        </Fact>
        <Fact label={t.profile.birthDate} testId="identity-birth-date">
          {identity.birthDate ? formatDate(identity.birthDate, locale) : t.profile.unknown}
        </Fact>
        <Fact label={t.profile.nationalId} testId="identity-national-id">
          {identity.nationalId ? (
            <span className="cell-stack">
              <code className="id" data-masked={identity.nationalIdMasked}>
                {identity.nationalId}
              </code>
              {identity.nationalIdMasked && <span className="cell-secondary">{t.profile.nationalIdMasked}</span>}
            </span>
          ) : (
            t.profile.unknown
          )}
        </Fact>
        <Fact label={t.profile.address} testId="identity-address">
          {identity.address ?? <span className="muted">{t.profile.addressNone}</span>}
        </Fact>
        <Fact label={t.profile.email} testId="identity-email">
          {identity.email ?? t.noEmail}
        </Fact>
        <Fact label={t.profile.language}>{t.languageName[identity.locale]}</Fact>
        <Fact label={t.profile.registered}>{formatDateTime(new Date(identity.createdAt), locale)}</Fact>
        <Fact label={t.profile.lastLogin}>
          {identity.lastLoginAt ? formatDateTime(new Date(identity.lastLoginAt), locale) : t.profile.never}
        </Fact>
      </dl>
    </Card>
  );
}

function ActionsCard(props: { profile: Profile; onChanged(): void }): ReactNode {
  const { t } = useI18n();
  const { me, can } = useSession();
  const { profile } = props;
  const mayBlock = me.permissions.includes('transfer_hold') && !profile.standing.deletedAt;
  const mayKyc = can('kyc');
  const mayTransfers = can('transfers');
  const name = profile.identity.name ?? profile.identity.email ?? profile.id;
  return (
    <Card id="actions" title={t.profile.actionsTitle} lead={t.profile.actionsLead} testId="profile-actions">
      <div className="card-body stack-tight">
        {mayBlock && (
          <CustomerBlockActions
            customer={{ id: profile.id, name, amlFrozenAt: profile.standing.amlFrozenAt, deletedAt: profile.standing.deletedAt }}
            pending={profile.standing.pendingBlockRequest}
            onChanged={props.onChanged}
          />
        )}
        {(mayKyc || mayTransfers) && (
          <span className="button-row">
            {mayKyc && (
              <AppLink to={pathFor('kycCase', '', profile.id)} className="button button-small" testId="profile-kyc-case">
                {t.profile.openKycCase}
              </AppLink>
            )}
            {mayTransfers && (
              <AppLink to={pathFor('transfers', transfersSearch('recent', profile.id))} className="button button-small">
                {t.profile.openTransfers}
              </AppLink>
            )}
          </span>
        )}
        {!mayBlock && !me.permissions.includes('revoke_customer_sessions') && <p className="muted">{t.profile.actionsNone}</p>}
      </div>
    </Card>
  );
}

function KycCard(props: { profile: Profile }): ReactNode {
  const { t, locale } = useI18n();
  const { applicant, history } = props.profile.kyc;
  return (
    <section className="stack" data-testid="profile-kyc">
      {applicant ? (
        <Card id="kyc-applicant" title={t.profile.kycTitle} lead={t.profile.kycLead}>
          <dl className="facts">
            <Fact label={t.profile.kycLevel}>
              {/* The provider's configured level, as KycCase shows it: a name, not Drop's text. */}
              <span translate="no">{applicant.levelName}</span>
            </Fact>
            <Fact label={t.profile.kycReview} testId="kyc-review">
              {t.profile.reviewStatus[applicant.reviewStatus] ?? t.profile.unknown}
              {applicant.reviewAnswer && ` (${t.profile.reviewAnswer[applicant.reviewAnswer]})`}
            </Fact>
            <Fact label={t.profile.kycDecidedBy} testId="kyc-decided-by">
              {applicant.decidedByName ??
                (applicant.decidedBy === 'sumsub' ? t.profile.sumsub : applicant.decidedBy ? t.profile.unknown : '–')}
            </Fact>
            <Fact label={t.profile.colStarted}>{formatDateTime(new Date(applicant.createdAt), locale)}</Fact>
          </dl>
        </Card>
      ) : (
        <Card id="kyc-applicant" title={t.profile.kycTitle}>
          <p className="card-body muted">{t.profile.kycNotStarted}</p>
        </Card>
      )}
      {history.length > 0 && <History history={history} userId={props.profile.id} />}
    </section>
  );
}

function LimitRow(props: { label: string; limit: string; used?: string; testId: string }): ReactNode {
  const { t, locale } = useI18n();
  const limit = Number(props.limit);
  const used = props.used === undefined ? undefined : Number(props.used);
  const share = used !== undefined && limit > 0 ? Math.min(100, Math.round((used / limit) * 100)) : 0;
  return (
    <Fact label={props.label} testId={props.testId}>
      {limit === 0 ? (
        t.profile.noLimit
      ) : props.used === undefined ? (
        formatNok(props.limit, locale)
      ) : (
        <span className="cell-stack">
          <span className="num">{t.profile.usedOf(formatNok(props.used, locale), formatNok(props.limit, locale))}</span>
          <span className="meter" aria-hidden="true">
            <span className="meter-fill" style={{ width: `${share}%` }} />
          </span>
        </span>
      )}
    </Fact>
  );
}

function LimitsCard(props: { profile: Profile }): ReactNode {
  const { t, locale } = useI18n();
  const { limits } = props.profile;
  return (
    <Card id="limits" title={t.profile.limitsTitle} lead={t.profile.limitsLead} testId="profile-limits">
      <dl className="facts">
        <Fact label={t.profile.standingTier}>{t.profile.tier(limits.tier)}</Fact>
        <LimitRow label={t.profile.perTransfer} limit={limits.limitsNok.perTransfer} testId="limit-per-transfer" />
        <LimitRow
          label={t.profile.thirtyDays}
          limit={limits.limitsNok.thirtyDays}
          used={limits.usedNok.thirtyDays}
          testId="limit-30-days"
        />
        <LimitRow
          label={t.profile.twelveMonths}
          limit={limits.limitsNok.twelveMonths}
          used={limits.usedNok.twelveMonths}
          testId="limit-12-months"
        />
        <Fact label={t.profile.eddThreshold}>{t.profile.eddThresholdText(formatNok(limits.eddThresholdNok, locale))}</Fact>
      </dl>
    </Card>
  );
}

function TransfersCard(props: { profile: Profile }): ReactNode {
  const { t, locale } = useI18n();
  const { can } = useSession();
  const { rows, total } = props.profile.transfers;
  const mayOpen = can('transfers');
  const now = new Date();
  return (
    <Card id="transfers" title={t.profile.transfersTitle} lead={t.profile.transfersLead(rows.length, total)} testId="profile-transfers">
      <DataTable
        className="table table-stack"
        testId="profile-transfer-table"
        empty={rows.length === 0 && t.profile.transfersEmpty}
        columns={[
          t.colTransaction,
          t.colStatus,
          { label: t.colSend, num: true },
          { label: t.colReceive, num: true },
          t.colCreated,
          mayOpen && { label: t.colActions, hidden: true },
        ]}
      >
        {rows.map((row) => {
          const href = pathFor('transfer', '', row.id);
          return (
            <tr key={row.id} data-testid="profile-transfer-row" data-transfer-id={row.id} data-status={row.status}>
              <td data-label={t.colTransaction}>
                {/* The reference a customer reads aloud; the internal id in its tooltip. */}
                {mayOpen ? (
                  <AppLink to={href} className="cell-link">
                    <code className="id ref" title={row.id} data-testid="profile-transfer-reference">
                      {row.reference}
                    </code>
                  </AppLink>
                ) : (
                  <code className="id ref" title={row.id} data-testid="profile-transfer-reference">
                    {row.reference}
                  </code>
                )}
              </td>
              <td data-label={t.colStatus}>
                <TransferStatusBadge status={row.status} />
              </td>
              <td className="num align-right" data-label={t.colSend}>
                {formatAmount(row.send.amount, row.send.currency, locale)}
              </td>
              <td className="num align-right" data-label={t.colReceive}>
                {row.receive ? formatAmount(row.receive.amount, row.receive.currency, locale) : <span className="muted">–</span>}
              </td>
              <td data-label={t.colCreated}>
                <WhenCell at={row.createdAt} now={now} />
              </td>
              {mayOpen && (
                <td className="align-right cell-action">
                  <OpenButton to={href} label={t.openTransfer} name={row.id} testId="open-transfer" />
                </td>
              )}
            </tr>
          );
        })}
      </DataTable>
    </Card>
  );
}

function RecipientsCard(props: { profile: Profile }): ReactNode {
  const { t, locale } = useI18n();
  const { recipients } = props.profile;
  return (
    <Card id="recipients" title={t.profile.recipientsTitle} testId="profile-recipients">
      <DataTable
        className="table table-stack"
        testId="profile-recipient-table"
        empty={recipients.length === 0 && t.profile.recipientsEmpty}
        columns={[
          t.profile.colRecipient,
          t.profile.colAccount,
          t.profile.colCountry,
          { label: t.profile.colTransfers, num: true },
          t.profile.colAdded,
        ]}
      >
        {recipients.map((recipient) => (
          <tr key={recipient.id} data-testid="profile-recipient-row" className={recipient.deletedAt ? 'row-muted' : undefined}>
            <td data-label={t.profile.colRecipient}>
              <div className="cell-stack">
                <span className="cell-primary">{recipient.name}</span>
                <span className="cell-secondary">
                  {t.relationships[recipient.relationship] ?? t.relationships.other}
                  {recipient.deletedAt && (
                    <>
                      {' · '}
                      <Badge tone="neutral">{t.profile.removed}</Badge>
                    </>
                  )}
                </span>
              </div>
            </td>
            <td data-label={t.profile.colAccount}>
              <div className="cell-stack">
                <code className="id">{recipient.display}</code>
                <span className="cell-secondary">
                  {t.rails[recipient.rail] ?? recipient.rail} · {recipient.currency}
                </span>
              </div>
            </td>
            <td data-label={t.profile.colCountry}>{countryName(recipient.country, locale)}</td>
            <td className="num align-right" data-label={t.profile.colTransfers}>
              {recipient.transfers}
            </td>
            <td data-label={t.profile.colAdded} className="nowrap">
              {formatDate(recipient.createdAt, locale)}
            </td>
          </tr>
        ))}
      </DataTable>
    </Card>
  );
}

function SessionsCard(props: { profile: Profile; onChanged(): void }): ReactNode {
  const { t, locale } = useI18n();
  const { me, expire } = useSession();
  const { sessions } = props.profile;
  const live = sessions.filter((session) => session.live).length;
  const mayRevoke = me.permissions.includes('revoke_customer_sessions');
  const [confirming, setConfirming] = useState(false);
  const [ending, setEnding] = useState(false);
  // Facts, not text, so the notice follows the language switch.
  const [outcome, setOutcome] = useState<{ tone: 'ok'; ended: number } | { tone: 'error'; code: string }>();
  const name = props.profile.identity.name ?? props.profile.identity.email ?? props.profile.id;

  const endSessions = async () => {
    setEnding(true);
    const answer = await revokeCustomerSessions(props.profile.id);
    setEnding(false);
    setConfirming(false);
    if (answer.kind === 'unauthenticated') return expire();
    if (answer.kind === 'ok') {
      setOutcome({ tone: 'ok', ended: answer.data.sessionsEnded });
      props.onChanged();
    } else setOutcome({ tone: 'error', code: answer.code });
  };

  return (
    <Card id="sessions" title={t.profile.sessionsTitle} lead={t.profile.sessionsLead} testId="profile-sessions">
      {(mayRevoke || outcome) && (
        <div className="card-body stack-tight">
          {outcome && (
            <Notice tone={outcome.tone} testId="revoke-outcome">
              {outcome.tone === 'ok'
                ? t.sessionsEnded(outcome.ended, name)
                : outcome.code === 'FORBIDDEN'
                  ? t.endForbidden
                  : t.endFailed(outcome.code)}
            </Notice>
          )}
          {mayRevoke && (
            <span className="button-row">
              <button
                type="button"
                className="button button-small button-danger-outline"
                data-testid="end-sessions-button"
                disabled={live === 0}
                title={live === 0 ? t.noSessions : undefined}
                onClick={() => {
                  setOutcome(undefined);
                  setConfirming(true);
                }}
              >
                <LogoutIcon />
                {t.endAllSessions}
              </button>
            </span>
          )}
        </div>
      )}
      <DataTable
        className="table table-stack"
        testId="profile-session-table"
        empty={sessions.length === 0 && t.profile.sessionsEmpty}
        columns={[t.profile.colSession, t.profile.colStarted, t.profile.colLastSeen, t.profile.colEnds, t.profile.colDevice]}
      >
        {sessions.map((session) => (
          <tr
            key={session.id}
            data-testid="profile-session-row"
            data-live={session.live}
            className={session.live ? undefined : 'row-muted'}
          >
            <td data-label={t.profile.colSession}>
              <div className="cell-stack">
                <span>
                  <Badge tone={session.live ? 'ok' : 'neutral'}>{session.live ? t.profile.live : t.profile.ended}</Badge>
                </span>
                {!session.live && (
                  <span className="cell-secondary">
                    {session.revokedReason ? (t.profile.endReasons[session.revokedReason] ?? t.profile.ended) : t.profile.endedOther}
                  </span>
                )}
              </div>
            </td>
            <td data-label={t.profile.colStarted} className="num nowrap">
              {formatDateTime(new Date(session.createdAt), locale)}
            </td>
            <td data-label={t.profile.colLastSeen} className="num nowrap">
              {formatDateTime(new Date(session.lastSeenAt), locale)}
            </td>
            <td data-label={t.profile.colEnds} className="num nowrap">
              {formatDateTime(new Date(session.revokedAt ?? session.expiresAt), locale)}
            </td>
            <td data-label={t.profile.colDevice}>
              <div className="cell-stack">
                <span className="num">{session.ip ?? '–'}</span>
                {session.userAgent && (
                  <span className="cell-secondary cell-wrap" title={session.userAgent}>
                    {session.userAgent.length > 60 ? `${session.userAgent.slice(0, 60)}…` : session.userAgent}
                  </span>
                )}
              </div>
            </td>
          </tr>
        ))}
      </DataTable>
      <ConfirmDialog
        open={confirming}
        title={t.confirmEndTitle}
        confirmLabel={t.endAllSessions}
        busyLabel={t.ending}
        busy={ending}
        onConfirm={() => void endSessions()}
        onCancel={() => {
          if (!ending) setConfirming(false);
        }}
      >
        <p>{t.confirmEndText(name, live)}</p>
      </ConfirmDialog>
    </Card>
  );
}

function NotesCard(props: { profile: Profile; onChanged(): void }): ReactNode {
  const { t, locale } = useI18n();
  const { expire } = useSession();
  const { notes } = props.profile;
  const [body, setBody] = useState('');
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<{ tone: 'ok' } | { tone: 'error'; code: string }>();
  const erased = props.profile.standing.personalDataErasedAt !== null;

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setOutcome(undefined);
    if (body.trim().length < 2) {
      setError(t.profile.noteTooShort);
      return;
    }
    setError(undefined);
    setSaving(true);
    const answer = await addCustomerNote(props.profile.id, body.trim());
    setSaving(false);
    if (answer.kind === 'unauthenticated') return expire();
    if (answer.kind !== 'ok') {
      setOutcome({ tone: 'error', code: answer.code });
      return;
    }
    setBody('');
    setOutcome({ tone: 'ok' });
    props.onChanged();
  };

  return (
    <Card id="notes" title={t.profile.notesTitle} lead={t.profile.notesLead} testId="profile-notes">
      {!erased && (
        <form className="card-body form" onSubmit={(event) => void onSubmit(event)} noValidate>
          {outcome && (
            <Notice tone={outcome.tone} testId="note-outcome">
              {outcome.tone === 'ok' ? t.profile.noteAdded : t.profile.noteFailed(outcome.code)}
            </Notice>
          )}
          <Field label={t.profile.noteLabel} error={error}>
            {(attributes) => (
              <textarea
                {...attributes}
                name="note"
                rows={3}
                maxLength={2000}
                value={body}
                onChange={(event) => setBody(event.target.value)}
                data-testid="note-input"
              />
            )}
          </Field>
          <span className="button-row">
            <button
              type="submit"
              className="button button-primary button-small"
              disabled={saving}
              aria-busy={saving}
              data-testid="note-add"
            >
              {saving ? t.profile.noteSaving : t.profile.noteAdd}
            </button>
          </span>
        </form>
      )}
      {notes.length === 0 ? (
        <p className="card-body muted" data-testid="notes-empty">
          {t.profile.notesEmpty}
        </p>
      ) : (
        <ol className="timeline card-body" data-testid="note-list">
          {notes.map((note) => (
            <li key={note.id} className="timeline-item" data-testid="note">
              <span className="timeline-dot" aria-hidden="true" />
              <div className="timeline-body">
                <p className="timeline-meta">
                  <strong data-testid="note-author">{note.staffName}</strong>
                  <span aria-hidden="true">·</span>
                  <time dateTime={note.createdAt}>{formatDateTime(new Date(note.createdAt), locale)}</time>
                </p>
                <blockquote className="timeline-note" data-testid="note-body">
                  {note.body}
                </blockquote>
              </div>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}

/** `/console/customers/<userId>`: one customer as staff see them, with what the role may do. Opening it is audited. */
export function CustomerProfile(props: { userId: string }): ReactNode {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const { result, reloading, reload } = useStaffData(['customer-profile', props.userId], (signal) =>
    fetchCustomerProfile(props.userId, signal),
  );
  const back = <BackLink to={pathFor('customers', `?${new URLSearchParams({ query: props.userId })}`)} label={t.sections.customers} />;
  if (result.state !== 'ok') {
    if (result.state === 'error' && result.code === 'NOT_FOUND') {
      return (
        <>
          {back}
          <Notice tone="error" testId="profile-not-found">
            {t.profile.notFound}
          </Notice>
        </>
      );
    }
    return (
      <>
        {back}
        <LoadProblem result={result} retry={reload} role={t.roles[me.role]} />
      </>
    );
  }
  const profile = result.data;
  const title = profile.identity.name ?? profile.identity.email ?? t.noName;
  return (
    <div data-testid="customer-profile" aria-busy={reloading}>
      {back}
      <PageHead
        title={title}
        lead={
          <>
            {t.profile.lead} <code className="id">{profile.id}</code>. {t.profile.leadAudited}
          </>
        }
      >
        <RefreshControl result={result} reloading={reloading} reload={reload} />
      </PageHead>
      {profile.standing.personalDataErasedAt && (
        <Notice tone="info">{t.profile.erased(formatDate(profile.standing.personalDataErasedAt, locale))}</Notice>
      )}
      <StandingStrip profile={profile} />
      <div className="case-columns">
        <div className="stack">
          <IdentityCard profile={profile} />
          <LimitsCard profile={profile} />
        </div>
        <div className="stack">
          <ActionsCard profile={profile} onChanged={reload} />
          <NotesCard profile={profile} onChanged={reload} />
        </div>
      </div>
      <div className="stack profile-wide">
        <TransfersCard profile={profile} />
        <RecipientsCard profile={profile} />
        <SessionsCard profile={profile} onChanged={reload} />
        <KycCard profile={profile} />
      </div>
    </div>
  );
}

/** A customer's name as a link to their profile, for a role that may open it; plain text otherwise. */
export function CustomerProfileLink(props: { userId: string; children: ReactNode; testId?: string }): ReactNode {
  const { can } = useSession();
  if (!can('customers')) return <>{props.children}</>;
  return (
    <AppLink to={pathFor('customer', '', props.userId)} testId={props.testId ?? 'customer-profile-link'}>
      {props.children}
    </AppLink>
  );
}
