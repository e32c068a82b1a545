/**
 * The AWS SDK v3 clients Drop's operations use (RDS, App Runner, ECR), built from the settings in
 * @drop/config (`config.aws`). Credentials come from the SDK's own default chain (environment,
 * profile, instance role); Drop holds none. `endpointUrl` (AWS_ENDPOINT_URL) sends every call to
 * another endpoint, such as the local stand-in in @drop/simulators, which speaks the same wire
 * protocols; the region is still the one signed into each request.
 */
import { AppRunnerClient } from '@aws-sdk/client-apprunner';
import { ECRClient } from '@aws-sdk/client-ecr';
import { RDSClient } from '@aws-sdk/client-rds';

/** What the AWS operations need to know: `config.aws` has exactly this shape. */
export interface AwsSettings {
  region: string;
  /** Where the DR runbook's scenario 4 fails over to (eu-north-1). */
  failoverRegion: string;
  endpointUrl?: string | undefined;
  rds: { instance: string; instanceClass: string; dbName: string; username: string };
  appRunnerServiceArn: string;
  ecrRepository: string;
  wait: { intervalMs: number; timeoutMs: number };
}

export type AwsServiceName = 'rds' | 'apprunner' | 'ecr';

/** One API call, as `--dry-run` prints it and as the commands describe what they did. */
export interface AwsCall {
  service: AwsServiceName;
  operation: string;
  region: string;
  input: Record<string, unknown>;
  /** Why the call is made, or what repeats it (`repeated every 15 s until Status is available`). */
  note?: string;
}

export interface AwsClients {
  settings: AwsSettings;
  /** RDS in `region` (default: the settings' region); one client per region. */
  rds(region?: string): RDSClient;
  appRunner(region?: string): AppRunnerClient;
  ecr(region?: string): ECRClient;
  /** Called before every API call with what it is (the CLI prints it with --verbose). */
  onCall?: ((call: AwsCall) => void) | undefined;
  destroy(): void;
}

/** The region of an App Runner service ARN (`arn:aws:apprunner:eu-west-1:…`). */
export function regionOfArn(arn: string): string | undefined {
  return arn.split(':')[3] || undefined;
}

/**
 * `credentials`: given ones instead of the SDK's default chain (tests against the stand-in use
 * dummy ones; operators use their profile or role).
 */
