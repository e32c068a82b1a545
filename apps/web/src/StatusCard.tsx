import { formatLatency, formatTime, formatUptime, useHealth } from '@drop/web-common';
import type { ReactNode } from 'react';
import { useI18n } from './i18n.ts';
import { RefreshIcon } from './icons.tsx';

type Tone = 'ok' | 'down' | 'unknown';

function Pill(props: { tone: Tone; children: ReactNode }): ReactNode {
  return (
    <span className={`pill pill-${props.tone}`}>
      <span className="pill-dot" aria-hidden="true" />
      {props.children}
    </span>
  );
}

/** The live service status from `/api/health`: overall state, database, version and uptime. */
export function StatusCard(): ReactNode {
  const { t, locale } = useI18n();
  const { result, checking, refresh } = useHealth(30_000);

  const state = result === undefined ? 'checking' : result.kind === 'unreachable' ? 'unreachable' : result.report.status;
  const report = result?.kind === 'report' ? result.report : undefined;
  const headline = { checking: t.statusChecking, ok: t.statusOk, down: t.statusDown, unreachable: t.statusUnreachable }[state];
  const detail = state === 'down' ? t.statusDownDetail : state === 'unreachable' ? t.statusUnreachableDetail : undefined;
  const componentPill = (status: 'ok' | 'down' | undefined) =>
    status === undefined ? (
      <Pill tone="unknown">{t.statusUnknown}</Pill>
    ) : (
      <Pill tone={status}>{status === 'ok' ? t.statusComponentOk : t.statusComponentDown}</Pill>
    );

  return (
    <div className="status-card" data-state={state} data-testid="service-status">
      <div className="status-head" role="status" aria-live="polite">
        <span className="status-beacon" aria-hidden="true" />
        <div>
          <p className="status-headline">{headline}</p>
          {detail && <p className="status-detail">{detail}</p>}
        </div>
      </div>

      <ul className="status-components">
        <li>
          <span className="status-component">{t.statusApi}</span>
          {componentPill(report ? 'ok' : result ? 'down' : undefined)}
        </li>
        <li>
          <span className="status-component">{t.statusDatabase}</span>
          {componentPill(report?.checks.db.status)}
        </li>
      </ul>

      <dl className="status-grid">
        <div className="status-item">
          <dt>{t.statusLatency}</dt>
          <dd className="status-value" data-testid="db-latency">
            {report?.checks.db.latencyMs != null ? formatLatency(report.checks.db.latencyMs, locale) : '–'}
          </dd>
        </div>
        <div className="status-item">
          <dt>{t.statusVersion}</dt>
          <dd className="status-value" data-testid="version">
            {report?.version ?? '–'}
          </dd>
        </div>
        <div className="status-item">
          <dt>{t.statusUptime}</dt>
          <dd className="status-value" data-testid="uptime">
            {report ? formatUptime(report.uptime, locale) : '–'}
          </dd>
        </div>
      </dl>

      <div className="status-foot">
        <span className="status-checked">{result ? t.statusCheckedAt(formatTime(result.checkedAt, locale)) : '\u00a0'}</span>
        <button type="button" className="button button-secondary" onClick={refresh} disabled={checking} aria-busy={checking}>
          <RefreshIcon />
          {checking ? t.statusRetrying : t.statusRetry}
        </button>
      </div>
    </div>
  );
}
