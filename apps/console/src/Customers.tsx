import { formatCustomerNumber, formatDate, formatDateTime } from '@drop/web-common';
import { AppLink } from '@drop/web-common/routing';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { CustomerBlockActions } from './CustomerBlock.tsx';
import { ConfirmDialog } from './dialog.tsx';
import { useI18n } from './i18n.ts';
import { CustomerCell, kycTone } from './KycQueue.tsx';
import { Notice } from './Login.tsx';
import { DataTable, LoadProblem, PageHead } from './page.tsx';
import { pathFor, useNavigate } from './routes.ts';
import { useSession, useStaffData } from './session.ts';
import { type CustomerSummary, revokeCustomerSessions, searchCustomers } from './staff-api.ts';
import { transfersSearch } from './Transfers.tsx';
import { Badge, LogoutIcon, SearchIcon } from './ui.tsx';

/**
 * Whether the customer may move money (customer_block_reason): deleted, blocked by compliance
 * (aml_frozen_at: a screening hit or an approved block, with its reason), held back by KYC, or active.
 */
function AccountState(props: { customer: CustomerSummary }): ReactNode {
  const { t, locale } = useI18n();
  const { customer } = props;
  if (customer.deletedAt) return <Badge tone="danger">{t.accountDeleted(formatDate(customer.deletedAt, locale))}</Badge>;
  if (customer.amlFrozenAt) {
    return (
      <div className="cell-stack" data-testid="customer-blocked">
        <span>
          <Badge tone="critical">{t.customerBlock.blocked}</Badge>
        </span>
        <span className="cell-secondary">
          {t.customerBlock.blockedSince(formatDateTime(new Date(customer.amlFrozenAt), locale))}
          {customer.amlFrozenReason ? `: ${customer.amlFrozenReason}` : ''}
        </span>
      </div>
    );
  }
  if (customer.blockReason) {
    return (
      <Badge tone="warn" testId="customer-cannot-send">
        {t.customerBlock.cannotSend(t.kycStatus[customer.kycStatus] ?? customer.blockReason)}
      </Badge>
    );
  }
  return (
    <Badge tone="ok" testId="customer-active">
      {t.accountActive}
    </Badge>
  );
}

