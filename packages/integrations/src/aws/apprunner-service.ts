/**
 * The App Runner service drop-web: its status (runbook quick health check, DR scenario 1 step 1),
 * a deployment and the wait for RUNNING (DR scenario 1A, runbook 4.1 steps 5–6), the rollback to
 * the image pushed before the running one (DR scenario 1B, runbook 4.3) and pointing the service at
 * a restored database (DR scenario 2A step 4).
 *
 * Pointing at a new database is an UpdateService that changes only the host (and port) of the
 * DATABASE_URL runtime variable, keeping user, password, database and every other setting: one
 * call among the clients Drop has, after which App Runner deploys the new configuration itself. A
 * DATABASE_URL held as a Secrets Manager reference is refused (the secret's value, not the service,
 * holds the host then); printed configuration never shows a password or a secret-looking value.
 */
import {
  DescribeServiceCommand,
  ListOperationsCommand,
  type OperationSummary,
  type Service,
  type SourceConfiguration,
  StartDeploymentCommand,
  UpdateServiceCommand,
  type UpdateServiceCommandInput,
} from '@aws-sdk/client-apprunner';
import {
  type AwsCall,
  type AwsClients,
  AwsOperationError,
  type AwsSettings,
  regionOfArn,
  sendAws,
  type WaitOptions,
  waitUntil,
} from './clients.ts';
import { type ImageView, imageReference, isImage, listImages, planListImages } from './ecr-images.ts';

export interface ServiceView {
  arn: string;
  name: string | undefined;
  status: string | undefined;
  url: string | undefined;
  image: string | undefined;
  updatedAt: Date | undefined;
  /** Host and port of DATABASE_URL when it is a plain runtime variable; 'secret' when it is a secret reference. */
  database: { host: string; port: string } | 'secret' | undefined;
  /** The service as App Runner describes it (for UpdateService, which takes the whole source configuration). */
  raw: Service;
}

function serviceView(service: Service): ServiceView {
  const image = service.SourceConfiguration?.ImageRepository;
  const variables = image?.ImageConfiguration?.RuntimeEnvironmentVariables ?? {};
  const secrets = image?.ImageConfiguration?.RuntimeEnvironmentSecrets ?? {};
  let database: ServiceView['database'];
  if (secrets.DATABASE_URL) database = 'secret';
  else if (variables.DATABASE_URL) {
    try {
      const url = new URL(variables.DATABASE_URL);
      database = { host: url.hostname, port: url.port || '5432' };
    } catch {
      database = undefined;
    }
  }
  return {
    arn: service.ServiceArn ?? '',
    name: service.ServiceName,
    status: service.Status,
    url: service.ServiceUrl,
    image: image?.ImageIdentifier,
    updatedAt: service.UpdatedAt,
    database,
    raw: service,
  };
}

function regionOf(aws: AwsClients | { settings: AwsSettings }, arn: string): string {
  return regionOfArn(arn) ?? aws.settings.region;
}

export async function describeService(aws: AwsClients, serviceArn = aws.settings.appRunnerServiceArn): Promise<ServiceView> {
  const region = regionOf(aws, serviceArn);
  const input = { ServiceArn: serviceArn };
  const answer = await sendAws(aws, { service: 'apprunner', operation: 'DescribeService', region, input: { ...input } }, () =>
    aws.appRunner(region).send(new DescribeServiceCommand(input)),
  );
  if (!answer.Service) throw new AwsOperationError('NOT_FOUND', `apprunner DescribeService answered no Service for ${serviceArn}`);
  return serviceView(answer.Service);
}

export function planDescribeService(settings: AwsSettings, note?: string): AwsCall {
  const arn = settings.appRunnerServiceArn;
  return {
    service: 'apprunner',
    operation: 'DescribeService',
    region: regionOf({ settings }, arn),
    input: { ServiceArn: arn },
    ...(note ? { note } : {}),
  };
}

/** The service's operations, newest first (ListOperations answers them so). */
export async function listOperations(aws: AwsClients, serviceArn = aws.settings.appRunnerServiceArn): Promise<OperationSummary[]> {
  const region = regionOf(aws, serviceArn);
  const input = { ServiceArn: serviceArn, MaxResults: 20 };
  const answer = await sendAws(aws, { service: 'apprunner', operation: 'ListOperations', region, input: { ...input } }, () =>
    aws.appRunner(region).send(new ListOperationsCommand(input)),
  );
  return answer.OperationSummaryList ?? [];
}

/** StartDeployment (DR scenario 1A: a new deployment of the same configuration); answers the operation id. */
export async function startDeployment(aws: AwsClients, serviceArn = aws.settings.appRunnerServiceArn): Promise<string> {
  const region = regionOf(aws, serviceArn);
  const input = { ServiceArn: serviceArn };
  const answer = await sendAws(aws, { service: 'apprunner', operation: 'StartDeployment', region, input: { ...input } }, () =>
    aws.appRunner(region).send(new StartDeploymentCommand(input)),
  );
  if (!answer.OperationId) throw new Error('apprunner StartDeployment answered no OperationId');
  return answer.OperationId;
}

