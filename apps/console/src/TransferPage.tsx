import { formatExactRate } from '@drop/contracts';
import { formatDate, formatDateTime, type Locale } from '@drop/web-common';
import { AppLink } from '@drop/web-common/routing';
import { type ReactNode, useState } from 'react';
import { formatAmount } from './AmlAlerts.tsx';
import { fourEyesError, TextDialog } from './Approvals.tsx';
import { CustomerProfileLink } from './CustomerProfile.tsx';
import { actorText, type Messages, useI18n } from './i18n.ts';
import { kycTone } from './KycQueue.tsx';
import { Notice } from './Login.tsx';
import { AccountNumber, BackLink, Card, DataTable, LoadProblem, PageHead, RefreshControl, SystemReason } from './page.tsx';
import { pathFor } from './routes.ts';
import { useSession, useStaffData } from './session.ts';
import {
  type BankEntry,
  type BankEntryStatus,
  type CustomerRefund,
  fetchApprovals,
  fetchTransfer,
  holdTransfer,
  type LedgerAccount,
  type Payout,
  type PayoutState,
  type Posting,
  proposeTransferDecision,
  type TransferDetail,
  type TransferEvent,
} from './staff-api.ts';
import { TransferStatusBadge, transfersSearch, transferTone } from './Transfers.tsx';
import { Badge } from './ui.tsx';

type HoldAction = 'hold' | 'release' | 'stop';

/**
 * Hold (one person, at once) and, for a held transfer, propose its release or stop (a second
 * person approves on the Approvals page). Shown to staff with 'transfer_hold'.
 */
function HoldActions(props: { transfer: TransferDetail['transfer']; refundOwed: boolean; onChanged(): void }): ReactNode {
  const { me } = useSession();
  return me.permissions.includes('transfer_hold') ? <HoldActionsFor {...props} /> : null;
}

function HoldActionsFor(props: { transfer: TransferDetail['transfer']; refundOwed: boolean; onChanged(): void }): ReactNode {
  const { t } = useI18n();
  const { expire } = useSession();
  const { transfer } = props;
  const pending = useStaffData(['approvals', transfer.id], (signal) => fetchApprovals(transfer.id, signal));
  const [action, setAction] = useState<HoldAction | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const holdable = ['awaiting_funds', 'funds_received', 'processing'].includes(transfer.status);
  const held = transfer.status === 'held' && !props.refundOwed;
  const open = pending.result.state === 'ok' ? pending.result.data : [];
  const words = {
    hold: { title: t.fourEyes.holdTitle, text: t.fourEyes.holdText, confirm: t.fourEyes.hold, tone: 'danger' as const },
    release: { title: t.fourEyes.releaseTitle, text: t.fourEyes.releaseText, confirm: t.fourEyes.proposeRelease, tone: 'primary' as const },
    stop: { title: t.fourEyes.stopTitle, text: t.fourEyes.stopText, confirm: t.fourEyes.proposeStop, tone: 'danger' as const },
  };
  if (!holdable && !held && open.length === 0) return null;
  return (
    <div className="section-gap" data-testid="hold-actions">
      {done && (
        <Notice tone="ok" testId="hold-done">
          {done}
        </Notice>
      )}
      {open.map((request) => (
        <Notice key={request.id} tone="info" testId="pending-proposal">
          {t.fourEyes.pendingHere(t.fourEyes.kinds[request.kind], request.proposedByName)}{' '}
          <AppLink to={pathFor('approvals')}>{t.sections.approvals}</AppLink>
        </Notice>
      ))}
      <div className="button-row">
        {holdable && (
          <button type="button" className="button button-danger" data-testid="hold-button" onClick={() => setAction('hold')}>
            {t.fourEyes.hold}
          </button>
        )}
        {held && (
          <>
            {!open.some((request) => request.kind === 'release_transfer') && (
              <button type="button" className="button" data-testid="propose-release-button" onClick={() => setAction('release')}>
                {t.fourEyes.proposeRelease}
              </button>
            )}
            {transfer.heldFrom !== 'processing' && !open.some((request) => request.kind === 'stop_transfer') && (
              <button type="button" className="button button-danger" data-testid="propose-stop-button" onClick={() => setAction('stop')}>
                {t.fourEyes.proposeStop}
              </button>
            )}
          </>
        )}
      </div>
      {action && (
        <TextDialog
          title={words[action].title}
          text={words[action].text}
          label={t.fourEyes.reason}
          confirmLabel={words[action].confirm}
          required
          tone={words[action].tone}
          testId={`${action}-dialog`}
          onClose={() => setAction(null)}
          onSubmit={async (reason) => {
            const answer =
              action === 'hold' ? await holdTransfer(transfer.id, reason) : await proposeTransferDecision(transfer.id, action, reason);
            if (answer.kind !== 'ok') return fourEyesError(t, answer, expire);
            setDone(action === 'hold' ? t.fourEyes.held : t.fourEyes.proposed);
            props.onChanged();
            pending.reload();
            return null;
          }}
        />
      )}
    </div>
  );
}

