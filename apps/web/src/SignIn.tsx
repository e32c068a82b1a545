import { AppLink } from '@drop/web-common/routing';
import type { ReactNode } from 'react';
import { type Farewell, useAccount } from './account.tsx';
import { type Messages, useI18n } from './i18n.ts';
import { AlertIcon, CheckIcon, CloseIcon, InfoIcon, ShieldIcon, UserIcon } from './icons.tsx';

/**
 * "Log in with BankID": a real form post, so the server can answer with a redirect to BankID
 * (and the sign-in cookie travels with it). No script is involved in signing in.
 */
export function BankIdSignIn(props: { compact?: boolean; label?: string; shortLabel?: string; testId?: string }): ReactNode {
  const { t } = useI18n();
  const label = props.label ?? t.signIn;
  return (
    <form method="post" action="/api/auth/bankid/start" className="signin-form">
      <button
        type="submit"
        className={`button button-bankid${props.compact ? ' button-compact' : ''}`}
        aria-label={props.shortLabel ? label : undefined}
        data-testid={props.testId}
      >
        <ShieldIcon />
        {props.shortLabel ? (
          <>
            <span className="label-full">{label}</span>
            <span className="label-short" aria-hidden="true">
              {props.shortLabel}
            </span>
          </>
        ) : (
          label
        )}
      </button>
    </form>
  );
}

/** The header's account action: sign in, or go to "My account" when a session is already there. */
export function AccountAction(props: { testId?: string }): ReactNode {
  const { t } = useI18n();
  const { state } = useAccount();
  if (state.status === 'signedIn') {
    return (
      <AppLink to="/home" className="button button-primary button-compact">
        <UserIcon />
        {t.myAccount}
      </AppLink>
    );
  }
  return <BankIdSignIn compact shortLabel={t.signInShort} testId={props.testId} />;
}

export type SignInOutcome = keyof Messages['signInOutcomes'];

/** The `?signin=` outcome the server sent the browser back with, in the app's terms. */
export function signInOutcome(search: string): SignInOutcome | undefined {
  const value = new URLSearchParams(search).get('signin');
  if (value === null) return undefined;
  switch (value) {
    case 'cancelled':
    case 'expired':
    case 'auth_level_too_low':
    case 'account_blocked':
      return value;
    default:
      return 'failed'; // failed, sign_in_failed, and anything this version does not know yet
  }
}

type Tone = 'info' | 'warn' | 'danger' | 'ok';

const OUTCOME_TONES: Record<SignInOutcome, Tone> = {
  cancelled: 'info',
  expired: 'warn',
  failed: 'warn',
  auth_level_too_low: 'warn',
  account_blocked: 'danger',
};

const FAREWELL_TONES: Record<Farewell, Tone> = {
  signedOut: 'ok',
  signedOutEverywhere: 'ok',
  sessionEnded: 'info',
  accountBlocked: 'danger',
  accountDeleted: 'ok',
};

function NoticeIcon(props: { tone: Tone }): ReactNode {
  if (props.tone === 'ok') return <CheckIcon />;
  if (props.tone === 'info') return <InfoIcon />;
  return <AlertIcon />;
}

/**
 * A dismissible message at the top of the landing page: how the last sign-in ended (from the
 * server's `?signin=`), or why the customer is no longer signed in.
 */
export function Notice(props: {
  tone: Tone;
  title: string;
  text: string;
  testId: string;
  kind: string;
  onDismiss(): void;
  action?: ReactNode;
}): ReactNode {
  const { t } = useI18n();
  return (
    <div className="container notice-wrap">
      <div className={`notice notice-${props.tone}`} role="alert" data-testid={props.testId} data-kind={props.kind}>
        <span className="notice-icon">
          <NoticeIcon tone={props.tone} />
        </span>
        <div className="notice-body">
          <p className="notice-title">{props.title}</p>
          <p className="notice-text">{props.text}</p>
          {props.action && <div className="notice-action">{props.action}</div>}
        </div>
        <button type="button" className="notice-close" aria-label={t.dismiss} onClick={props.onDismiss}>
          <CloseIcon />
        </button>
      </div>
    </div>
  );
}

export function SignInOutcomeNotice(props: { outcome: SignInOutcome; onDismiss(): void }): ReactNode {
  const { t } = useI18n();
  const message = t.signInOutcomes[props.outcome];
  const retry = props.outcome !== 'account_blocked';
  return (
    <Notice
      tone={OUTCOME_TONES[props.outcome]}
      title={message.title}
      text={message.text}
      testId="signin-notice"
      kind={props.outcome}
      onDismiss={props.onDismiss}
      action={retry ? <BankIdSignIn compact label={t.tryAgain} /> : undefined}
    />
  );
}

export function FarewellNotice(props: { farewell: Farewell; onDismiss(): void }): ReactNode {
  const { t } = useI18n();
  // A blocked account reads the same whether the server said so at sign-in or on a later request.
  const message = props.farewell === 'accountBlocked' ? t.signInOutcomes.account_blocked : t.farewells[props.farewell];
  return (
    <Notice
      tone={FAREWELL_TONES[props.farewell]}
      title={message.title}
      text={message.text}
      testId="signin-notice"
      kind={props.farewell === 'accountBlocked' ? 'account_blocked' : props.farewell}
      onDismiss={props.onDismiss}
    />
  );
}