export function planStartDeployment(settings: AwsSettings, wait: boolean): AwsCall[] {
  const arn = settings.appRunnerServiceArn;
  return [
    { service: 'apprunner', operation: 'StartDeployment', region: regionOf({ settings }, arn), input: { ServiceArn: arn } },
    ...waitCalls(settings, wait),
  ];
}

function waitCalls(settings: AwsSettings, wait: boolean): AwsCall[] {
  if (!wait) return [];
  const arn = settings.appRunnerServiceArn;
  const every = `repeated every ${settings.wait.intervalMs / 1000} s`;
  return [
    planDescribeService(settings, `${every} until Status is RUNNING`),
    {
      service: 'apprunner',
      operation: 'ListOperations',
      region: regionOf({ settings }, arn),
      input: { ServiceArn: arn, MaxResults: 20 },
      note: `${every} until the operation SUCCEEDED`,
    },
  ];
}

const FAILED_OPERATION = new Set(['FAILED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_FAILED', 'ROLLBACK_SUCCEEDED']);
const FAILED_SERVICE = new Set(['CREATE_FAILED', 'DELETE_FAILED', 'DELETED', 'PAUSED']);

/**
 * Waits until the service is RUNNING and, given an operation id, that operation SUCCEEDED (a failed
 * deployment that App Runner rolled back also leaves the service RUNNING, on the old version).
 */
export async function waitForServiceRunning(
  aws: AwsClients,
  options: WaitOptions & { operationId?: string | undefined; serviceArn?: string },
): Promise<ServiceView> {
  const serviceArn = options.serviceArn ?? aws.settings.appRunnerServiceArn;
  const result = await waitUntil(
    `service ${serviceArn.split('/')[1] ?? serviceArn}`,
    async () => {
      const service = await describeService(aws, serviceArn);
      const operation = options.operationId
        ? (await listOperations(aws, serviceArn)).find((candidate) => candidate.Id === options.operationId)
        : undefined;
      return { service, operation };
    },
    ({ service, operation }) => {
      const status = service.status ?? 'unknown';
      const operationStatus = operation?.Status;
      const state = operationStatus ? `${status} (operation ${operationStatus})` : status;
      let failed: string | undefined;
      if (FAILED_SERVICE.has(status)) failed = `service status ${status}`;
      else if (operationStatus && FAILED_OPERATION.has(operationStatus) && status !== 'OPERATION_IN_PROGRESS')
        failed = `operation ${options.operationId} ended ${operationStatus}`;
      const operationDone = !options.operationId || operationStatus === 'SUCCEEDED';
      return { state, done: status === 'RUNNING' && operationDone, failed };
    },
    options,
  );
  return result.service;
}

/** A copy of DATABASE_URL with another host and port. */
export function withDatabaseHost(databaseUrl: string, endpoint: { address: string; port: number }): string {
  const url = new URL(databaseUrl);
  url.hostname = endpoint.address;
  url.port = String(endpoint.port);
  return url.toString();
}

function updateImageInput(
  serviceArn: string,
  source: SourceConfiguration,
  change: { image?: string; databaseUrl?: string },
): UpdateServiceCommandInput {
  const repository = source.ImageRepository;
  if (!repository) throw new AwsOperationError('INVALID_INPUT', 'the service is not deployed from an image repository');
  const configuration = repository.ImageConfiguration ?? {};
  return {
    ServiceArn: serviceArn,
    SourceConfiguration: {
      ...source,
      ImageRepository: {
        ...repository,
        ImageIdentifier: change.image ?? repository.ImageIdentifier,
        ImageConfiguration: {
          ...configuration,
          ...(change.databaseUrl
            ? { RuntimeEnvironmentVariables: { ...(configuration.RuntimeEnvironmentVariables ?? {}), DATABASE_URL: change.databaseUrl } }
            : {}),
        },
      },
    },
  };
}

async function updateService(aws: AwsClients, input: UpdateServiceCommandInput): Promise<string> {
  const serviceArn = input.ServiceArn ?? aws.settings.appRunnerServiceArn;
  const region = regionOf(aws, serviceArn);
  const answer = await sendAws(aws, { service: 'apprunner', operation: 'UpdateService', region, input: { ...input } }, () =>
    aws.appRunner(region).send(new UpdateServiceCommand(input)),
  );
  if (!answer.OperationId) throw new Error('apprunner UpdateService answered no OperationId');
  return answer.OperationId;
}

export interface PointServiceResult {
  operationId: string;
  from: { host: string; port: string };
  to: { address: string; port: number };
}