/** "148.2000000000" → "148,2" (nb): staff see the exact rate the ledger used (contracts' formatExactRate). */
function formatRate(rate: string, locale: Locale): string {
  return formatExactRate(rate, locale);
}

function AccountCell(props: { account: LedgerAccount }): ReactNode {
  const { t } = useI18n();
  const { account } = props;
  return (
    <div className="cell-stack">
      <span className="cell-primary">
        {t.purposes[account.purpose]} <span className="muted">{account.currency}</span>
      </span>
      <span className="cell-secondary">
        #{account.id} · {t.shard(account.shard)}
      </span>
    </div>
  );
}

const KIND_TONE: Record<Posting['kind'], 'neutral' | 'info' | 'ok'> = {
  pending: 'info',
  posted: 'ok',
  post_pending: 'ok',
  void_pending: 'neutral',
};

function Postings(props: { postings: Posting[] }): ReactNode {
  const { t, locale } = useI18n();
  return (
    <Card id="postings" title={t.postingsTitle} lead={t.postingsLead} className="section-gap">
      <DataTable
        className="table table-dense table-stack"
        testId="posting-table"
        empty={props.postings.length === 0 && t.postingsEmpty}
        columns={[t.colPosting, t.colKind, t.colDebit, t.colCredit, { label: t.colAmount, num: true }]}
      >
        {props.postings.map((posting) => (
          <tr key={posting.id} data-testid="posting-row" data-code={posting.code} data-kind={posting.kind}>
            <td data-label={t.colPosting}>
              <div className="cell-stack">
                <span className="cell-primary" title={t.postingCodeTitle(posting.code)}>
                  {t.postingCodes[posting.code] ?? posting.code}
                </span>
                <span className="cell-secondary">#{posting.id}</span>
              </div>
            </td>
            <td data-label={t.colKind}>
              <div className="cell-stack">
                <span>
                  <Badge tone={KIND_TONE[posting.kind]}>{t.postingKinds[posting.kind]}</Badge>
                </span>
                {posting.pendingId && <span className="cell-secondary">{t.settles(posting.pendingId)}</span>}
              </div>
            </td>
            <td data-label={t.colDebit}>
              <AccountCell account={posting.debit} />
            </td>
            <td data-label={t.colCredit}>
              <AccountCell account={posting.credit} />
            </td>
            <td className="num align-right" data-testid="posting-amount" data-label={t.colAmount}>
              {formatAmount(posting.amount.amount, posting.amount.currency, locale)}
            </td>
          </tr>
        ))}
      </DataTable>
    </Card>
  );
}

function actorLabel(t: Messages, event: TransferEvent): ReactNode {
  if (event.actorKind === 'customer') return t.actorCustomer;
  if (event.actorKind === 'staff') {
    return <span title={event.actor}>{event.actorName ? t.actorStaff(event.actorName) : event.actor}</span>;
  }
  return <span title={event.actor}>{actorText(t, event.actor, null)}</span>;
}

function Timeline(props: { events: TransferEvent[] }): ReactNode {
  const { t, locale } = useI18n();
  return (
    <Card id="timeline" title={t.transferTimelineTitle} lead={t.transferTimelineLead}>
      <ol className="timeline" data-testid="transfer-timeline">
        {props.events.map((event, index) => (
          <li
            // biome-ignore lint/suspicious/noArrayIndexKey: the timeline is append-only; its order is its identity.
            key={index}
            className="timeline-item"
            data-testid="timeline-entry"
            data-to={event.to}
            data-tone={transferTone(event.to)}
          >
            <span className="timeline-dot" aria-hidden="true" />
            <div className="timeline-body">
              <p className="timeline-title">
                {event.from === null ? (
                  <>
                    <span>{t.transferCreated}</span>
                    <TransferStatusBadge status={event.to} />
                  </>
                ) : (
                  <>
                    <TransferStatusBadge status={event.from} />
                    <span aria-hidden="true">→</span>
                    <TransferStatusBadge status={event.to} />
                  </>
                )}
              </p>
              <p className="timeline-meta">
                <time dateTime={event.at}>{formatDateTime(new Date(event.at), locale)}</time>
                <span aria-hidden="true">·</span>
                <span data-testid="timeline-actor">{actorLabel(t, event)}</span>
              </p>
              {event.reason && (
                <blockquote className="timeline-note">
                  <SystemReason reason={event.reason} />
                </blockquote>
              )}
            </div>
          </li>
        ))}
      </ol>
    </Card>
  );
}

