import { useState } from 'react';
import { useSession } from './session.ts';
import type { StaffResult } from './staff-api.ts';

export type StaffFailure = Extract<StaffResult<unknown>, { kind: 'error' }>;

/**
 * One staff action at a time on a page that shows a record (assign, comment, note, …): `busy` names
 * the running one, a refusal is kept as text for the page to show, a 401 ends the session, and a
 * success, or a refusal with `reloadOn` (someone else changed the record meanwhile), reloads it.
 */
export function useRecordAction<Kind extends string>(options: {
  reload(): void;
  failureText(answer: StaffFailure): string;
  reloadOn: string;
}): {
  busy: Kind | undefined;
  failure: string | undefined;
  act<T>(kind: Kind, call: () => Promise<StaffResult<T>>, onOk?: () => void): Promise<void>;
} {
  const { expire } = useSession();
  const [busy, setBusy] = useState<Kind>();
  const [failure, setFailure] = useState<string>();
  const act = async <T>(kind: Kind, call: () => Promise<StaffResult<T>>, onOk?: () => void): Promise<void> => {
    setFailure(undefined);
    setBusy(kind);
    const answer = await call();
    setBusy(undefined);
    if (answer.kind === 'unauthenticated') return expire();
    if (answer.kind === 'ok') {
      onOk?.();
      return options.reload();
    }
    setFailure(options.failureText(answer));
    if (answer.code === options.reloadOn) options.reload();
  };
  return { busy, failure, act };
}
