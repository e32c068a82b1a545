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

export const MailIcon = () => (
  <Icon>
    <rect x="3" y="5.5" width="18" height="13" rx="2.5" />
    <path d="m3.5 7 8.5 6 8.5-6" />
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

export const DownloadIcon = () => (
  <Icon>
    <path d="M12 4v11M7 10.5l5 5 5-5" />
    <path d="M5 19.5h14" />
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

/** A shield with a check: signing in with BankID (a neutral mark, not BankID's logo). */
export const ShieldIcon = () => (
  <Icon>
    <path d="M12 3 4.5 6v5.5c0 4.5 3.2 8.3 7.5 9.5 4.3-1.2 7.5-5 7.5-9.5V6Z" />
    <path d="m8.8 12 2.3 2.3 4.3-4.6" />
  </Icon>
);

export const UserIcon = () => (
  <Icon>
    <circle cx="12" cy="8.5" r="3.8" />
    <path d="M4.5 20a7.5 7.5 0 0 1 15 0" />
  </Icon>
);

export const IdCardIcon = () => (
  <Icon>
    <rect x="3" y="5" width="18" height="14" rx="2.5" />
    <circle cx="9" cy="11" r="2.3" />
    <path d="M5.8 16.2a3.6 3.6 0 0 1 6.4 0M14.5 10h3.5M14.5 13.5h3.5" />
  </Icon>
);

export const ComputerIcon = () => (
  <Icon>
    <rect x="3" y="4.5" width="18" height="12" rx="2" />
    <path d="M8.5 20h7M12 16.5V20" />
  </Icon>
);

export const PhoneIcon = () => (
  <Icon>
    <rect x="6.5" y="2.5" width="11" height="19" rx="2.5" />
    <path d="M11 18.5h2" />
  </Icon>
);

export const TabletIcon = () => (
  <Icon>
    <rect x="4.5" y="2.5" width="15" height="19" rx="2.5" />
    <path d="M11 18.5h2" />
  </Icon>
);

export const LogoutIcon = () => (
  <Icon className="icon icon-sm">
    <path d="M9.5 20.5H6a1.5 1.5 0 0 1-1.5-1.5V5A1.5 1.5 0 0 1 6 3.5h3.5" />
    <path d="M15.5 16.5 20 12l-4.5-4.5M20 12H9.5" />
  </Icon>
);

export const InfoIcon = () => (
  <Icon>
    <circle cx="12" cy="12" r="9" />
    <path d="M12 11v5.5M12 7.6v.2" />
  </Icon>
);

export const AlertIcon = () => (
  <Icon>
    <path d="M12 3.5 21 19.5H3Z" />
    <path d="M12 10v4M12 16.8v.2" />
  </Icon>
);

export const CopyIcon = () => (
  <Icon className="icon icon-sm">
    <rect x="8.5" y="8.5" width="11" height="11" rx="2" />
    <path d="M15.5 8.5V6a1.5 1.5 0 0 0-1.5-1.5H6A1.5 1.5 0 0 0 4.5 6v8A1.5 1.5 0 0 0 6 15.5h2.5" />
  </Icon>
);

export const CloseIcon = () => (
  <Icon className="icon icon-sm">
    <path d="M6 6l12 12M18 6 6 18" />
  </Icon>
);

export const BackIcon = () => (
  <Icon className="icon icon-sm">
    <path d="M19 12H5M11 6l-6 6 6 6" />
  </Icon>
);

export const ChevronIcon = () => (
  <Icon className="icon icon-sm">
    <path d="m9 6 6 6-6 6" />
  </Icon>
);

export const ClockIcon = () => (
  <Icon>
    <circle cx="12" cy="12" r="8.5" />
    <path d="M12 7.5V12l3 2" />
  </Icon>
);

export const CameraIcon = () => (
  <Icon>
    <path d="M4.5 8.5A1.5 1.5 0 0 1 6 7h2l1.5-2.5h5L16 7h2a1.5 1.5 0 0 1 1.5 1.5v9A1.5 1.5 0 0 1 18 19H6a1.5 1.5 0 0 1-1.5-1.5Z" />
    <circle cx="12" cy="12.5" r="3.2" />
  </Icon>
);

export const SearchIcon = () => (
  <Icon>
    <circle cx="10.5" cy="10.5" r="6" />
    <path d="m15 15 5 5" />
  </Icon>
);

export const WalletIcon = () => (
  <Icon>
    <path d="M4 7.5A2.5 2.5 0 0 1 6.5 5H18v3" />
    <rect x="4" y="8" width="16.5" height="11" rx="2.5" />
    <path d="M16 13.5h1.5" />
  </Icon>
);

export const CoinsIcon = () => (
  <Icon>
    <ellipse cx="9" cy="7" rx="5" ry="2.5" />
    <path d="M4 7v4c0 1.4 2.2 2.5 5 2.5s5-1.1 5-2.5V7" />
    <path d="M10 15.9c.8.4 1.9.6 3 .6 2.8 0 5-1.1 5-2.5v-4c0-1-1.2-1.9-3-2.3" />
    <path d="M4 11v4c0 1.4 2.2 2.5 5 2.5 1 0 2-.1 2.8-.4" />
  </Icon>
);

export const PauseIcon = () => (
  <Icon>
    <circle cx="12" cy="12" r="8.5" />
    <path d="M10 9v6M14 9v6" />
  </Icon>
);

export const BanIcon = () => (
  <Icon>
    <circle cx="12" cy="12" r="8.5" />
    <path d="m6 6 12 12" />
  </Icon>
);

export const GlobeIcon = () => (
  <Icon>
    <circle cx="12" cy="12" r="8.5" />
    <path d="M3.5 12h17M12 3.5c2.3 2.4 3.5 5.2 3.5 8.5s-1.2 6.1-3.5 8.5c-2.3-2.4-3.5-5.2-3.5-8.5s1.2-6.1 3.5-8.5Z" />
  </Icon>
);

export const PlusIcon = () => (
  <Icon className="icon icon-sm">
    <path d="M12 5v14M5 12h14" />
  </Icon>
);

/** A paper plane: sending money. */
export const SendIcon = () => (
  <Icon>
    <path d="M20.5 3.5 10 14" />
    <path d="m20.5 3.5-6.5 17-4-6.5-6.5-4Z" />
  </Icon>
);

export const ListIcon = () => (
  <Icon>
    <path d="M9 6.5h11M9 12h11M9 17.5h11" />
    <circle cx="4.8" cy="6.5" r="1" />
    <circle cx="4.8" cy="12" r="1" />
    <circle cx="4.8" cy="17.5" r="1" />
  </Icon>
);

export const UsersIcon = () => (
  <Icon>
    <circle cx="9" cy="8.5" r="3.5" />
    <path d="M2.5 19.5a6.5 6.5 0 0 1 13 0" />
    <path d="M16 5.2a3.5 3.5 0 0 1 0 6.6M18.5 14.2a6.5 6.5 0 0 1 3 5.3" />
  </Icon>
);

export const PencilIcon = () => (
  <Icon>
    <path d="M4 20h4L19 9a2.8 2.8 0 0 0-4-4L4 16Z" />
    <path d="m13.5 6.5 4 4" />
  </Icon>
);

export const TrashIcon = () => (
  <Icon>
    <path d="M4 7h16M9.5 7V4.5h5V7M6.5 7l1 13h9l1-13" />
  </Icon>
);