function CustomerCard(props: { customer: TransferDetail['customer'] }): ReactNode {
  const { t, locale } = useI18n();
  const { can } = useSession();
  const { customer } = props;
  const search = transfersSearch('recent', customer.id);
  return (
    <Card id="customer" title={t.customerTitle} testId="transfer-customer">
      <dl className="facts">
        <div className="fact">
          <dt>{t.enrolName}</dt>
          <dd>
            <CustomerProfileLink userId={customer.id}>{customer.name ?? t.noName}</CustomerProfileLink>
          </dd>
        </div>
        <div className="fact">
          <dt>{t.caseEmail}</dt>
          <dd data-testid="customer-email">{customer.email ?? t.noEmail}</dd>
        </div>
        <div className="fact">
          <dt>{t.colKyc}</dt>
          <dd>
            <Badge tone={kycTone(customer.kycStatus)}>{t.kycStatus[customer.kycStatus] ?? customer.kycStatus}</Badge>
            {customer.deletedAt && <Badge tone="danger">{t.customerDeleted(formatDate(customer.deletedAt, locale))}</Badge>}
          </dd>
        </div>
        <div className="fact">
          <dt>{t.colCustomerId}</dt>
          <dd>
            <code className="id" title={customer.id}>
              {customer.id}
            </code>
          </dd>
        </div>
      </dl>
      <div className="card-links">
        <AppLink to={pathFor('transfers', search)} className="button button-small" testId="customer-transfers">
          {t.allTransfersOfCustomer}
        </AppLink>
        {can('customers') && (
          <AppLink to={pathFor('customers', `?${new URLSearchParams({ query: customer.id })}`)} className="button button-small">
            {t.findCustomerLink}
          </AppLink>
        )}
      </div>
    </Card>
  );
}

function RecipientCard(props: { recipient: TransferDetail['recipient'] }): ReactNode {
  const { t } = useI18n();
  const { recipient } = props;
  return (
    <Card id="recipient" title={t.recipientTitle} testId="transfer-recipient">
      {recipient === null ? (
        <p className="card-body muted">{t.recipientNone}</p>
      ) : (
        <>
          {recipient.deletedAt && (
            <p className="card-note" role="note">
              {t.recipientRemoved}
            </p>
          )}
          <dl className="facts">
            <div className="fact">
              <dt>{t.enrolName}</dt>
              <dd>{recipient.name}</dd>
            </div>
            <div className="fact">
              <dt>{t.recipientCountry}</dt>
              <dd>
                {recipient.country} · {recipient.currency}
              </dd>
            </div>
            <div className="fact">
              <dt>{t.recipientRail}</dt>
              <dd>{t.rails[recipient.rail] ?? recipient.rail}</dd>
            </div>
            <div className="fact">
              <dt>{t.recipientRelationship}</dt>
              <dd>{t.relationships[recipient.relationship] ?? recipient.relationship}</dd>
            </div>
            {Object.entries(recipient.details).map(([key, value]) => (
              <div className="fact" key={key}>
                <dt>{t.detailLabels[key] ?? key}</dt>
                <dd>
                  <AccountNumber value={value} />
                </dd>
              </div>
            ))}
          </dl>
        </>
      )}
    </Card>
  );
}

type BadgeTone = Parameters<typeof Badge>[0]['tone'];

const ENTRY_TONE: Record<BankEntryStatus, BadgeTone> = {
  matched: 'ok',
  resolved: 'ok',
  exception: 'warn',
  refunded: 'neutral',
  recorded: 'neutral',
};

const PAYOUT_TONE: Record<PayoutState, BadgeTone> = {
  sending: 'info',
  sent: 'info',
  paid: 'ok',
  failed: 'danger',
  returned: 'danger',
};

const REFUND_TONE: Record<CustomerRefund['state'], BadgeTone> = { pending: 'warn', sent: 'ok' };

/** A moment from the API, or a dash for one that has not come. */
function momentText(iso: string | null, locale: Locale): string {
  return iso ? formatDateTime(new Date(iso), locale) : '–';
}

function Fact(props: { label: string; children: ReactNode; testId?: string }): ReactNode {
  return (
    <div className="fact">
      <dt>{props.label}</dt>
      <dd data-testid={props.testId}>{props.children}</dd>
    </div>
  );
}

