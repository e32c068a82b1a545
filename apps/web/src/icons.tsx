import type { ReactNode } from 'react';

/** Small decorative icons (hidden from assistive technology; the text next to them says it all). */
function Icon(props: { children: ReactNode; className?: string }): ReactNode {
  return (
    <svg
      className={props.className ?? 'icon'}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {props.children}
    </svg>
  );
}

export const CheckIcon = () => (
  <Icon>
    <path d="m5 12.5 4.5 4.5L19 7.5" />
  </Icon>
);

export const LockIcon = () => (
  <Icon>
    <rect x="4.5" y="10.5" width="15" height="10" rx="2.5" />
    <path d="M8 10.5V8a4 4 0 0 1 8 0v2.5" />
  </Icon>
);

export const EyeIcon = () => (
  <Icon>
    <path d="M2.5 12s3.5-6.5 9.5-6.5S21.5 12 21.5 12 18 18.5 12 18.5 2.5 12 2.5 12Z" />
    <circle cx="12" cy="12" r="3" />
  </Icon>
);

export const ReceiptIcon = () => (
  <Icon>
    <path d="M6 3.5h12v17l-3-2-3 2-3-2-3 2Z" />
    <path d="M9 8.5h6M9 12h6" />
  </Icon>
);

export const RefreshIcon = () => (
  <Icon className="icon icon-sm">
    <path d="M20 11a8 8 0 0 0-14.3-4.5L4 8.5" />
    <path d="M4 4v4.5h4.5" />
    <path d="M4 13a8 8 0 0 0 14.3 4.5l1.7-2" />
    <path d="M20 20v-4.5h-4.5" />
  </Icon>
);

export const ArrowIcon = () => (
  <Icon className="icon icon-sm">
    <path d="M5 12h14M13 6l6 6-6 6" />
  </Icon>
);

/** The Drop mark: a drop in a rounded square. */
export function DropMark(props: { size?: number }): ReactNode {
  const size = props.size ?? 32;
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false" className="drop-mark">
      <rect width="32" height="32" rx="9" fill="var(--brand)" />
      <path d="M16 5.5c-.5 0-.9.3-1.2.7C12 10.2 8.5 15 8.5 19a7.5 7.5 0 0 0 15 0c0-4-3.5-8.8-6.3-12.8-.3-.4-.7-.7-1.2-.7Z" fill="#fff" />
      <path d="M12.6 19.6a3.6 3.6 0 0 0 3.4 3.1" stroke="var(--brand)" strokeWidth="1.8" strokeLinecap="round" fill="none" />
    </svg>
  );
}
