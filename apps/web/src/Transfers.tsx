/** `/transfers` (the customer's transfers, newest first) and `/transfers/:id` (one, with its timeline). */
import {
  cancelTransfer,
  fetchTransfer,
  fetchTransfers,
  formatDateTime,
  type LatePaymentRefund,
  type Transfer,
  type TransferDetail,
  type TransferStatus,
} from '@drop/web-common';
import { useRetry } from '@drop/web-common/query';
import { AppLink } from '@drop/web-common/routing';
import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useCallback, useState } from 'react';
import { ErrorCard, Loading } from './AccountArea.tsx';
import { farewellFor, useAccount, useCustomerQuery } from './account.tsx';
import { BackLink, CardHead, PageHead, StepTracker } from './card.tsx';
import { ConfirmButton } from './confirm-dialog.tsx';
import { type Locale, useI18n } from './i18n.ts';
import { AlertIcon, BanIcon, ChevronIcon, ClockIcon, DownloadIcon, ListIcon, ReceiptIcon, SendIcon, UserIcon } from './icons.tsx';
import { LatePaymentCard, LateRefundedCard } from './LatePayment.tsx';
import { PayInCard } from './PayIn.tsx';
import { transferPath } from './routes.ts';
import { FigureList, initialsOf, TransferStatusPill, useMoneyFormat } from './transfer-ui.tsx';

