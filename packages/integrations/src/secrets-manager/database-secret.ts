/**
 * Drop's database login kept in AWS Secrets Manager (an RDS secret: `{"username", "password",
 * "host", "port", "dbname", …}`), through the real SDK client. Two uses:
 *
 * - `secretCredentialStore`: what `drop secrets rotate-db-password` reads and replaces
 *   (GetSecretValue, PutSecretValue: the new version becomes AWSCURRENT);
 * - `SecretCredentialsCache`: the pool's source. pg needs the user when a connection is made, so
 *   the cache holds the current login and refreshes it every few seconds in the background; the
 *   rotation's grace period is longer than that interval, so a pool never logs in with a retired
 *   password.
 *
 * A subpath of @drop/integrations (`@drop/integrations/secrets-manager`), loaded only when the
 * setting is on, so a Drop without it never loads the SDK.
 */
import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CredentialStore } from '@drop/core';
import { CredentialsFileError, type DatabaseCredentials } from '@drop/db';

export interface DatabaseSecretSettings {
  /** The secret's name or ARN (DATABASE_CREDENTIALS_SECRET_ID). */
  secretId: string;
  region: string;
  /** AWS_ENDPOINT_URL: another endpoint speaking the same protocol (the local stand-in). */
  endpointUrl?: string | undefined;
}

function secretClient(settings: DatabaseSecretSettings): SecretsManagerClient {
  return new SecretsManagerClient({
    region: settings.region,
    ...(settings.endpointUrl ? { endpoint: settings.endpointUrl } : {}),
    maxAttempts: 3,
  });
}

function parseSecret(secretId: string, value: string | undefined): DatabaseCredentials {
  let parsed: Partial<DatabaseCredentials> | null = null;
  try {
    parsed = JSON.parse(value ?? '') as Partial<DatabaseCredentials>;
  } catch {
    // reported below
  }
  if (!parsed || typeof parsed.username !== 'string' || !parsed.username || typeof parsed.password !== 'string' || !parsed.password) {
    throw new CredentialsFileError(
      `secret ${secretId}: database credentials need a non-empty "username" and "password" (JSON SecretString)`,
    );
  }
  return parsed as DatabaseCredentials;
}

async function readSecret(client: SecretsManagerClient, secretId: string): Promise<DatabaseCredentials> {
  const output = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  return parseSecret(secretId, output.SecretString);
}

/** The rotation's store: reads AWSCURRENT, writes a new version that becomes AWSCURRENT. */
export function secretCredentialStore(settings: DatabaseSecretSettings): CredentialStore & { destroy(): void } {
  const client = secretClient(settings);
  return {
    description: `secret ${settings.secretId}`,
    read: () => readSecret(client, settings.secretId),
    async write(credentials) {
      await client.send(new PutSecretValueCommand({ SecretId: settings.secretId, SecretString: JSON.stringify(credentials) }));
    },
    destroy: () => client.destroy(),
  };
}

/** The pool's source: the secret's current login, refreshed in the background. */
export class SecretCredentialsCache {
  readonly #client: SecretsManagerClient;
  readonly #secretId: string;
  #current: DatabaseCredentials | undefined;
  #timer: NodeJS.Timeout | undefined;
  readonly #onError: (error: unknown) => void;

  private constructor(settings: DatabaseSecretSettings, onError: (error: unknown) => void) {
    this.#client = secretClient(settings);
    this.#secretId = settings.secretId;
    this.#onError = onError;
  }

  /** Reads the secret now (a failure fails the start) and then every `refreshMs`. */
  static async start(
    settings: DatabaseSecretSettings & { refreshMs: number; onError: (error: unknown) => void },
  ): Promise<SecretCredentialsCache> {
    const cache = new SecretCredentialsCache(settings, settings.onError);
    try {
      await cache.refresh();
    } catch (error) {
      cache.stop();
      throw error;
    }
    cache.#timer = setInterval(() => {
      // A failed refresh keeps the last login: the pool goes on with it until the next one works.
      cache.refresh().catch(cache.#onError);
    }, settings.refreshMs);
    cache.#timer.unref();
    return cache;
  }

  async refresh(): Promise<void> {
    this.#current = await readSecret(this.#client, this.#secretId);
  }

  /** The login for a new connection. */
  current(): { user: string; password: string } {
    if (!this.#current) throw new CredentialsFileError(`secret ${this.#secretId} has not been read`);
    return { user: this.#current.username, password: this.#current.password };
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#client.destroy();
  }
}
