/**
 * Data loading for both web apps, on TanStack Query: one cache per app, and one hook that turns
 * an API answer (`{ kind: 'ok', data }`, 'unauthenticated' or a problem) into a query.
 */
import { QueryClient, type QueryKey, type UseQueryOptions, type UseQueryResult, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef } from 'react';

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
 * error card and its "try again" button, as it did before), not again when the window regains
 * focus unless a page asks for it.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } } });
}

export type AnswerQueryOptions<R extends Answer> = Omit<UseQueryOptions<Data<R>, AnswerError<Failure<R>>>, 'queryKey' | 'queryFn'> & {
  queryKey: QueryKey;
  load(signal: AbortSignal): Promise<R>;
  /** The API said nobody is signed in: the app ends the session (once per failed load). */
  onUnauthenticated(answer: Extract<R, { kind: 'unauthenticated' }>): void;
};

/** Loads `load` as the query `queryKey`: its data on 'ok', otherwise an {@link AnswerError} holding the answer. */
export function useAnswerQuery<R extends Answer>(options: AnswerQueryOptions<R>): UseQueryResult<Data<R>, AnswerError<Failure<R>>> {
  const { load, onUnauthenticated, ...rest } = options;
  const query = useQuery<Data<R>, AnswerError<Failure<R>>>({
    ...rest,
    queryFn: async ({ signal }) => {
      const answer = await load(signal);
      if (answer.kind === 'ok') return (answer as unknown as { data: Data<R> }).data;
      throw new AnswerError(answer as Failure<R>);
    },
  });
  const ended = useRef(onUnauthenticated);
  ended.current = onUnauthenticated;
  const failed = query.error?.answer;
  useEffect(() => {
    if (failed?.kind === 'unauthenticated') ended.current(failed as unknown as Extract<R, { kind: 'unauthenticated' }>);
  }, [failed]);
  return query;
}

/** Forgets what `queryKey` holds and loads it again, so the page shows its loading state as on opening ("try again"). */
export function useRetry(queryKey: QueryKey): () => void {
  const queryClient = useQueryClient();
  const key = useRef(queryKey);
  key.current = queryKey;
  return useCallback(() => void queryClient.resetQueries({ queryKey: key.current, exact: true }), [queryClient]);
}
