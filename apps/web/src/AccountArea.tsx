import { logout, logoutEverywhere, type Me } from '@drop/web-common';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { type Farewell, useAccount } from './account.tsx';
import { ConfirmButton } from './confirm-dialog.tsx';
import { useI18n } from './i18n.ts';
import { AlertIcon, LogoutIcon } from './icons.tsx';
import { AccountHeader } from './Layout.tsx';
import { type Route, useNavigate } from './routes.ts';

export interface SignOut {
  /** Ends this session (`logout`) or all of them (`everywhere`), then goes to the front page. */
  run(which: 'here' | 'everywhere'): void;
  busy: 'here' | 'everywhere' | undefined;
}

/**
 * Calls the sign-out endpoint; on 204 (or 401: the session had ended anyway) forgets the customer
 * and returns to the front page with a farewell. Other failures are reported through `onError`.
 */
function useSignOut(onError: (failed: boolean) => void): SignOut {
  const { end } = useAccount();
  const navigate = useNavigate();
  const [busy, setBusy] = useState<SignOut['busy']>();
  const run = useCallback(
    (which: 'here' | 'everywhere') => {
      setBusy(which);
      onError(false);
      const call = which === 'here' ? logout : logoutEverywhere;
      const farewell: Farewell = which === 'here' ? 'signedOut' : 'signedOutEverywhere';
      void call().then((result) => {
        setBusy(undefined);
        if (result.kind === 'error') {
          onError(true);
          return;
        }
        end(farewell);
        navigate('/');
      });
    },
    [end, navigate, onError],
  );
  return { run, busy };
}

/** A "log out everywhere" button that asks first, in a modal dialog. */
export function SignOutEverywhere(props: { signOut: SignOut; className?: string }): ReactNode {
  const { t } = useI18n();
  const busy = props.signOut.busy === 'everywhere';
  return (
    <ConfirmButton
      label={t.signOutEverywhere}
      icon={<LogoutIcon />}
      className={props.className ?? 'button button-danger-ghost'}
      testId="signout-everywhere"
      disabled={props.signOut.busy !== undefined}
      dialogTestId="signout-everywhere-dialog"
      title={t.everywhereConfirmTitle}
      text={t.everywhereConfirmText}
      keepLabel={t.cancel}
      confirmLabel={busy ? t.signingOut : t.everywhereConfirm}
      busy={busy}
      onConfirm={() => props.signOut.run('everywhere')}
    />
  );
}

export function ErrorCard(props: { title: string; text: string; onRetry(): void }): ReactNode {
  const { t } = useI18n();
  return (
    <div className="card error-card" role="alert">
      <span className="error-icon" aria-hidden="true">
        <AlertIcon />
      </span>
      <h2>{props.title}</h2>
      <p>{props.text}</p>
      <button type="button" className="button button-primary" onClick={props.onRetry}>
        {t.tryAgain}
      </button>
    </div>
  );
}

export function Loading(props: { label: string }): ReactNode {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{props.label}</span>
    </div>
  );
}

/**
 * The signed-in area: its header, and a guard. Until `/api/me` answers it shows a spinner; on 401
 * it goes (client-side) to the front page, which says the customer is not signed in.
 */
export function AccountArea(props: { route: Route; children(me: Me, signOut: SignOut): ReactNode }): ReactNode {
  const { t } = useI18n();
  const { state, reload, end, farewell } = useAccount();
  const navigate = useNavigate();
  const [failed, setFailed] = useState(false);
  const signOut = useSignOut(setFailed);

  useEffect(() => {
    if (state.status !== 'signedOut') return;
    if (!farewell) end('sessionEnded');
    navigate('/', { replace: true });
  }, [state.status, farewell, end, navigate]);

  const me = state.status === 'signedIn' ? state.me : undefined;
  return (
    <>
      <AccountHeader route={props.route} me={me} onSignOut={() => signOut.run('here')} signingOut={signOut.busy === 'here'} />
      <main id="main" tabIndex={-1} className="account-main">
        <div className="container account-container">
          {failed && (
            <div className="inline-alert" role="alert">
              <AlertIcon />
              {t.actionFailed}
            </div>
          )}
          {state.status === 'error' ? (
            <ErrorCard title={t.loadFailedTitle} text={t.loadFailedText} onRetry={reload} />
          ) : me ? (
            props.children(me, signOut)
          ) : (
            <Loading label={t.loading} />
          )}
        </div>
      </main>
    </>
  );
}
