import { formatDateTime, formatRelative, formatTime } from '@drop/web-common';
import { AppLink, BackLink as SharedBackLink } from '@drop/web-common/routing';
import { type ReactNode, useEffect, useRef } from 'react';
import { systemReasonText, useI18n } from './i18n.ts';
import type { Loadable } from './session.ts';
import { AlertIcon, ArrowIcon, BackIcon, LockIcon, RefreshIcon } from './ui.tsx';

/** The title row of a page: heading, lead text, and actions on the right. */
export function PageHead(props: { title: string; lead?: ReactNode; children?: ReactNode }): ReactNode {
  return (
    <div className="page-head">
      <div>
        <h1>{props.title}</h1>
        {props.lead && <p className="page-lead">{props.lead}</p>}
      </div>
      {props.children && <div className="page-actions">{props.children}</div>}
    </div>
  );
}

/** A card with a heading (and a lead line under it), labelled by that heading: `id` names it. */
export function Card(props: {
  id: string;
  title: ReactNode;
  lead?: ReactNode;
  className?: string;
  testId?: string;
  /** Set as `data-state`, for the tests. */
  state?: string;
  children: ReactNode;
}): ReactNode {
  return (
    <section
      className={props.className ? `card ${props.className}` : 'card'}
      aria-labelledby={`${props.id}-title`}
      data-testid={props.testId}
      data-state={props.state}
    >
      <div className="card-head">
        <h2 id={`${props.id}-title`}>{props.title}</h2>
        {props.lead && <p className="card-lead">{props.lead}</p>}
      </div>
      {props.children}
    </section>
  );
}

/** "← Back to the queue": the link above a detail page to the list it was opened from. */
export function BackLink(props: { to: string; label: string }): ReactNode {
  return <SharedBackLink {...props} icon={<BackIcon />} />;
}

/** The small "Open →" button at the end of a table row; `name` says, to screen readers, which row it opens. */
export function OpenButton(props: { to: string; label: string; name: string; testId: string }): ReactNode {
  return (
    <AppLink to={props.to} className="button button-small button-open" testId={props.testId}>
      <span className="open-label">{props.label}</span>
      <span className="visually-hidden"> – {props.name}</span>
      <ArrowIcon />
    </AppLink>
  );
}

/** "Updated 12:03:44" and a refresh button, for pages that show a live list. */
export function RefreshControl(props: { result: Loadable<unknown>; reloading: boolean; reload(): void }): ReactNode {
  const { t, locale } = useI18n();
  return (
    <>
      {props.result.state === 'ok' && (
        <span className="updated" aria-live="polite">
          {t.updatedAt(formatTime(props.result.loadedAt, locale))}
        </span>
      )}
      <button type="button" className="button" onClick={props.reload} disabled={props.reloading} aria-busy={props.reloading}>
        <RefreshIcon />
        {t.refreshList}
      </button>
    </>
  );
}

/** What a page shows instead of its data while loading or after a failure (FORBIDDEN is "no access"). */
export function LoadProblem(props: { result: Exclude<Loadable<unknown>, { state: 'ok' }>; retry(): void; role: string }): ReactNode {
  const { t } = useI18n();
  if (props.result.state === 'loading') {
    return (
      <div className="card state-card" aria-busy="true">
        <span className="spinner" aria-hidden="true" />
        <p>{t.loading}</p>
      </div>
    );
  }
  if (props.result.code === 'FORBIDDEN') return <NoAccess role={props.role} />;
  const network = props.result.status === 0;
  return (
    <div className="card state-card state-error" role="alert">
      <AlertIcon />
      <p>{network ? t.networkFailed : t.loadFailed(props.result.code)}</p>
      <button type="button" className="button" onClick={props.retry}>
        {t.retry}
      </button>
    </div>
  );
}

