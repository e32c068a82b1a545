/**
 * A local stand-in for the AWS APIs Drop's operations call (RDS, App Runner, ECR), speaking their
 * wire protocols, so `drop aws …` and its tests run the real AWS SDK v3 clients against it
 * (AWS_ENDPOINT_URL=<server>/aws-sim). One endpoint serves all three, told apart as AWS tells them:
 * `X-Amz-Target: AppRunner.*` (JSON 1.0), `X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.*`
 * (JSON 1.1), otherwise a form-encoded RDS Query request. Every request must carry a well-formed
 * SigV4 Authorization header; the region signed into it picks the region's resources (a copy to
 * eu-north-1 is a request signed for eu-north-1, as with AWS).
 *
 * Mounted by the server at /aws-sim when AWS_SIMULATOR_ENABLED (default outside production;
 * production refuses it in loadConfig and in registerSimulators), or started on its own port with
 * `startAwsStandIn` (tests).
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import Fastify from 'fastify';
import type { SimulatorLogger } from '../logger.ts';
import { APPRUNNER_TARGET, ECR_TARGET, handleAppRunner, handleEcr } from './json-services.ts';
import { handleRdsAction, rdsError } from './rds-query.ts';
import { checkSignature } from './sigv4.ts';
import { AwsFault, AwsStandInState, type StandInOptions } from './state.ts';

export { AwsStandInState, RUNBOOK as AWS_RUNBOOK_RESOURCES, type StandInOptions as AwsStandInOptions } from './state.ts';

export interface AwsStandInMountOptions extends StandInOptions {
  /** e.g. '/aws-sim'. */
  prefix: string;
  /** Share state with the caller (tests); default: a new one from the options. */
  state?: AwsStandInState;
  logger?: SimulatorLogger;
}

const JSON_TYPES = ['application/x-amz-json-1.0', 'application/x-amz-json-1.1'];

/** Mounts the stand-in at `prefix` on `app`; answers its state (tests seed and inspect it). */
export async function registerAwsStandIn(app: FastifyInstance, options: AwsStandInMountOptions): Promise<AwsStandInState> {
  const state = options.state ?? new AwsStandInState(options);
  const routes: FastifyPluginAsync = async (scope) => {
    // The raw body, whatever parsers the host server has (its own form parser among them), in this scope only.
    for (const type of [...JSON_TYPES, 'application/x-www-form-urlencoded']) {
      if (scope.hasContentTypeParser(type)) scope.removeContentTypeParser(type);
    }
    scope.addContentTypeParser([...JSON_TYPES, 'application/x-www-form-urlencoded'], { parseAs: 'string' }, (_request, body, done) =>
      done(null, body),
    );
    // Not Drop's API: kept out of the server's OpenAPI document.
    scope.post('/', { schema: { hide: true } }, (request, reply) => answer(state, request, reply, options.logger));
  };
  await app.register(routes, { prefix: options.prefix });
  return state;
}

function sendJsonError(reply: FastifyReply, version: '1.0' | '1.1', fault: AwsFault): FastifyReply {
  return reply
    .code(fault.status)
    .header('content-type', `application/x-amz-json-${version}`)
    .header('x-amzn-errortype', fault.code)
    .send(JSON.stringify({ __type: fault.code, [version === '1.1' ? 'message' : 'Message']: fault.message }));
}

function answer(state: AwsStandInState, request: FastifyRequest, reply: FastifyReply, logger: SimulatorLogger | undefined): FastifyReply {
  reply.header('x-amzn-requestid', crypto.randomUUID());
  const target = request.headers['x-amz-target'];
  const signature = checkSignature(request.headers);
  const body = typeof request.body === 'string' ? request.body : '';

  if (typeof target === 'string' && (target.startsWith(APPRUNNER_TARGET) || target.startsWith(ECR_TARGET))) {
    const appRunner = target.startsWith(APPRUNNER_TARGET);
    const version = appRunner ? '1.0' : '1.1';
    const operation = target.slice((appRunner ? APPRUNNER_TARGET : ECR_TARGET).length);
    if (!signature.ok) {
      const code = signature.code === 'missing' ? 'MissingAuthenticationTokenException' : 'IncompleteSignatureException';
      return sendJsonError(reply, version, new AwsFault(code, signature.message, 403));
    }
    const service = appRunner ? 'apprunner' : 'ecr';
    if (signature.scope.service !== service) {
      return sendJsonError(
        reply,
        version,
        new AwsFault('InvalidSignatureException', `Credential should be scoped to correct service: '${service}'.`, 403),
      );
    }
    if (request.headers['content-type'] !== `application/x-amz-json-${version}`) {
      return sendJsonError(
        reply,
        version,
        new AwsFault('SerializationException', `Content-Type must be application/x-amz-json-${version}`),
      );
    }
    state.calls.push({ service, operation, region: signature.scope.region });
    try {
      const input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
      const output = appRunner ? handleAppRunner(state, operation, input) : handleEcr(state, operation, input);
      logger?.info({ service, operation, region: signature.scope.region }, 'aws stand-in call');
      return reply.code(200).header('content-type', `application/x-amz-json-${version}`).send(JSON.stringify(output));
    } catch (error) {
      if (error instanceof SyntaxError) return sendJsonError(reply, version, new AwsFault('SerializationException', error.message));
      if (error instanceof AwsFault) return sendJsonError(reply, version, error);
      throw error;
    }
  }

  // Everything else is RDS's Query protocol.
  const xmlReply = (status: number, xml: string) => reply.code(status).header('content-type', 'text/xml').send(xml);
  if (!signature.ok) {
    return xmlReply(403, rdsError(signature.code === 'missing' ? 'MissingAuthenticationToken' : 'IncompleteSignature', signature.message));
  }
  if (signature.scope.service !== 'rds') {
    return xmlReply(403, rdsError('SignatureDoesNotMatch', `Credential should be scoped to correct service: 'rds'.`));
  }
  if (!String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    return xmlReply(400, rdsError('MalformedQueryString', 'RDS requests are form-encoded (application/x-www-form-urlencoded)'));
  }
  const params = new URLSearchParams(body);
  state.calls.push({ service: 'rds', operation: params.get('Action') ?? '', region: signature.scope.region });
  try {
    const result = handleRdsAction(state, signature.scope.region, params);
    logger?.info({ service: 'rds', operation: result.action, region: signature.scope.region }, 'aws stand-in call');
    return xmlReply(200, result.body);
  } catch (error) {
    if (error instanceof AwsFault) return xmlReply(error.status, rdsError(error.code, error.message));
    throw error;
  }
}

export interface RunningAwsStandIn {
  /** The endpoint to give the SDK (AWS_ENDPOINT_URL), e.g. http://127.0.0.1:40123/aws-sim. */
  url: string;
  state: AwsStandInState;
  close(): Promise<void>;
}

/** The stand-in on its own port (0: any free one), for tests and for running it beside a remote Drop. */
export async function startAwsStandIn(
  options: StandInOptions & { host?: string; port?: number; production: boolean; state?: AwsStandInState },
): Promise<RunningAwsStandIn> {
  if (options.production) throw new Error('The AWS stand-in never runs in production.');
  const app = Fastify({ logger: false });
  const state = await registerAwsStandIn(app, { ...options, prefix: '/aws-sim' });
  const address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  return { url: `${address}/aws-sim`, state, close: () => app.close() };
}
