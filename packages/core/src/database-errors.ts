import { DomainError, ERROR_CODES, type ErrorCode } from './errors.ts';

/**
 * Drop's SQL functions and triggers (packages/db/functions) report domain errors as SQLSTATE 'DR001'
 * with the stable error code as the message and a JSON object as the detail. This turns such an
 * error back into the DomainError it stands for; anything else is returned unchanged.
 */
const DOMAIN_SQLSTATE = 'DR001';

export function domainErrorFromDatabase(error: unknown): unknown {
  const pgError = error as { code?: string; message?: string; detail?: string };
  if (pgError?.code !== DOMAIN_SQLSTATE || !ERROR_CODES.includes(pgError.message as ErrorCode)) return error;
  let details: Record<string, unknown> = {};
  try {
    details = JSON.parse(pgError.detail ?? '{}') as Record<string, unknown>;
  } catch {
    // A detail that is not JSON still carries the code; keep it as the message.
    details = { message: pgError.detail };
  }
  const { message, ...rest } = details;
  return new DomainError(
    pgError.message as ErrorCode,
    typeof message === 'string' ? message : String(pgError.message),
    Object.keys(rest).length ? rest : undefined,
  );
}

/** Runs a database call and rethrows its domain errors as DomainError. */
export async function mappingDomainErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw domainErrorFromDatabase(error);
  }
}
