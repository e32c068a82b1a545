import { type ApiResult, fetchMe, type KycStatus, type Me } from '@drop/web-common';
import { type AnswerQueryOptions, useAnswerQuery } from '@drop/web-common/query';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';

/** Who is using the app: unknown yet, a signed-in customer, nobody, or we could not tell. */
export type AccountState =
  | { status: 'loading' }
  | { status: 'signedIn'; me: Me }
  | { status: 'signedOut' }
  | { status: 'error'; code: string };

/** Why the customer is no longer signed in, shown once on the landing page. */
export type Farewell = 'signedOut' | 'signedOutEverywhere' | 'sessionEnded' | 'accountBlocked' | 'accountDeleted';

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

/** `/api/me` in the cache: the answer itself, since "nobody is signed in" is a state here, not a failure. */
const ME = ['me'];
const SIGNED_OUT: ApiResult<Me> = { kind: 'unauthenticated' };

export function AccountProvider(props: { children: ReactNode }): ReactNode {
  const queryClient = useQueryClient();
  const [farewell, setFarewell] = useState<Farewell>();
  const me = useQuery({
    queryKey: ME,
    queryFn: async ({ signal }) => {
      const result = await fetchMe(signal);
      if (result.kind === 'unauthenticated' && result.blocked) setFarewell('accountBlocked');
      return result;
    },
    staleTime: Number.POSITIVE_INFINITY, // asked once, and again on reload()
  });

  const reload = useCallback(() => void queryClient.resetQueries({ queryKey: ME }), [queryClient]);
  const end = useCallback(
    (next: Farewell) => {
      queryClient.setQueryData(ME, SIGNED_OUT);
      setFarewell(next);
    },
    [queryClient],
  );
  const clearFarewell = useCallback(() => setFarewell(undefined), []);
  const setKycStatus = useCallback(
    (kycStatus: KycStatus) => {
      queryClient.setQueryData<ApiResult<Me>>(ME, (current) =>
        current?.kind === 'ok' && current.data.kycStatus !== kycStatus ? { ...current, data: { ...current.data, kycStatus } } : current,
      );
    },
    [queryClient],
  );

  const answer = me.data;
  const state = useMemo<AccountState>(() => {
    if (answer === undefined) return { status: 'loading' };
    if (answer.kind === 'ok') return { status: 'signedIn', me: answer.data };
    if (answer.kind === 'unauthenticated') return { status: 'signedOut' };
    return { status: 'error', code: answer.code };
  }, [answer]);
  // Signed out: once the pages have closed, nothing loaded for this customer stays in the cache.
  useEffect(() => {
    if (state.status === 'signedOut') queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== ME[0] });
  }, [state.status, queryClient]);

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

/** Loads the customer's own data as a query; a 401 ends the session with the farewell the server gave. */
export function useCustomerQuery<T>(
  options: Omit<AnswerQueryOptions<ApiResult<T>>, 'onUnauthenticated'>,
): ReturnType<typeof useAnswerQuery<ApiResult<T>>> {
  const { end } = useAccount();
  return useAnswerQuery<ApiResult<T>>({ ...options, onUnauthenticated: (answer) => end(farewellFor(answer)) });
}