export function createAwsClients(
  settings: AwsSettings,
  options: { onCall?: (call: AwsCall) => void; credentials?: { accessKeyId: string; secretAccessKey: string } } = {},
): AwsClients {
  const made = new Map<string, { destroy(): void }>();
  const common = (region: string) => ({
    region,
    ...(settings.endpointUrl ? { endpoint: settings.endpointUrl } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: 3,
  });
  function cached<T extends { destroy(): void }>(key: string, make: () => T): T {
    let client = made.get(key) as T | undefined;
    if (!client) {
      client = make();
      made.set(key, client);
    }
    return client;
  }
  return {
    settings,
    onCall: options.onCall,
    rds: (region = settings.region) => cached(`rds:${region}`, () => new RDSClient(common(region))),
    appRunner: (region = regionOfArn(settings.appRunnerServiceArn) ?? settings.region) =>
      cached(`apprunner:${region}`, () => new AppRunnerClient(common(region))),
    ecr: (region = settings.region) => cached(`ecr:${region}`, () => new ECRClient(common(region))),
    destroy() {
      for (const client of made.values()) client.destroy();
      made.clear();
    },
  };
}

/**
 * An AWS call that failed, with the service's error code (`DBSnapshotNotFound`,
 * `ResourceNotFoundException`, …) and message, named by service and operation.
 */
export class AwsCallError extends Error {
  readonly code: string;
  readonly service: AwsServiceName;
  readonly operation: string;
  readonly httpStatus: number | undefined;
  constructor(call: Pick<AwsCall, 'service' | 'operation'>, code: string, message: string, httpStatus?: number) {
    super(`${call.service} ${call.operation} failed: ${code}: ${message}`);
    this.name = 'AwsCallError';
    this.code = code;
    this.service = call.service;
    this.operation = call.operation;
    this.httpStatus = httpStatus;
  }
}

interface SdkError {
  name?: string;
  message?: string;
  Code?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

/**
 * Sends one SDK command, telling `clients.onCall` first, and turns a service error into an
 * AwsCallError (the SDK's own error names the shape, e.g. DBSnapshotNotFoundFault; the wire code,
 * e.g. DBSnapshotNotFound, is what the AWS CLI and the docs show).
 */
export async function sendAws<Output>(clients: AwsClients, call: AwsCall, send: () => Promise<Output>): Promise<Output> {
  clients.onCall?.(call);
  try {
    return await send();
  } catch (error) {
    const sdk = error as SdkError;
    if (error instanceof Error && sdk.$metadata) {
      const code = sdk.Code ?? sdk.code ?? sdk.name ?? 'Unknown';
      throw new AwsCallError(call, code, sdk.message ?? String(error), sdk.$metadata.httpStatusCode);
    }
    if (error instanceof Error && error.name === 'CredentialsProviderError') {
      throw new AwsCallError(
        call,
        'NoCredentials',
        `no AWS credentials (${error.message}): set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where a role is attached`,
      );
    }
    if (
      error instanceof Error &&
      /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN/.test(`${(error as { code?: string }).code ?? ''} ${error.message}`)
    ) {
      throw new AwsCallError(call, 'NetworkError', `could not reach AWS (${error.message})`);
    }
    throw error;
  }
}

/** RDS identifiers: a letter first, then letters, digits and single hyphens, no hyphen at the end. */
export function isRdsIdentifier(value: string, maxLength = 63): boolean {
  return value.length >= 1 && value.length <= maxLength && /^[A-Za-z](?:-?[A-Za-z0-9])*$/.test(value);
}

/** `YYYYMMDD-HHMM` in UTC, the runbooks' `$(date +%Y%m%d-%H%M)`. */
export function runbookStamp(at: Date): string {
  const iso = at.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}`;
}

export interface WaitOptions {
  intervalMs: number;
  timeoutMs: number;
  /** Told each state seen while waiting (the CLI prints it). */
  onProgress?: ((state: string) => void) | undefined;
  sleep?: ((ms: number) => Promise<void>) | undefined;
}

/** A failure of Drop's own making around the calls: nothing to act on, a wait that failed or ran out, bad input. */
export class AwsOperationError extends Error {
  readonly code: 'NOT_FOUND' | 'WAIT_FAILED' | 'WAIT_TIMED_OUT' | 'INVALID_INPUT';
  constructor(code: AwsOperationError['code'], message: string) {
    super(message);
    this.name = 'AwsOperationError';
    this.code = code;
  }
}

/**
 * Polls `look` until `verdict` says done (returns the value) or failed (throws AwsOperationError), at
 * most `timeoutMs`. Progress is told only when the state changes.
 */
export async function waitUntil<T>(
  what: string,
  look: () => Promise<T>,
  verdict: (value: T) => { state: string; done: boolean; failed?: string | undefined },
  options: WaitOptions,
): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const deadline = Date.now() + options.timeoutMs;
  let last: string | undefined;
  for (;;) {
    const value = await look();
    const { state, done, failed } = verdict(value);
    if (state !== last) options.onProgress?.(state);
    last = state;
    if (failed) throw new AwsOperationError('WAIT_FAILED', `${what}: ${failed}`);
    if (done) return value;
    if (Date.now() + options.intervalMs > deadline) {
      throw new AwsOperationError('WAIT_TIMED_OUT', `${what}: still ${state} after ${Math.round(options.timeoutMs / 1000)} s`);
    }
    await sleep(options.intervalMs);
  }
}

const SECRET_NAME = /SECRET|PASSWORD|PASSWD|TOKEN|KEY|PRIVATE|CREDENTIAL/i;

/**
 * A copy of an API input fit to print or to audit: runtime variables that look secret are masked,
 * and so is the password of any URL (DATABASE_URL's among them).
 */
export function redactedInput(input: Record<string, unknown>): Record<string, unknown> {
  const walk = (value: unknown, key: string): unknown => {
    if (typeof value === 'string') {
      if (SECRET_NAME.test(key) && !/^(KmsKeyId|Key)$/.test(key)) return '****';
      return value.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1****@');
    }
    if (Array.isArray(value)) return value.map((item) => walk(item, key));
    if (value instanceof Date) return value.toISOString();
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([childKey, child]) => [childKey, walk(child, childKey)]));
    }
    return value;
  };
  return walk(input, '') as Record<string, unknown>;
}