/** The KID and the bank payments that funded the transfer: "has my payment arrived?". */
function PayInCard(props: { kid: string | null; entries: BankEntry[] }): ReactNode {
  const { t, locale } = useI18n();
  return (
    <Card id="payin" title={t.payInTitle} lead={t.payInLead} testId="transfer-payin">
      <dl className="facts">
        <Fact label={t.payInKid} testId="transfer-kid">
          {props.kid ? <code className="id">{props.kid}</code> : <span className="muted">{t.noKid}</span>}
        </Fact>
      </dl>
      {props.entries.length === 0 ? (
        <p className="card-body card-rule muted">{t.payInNone}</p>
      ) : (
        props.entries.map((entry) => (
          <dl key={entry.reference} className="facts card-rule" data-testid="bank-entry" data-status={entry.status}>
            <Fact label={t.entryAmount} testId="bank-entry-amount">
              {formatAmount(entry.amount.amount, entry.amount.currency, locale)}
            </Fact>
            <Fact label={t.colStatus} testId="bank-entry-status">
              <Badge tone={ENTRY_TONE[entry.status]}>{t.entryStatus[entry.status]}</Badge>
            </Fact>
            <Fact label={t.entryBooked}>{entry.bookingDate ? formatDate(entry.bookingDate, locale) : '–'}</Fact>
            <Fact label={t.entryPayer} testId="bank-entry-payer">
              <span className={entry.debtorName ? undefined : 'muted'}>{entry.debtorName ?? t.noPayerName}</span>
              <span className="muted">·</span>
              <span className={entry.debtorAccount ? 'nowrap' : 'muted'}>{entry.debtorAccount ?? t.noPayerAccount}</span>
            </Fact>
            <Fact label={t.bankReference}>
              <code className="id">{entry.reference}</code>
            </Fact>
          </dl>
        ))
      )}
    </Card>
  );
}

/** The payout at the partner: "has the recipient been paid?". */
function PayoutCard(props: { payout: Payout | null }): ReactNode {
  const { t, locale } = useI18n();
  const { payout } = props;
  return (
    <Card id="payout" title={t.payoutTitle} lead={t.payoutLead} testId="transfer-payout" state={payout?.state ?? 'none'}>
      {payout === null ? (
        <p className="card-body muted">{t.payoutNone}</p>
      ) : (
        <dl className="facts">
          <Fact label={t.colStatus} testId="payout-state">
            <Badge tone={PAYOUT_TONE[payout.state]}>{t.payoutStates[payout.state]}</Badge>
          </Fact>
          <Fact label={t.payoutPartner}>{payout.partner}</Fact>
          <Fact label={t.payoutReference} testId="payout-reference">
            {payout.partnerReference ? <code className="id">{payout.partnerReference}</code> : '–'}
          </Fact>
          <Fact label={t.payoutPartnerState}>{payout.partnerState ? <code className="id">{payout.partnerState}</code> : '–'}</Fact>
          <Fact label={t.payoutAttempts}>{payout.attempts}</Fact>
          {payout.lastError && (
            <Fact label={t.payoutLastError} testId="payout-last-error">
              {payout.lastError}
            </Fact>
          )}
          <Fact label={t.payoutCreated}>{momentText(payout.createdAt, locale)}</Fact>
          <Fact label={t.payoutSent}>{momentText(payout.sentAt, locale)}</Fact>
          <Fact label={t.payoutSettled}>{momentText(payout.settledAt, locale)}</Fact>
        </dl>
      )}
    </Card>
  );
}

/** The customer's money on its way back after a failed payout: "where is my money?". */
function RefundCard(props: { refund: CustomerRefund | null }): ReactNode {
  const { t, locale } = useI18n();
  const { refund } = props;
  return (
    <Card id="refund" title={t.customerRefundTitle} lead={t.customerRefundLead} testId="transfer-refund" state={refund?.state ?? 'none'}>
      {refund === null ? (
        <p className="card-body muted">{t.customerRefundNone}</p>
      ) : (
        <dl className="facts">
          <Fact label={t.colStatus} testId="refund-state">
            <Badge tone={REFUND_TONE[refund.state]}>{t.customerRefundStates[refund.state]}</Badge>
          </Fact>
          <Fact label={t.customerRefundAmount} testId="refund-amount">
            {formatAmount(refund.amount.amount, refund.amount.currency, locale)}
          </Fact>
          <Fact label={t.customerRefundTo} testId="refund-to">
            {refund.toAccount ? (
              <span className="nowrap">{refund.toAccount}</span>
            ) : (
              <span className="muted">{t.customerRefundToUnknown}</span>
            )}
          </Fact>
          <Fact label={t.customerRefundReason}>
            <SystemReason reason={refund.reason} />
          </Fact>
          <Fact label={t.customerRefundCreated}>{momentText(refund.createdAt, locale)}</Fact>
          <Fact label={t.customerRefundSent}>{momentText(refund.sentAt, locale)}</Fact>
        </dl>
      )}
    </Card>
  );
}

