import { userInfo } from 'node:os';
import { type DropConfig, loadConfig } from '@drop/config';
import { type OpenDatabase, openDatabase } from '@drop/db';
import { createLogger, type Logger } from '@drop/observability';
import pino from 'pino';

export interface CliContext {
  config: DropConfig;
  logger: Logger;
  /** Who the audit log records for changes made from this command line. */
  actor: string;
  openDatabase(): Promise<OpenDatabase>;
}

/** Configuration, a logger on stderr (stdout is for the command's output) and the database on demand. */
export function createContext(): CliContext {
  const config = loadConfig();
  const logger = createLogger({
    level: config.log.level === 'info' ? 'warn' : config.log.level,
    name: 'drop-cli',
    destination: pino.destination(2),
  });
  return {
    config,
    logger,
    actor: `cli:${userInfo().username}`,
    openDatabase: () =>
      openDatabase({
        database: config.database,
        applicationName: 'drop-cli',
        log: {
          info: (message) => logger.info(message),
          debug: (message) => logger.debug(message),
          warn: (object, message) => logger.warn(object, message),
        },
      }),
  };
}

/** Opens the database, runs `work`, and always closes it (and the embedded server, if started). */
export async function withDatabase<T>(context: CliContext, work: (database: OpenDatabase) => Promise<T>): Promise<T> {
  const database = await context.openDatabase();
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}
