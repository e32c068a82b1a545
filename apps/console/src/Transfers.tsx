import { isId } from '@drop/contracts';
import { AppLink } from '@drop/web-common/routing';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { formatAmount } from './AmlAlerts.tsx';
import { useI18n } from './i18n.ts';
import { CustomerCell } from './KycQueue.tsx';
import { DataTable, LoadProblem, OpenButton, PageHead, RefreshControl, SystemReason, WhenCell } from './page.tsx';
import { pathFor, useNavigate } from './routes.ts';
import { useSession, useStaffData } from './session.ts';
import { fetchTransfers, TRANSFER_VIEWS, type TransferStatus, type TransferView } from './staff-api.ts';
import { Badge, SearchIcon, XIcon } from './ui.tsx';

export function transferTone(status: TransferStatus): 'neutral' | 'info' | 'ok' | 'warn' | 'danger' {
  if (status === 'paid_out') return 'ok';
  if (status === 'failed') return 'danger';
  if (status === 'held') return 'warn';
  if (status === 'cancelled' || status === 'refunded') return 'neutral';
  return 'info';
}

export function TransferStatusBadge(props: { status: TransferStatus; testId?: string }): ReactNode {
  const { t } = useI18n();
  return (
    <Badge tone={transferTone(props.status)} testId={props.testId}>
      {t.transferStatus[props.status]}
    </Badge>
  );
}

/** "tx_01M8…C650P5": a prefixed ULID shortened in the middle (its start is only the time); the full ID is in the tooltip. */
export function shortId(id: string): string {
  const prefix = id.indexOf('_') + 1;
  return id.length - prefix > 14 ? `${id.slice(0, prefix + 4)}…${id.slice(-6)}` : id;
}

/** `?view=failed&customer=usr_…&query=…` → the list to show; unknown views fall back to the last 24 hours. */
export function transfersSearch(view: TransferView, customerId = '', query = ''): string {
  const params = new URLSearchParams();
  if (view !== 'recent') params.set('view', view);
  if (customerId) params.set('customer', customerId);
  if (query) params.set('query', query);
  const text = params.toString();
  return text ? `?${text}` : '';
}

function readSearch(search: string): { view: TransferView; customerId: string; query: string } {
  const params = new URLSearchParams(search);
  const view = params.get('view') as TransferView | null;
  const customer = params.get('customer') ?? '';
  return {
    view: view && TRANSFER_VIEWS.includes(view) ? view : 'recent',
    customerId: isId('usr', customer) ? customer : '',
    query: params.get('query')?.trim().slice(0, 100) ?? '',
  };
}

/** Finds a transfer by its reference (any case, with or without dashes), KID, id or the customer's number. */
function TransferSearch(props: { view: TransferView; customerId: string; query: string }): ReactNode {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [input, setInput] = useState(props.query);
  useEffect(() => setInput(props.query), [props.query]);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    navigate('transfers', { search: transfersSearch(props.view, props.customerId, input.trim()) });
  };
  return (
    <form className="search card" aria-label={t.transferSearchLabel} onSubmit={onSubmit} data-testid="transfer-search">
      <label htmlFor="transfer-search" className="visually-hidden">
        {t.transferSearchLabel}
      </label>
      <span className="search-icon">
        <SearchIcon />
      </span>
      <input
        id="transfer-search"
        className="input search-input"
        type="search"
        name="query"
        autoComplete="off"
        spellCheck={false}
        placeholder={t.transferSearchPlaceholder}
        value={input}
        onChange={(event) => setInput(event.target.value)}
      />
      <button type="submit" className="button button-primary">
        {t.search}
      </button>
    </form>
  );
}

