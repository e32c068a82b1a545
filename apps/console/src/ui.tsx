import type { HealthResult } from '@drop/web-common';
import type { ReactNode } from 'react';
import type { Messages, SectionId } from './i18n.ts';

export type Tone = 'ok' | 'down' | 'unknown';

/** Overall state of a health probe, as the console shows it. */
export type ProbeState = 'checking' | 'ok' | 'down' | 'unreachable';

export function healthState(result: HealthResult | undefined): ProbeState {
  if (result === undefined) return 'checking';
  return result.kind === 'unreachable' ? 'unreachable' : result.report.status;
}

/** What a page needs to show a probe: its state, the label for it, the server's report and database check. */
export function summarizeHealth(
  result: HealthResult | undefined,
  t: Pick<Messages, 'stateChecking' | 'stateOk' | 'stateDown' | 'stateUnreachable'>,
) {
  const state = healthState(result);
  const report = result?.kind === 'report' ? result.report : undefined;
  const labels: Record<ProbeState, string> = {
    checking: t.stateChecking,
    ok: t.stateOk,
    down: t.stateDown,
    unreachable: t.stateUnreachable,
  };
  return { state, stateLabel: labels[state], report, db: report?.checks.db };
}

export function toneOf(state: ProbeState | 'ok' | 'down' | undefined): Tone {
  return state === 'ok' ? 'ok' : state === 'down' || state === 'unreachable' ? 'down' : 'unknown';
}

export function StatusPill(props: { tone: Tone; children: ReactNode; testId?: string }): ReactNode {
  return (
    <span className={`pill pill-${props.tone}`} data-testid={props.testId} data-tone={props.tone}>
      <span className="pill-dot" aria-hidden="true" />
      {props.children}
    </span>
  );
}

function Svg(props: { children: ReactNode; className?: string }): ReactNode {
  return (
    <svg
      className={props.className ?? 'icon'}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {props.children}
    </svg>
  );
}

const SECTION_ICONS: Record<SectionId, ReactNode> = {
  overview: (
    <>
      <rect x="3.5" y="3.5" width="7" height="7" rx="1.5" />
      <rect x="13.5" y="3.5" width="7" height="4.5" rx="1.5" />
      <rect x="13.5" y="11" width="7" height="9.5" rx="1.5" />
      <rect x="3.5" y="13.5" width="7" height="7" rx="1.5" />
    </>
  ),
  kyc: (
    <>
      <rect x="3" y="5" width="18" height="14" rx="2" />
      <circle cx="9" cy="11" r="2.3" />
      <path d="M5.8 16.2a3.6 3.6 0 0 1 6.4 0M14.5 10h3.5M14.5 13.5h3.5" />
    </>
  ),
  aml: (
    <>
      <path d="M12 3.5 21 19.5H3Z" />
      <path d="M12 10v4M12 16.8v.2" />
    </>
  ),
  approvals: (
    <>
      <circle cx="8" cy="9" r="3" />
      <circle cx="16" cy="9" r="3" />
      <path d="M3 19.5a5 5 0 0 1 10 0M11 19.5a5 5 0 0 1 10 0" />
    </>
  ),
  cases: (
    <>
      <path d="M3.5 7.5h17v12h-17Z" />
      <path d="M9 7.5V5.5a1 1 0 0 1 1-1h4a1 1 0 0 1 1 1v2M3.5 12.5h17M11 12.5v2h2v-2" />
    </>
  ),
  str: (
    <>
      <path d="M6 3.5h8l4 4v13H6Z" />
      <path d="M14 3.5v4h4M9 12h6M9 15.5h6" />
    </>
  ),
  customers: (
    <>
      <circle cx="9" cy="8.5" r="3.2" />
      <path d="M3.5 19.5a5.5 5.5 0 0 1 11 0M15.5 5.6a3.2 3.2 0 0 1 0 5.8M17.5 14.5a5.5 5.5 0 0 1 3 5" />
    </>
  ),
  transfers: (
    <>
      <path d="M4 8h14M14 4l4 4-4 4" />
      <path d="M20 16H6M10 12l-4 4 4 4" />
    </>
  ),
  payments: (
    <>
      <rect x="3" y="5.5" width="18" height="13" rx="2" />
      <path d="M3 9.5h18M6.5 14.5h4M15 14.5h2.5" />
    </>
  ),
  ledger: (
    <>
      <path d="M5 4.5h11.5a2 2 0 0 1 2 2v13H7a2 2 0 0 1-2-2Z" />
      <path d="M5 17.5a2 2 0 0 1 2-2h11.5M12 4.5v11" />
    </>
  ),
  dataRequests: (
    <>
      <ellipse cx="12" cy="6" rx="7" ry="2.5" />
      <path d="M5 6v12c0 1.4 3.1 2.5 7 2.5s7-1.1 7-2.5V6M5 12c0 1.4 3.1 2.5 7 2.5s7-1.1 7-2.5" />
    </>
  ),
  operations: (
    <>
      <path d="M3 12h4l2.5-6 5 12 2.5-6h4" />
    </>
  ),
  staff: (
    <>
      <circle cx="12" cy="8" r="3.5" />
      <path d="M5 20a7 7 0 0 1 14 0M16.5 4.5l1.5 1.5 3-3" />
    </>
  ),
  auditLog: (
    <>
      <path d="M12 3.5 19.5 6v5.5c0 4.4-3.1 7.8-7.5 9-4.4-1.2-7.5-4.6-7.5-9V6Z" />
      <path d="m8.8 12 2.2 2.2 4.2-4.4" />
    </>
  ),
};

