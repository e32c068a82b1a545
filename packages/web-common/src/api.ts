/** The slice of Drop's HTTP API this app uses so far: `GET /api/health`. */

export type CheckStatus = 'ok' | 'down';

export interface HealthReport {
  status: CheckStatus;
  version: string;
  /** Seconds since the server process started. */
  uptime: number;
  checks: {
    db: { status: CheckStatus; latencyMs: number | null; error?: string };
  };
}

/** One probe of `/api/health`: the server's own report (200 or 503), or why there is none. */
export type HealthResult =
  | { kind: 'report'; report: HealthReport; httpStatus: number; roundTripMs: number; checkedAt: Date }
  | { kind: 'unreachable'; reason: string; checkedAt: Date };

const TIMEOUT_MS = 8000;

function isStatus(value: unknown): value is CheckStatus {
  return value === 'ok' || value === 'down';
}

function isHealthReport(value: unknown): value is HealthReport {
  if (typeof value !== 'object' || value === null) return false;
  const report = value as Record<string, unknown>;
  const db = (report.checks as { db?: Record<string, unknown> } | undefined)?.db;
  return (
    isStatus(report.status) &&
    typeof report.version === 'string' &&
    typeof report.uptime === 'number' &&
    typeof db === 'object' &&
    db !== null &&
    isStatus(db.status) &&
    (db.latencyMs === null || typeof db.latencyMs === 'number')
  );
}

export async function fetchHealth(signal?: AbortSignal): Promise<HealthResult> {
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  const started = performance.now();
  try {
    const response = await fetch('/api/health', {
      headers: { accept: 'application/json' },
      cache: 'no-store',
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const body: unknown = await response.json().catch(() => undefined);
    const data = (body as { data?: unknown } | undefined)?.data;
    if (!isHealthReport(data)) {
      return { kind: 'unreachable', reason: `HTTP ${response.status}`, checkedAt: new Date() };
    }
    return { kind: 'report', report: data, httpStatus: response.status, roundTripMs: performance.now() - started, checkedAt: new Date() };
  } catch (error) {
    if (signal?.aborted) throw error;
    const reason = timeout.aborted ? 'timeout' : error instanceof Error ? error.message : String(error);
    return { kind: 'unreachable', reason, checkedAt: new Date() };
  }
}
