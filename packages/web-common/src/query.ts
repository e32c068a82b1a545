/**
 * Data loading for both web apps, on TanStack Query: one cache per app, and one hook that turns
 * an API answer (`{ kind: 'ok', data }`, 'unauthenticated' or a problem) into a query.
 */
import { keepPreviousData, QueryClient, type QueryKey, type UseQueryResult, useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';

/** What the API clients answer with: `kind` says which; 'ok' carries `data`. */
interface Answer {
  kind: string;
}
type Data<R> = R extends { kind: 'ok'; data: infer T } ? T : never;
type Failure<R> = Exclude<R, { kind: 'ok' }>;

/** A query's failure: the API's answer that was not 'ok' (401 or a problem with its code). */
export class AnswerError<A> extends Error {
  readonly answer: A;
  constructor(answer: A) {
    super('The API did not answer ok');
    this.answer = answer;
  }
}

/**
 * The app's cache. Pages load what they show when they open (no retries: a failure shows its
 * error card and its "try again" button, as it did before), not again when the window regains focus.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } } });
}

export interface AnswerQueryOptions<R extends Answer> {
  queryKey: QueryKey;
  load(signal: AbortSignal): Promise<R>;
  /** The API said nobody is signed in: the app ends the session (once per failed load). */
  onUnauthenticated(answer: Extract<R, { kind: 'unauthenticated' }>): void;
  /** Keeps the previous key's data on screen while a new key loads (a list with other filters). */
  keepPrevious?: boolean;
  /** Polls every so many milliseconds while the page is open, given the data so far; false stops. */
  refetchInterval?: (data: Data<R> | undefined) => number | false;
  enabled?: boolean;
}

/** Loads `load` as the query `queryKey`: its data on 'ok', otherwise an {@link AnswerError} holding the answer. */
export function useAnswerQuery<R extends Answer>(options: AnswerQueryOptions<R>): UseQueryResult<Data<R>, AnswerError<Failure<R>>> {
  const { load, refetchInterval } = options;
  const query = useQuery<Data<R>, AnswerError<Failure<R>>>({
    queryKey: options.queryKey,
    queryFn: async ({ signal }) => {
      const answer = await load(signal);
      if (answer.kind === 'ok') return (answer as unknown as { data: Data<R> }).data;
      throw new AnswerError(answer as Failure<R>);
    },
    ...(options.keepPrevious ? { placeholderData: keepPreviousData } : {}),
    ...(refetchInterval ? { refetchInterval: (current) => refetchInterval(current.state.data) } : {}),
    ...(options.enabled === undefined ? {} : { enabled: options.enabled }),
  });
  const onUnauthenticated = useRef(options.onUnauthenticated);
  onUnauthenticated.current = options.onUnauthenticated;
  const failed = query.error?.answer;
  useEffect(() => {
    if (failed?.kind === 'unauthenticated') onUnauthenticated.current(failed as unknown as Extract<R, { kind: 'unauthenticated' }>);
  }, [failed]);
  return query;
}
