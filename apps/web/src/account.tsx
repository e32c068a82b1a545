import { fetchMe, type KycStatus, type Me } from '@drop/web-common';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';

/** Who is using the app: unknown yet, a signed-in customer, nobody, or we could not tell. */
export type AccountState =
  | { status: 'loading' }
  | { status: 'signedIn'; me: Me }
  | { status: 'signedOut' }
  | { status: 'error'; code: string };

/** Why the customer is no longer signed in, shown once on the landing page. */
export type Farewell = 'signedOut' | 'signedOutEverywhere' | 'sessionEnded' | 'accountBlocked';

/** The farewell for a 401 from the API: blocked (when the server says so) or just ended. */
export function farewellFor(result: { blocked?: true }): Farewell {
  return result.blocked ? 'accountBlocked' : 'sessionEnded';
}

interface Account {
  state: AccountState;
  /** Asks `/api/me` again. */
  reload(): void;
  /** The session is gone (signed out here, or the server said 401): forget the customer. */
  end(farewell: Farewell): void;
  /** The KYC page learnt a newer verification status: keep `/home` in step without asking `/api/me` again. */
  setKycStatus(status: KycStatus): void;
  farewell: Farewell | undefined;
  clearFarewell(): void;
}

const AccountContext = createContext<Account | undefined>(undefined);

export function AccountProvider(props: { children: ReactNode }): ReactNode {
  const [state, setState] = useState<AccountState>({ status: 'loading' });
  const [farewell, setFarewell] = useState<Farewell>();
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    // `attempt` is the trigger: reload() bumps it to ask again.
    void attempt;
    const controller = new AbortController();
    fetchMe(controller.signal).then(
      (result) => {
        if (result.kind === 'ok') setState({ status: 'signedIn', me: result.data });
        else if (result.kind === 'unauthenticated') {
          if (result.blocked) setFarewell('accountBlocked');
          setState({ status: 'signedOut' });
        } else setState({ status: 'error', code: result.code });
      },
      () => undefined, // aborted on unmount
    );
    return () => controller.abort();
  }, [attempt]);

  const reload = useCallback(() => {
    setState({ status: 'loading' });
    setAttempt((value) => value + 1);
  }, []);
  const end = useCallback((next: Farewell) => {
    setState({ status: 'signedOut' });
    setFarewell(next);
  }, []);
  const clearFarewell = useCallback(() => setFarewell(undefined), []);
  const setKycStatus = useCallback((kycStatus: KycStatus) => {
    setState((current) =>
      current.status === 'signedIn' && current.me.kycStatus !== kycStatus
        ? { status: 'signedIn', me: { ...current.me, kycStatus } }
        : current,
    );
  }, []);

  const value = useMemo(
    () => ({ state, reload, end, setKycStatus, farewell, clearFarewell }),
    [state, reload, end, setKycStatus, farewell, clearFarewell],
  );
  return <AccountContext.Provider value={value}>{props.children}</AccountContext.Provider>;
}

export function useAccount(): Account {
  const account = useContext(AccountContext);
  if (!account) throw new Error('useAccount() outside <AccountProvider>');
  return account;
}