/** `/console/transfers/<transactionId>`: one transfer's figures, where its money is, customer, recipient, timeline and ledger postings. */
export function TransferPage(props: { transactionId: string; search: string }): ReactNode {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const { transactionId } = props;
  const { result, reloading, reload } = useStaffData(['transfer', transactionId], (signal) => fetchTransfer(transactionId, signal));

  const back = <BackLink to={pathFor('transfers', props.search)} label={t.backToTransfers} />;

  if (result.state !== 'ok') {
    return (
      <>
        {back}
        <PageHead title={t.transferTitle} />
        {result.state === 'error' && result.code === 'NOT_FOUND' ? (
          <Notice tone="info">{t.transferNotFound}</Notice>
        ) : (
          <LoadProblem result={result} retry={reload} role={t.roles[me.role]} />
        )}
      </>
    );
  }

  const { transfer, customer, recipient, timeline, postings, payout, bankEntries, customerRefund } = result.data;
  // A failed transfer owes the customer a refund; a refund staff made before any payout has no row here.
  const refundMatters = customerRefund !== null || transfer.status === 'failed';
  const receive =
    transfer.receive.amount !== null && transfer.receive.currency !== null
      ? formatAmount(transfer.receive.amount, transfer.receive.currency, locale)
      : '–';

  return (
    <>
      {back}
      <PageHead
        title={t.transferTitle}
        lead={
          <span className="case-lead">
            <code className="id ref" data-testid="transfer-reference">
              {transfer.reference}
            </code>
            <code className="id" data-testid="transfer-id">
              {transfer.id}
            </code>
            <TransferStatusBadge status={transfer.status} testId="transfer-status" />
            <span className="muted">{t.figUpdated(formatDateTime(new Date(transfer.updatedAt), locale))}</span>
          </span>
        }
      >
        <RefreshControl result={result} reloading={reloading} reload={reload} />
      </PageHead>
      {transfer.failureReason && (
        <Notice tone="error" testId="failure-reason">
          {t.failureReason}: <SystemReason reason={transfer.failureReason} />
        </Notice>
      )}
      {transfer.status === 'held' && transfer.heldFrom && <Notice tone="info">{t.heldFrom(t.transferStatus[transfer.heldFrom])}</Notice>}
      <HoldActions transfer={transfer} refundOwed={customerRefund !== null} onChanged={reload} />
      <dl className="case-facts card" data-testid="transfer-figures">
        <div className="case-fact">
          <dt>{t.figSend}</dt>
          <dd className="figure" data-testid="figure-send">
            {formatAmount(transfer.send.amount, transfer.send.currency, locale)}
          </dd>
          <dd className="figure-note">{`${t.figCreated} ${formatDateTime(new Date(transfer.createdAt), locale)}`}</dd>
        </div>
        <div className="case-fact">
          <dt>{t.figFee}</dt>
          <dd className="figure" data-testid="figure-fee">
            {formatAmount(transfer.fee.amount, transfer.fee.currency, locale)}
          </dd>
          <dd className="figure-note">{t.figConverted(formatAmount(transfer.converted.amount, transfer.converted.currency, locale))}</dd>
        </div>
        <div className="case-fact">
          <dt>{t.figRate}</dt>
          <dd className="figure" data-testid="figure-rate">
            {transfer.rate ? formatRate(transfer.rate, locale) : '–'}
          </dd>
          {transfer.receive.currency && <dd className="figure-note">{t.figRatePer(transfer.receive.currency)}</dd>}
        </div>
        <div className="case-fact">
          <dt>{t.figReceive}</dt>
          <dd className="figure" data-testid="figure-receive">
            {receive}
          </dd>
          {recipient && <dd className="figure-note">{recipient.name}</dd>}
        </div>
      </dl>
      <div className="money-path">
        <PayInCard kid={transfer.kid} entries={bankEntries} />
        <PayoutCard payout={payout} />
        {refundMatters && <RefundCard refund={customerRefund} />}
      </div>
      <div className="case-columns">
        <Timeline events={timeline} />
        <div className="stack">
          <CustomerCard customer={customer} />
          <RecipientCard recipient={recipient} />
        </div>
      </div>
      <Postings postings={postings} />
    </>
  );
}