function Results(props: { query: string }): ReactNode {
  const { t, locale } = useI18n();
  const { me, expire, can } = useSession();
  const { query } = props;
  const { result, reloading, reload } = useStaffData(['customers', query], (signal) => searchCustomers(query, signal));
  const mayRevoke = me.permissions.includes('revoke_customer_sessions');
  const mayTransfers = can('transfers');
  const mayBlock = me.permissions.includes('transfer_hold');
  const hasActions = mayRevoke || mayTransfers || mayBlock;
  const [target, setTarget] = useState<CustomerSummary>();
  const [ending, setEnding] = useState(false);
  const [outcome, setOutcome] = useState<{ tone: 'ok' | 'error'; text: string }>();

  const displayName = (customer: CustomerSummary) => customer.name ?? customer.email ?? customer.id;

  const endSessions = async () => {
    if (!target) return;
    setEnding(true);
    const answer = await revokeCustomerSessions(target.id);
    setEnding(false);
    setTarget(undefined);
    if (answer.kind === 'unauthenticated') return expire();
    if (answer.kind === 'ok') {
      setOutcome({ tone: 'ok', text: t.sessionsEnded(answer.data.sessionsEnded, displayName(target)) });
      reload();
    } else {
      setOutcome({ tone: 'error', text: answer.code === 'FORBIDDEN' ? t.endForbidden : t.endFailed(answer.code) });
    }
  };

  if (result.state !== 'ok') {
    if (result.state === 'error' && result.code === 'VALIDATION_FAILED') {
      return <Notice tone="error">{query.trim().length < 2 ? t.searchTooShort : t.searchInvalid}</Notice>;
    }
    return <LoadProblem result={result} retry={reload} role={t.roles[me.role]} />;
  }

  return (
    <>
      {outcome && (
        <Notice tone={outcome.tone} testId="revoke-outcome">
          {outcome.text}
        </Notice>
      )}
      <section className="card" aria-labelledby="results-title" aria-busy={reloading}>
        <div className="card-head">
          <h2 id="results-title" data-testid="result-count">
            {t.resultCount(result.data.length, query)}
          </h2>
        </div>
        <DataTable
          testId="customer-table"
          empty={result.data.length === 0 && t.noResults(query)}
          columns={[
            t.colCustomer,
            t.colCustomerNumber,
            t.colKyc,
            t.colRegistered,
            { label: t.colSessions, num: true },
            t.colAccount,
            hasActions && { label: t.colActions, hidden: true },
          ]}
        >
          {result.data.map((customer) => (
            <tr key={customer.id} data-testid="customer-row" className={customer.deletedAt ? 'row-muted' : undefined}>
              <td>
                <CustomerCell name={customer.name} email={customer.email} href={pathFor('customer', '', customer.id)} />
              </td>
              <td>
                <div className="cell-stack">
                  <span className="cell-primary num" data-testid="customer-number">
                    {formatCustomerNumber(customer.customerNumber)}
                  </span>
                  <code className="id id-wrap cell-secondary">{customer.id}</code>
                </div>
              </td>
              <td>
                <Badge tone={kycTone(customer.kycStatus)}>{t.kycStatus[customer.kycStatus] ?? customer.kycStatus}</Badge>
              </td>
              <td className="num">{formatDateTime(new Date(customer.createdAt), locale)}</td>
              <td className="num align-right" data-testid="live-sessions">
                {customer.liveSessions}
              </td>
              <td>
                <AccountState customer={customer} />
              </td>
              {hasActions && (
                <td className="align-right">
                  <span className="row-actions">
                    {mayTransfers && (
                      <AppLink
                        to={pathFor('transfers', transfersSearch('recent', customer.id))}
                        className="button button-small"
                        testId="customer-transfers"
                      >
                        {t.customerTransfers}
                        <span className="visually-hidden"> – {displayName(customer)}</span>
                      </AppLink>
                    )}
                    {mayRevoke && (
                      <button
                        type="button"
                        className="button button-small button-danger-outline"
                        disabled={customer.liveSessions === 0}
                        title={customer.liveSessions === 0 ? t.noSessions : undefined}
                        onClick={() => {
                          setOutcome(undefined);
                          setTarget(customer);
                        }}
                      >
                        <LogoutIcon />
                        {t.endAllSessions}
                        <span className="visually-hidden"> – {displayName(customer)}</span>
                      </button>
                    )}
                  </span>
                  {mayBlock && (
                    <CustomerBlockActions
                      customer={{ ...customer, name: displayName(customer) }}
                      pending={customer.pendingBlockRequest}
                      onChanged={reload}
                    />
                  )}
                </td>
              )}
            </tr>
          ))}
        </DataTable>
      </section>
      <ConfirmDialog
        open={target !== undefined}
        title={t.confirmEndTitle}
        confirmLabel={t.endAllSessions}
        busyLabel={t.ending}
        busy={ending}
        onConfirm={() => void endSessions()}
        onCancel={() => {
          if (!ending) setTarget(undefined);
        }}
      >
        {target && <p>{t.confirmEndText(displayName(target), target.liveSessions)}</p>}
      </ConfirmDialog>
    </>
  );
}

export function Customers(props: { search: string }): ReactNode {
  const navigate = useNavigate();
  const { t } = useI18n();
  const query = new URLSearchParams(props.search).get('query')?.trim() ?? '';
  const [input, setInput] = useState(query);
  useEffect(() => setInput(query), [query]);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const next = input.trim();
    navigate('customers', { search: next ? `?${new URLSearchParams({ query: next })}` : '' });
  };

  return (
    <>
      <PageHead title={t.sections.customers} lead={t.customersLead} />
      <form className="search card" aria-label={t.searchLabel} onSubmit={onSubmit}>
        <label htmlFor="customer-search" className="visually-hidden">
          {t.searchLabel}
        </label>
        <span className="search-icon">
          <SearchIcon />
        </span>
        <input
          id="customer-search"
          className="input search-input"
          type="search"
          name="query"
          autoComplete="off"
          spellCheck={false}
          placeholder={t.searchPlaceholder}
          value={input}
          onChange={(event) => setInput(event.target.value)}
        />
        <button type="submit" className="button button-primary">
          {t.search}
        </button>
      </form>
      {query ? (
        <Results key={query} query={query} />
      ) : (
        <div className="card state-card state-hint">
          <SearchIcon />
          <p>{t.searchPrompt}</p>
        </div>
      )}
    </>
  );
}
