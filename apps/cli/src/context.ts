import { userInfo } from 'node:os';
import { type DropConfig, loadConfig } from '@drop/config';
import { createLogger, type Logger } from '@drop/observability';
import { buildServices, type Services } from '@drop/services';
import pino from 'pino';

export interface CliContext {
  config: DropConfig;
  logger: Logger;
  /** Who the audit log records for changes made from this command line. */
  actor: string;
  /** Drop's services (the database opened), built as the server and the worker build them. */
  openServices(): Promise<Services>;
}

/** Configuration, a logger on stderr (stdout is for the command's output) and the services on demand. */
export function createContext(): CliContext {
  const config = loadConfig();
  const logger = createLogger({
    level: config.log.level === 'info' ? 'warn' : config.log.level,
    name: 'drop-cli',
    destination: pino.destination(2),
    format: config.log.format,
    prettyTo: 2,
  });
  return {
    config,
    logger,
    actor: `cli:${userInfo().username}`,
    // The simulators (outside production) are those of the server at PUBLIC_URL.
    openServices: () => buildServices(config, { applicationName: 'drop-cli', logger }),
  };
}

/** Builds the services, runs `work`, and always closes them (the database, and the embedded server if started). */
export async function withServices<T>(context: CliContext, work: (services: Services) => Promise<T>): Promise<T> {
  const services = await context.openServices();
  try {
    return await work(services);
  } finally {
    await services.close();
  }
}