/** DR scenario 2A step 4: the service's DATABASE_URL now names `endpoint` (App Runner redeploys). */
export async function pointServiceAtDatabase(
  aws: AwsClients,
  endpoint: { address: string; port: number },
  serviceArn = aws.settings.appRunnerServiceArn,
): Promise<PointServiceResult> {
  const service = await describeService(aws, serviceArn);
  if (service.database === 'secret') {
    throw new AwsOperationError(
      'INVALID_INPUT',
      'DATABASE_URL is a Secrets Manager reference on this service: change the host in the secret, then `drop aws service deploy`.',
    );
  }
  const current = service.raw.SourceConfiguration?.ImageRepository?.ImageConfiguration?.RuntimeEnvironmentVariables?.DATABASE_URL;
  if (!current || !service.database)
    throw new AwsOperationError('INVALID_INPUT', 'the service has no DATABASE_URL runtime variable to change');
  if (!service.raw.SourceConfiguration) throw new AwsOperationError('INVALID_INPUT', 'the service has no source configuration');
  const input = updateImageInput(serviceArn, service.raw.SourceConfiguration, { databaseUrl: withDatabaseHost(current, endpoint) });
  const operationId = await updateService(aws, input);
  return { operationId, from: service.database, to: endpoint };
}

/** The UpdateService a plan shows: what changes in ImageRepository, the rest of the source configuration as it is. */
function plannedUpdate(settings: AwsSettings, imageRepository: Record<string, unknown>): AwsCall {
  const arn = settings.appRunnerServiceArn;
  return {
    service: 'apprunner',
    operation: 'UpdateService',
    region: regionOf({ settings }, arn),
    input: {
      ServiceArn: arn,
      SourceConfiguration: { ImageRepository: imageRepository, '…': '<the rest of the current SourceConfiguration unchanged>' },
    },
  };
}

export function planPointServiceAtDatabase(
  settings: AwsSettings,
  options: { endpoint: { address: string; port: number } | string; wait: boolean; describeInstance?: AwsCall },
): AwsCall[] {
  const host = typeof options.endpoint === 'string' ? options.endpoint : `${options.endpoint.address}:${options.endpoint.port}`;
  return [
    ...(options.describeInstance ? [options.describeInstance] : []),
    planDescribeService(settings, 'the current source configuration and DATABASE_URL'),
    plannedUpdate(settings, {
      ImageIdentifier: '<unchanged>',
      ImageRepositoryType: '<unchanged>',
      ImageConfiguration: {
        RuntimeEnvironmentVariables: { DATABASE_URL: `<the current DATABASE_URL with host ${host}>`, '…': '<the others unchanged>' },
      },
    }),
    ...waitCalls(settings, options.wait),
  ];
}

export interface RollbackResult {
  operationId: string;
  from: string;
  to: string;
  image: ImageView;
}

/**
 * DR scenario 1B: UpdateService to the image pushed before the running one (or to `tag`), found
 * with ECR DescribeImages sorted by imagePushedAt; App Runner deploys it.
 */
export async function rollbackService(
  aws: AwsClients,
  options: { tag?: string | undefined; serviceArn?: string } = {},
): Promise<RollbackResult> {
  const serviceArn = options.serviceArn ?? aws.settings.appRunnerServiceArn;
  const service = await describeService(aws, serviceArn);
  const source = service.raw.SourceConfiguration;
  if (!service.image || !source) throw new AwsOperationError('INVALID_INPUT', 'the service is not deployed from an image repository');
  const running = imageReference(service.image);
  const images = await listImages(aws);
  let target: ImageView | undefined;
  if (options.tag) {
    target = images.find((image) => image.tags.includes(options.tag ?? ''));
    if (!target) throw new AwsOperationError('NOT_FOUND', `no image tagged ${options.tag} in ${aws.settings.ecrRepository}`);
  } else {
    const index = images.findIndex((image) => isImage(image, running));
    if (index < 0)
      throw new AwsOperationError('NOT_FOUND', `the running image ${service.image} is not in ${aws.settings.ecrRepository}: give --tag`);
    target = images
      .slice(0, index)
      .reverse()
      .find((image) => image.tags.length > 0);
    if (!target) throw new AwsOperationError('NOT_FOUND', `no tagged image was pushed before ${service.image}`);
  }
  if (isImage(target, running)) throw new AwsOperationError('INVALID_INPUT', `${service.image} is already running`);
  const tag = options.tag ?? target.tags[0] ?? '';
  const to = `${running.repositoryUri}:${tag}`;
  const operationId = await updateService(aws, updateImageInput(serviceArn, source, { image: to }));
  return { operationId, from: service.image, to, image: target };
}

export function planRollbackService(settings: AwsSettings, options: { tag?: string | undefined; wait: boolean }): AwsCall[] {
  return [
    planDescribeService(settings, 'the running ImageIdentifier and the source configuration'),
    planListImages(settings, 'sorted by imagePushedAt'),
    plannedUpdate(settings, {
      ImageIdentifier: options.tag ? `<repository>:${options.tag}` : '<repository>:<the tag pushed before the running image>',
      '…': '<ImageRepositoryType and ImageConfiguration unchanged>',
    }),
    ...waitCalls(settings, options.wait),
  ];
}
