import { useCallback, useEffect, useRef, useState } from 'react';
import { fetchHealth, type HealthResult } from './api.ts';

export interface HealthState {
  /** The latest probe, or undefined before the first one finished. */
  result: HealthResult | undefined;
  /** True while a probe is in flight. */
  checking: boolean;
  refresh(): void;
}

/** Polls `/api/health` every `intervalMs` while the tab is visible; `refresh()` probes now. */
export function useHealth(intervalMs: number): HealthState {
  const [result, setResult] = useState<HealthResult>();
  const [checking, setChecking] = useState(true);
  const inFlight = useRef<AbortController | undefined>(undefined);

  const refresh = useCallback(() => {
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    setChecking(true);
    fetchHealth(controller.signal).then(
      (next) => {
        if (controller.signal.aborted) return;
        setResult(next);
        setChecking(false);
      },
      () => undefined, // aborted by a newer probe or by unmount
    );
  }, []);

  useEffect(() => {
    refresh();
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') refresh();
    }, intervalMs);
    return () => {
      clearInterval(timer);
      inFlight.current?.abort();
    };
  }, [refresh, intervalMs]);

  return { result, checking, refresh };
}