export function NoAccess(props: { role: string; children?: ReactNode }): ReactNode {
  const { t } = useI18n();
  return (
    <div className="empty" data-testid="no-access">
      <span className="empty-icon">
        <LockIcon />
      </span>
      <h1>{t.noAccessTitle}</h1>
      <p>{t.noAccessText(props.role)}</p>
      {props.children}
    </div>
  );
}

/** A column heading: its text; `num` right-aligns it (amounts, counts); `hidden` keeps it for screen readers only (an actions column). `false` leaves the column out. */
export type Column = string | { label: string; num?: true; hidden?: true } | false;

/**
 * A table of the console's kind: its column headings, a friendly row saying why it is empty when
 * `empty` is given, then the rows.
 */
export function DataTable(props: {
  columns: Column[];
  empty?: ReactNode;
  className?: string;
  testId?: string;
  /** The transfer list's view, for tests (`data-view`). */
  view?: string;
  children: ReactNode;
}): ReactNode {
  const columns = props.columns.filter((column) => column !== false);
  const wrap = useRef<HTMLDivElement>(null);
  // A table wider than its card scrolls; `data-overflowing` shows that it does (see .table-wrap in styles.css).
  useEffect(() => {
    const element = wrap.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const measure = () => element.setAttribute('data-overflowing', String(element.scrollWidth > element.clientWidth + 1));
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    const table = element.firstElementChild;
    if (table) observer.observe(table);
    measure();
    return () => observer.disconnect();
  }, []);
  return (
    <div className="table-wrap" ref={wrap}>
      <table className={props.className ?? 'table'} data-testid={props.testId} data-view={props.view}>
        <thead>
          <tr>
            {columns.map((column) =>
              typeof column === 'string' ? (
                <th key={column} scope="col">
                  {column}
                </th>
              ) : (
                <th key={column.label} scope="col" className="align-right">
                  {column.hidden ? <span className="visually-hidden">{column.label}</span> : column.label}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>
          {props.empty !== undefined && props.empty !== false && (
            <tr>
              <td colSpan={columns.length} className="empty-row">
                {props.empty}
              </td>
            </tr>
          )}
          {props.children}
        </tbody>
      </table>
    </div>
  );
}

/**
 * An account number as it is read aloud: an IBAN (or other long number) in groups of four, where a
 * line may break between groups and never inside one; a short value as it is.
 */
export function AccountNumber(props: { value: string; testId?: string }): ReactNode {
  const compact = props.value.replace(/\s+/g, '');
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{8,}$/i.test(compact)) {
    return (
      <code className="id" data-testid={props.testId}>
        {props.value}
      </code>
    );
  }
  const groups = compact.match(/.{1,4}/g) ?? [compact];
  return (
    <code className="id account-groups" data-testid={props.testId} title={compact}>
      {groups.map((group, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the groups of one number, in order.
        <span key={index}>
          {group}
          {index < groups.length - 1 ? ' ' : ''}
        </span>
      ))}
    </code>
  );
}

/**
 * A reason the system wrote (a timeline note, a failure reason) in the page's language: the
 * translation, then in quotes what a person or partner wrote inside it (as written, not for
 * translation); a text no pattern knows is shown as written, marked English.
 */
export function SystemReason(props: { reason: string }): ReactNode {
  const { t } = useI18n();
  const known = systemReasonText(t, props.reason);
  if (!known) return <span lang="en">{props.reason}</span>;
  return (
    <span title={props.reason}>
      {known.text}
      {known.verbatim !== null && (
        <>
          {': '}
          <q translate="no">{known.verbatim}</q>
        </>
      )}
    </span>
  );
}

/** When something happened: the date and time, and under it how long ago ("3 hours ago"). */
export function WhenCell(props: { at: string; now: Date }): ReactNode {
  const { locale } = useI18n();
  return (
    <div className="cell-stack">
      <span className="cell-primary num nowrap">{formatDateTime(new Date(props.at), locale)}</span>
      <span className="cell-secondary">{formatRelative(new Date(props.at), props.now, locale)}</span>
    </div>
  );
}
