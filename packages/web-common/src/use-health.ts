import { useCallback, useEffect, useRef, useState } from 'react';
import { fetchHealth, type HealthResult } from './api.ts';

const HISTORY_LENGTH = 40;

/** Polling interval of the health probe shared by all pages. */
export const HEALTH_INTERVAL_MS = 10_000;

export interface LatencySample {
  /** Sequence number of the probe in this session. */
  seq: number;
  latencyMs: number | null;
}

export interface HealthState {
  /** The latest probe, or undefined before the first one finished. */
  result: HealthResult | undefined;
  /** Database latency of each probe this session (null when the database was down), oldest first. */
  history: LatencySample[];
  /** True while a probe is in flight. */
  checking: boolean;
  refresh(): void;
}

/** Polls `/api/health` every `intervalMs` while the tab is visible; `refresh()` probes now. */
export function useHealth(intervalMs: number): HealthState {
  const [result, setResult] = useState<HealthResult>();
  const [history, setHistory] = useState<LatencySample[]>([]);
  const probes = useRef(0);
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
        const sample = { seq: ++probes.current, latencyMs: next.kind === 'report' ? next.report.checks.db.latencyMs : null };
        setHistory((previous) => [...previous, sample].slice(-HISTORY_LENGTH));
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

  return { result, history, checking, refresh };
}