/** `/console/transfers`: the runbook's transfer lists as tabs, each row opening the transfer. */
export function Transfers(props: { search: string }): ReactNode {
  const { t, locale } = useI18n();
  const { me, can } = useSession();
  const mayOpenCustomer = can('customers');
  const { view, customerId, query } = readSearch(props.search);
  const { result, reloading, reload } = useStaffData(['transfers', view, customerId, query], (signal) =>
    fetchTransfers(view, customerId, signal, query),
  );
  const now = new Date();

  const rows = result.state === 'ok' ? result.data.transfers : [];
  const customer = rows[0]?.customer;
  const customerLabel = customer ? (customer.name ?? customer.email ?? customerId) : customerId;

  return (
    <>
      <PageHead title={t.sections.transfers} lead={t.transfersLead}>
        <RefreshControl result={result} reloading={reloading} reload={reload} />
      </PageHead>
      <TransferSearch view={view} customerId={customerId} query={query} />
      {query && (
        <div className="filter-bar" data-testid="transfer-search-filter">
          <span className="muted">{t.transferSearchLead}</span>
          <AppLink to={pathFor('transfers', transfersSearch(view, customerId))} className="button button-small">
            <XIcon />
            {t.clearTransferSearch}
          </AppLink>
        </div>
      )}
      {customerId && (
        <div className="filter-bar" data-testid="customer-filter">
          <span className="muted">{t.customerFilter}</span>
          <span className="filter-value">
            {customerLabel !== customerId && <strong>{customerLabel}</strong>}
            <code className="id">{customerId}</code>
          </span>
          <AppLink to={pathFor('transfers', transfersSearch(view))} className="button button-small">
            <XIcon />
            {t.clearCustomerFilter}
          </AppLink>
        </div>
      )}
      <nav className="tabs" aria-label={t.transferViewsLabel}>
        {TRANSFER_VIEWS.map((item) => (
          <AppLink
            key={item}
            to={pathFor('transfers', transfersSearch(item, customerId))}
            className="tab"
            current={item === view}
            testId={`tab-${item}`}
          >
            {t.transferViews[item]}
          </AppLink>
        ))}
      </nav>
      {result.state !== 'ok' ? (
        <LoadProblem result={result} retry={reload} role={t.roles[me.role]} />
      ) : (
        <section className="card" aria-labelledby="transfers-title" aria-busy={reloading}>
          <div className="card-head card-head-row">
            <div>
              <h2 id="transfers-title" data-testid="transfer-count">
                {query ? t.transferSearchCount(rows.length, query) : t.transferCount(rows.length)}
              </h2>
              {!query && <p className="card-lead">{t.transferViewLeads[view]}</p>}
            </div>
          </div>
          {result.data.truncated && (
            <p className="card-note" data-testid="transfers-truncated">
              {t.transfersTruncated(result.data.limit)}
            </p>
          )}
          <DataTable
            className="table table-stack"
            testId="transfer-table"
            view={view}
            empty={rows.length === 0 && (query ? t.transferSearchEmpty(query) : t.transferViewEmpty[view])}
            columns={[
              t.colTransaction,
              t.colCustomer,
              t.colStatus,
              { label: t.colSend, num: true },
              { label: t.colReceive, num: true },
              t.colCreated,
              { label: t.colActions, hidden: true },
            ]}
          >
            {rows.map((row) => {
              // The list's own query goes along, so "back" returns to the same tab and customer.
              const back = transfersSearch(view, customerId, query);
              const href = pathFor('transfer', back, row.id);
              return (
                <tr key={row.id} data-testid="transfer-row" data-transfer-id={row.id} data-status={row.status}>
                  <td data-label={t.colTransaction}>
                    <div className="cell-stack">
                      <AppLink to={href} className="cell-link">
                        <code className="id ref" data-testid="transfer-reference">
                          {row.reference}
                        </code>
                      </AppLink>
                      <code className="id cell-secondary" title={row.id}>
                        {shortId(row.id)}
                      </code>
                    </div>
                  </td>
                  <td data-label={t.colCustomer}>
                    <CustomerCell
                      name={row.customer.name}
                      email={row.customer.email}
                      {...(mayOpenCustomer ? { href: pathFor('customer', '', row.customer.id) } : {})}
                    />
                  </td>
                  <td data-label={t.colStatus}>
                    <div className="cell-stack">
                      <span>
                        <TransferStatusBadge status={row.status} testId="transfer-status" />
                      </span>
                      {row.failureReason && (
                        <span className="cell-secondary cell-wrap">
                          <SystemReason reason={row.failureReason} />
                        </span>
                      )}
                    </div>
                  </td>
                  <td className="num align-right" data-testid="transfer-send" data-label={t.colSend}>
                    {formatAmount(row.send.amount, row.send.currency, locale)}
                  </td>
                  <td className="num align-right" data-testid="transfer-receive" data-label={t.colReceive}>
                    {row.receive ? formatAmount(row.receive.amount, row.receive.currency, locale) : <span className="muted">–</span>}
                  </td>
                  <td data-label={t.colCreated}>
                    <WhenCell at={row.createdAt} now={now} />
                  </td>
                  <td className="align-right cell-action">
                    <OpenButton to={href} label={t.openTransfer} name={row.id} testId="open-transfer" />
                  </td>
                </tr>
              );
            })}
          </DataTable>
        </section>
      )}
    </>
  );
}
