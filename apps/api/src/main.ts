/** `npm start`: run Drop until SIGTERM or SIGINT, then shut down gracefully. */
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from '@drop/config';
import { startDrop } from './runtime.ts';

// Local overrides for development (see .env.example); production sets the environment itself.
if (existsSync('.env')) process.loadEnvFile('.env');

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`Drop refuses to start.\n${error.message}`);
    process.exit(78); // EX_CONFIG
  }
  throw error;
}

const drop = await startDrop(config);

async function shutdown(signal: string) {
  const deadline = setTimeout(() => {
    drop.logger.error({ signal }, 'graceful shutdown timed out; exiting');
    process.exit(1);
  }, config.shutdownGraceMs);
  deadline.unref();
  try {
    await drop.stop(signal);
    process.exit(0);
  } catch (error) {
    drop.logger.error({ err: error }, 'error during shutdown');
    process.exit(1);
  }
}

process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
