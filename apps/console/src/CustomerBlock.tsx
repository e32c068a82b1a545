import { AppLink } from '@drop/web-common/routing';
import { type ReactNode, useState } from 'react';
import { fourEyesError, TextDialog } from './Approvals.tsx';
import { useI18n } from './i18n.ts';
import { pathFor } from './routes.ts';
import { useSession, useStaffData } from './session.ts';
import { type FourEyesRequest, fetchApprovals, proposeCustomerBlock, withdrawApproval } from './staff-api.ts';

/** The customer as the block actions need them: who, and whether compliance has blocked them (users.aml_frozen_at). */
export interface BlockSubject {
  id: string;
  name: string;
  amlFrozenAt: string | null;
  deletedAt: string | null;
}

/**
 * Propose blocking (or, when compliance has blocked them, unblocking) a customer, with a reason; a
 * second person approves on the Approvals page, as for a held transfer. While a proposal waits it
 * is shown instead of a second button, and its proposer can withdraw it. Only "blocked by
 * compliance" (aml_frozen_at) is blocked or unblocked here: a KYC status or a deletion blocks too
 * (customer_block_reason) but is undone elsewhere. For staff with 'transfer_hold'.
 */
export function CustomerBlockActions(props: { customer: BlockSubject; pending: FourEyesRequest | null; onChanged(): void }): ReactNode {
  const { t } = useI18n();
  const { me, expire } = useSession();
  const { customer, pending } = props;
  const [dialog, setDialog] = useState<'block' | 'unblock' | 'withdraw' | null>(null);
  const [done, setDone] = useState<string | null>(null);
  if (!me.permissions.includes('transfer_hold') || (customer.deletedAt && !pending)) return null;
  const action = customer.amlFrozenAt ? 'unblock' : 'block';
  const own = pending?.proposedBy === me.id;
  return (
    <div className="cell-stack" data-testid="customer-block">
      {/* While a proposal waits, its own line says so; the outcome line is for what left no trace (a withdrawal). */}
      {done && !pending && (
        <span className="cell-secondary" role="status" data-testid="customer-block-done">
          {done}
        </span>
      )}
      {pending ? (
        <>
          <span className="cell-secondary" data-testid="pending-block" data-kind={pending.kind}>
            {t.customerBlock.pending(pending.kind as 'block_customer' | 'unblock_customer', pending.proposedByName)}{' '}
            <AppLink to={pathFor('approvals')}>{t.sections.approvals}</AppLink>
          </span>
          {own && (
            <span className="button-row">
              <button
                type="button"
                className="button button-small"
                data-testid="withdraw-block-button"
                onClick={() => {
                  setDone(null);
                  setDialog('withdraw');
                }}
              >
                {t.customerBlock.withdraw}
              </button>
            </span>
          )}
        </>
      ) : (
        <span className="button-row">
          <button
            type="button"
            className={`button button-small ${action === 'block' ? 'button-danger-outline' : ''}`}
            data-testid={`propose-${action}-button`}
            onClick={() => {
              setDone(null);
              setDialog(action);
            }}
          >
            {action === 'block' ? t.customerBlock.proposeBlock : t.customerBlock.proposeUnblock}
            <span className="visually-hidden"> – {customer.name}</span>
          </button>
        </span>
      )}
      {dialog === 'withdraw' && pending && (
        <TextDialog
          title={t.customerBlock.withdrawTitle}
          text={`${t.fourEyes.kinds[pending.kind]} · ${customer.name} — ${t.customerBlock.withdrawText}`}
          label={t.fourEyes.note}
          confirmLabel={t.customerBlock.withdraw}
          required={false}
          tone="primary"
          testId="withdraw-dialog"
          onClose={() => setDialog(null)}
          onSubmit={async (note) => {
            const answer = await withdrawApproval(pending.id, note);
            if (answer.kind !== 'ok') return fourEyesError(t, answer, expire);
            setDone(t.customerBlock.withdrawn);
            props.onChanged();
            return null;
          }}
        />
      )}
      {(dialog === 'block' || dialog === 'unblock') && (
        <TextDialog
          title={dialog === 'block' ? t.customerBlock.blockTitle : t.customerBlock.unblockTitle}
          text={dialog === 'block' ? t.customerBlock.blockText(customer.name) : t.customerBlock.unblockText(customer.name)}
          label={t.fourEyes.reason}
          confirmLabel={dialog === 'block' ? t.customerBlock.proposeBlock : t.customerBlock.proposeUnblock}
          required
          tone={dialog === 'block' ? 'danger' : 'primary'}
          testId={`${dialog}-dialog`}
          onClose={() => setDialog(null)}
          onSubmit={async (reason) => {
            const answer = await proposeCustomerBlock(customer.id, dialog, reason);
            if (answer.kind !== 'ok') return fourEyesError(t, answer, expire);
            setDone(t.customerBlock.proposed);
            props.onChanged();
            return null;
          }}
        />
      )}
    </div>
  );
}

/** The same, for a page that does not already know the pending proposal (the case page): it asks the approvals list. */
export function CustomerBlockActionsLoading(props: { customer: BlockSubject; onChanged(): void }): ReactNode {
  const { me } = useSession();
  return me.permissions.includes('transfer_hold') ? <CustomerBlockActionsLoaded {...props} /> : null;
}

function CustomerBlockActionsLoaded(props: { customer: BlockSubject; onChanged(): void }): ReactNode {
  const { result, reload } = useStaffData(['approvals', props.customer.id], (signal) => fetchApprovals(props.customer.id, signal));
  if (result.state !== 'ok') return null;
  const pending = result.data.find((request) => request.kind === 'block_customer' || request.kind === 'unblock_customer') ?? null;
  return (
    <CustomerBlockActions
      customer={props.customer}
      pending={pending}
      onChanged={() => {
        reload();
        props.onChanged();
      }}
    />
  );
}