export function SectionIcon(props: { section: SectionId }): ReactNode {
  return <Svg>{SECTION_ICONS[props.section]}</Svg>;
}

export const RefreshIcon = () => (
  <Svg className="icon icon-sm">
    <path d="M20 11a8 8 0 0 0-14.3-4.5L4 8.5" />
    <path d="M4 4v4.5h4.5" />
    <path d="M4 13a8 8 0 0 0 14.3 4.5l1.7-2" />
    <path d="M20 20v-4.5h-4.5" />
  </Svg>
);

export const ExternalIcon = () => (
  <Svg className="icon icon-sm">
    <path d="M14 4.5h5.5V10M19.5 4.5 11 13M17 14v4.5a1 1 0 0 1-1 1H5.5a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1H10" />
  </Svg>
);

export const ArrowIcon = () => (
  <Svg className="icon icon-sm">
    <path d="M5 12h14M13 6l6 6-6 6" />
  </Svg>
);

export const LogoutIcon = () => (
  <Svg className="icon icon-sm">
    <path d="M14 4.5H18a1.5 1.5 0 0 1 1.5 1.5v12a1.5 1.5 0 0 1-1.5 1.5h-4M10 16.5 5.5 12 10 7.5M5.5 12H15" />
  </Svg>
);

export const SearchIcon = () => (
  <Svg className="icon icon-sm">
    <circle cx="10.5" cy="10.5" r="6" />
    <path d="m15 15 5 5" />
  </Svg>
);

export const CopyIcon = () => (
  <Svg className="icon icon-sm">
    <rect x="8.5" y="8.5" width="11" height="11" rx="2" />
    <path d="M15.5 8.5V6a1.5 1.5 0 0 0-1.5-1.5H6A1.5 1.5 0 0 0 4.5 6v8A1.5 1.5 0 0 0 6 15.5h2.5" />
  </Svg>
);

export const CheckIcon = () => (
  <Svg className="icon icon-sm">
    <path d="m5 12.5 4.5 4.5L19 7.5" />
  </Svg>
);

export const AlertIcon = () => (
  <Svg className="icon icon-sm">
    <circle cx="12" cy="12" r="8.5" />
    <path d="M12 7.5v5M12 16v.2" />
  </Svg>
);

export const LockIcon = () => (
  <Svg className="icon icon-sm">
    <rect x="5" y="10.5" width="14" height="10" rx="2" />
    <path d="M8.5 10.5V7.5a3.5 3.5 0 0 1 7 0v3" />
  </Svg>
);

export const ClockIcon = () => (
  <Svg className="icon icon-sm">
    <circle cx="12" cy="12" r="8.5" />
    <path d="M12 7.5V12l3 2" />
  </Svg>
);

/** A coloured tag: KYC states, severities, "overdue". */
export function Badge(props: {
  tone: 'neutral' | 'info' | 'ok' | 'warn' | 'danger' | 'critical';
  children: ReactNode;
  testId?: string;
}): ReactNode {
  return (
    <span className={`badge badge-${props.tone}`} data-testid={props.testId}>
      {props.children}
    </span>
  );
}

export function DropMark(): ReactNode {
  return (
    <svg width="30" height="30" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="9" fill="#3b63ff" />
      <path d="M16 5.5c-.5 0-.9.3-1.2.7C12 10.2 8.5 15 8.5 19a7.5 7.5 0 0 0 15 0c0-4-3.5-8.8-6.3-12.8-.3-.4-.7-.7-1.2-.7Z" fill="#fff" />
      <path d="M12.6 19.6a3.6 3.6 0 0 0 3.4 3.1" stroke="#3b63ff" strokeWidth="1.8" strokeLinecap="round" fill="none" />
    </svg>
  );
}

export const BackIcon = () => (
  <Svg className="icon icon-sm">
    <path d="M19 12H5M11 6l-6 6 6 6" />
  </Svg>
);

export const XIcon = () => (
  <Svg className="icon icon-sm">
    <path d="M6 6l12 12M18 6 6 18" />
  </Svg>
);

/** A row of a `.link-list` that opens `href` (an API page, not part of the console) in a new tab. */
export function ExternalLinkItem(props: { href: string; title: ReactNode; text: string }): ReactNode {
  return (
    <li>
      <a href={props.href} target="_blank" rel="noreferrer">
        <span>
          <strong>{props.title}</strong>
          <small>{props.text}</small>
        </span>
        <ExternalIcon />
      </a>
    </li>
  );
}