/** Newest first, whatever order they came in. */
export function newestFirst(transfers: Transfer[]): Transfer[] {
  return [...transfers].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** One transfer in a list: to whom, when, how much, and its status; the whole row links to it. */
export function TransferRow(props: { transfer: Transfer }): ReactNode {
  const { t, locale } = useI18n();
  const format = useMoneyFormat();
  const { transfer } = props;
  const name = transfer.recipient?.name ?? t.recipientRemoved;
  return (
    <li className="transfer-row" data-testid="transfer-row" data-id={transfer.id} data-status={transfer.status}>
      <AppLink to={transferPath(transfer.id)} className="transfer-link">
        <span className="avatar recipient-avatar" aria-hidden="true">
          {transfer.recipient ? initialsOf(transfer.recipient.name) : '·'}
        </span>
        <span className="transfer-main">
          <span className="transfer-name" data-testid="transfer-row-name">
            {t.transferTo(name)}
          </span>
          <span className="transfer-meta">
            {transfer.recipient && `${format.country(transfer.recipient.country)} · `}
            {formatDateTime(new Date(transfer.createdAt), locale)}
            {' · '}
            <span className="transfer-ref" data-testid="transfer-row-reference">
              {transfer.reference}
            </span>
          </span>
          {transfer.status === 'awaiting_funds' && (
            <span className="transfer-awaiting" data-testid="transfer-row-awaiting">
              {t.transferRowAwaiting}
            </span>
          )}
        </span>
        <span className="transfer-amounts">
          <span className="transfer-send" data-testid="transfer-row-send">
            {format.money(transfer.send)}
          </span>
          <span className="transfer-receive" data-testid="transfer-row-receive">
            {format.money(transfer.receive)}
          </span>
        </span>
        <TransferStatusPill status={transfer.status} />
        <span className="transfer-chevron" aria-hidden="true">
          <ChevronIcon />
        </span>
      </AppLink>
    </li>
  );
}

/** The customer's latest `limit` transfers, newest first; `retry()` asks again after a failure. */
export function useTransfers(limit: number): { transfers: Transfer[] | undefined; failed: boolean; retry(): void } {
  const queryKey = ['transfers', limit];
  const query = useCustomerQuery({ queryKey, load: (signal) => fetchTransfers(limit, signal), select: newestFirst });
  return { transfers: query.data, failed: query.isError, retry: useRetry(queryKey) };
}

/** `/transfers`. */
export function Transfers(): ReactNode {
  const { t } = useI18n();
  const { transfers, failed, retry } = useTransfers(50);
  return (
    <>
      <BackLink to="/home" label={t.sessionsBack} />
      <PageHead
        eyebrow={t.transfersEyebrow}
        title={t.transfersTitle}
        lead={t.transfersLead}
        action={
          <AppLink to="/send" className="button button-primary button-large" testId="transfers-send">
            <SendIcon />
            {t.homeSendButton}
          </AppLink>
        }
      />
      {!transfers && !failed && <Loading label={t.loading} />}
      {failed && <ErrorCard title={t.loadFailedTitle} text={t.loadFailedText} onRetry={retry} />}
      {transfers && !failed && transfers.length === 0 && (
        <section className="card empty-card" data-testid="transfers-empty">
          <span className="card-icon" aria-hidden="true">
            <ListIcon />
          </span>
          <h2 className="card-title">{t.transfersEmptyTitle}</h2>
          <p className="card-text">{t.transfersEmptyText}</p>
        </section>
      )}
      {transfers && !failed && transfers.length > 0 && (
        <section className="card list-card" aria-labelledby="transfers-list-title">
          <div className="card-head">
            <h2 id="transfers-list-title" className="card-title">
              {t.transfersListLabel}
            </h2>
            <span className="count">{t.transfersCount(transfers.length)}</span>
          </div>
          <ul className="transfer-list" aria-labelledby="transfers-list-title" data-testid="transfer-list">
            {transfers.map((transfer) => (
              <TransferRow key={transfer.id} transfer={transfer} />
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

// ---- one transfer ---------------------------------------------------------------------------

/** The happy path a transfer walks; where it stands decides which steps are done. */
const PROGRESS: readonly TransferStatus[] = ['awaiting_funds', 'funds_received', 'processing', 'paid_out'];

function Progress(props: { status: TransferStatus }): ReactNode {
  const { t } = useI18n();
  const at = PROGRESS.indexOf(props.status);
  // awaiting_funds: "Registered" is done and "Payment received" is next; paid_out: all done.
  const done = props.status === 'paid_out' ? PROGRESS.length : at + 1;
  return <StepTracker steps={t.progressSteps} done={done} className="progress-steps" label={t.progressLabel} testId="transfer-progress" />;
}

function Timeline(props: { transfer: TransferDetail }): ReactNode {
  const { t, locale } = useI18n();
  const entries = [...props.transfer.timeline].sort((a, b) => a.at.localeCompare(b.at));
  return (
    <section className="card" aria-labelledby="timeline-title" data-testid="transfer-timeline">
      <CardHead icon={<ClockIcon />} titleId="timeline-title" title={t.timelineTitle} />
      <ol className="timeline">
        {entries.map((entry) => (
          <li key={`${entry.at}-${entry.to}`} className="timeline-entry" data-testid="timeline-entry" data-to={entry.to}>
            <span className={`timeline-dot timeline-dot-${entry.to}`} aria-hidden="true" />
            <div>
              <p className="timeline-title">{entry.from === null ? t.timelineCreated : t.transferStatus[entry.to]}</p>
              <p className="timeline-meta">
                <time dateTime={entry.at}>{formatDateTime(new Date(entry.at), locale)}</time> · {t.timelineBy[entry.by]}
              </p>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** "Cancel the transfer", asking first in a modal dialog. */
function CancelTransfer(props: { transfer: TransferDetail; onCancelled(transfer: TransferDetail): void; onStale(): void }): ReactNode {
  const { t } = useI18n();
  const { end } = useAccount();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const confirm = (close: () => void) => {
    setBusy(true);
    setError(undefined);
    void cancelTransfer(props.transfer.id).then((result) => {
      setBusy(false);
      close();
      if (result.kind === 'unauthenticated') return end(farewellFor(result));
      if (result.kind === 'ok') return props.onCancelled(result.data);
      if (result.code === 'TRANSFER_STATE_INVALID') {
        setError(t.cancelTooLate);
        props.onStale();
        return;
      }
      setError(t.cancelFailed);
    });
  };

  return (
    <section className="card cancel-card" data-testid="cancel-card">
      {error && (
        <div className="inline-alert" role="alert" data-testid="cancel-error">
          <AlertIcon />
          {error}
        </div>
      )}
      <p className="cancel-hint">{t.cancelHint}</p>
      <ConfirmButton
        label={t.cancelTransfer}
        icon={<BanIcon />}
        className="button button-danger-ghost"
        testId="cancel-transfer"
        disabled={busy}
        dialogTestId="cancel-dialog"
        title={t.cancelConfirmTitle}
        text={t.cancelConfirmText}
        keepLabel={t.cancelKeep}
        confirmLabel={busy ? t.cancelling : t.cancelConfirm}
        confirmTestId="cancel-confirm"
        busy={busy}
        onConfirm={confirm}
      />
    </section>
  );
}

/** The PDF receipt of a paid-out transfer, in the language the customer is reading. */
function receiptPath(id: string, locale: Locale): string {
  return `/api/transfers/${encodeURIComponent(id)}/receipt.pdf?${new URLSearchParams({ lang: locale })}`;
}

function TransferView(props: { transfer: TransferDetail; onChange(transfer: TransferDetail): void; reload(): void }): ReactNode {
  const { t, locale } = useI18n();
  const format = useMoneyFormat();
  const { transfer } = props;
  const [announcement, setAnnouncement] = useState('');
  // Kept here, not in the card: after "Get my money back" the page loads the (cancelled) transfer
  // again, which no longer has a late payment, and the customer still sees where the money went.
  const [refund, setRefund] = useState<LatePaymentRefund>();
  const [lateNotice, setLateNotice] = useState<string>();
  const name = transfer.recipient?.name ?? t.recipientRemoved;
  const awaiting = transfer.status === 'awaiting_funds';
  // The money has arrived, after the price expired: nothing to pay and nothing to cancel, a decision to make.
  const latePayment = awaiting && !refund ? transfer.latePayment : null;
  return (
    <div data-testid="transfer-page" data-id={transfer.id} data-status={transfer.status} data-late-payment={latePayment !== null}>
      <PageHead eyebrow={t.transferEyebrow} title={t.transferTo(name)} titleTestId="transfer-heading">
        <div className="transfer-status-line">
          <TransferStatusPill status={transfer.status} label={latePayment ? t.lateStatus : undefined} />
          <p className="page-lead" data-testid="transfer-status-text">
            {latePayment ? t.lateStatusText : t.transferStatusText[transfer.status]}
          </p>
        </div>
      </PageHead>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      <div className="kyc-layout">
        <div className="kyc-main">
          {lateNotice && (
            <div className="inline-alert inline-alert-warn late-notice" role="alert" data-testid="late-notice">
              <AlertIcon />
              <span>{lateNotice}</span>
            </div>
          )}
          {refund && <LateRefundedCard refund={refund} />}
          {latePayment && (
            <LatePaymentCard
              transfer={{ ...transfer, latePayment }}
              onRefunded={(refunded) => {
                setRefund(refunded);
                setAnnouncement(t.lateRefundedNotice);
                props.reload();
              }}
              onStale={() => {
                setLateNotice(t.lateAlreadyDecided);
                props.reload();
              }}
            />
          )}
          {awaiting && !latePayment && !refund && transfer.payIn && <PayInCard payIn={transfer.payIn} />}
          <section className="card" aria-labelledby="figures-title" data-testid="transfer-figures">
            <CardHead icon={<ReceiptIcon />} titleId="figures-title" title={t.transferFigures} />
            <FigureList figures={transfer} />
            <dl className="facts transfer-facts">
              <div>
                <dt>{t.transferCreated}</dt>
                <dd>{formatDateTime(new Date(transfer.createdAt), locale)}</dd>
              </div>
              <div>
                <dt>{t.transferReference}</dt>
                <dd className="mono" data-testid="transfer-reference">
                  {transfer.reference}
                </dd>
              </div>
              {transfer.failureReason && (
                <div>
                  <dt>{t.failureReason}</dt>
                  <dd data-testid="transfer-failure-reason">{transfer.failureReason}</dd>
                </div>
              )}
            </dl>
            {transfer.status === 'paid_out' && (
              <div className="card-actions">
                <a className="button button-secondary" href={receiptPath(transfer.id, locale)} download data-testid="receipt-link">
                  <DownloadIcon />
                  {t.receiptDownload}
                </a>
              </div>
            )}
          </section>
          <section className="card" aria-labelledby="recipient-card-title" data-testid="transfer-recipient">
            <CardHead icon={<UserIcon />} titleId="recipient-card-title" title={t.transferRecipient} />
            {transfer.recipient ? (
              <dl className="facts">
                <div>
                  <dt>{t.reviewName}</dt>
                  <dd>{transfer.recipient.name}</dd>
                </div>
                <div>
                  <dt>{t.reviewAccount}</dt>
                  <dd className="mono">{transfer.recipient.display}</dd>
                </div>
                <div>
                  <dt>{t.reviewCountry}</dt>
                  <dd>{format.country(transfer.recipient.country)}</dd>
                </div>
              </dl>
            ) : (
              <p className="card-text">{t.recipientRemoved}</p>
            )}
          </section>
        </div>
        <aside className="kyc-aside" aria-label={t.timelineTitle}>
          {PROGRESS.includes(transfer.status) && (
            <section className="onboarding transfer-progress-card">
              <p className="onboarding-label">{t.progressLabel}</p>
              <Progress status={transfer.status} />
            </section>
          )}
          <Timeline transfer={transfer} />
          {awaiting && !latePayment && !refund && (
            <CancelTransfer
              transfer={transfer}
              onCancelled={(cancelled) => {
                setAnnouncement(t.cancelledNotice);
                props.onChange(cancelled);
              }}
              onStale={props.reload}
            />
          )}
        </aside>
      </div>
    </div>
  );
}

/** `/transfers/:id`. */
export function TransferPage(props: { id: string }): ReactNode {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const queryKey = ['transfer', props.id];
  const query = useCustomerQuery({ queryKey, load: (signal) => fetchTransfer(props.id, signal) });
  const { refetch } = query;
  const reload = useCallback(() => void refetch(), [refetch]);
  const problem = query.error?.answer;
  const notFound = problem?.kind === 'error' && problem.status === 404;

  return (
    <>
      <BackLink to="/transfers" label={t.transferBack} />
      {query.isPending && <Loading label={t.loading} />}
      {query.isError && !notFound && <ErrorCard title={t.loadFailedTitle} text={t.loadFailedText} onRetry={reload} />}
      {notFound && (
        <div className="card error-card" data-testid="transfer-not-found">
          <h2>{t.transferNotFoundTitle}</h2>
          <p>{t.transferNotFoundText}</p>
          <AppLink to="/transfers" className="button button-primary">
            {t.transferBack}
          </AppLink>
        </div>
      )}
      {query.isSuccess && (
        <TransferView transfer={query.data} onChange={(transfer) => queryClient.setQueryData(queryKey, transfer)} reload={reload} />
      )}
    </>
  );
}
