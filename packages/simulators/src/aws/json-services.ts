/**
 * App Runner (AWS JSON 1.0, `X-Amz-Target: AppRunner.<Operation>`) and ECR (AWS JSON 1.1,
 * `X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.<Operation>`), for the calls Drop makes.
 * Timestamps are epoch seconds; errors are `{"__type": "<Code>", "Message": "…"}` with status 400
 * (ECR's shapes say `message`).
 *
 * App Runner: DescribeService, ListOperations, StartDeployment, UpdateService.
 * ECR: DescribeImages.
 */
import { AwsFault, type AwsStandInState, type StandInOperation, type StandInService } from './state.ts';

export const APPRUNNER_TARGET = 'AppRunner.';
export const ECR_TARGET = 'AmazonEC2ContainerRegistry_V20150921.';

type Json = Record<string, unknown>;

const seconds = (date: Date) => date.getTime() / 1000;

function serviceJson(state: AwsStandInState, service: StandInService): Json {
  return {
    ServiceName: service.name,
    ServiceId: service.id,
    ServiceArn: service.arn,
    ServiceUrl: service.url,
    CreatedAt: seconds(service.createdAt),
    UpdatedAt: seconds(service.updatedAt),
    Status: state.serviceStatus(service),
    SourceConfiguration: service.sourceConfiguration,
    InstanceConfiguration: service.instanceConfiguration,
    HealthCheckConfiguration: {
      Protocol: 'HTTP',
      Path: '/api/health',
      Interval: 10,
      Timeout: 5,
      HealthyThreshold: 1,
      UnhealthyThreshold: 5,
    },
    AutoScalingConfigurationSummary: {
      AutoScalingConfigurationArn: `arn:aws:apprunner:${service.region}:${service.arn.split(':')[4]}:autoscalingconfiguration/DefaultConfiguration/1/00000000000000000000000000000001`,
      AutoScalingConfigurationName: 'DefaultConfiguration',
      AutoScalingConfigurationRevision: 1,
    },
    NetworkConfiguration: { EgressConfiguration: { EgressType: 'DEFAULT' }, IngressConfiguration: { IsPubliclyAccessible: true } },
  };
}

function operationJson(state: AwsStandInState, operation: StandInOperation): Json {
  const status = state.operationStatus(operation);
  const ended = status !== 'IN_PROGRESS';
  return {
    Id: operation.Id,
    Type: operation.Type,
    Status: status,
    TargetArn: operation.TargetArn,
    StartedAt: seconds(operation.StartedAt),
    ...(ended ? { EndedAt: operation.until / 1000 } : {}),
    UpdatedAt: ended ? operation.until / 1000 : seconds(operation.StartedAt),
  };
}

function text(input: Json, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value === '') throw new AwsFault('InvalidRequestException', `${name} is required`);
  return value;
}

function needService(state: AwsStandInState, input: Json): StandInService {
  const arn = text(input, 'ServiceArn');
  const service = state.service(arn);
  if (!service) throw new AwsFault('ResourceNotFoundException', `Resource not found: ${arn}`);
  return service;
}

function refuseBusy(state: AwsStandInState, service: StandInService): void {
  if (state.serviceStatus(service) !== 'RUNNING') {
    throw new AwsFault(
      'InvalidStateException',
      `You can't perform this action when the service's status is ${state.serviceStatus(service)}.`,
    );
  }
}

export function handleAppRunner(state: AwsStandInState, operation: string, input: Json): Json {
  switch (operation) {
    case 'DescribeService':
      return { Service: serviceJson(state, needService(state, input)) };
    case 'ListOperations': {
      const service = needService(state, input);
      const max = typeof input.MaxResults === 'number' ? input.MaxResults : 20;
      return {
        OperationSummaryList: [...service.operations]
          .reverse()
          .slice(0, max)
          .map((op) => operationJson(state, op)),
      };
    }
    case 'StartDeployment': {
      const service = needService(state, input);
      refuseBusy(state, service);
      const started = state.startOperation(service, 'START_DEPLOYMENT');
      return { OperationId: started.Id };
    }
    case 'UpdateService': {
      const service = needService(state, input);
      refuseBusy(state, service);
      const source = input.SourceConfiguration as Json | undefined;
      const repository = source?.ImageRepository as Json | undefined;
      if (source && repository) {
        if (typeof repository.ImageIdentifier !== 'string' || !repository.ImageIdentifier) {
          throw new AwsFault('InvalidRequestException', 'ImageRepository.ImageIdentifier is required');
        }
        if (repository.ImageRepositoryType !== 'ECR' && repository.ImageRepositoryType !== 'ECR_PUBLIC') {
          throw new AwsFault('InvalidRequestException', 'ImageRepository.ImageRepositoryType must be ECR or ECR_PUBLIC');
        }
      }
      const started = state.startOperation(service, 'UPDATE_SERVICE', source ?? service.sourceConfiguration);
      return { Service: serviceJson(state, service), OperationId: started.Id };
    }
    default:
      throw new AwsFault('UnknownOperationException', `The stand-in does not speak AppRunner.${operation}`);
  }
}

export function handleEcr(state: AwsStandInState, operation: string, input: Json): Json {
  switch (operation) {
    case 'DescribeImages': {
      const name = input.repositoryName;
      if (typeof name !== 'string' || name === '') throw new AwsFault('InvalidParameterException', 'repositoryName is required');
      const images = state.repositories.get(name);
      if (!images) {
        throw new AwsFault(
          'RepositoryNotFoundException',
          `The repository with name '${name}' does not exist in the registry with id '324480209768'`,
        );
      }
      // Pages of maxResults (default 100), continued with nextToken, in no promised order (as ECR).
      const max = typeof input.maxResults === 'number' ? input.maxResults : 100;
      const start = typeof input.nextToken === 'string' ? Number(input.nextToken) || 0 : 0;
      const page = images.slice(start, start + max);
      return {
        imageDetails: page.map((image) => ({
          registryId: '324480209768',
          repositoryName: name,
          imageDigest: image.digest,
          imageTags: image.tags,
          imageSizeInBytes: image.sizeBytes,
          imagePushedAt: seconds(image.pushedAt),
          imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
          artifactMediaType: 'application/vnd.docker.container.image.v1+json',
        })),
        ...(start + max < images.length ? { nextToken: String(start + max) } : {}),
      };
    }
    default:
      throw new AwsFault('UnknownOperationException', `The stand-in does not speak ECR ${operation}`);
  }
}
