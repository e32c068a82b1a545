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

async function shutdown(drop: Awaited<ReturnType<typeof startDrop>>, signal: string) {
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

// The signal handlers come first: the server answers /api/health before startDrop has returned
// (it still loads rates and lists), and a SIGTERM in that window would otherwise kill the
// process ungracefully (exit by signal, no "Drop stopped"). A signal during startup is kept and
// acted on once Drop is up.
let drop: Awaited<ReturnType<typeof startDrop>> | undefined;
let stopping = false;
let signalledDuringStartup: string | undefined;
function onSignal(signal: string) {
  if (!drop) {
    signalledDuringStartup ??= signal;
    return;
  }
  if (stopping) return;
  stopping = true;
  void shutdown(drop, signal);
}
process.on('SIGTERM', () => onSignal('SIGTERM'));
process.on('SIGINT', () => onSignal('SIGINT'));

drop = await startDrop(config);
if (signalledDuringStartup) onSignal(signalledDuringStartup);
