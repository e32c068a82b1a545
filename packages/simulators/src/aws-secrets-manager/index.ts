/**
 * A local stand-in for AWS Secrets Manager, for exactly the calls Drop makes with the real SDK
 * client (@aws-sdk/client-secrets-manager): GetSecretValue and PutSecretValue, over AWS JSON 1.1
 * (`POST /`, `X-Amz-Target: secretsmanager.<Operation>`, `Content-Type: application/x-amz-json-1.1`)
 * on real HTTP. Requests must carry a Signature Version 4 Authorization header (the stand-in checks
 * its form, as the AWS stand-in does; tests use dummy keys). A put makes the new version
 * AWSCURRENT and the one before AWSPREVIOUS, as Secrets Manager does. Errors are
 * `{"__type": "<Code>", "message": "…"}` with status 400. Tests start it; the server never mounts it.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkSignature } from '../aws/sigv4.ts';

export const SECRETS_MANAGER_TARGET = 'secretsmanager.';

interface SecretVersion {
  id: string;
  value: string;
  created: Date;
  stages: string[];
}

interface StoredSecret {
  name: string;
  arn: string;
  versions: SecretVersion[];
}

export interface RunningSecretsManagerStandIn {
  /** The endpoint for the SDK (`endpoint`), e.g. http://127.0.0.1:PORT. */
  url: string;
  region: string;
  /** Creates (or replaces) a secret with one AWSCURRENT version; returns its ARN. */
  putSecret(name: string, value: string): string;
  /** The AWSCURRENT value of a secret. */
  current(name: string): string | undefined;
  /** How many calls of each operation were answered. */
  calls: Map<string, number>;
  close(): Promise<void>;
}

class Fault extends Error {
  readonly type: string;
  constructor(type: string, message: string) {
    super(message);
    this.type = type;
  }
}

async function body(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) text += chunk;
  return text;
}

export async function startSecretsManagerStandIn(
  options: { region?: string; accountId?: string } = {},
): Promise<RunningSecretsManagerStandIn> {
  const region = options.region ?? 'eu-west-1';
  const accountId = options.accountId ?? '324480209768';
  const secrets = new Map<string, StoredSecret>();
  const calls = new Map<string, number>();

  const find = (secretId: unknown): StoredSecret => {
    const secret =
      typeof secretId === 'string' ? (secrets.get(secretId) ?? [...secrets.values()].find((s) => s.arn === secretId)) : undefined;
    if (!secret) throw new Fault('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    return secret;
  };
  const addVersion = (secret: StoredSecret, value: string, id: string = randomUUID()) => {
    for (const version of secret.versions) version.stages = version.stages.includes('AWSCURRENT') ? ['AWSPREVIOUS'] : [];
    const version = { id, value, created: new Date(), stages: ['AWSCURRENT'] };
    secret.versions.push(version);
    return version;
  };

  const operations: Record<string, (input: Record<string, unknown>) => Record<string, unknown>> = {
    GetSecretValue(input) {
      const secret = find(input.SecretId);
      const stage = typeof input.VersionStage === 'string' ? input.VersionStage : 'AWSCURRENT';
      const version =
        typeof input.VersionId === 'string'
          ? secret.versions.find((v) => v.id === input.VersionId)
          : secret.versions.find((v) => v.stages.includes(stage));
      if (!version)
        throw new Fault('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for staging label: ${stage}`);
      return {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: version.id,
        SecretString: version.value,
        VersionStages: version.stages,
        CreatedDate: version.created.getTime() / 1000,
      };
    },
    PutSecretValue(input) {
      const secret = find(input.SecretId);
      if (typeof input.SecretString !== 'string' || input.SecretString === '')
        throw new Fault('InvalidParameterException', 'You must provide either SecretString or SecretBinary.');
      const token = typeof input.ClientRequestToken === 'string' ? input.ClientRequestToken : undefined;
      // Idempotent on the token: the SDK retries with the same one.
      const existing = token ? secret.versions.find((v) => v.id === token) : undefined;
      const version = existing ?? addVersion(secret, input.SecretString, token);
      return { ARN: secret.arn, Name: secret.name, VersionId: version.id, VersionStages: version.stages };
    },
  };

  const server: Server = createServer((request, response) => {
    const send = (status: number, payload: Record<string, unknown>, errorType?: string) => {
      response
        .writeHead(status, {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-requestid': randomUUID(),
          ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
        })
        .end(JSON.stringify(payload));
    };
    body(request).then(
      (text) => {
        const target = request.headers['x-amz-target'];
        const signature = checkSignature(request.headers);
        if (!signature.ok)
          return send(
            400,
            { __type: 'MissingAuthenticationTokenException', message: signature.message },
            'MissingAuthenticationTokenException',
          );
        const operation =
          typeof target === 'string' && target.startsWith(SECRETS_MANAGER_TARGET) ? target.slice(SECRETS_MANAGER_TARGET.length) : '';
        const handler = operations[operation];
        if (request.method !== 'POST' || !handler)
          return send(
            400,
            { __type: 'UnknownOperationException', message: `unknown operation ${String(target)}` },
            'UnknownOperationException',
          );
        try {
          const output = handler(JSON.parse(text || '{}') as Record<string, unknown>);
          calls.set(operation, (calls.get(operation) ?? 0) + 1);
          send(200, output);
        } catch (error) {
          if (error instanceof Fault) return send(400, { __type: error.type, message: error.message }, error.type);
          send(500, { __type: 'InternalServiceError', message: (error as Error).message }, 'InternalServiceError');
        }
      },
      () => send(400, { __type: 'SerializationException', message: 'unreadable body' }, 'SerializationException'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    region,
    putSecret(name, value) {
      const secret: StoredSecret = {
        name,
        arn: `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-${randomUUID().slice(0, 6)}`,
        versions: [],
      };
      secrets.set(name, secret);
      addVersion(secret, value);
      return secret.arn;
    },
    current: (name) => secrets.get(name)?.versions.find((v) => v.stages.includes('AWSCURRENT'))?.value,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
