/**
 * The frame of a bench entry point that starts servers and databases: a temporary work folder
 * (readable by the embedded PostgreSQL, which runs as `postgres` when the bench runs as root),
 * clean-ups that run once whether the run ends, fails or is interrupted (SIGINT/SIGTERM), and the
 * process's exit code from the run.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Registers a clean-up; clean-ups run in the order registered, each even if an earlier one fails. */
export type AtCleanUp = (what: string, cleanUp: () => unknown) => void;

/**
 * Runs `run` in a fresh work folder and exits the process with the code it returns (1 if it
 * throws, 130 on a signal). `name` names the run in messages.
 */
export async function withBenchWorkDir(
  options: { name: string; prefix: string },
  run: (work: string, atCleanUp: AtCleanUp) => Promise<number>,
): Promise<never> {
  const work = await mkdtemp(path.join(tmpdir(), options.prefix));
  await chmod(work, 0o755);
  const cleanUps: Array<{ what: string; cleanUp: () => unknown }> = [];
  let cleaning: Promise<void> | undefined;
  const cleanUp = () => {
    cleaning ??= (async () => {
      for (const { what, cleanUp } of cleanUps) {
        try {
          await cleanUp();
        } catch (error) {
          console.error(`could not ${what}:`, error);
        }
      }
      await rm(work, { recursive: true, force: true });
    })();
    return cleaning;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: cleaning up`);
      void cleanUp().finally(() => process.exit(130));
    });
  }
  let exitCode = 1;
  try {
    exitCode = await run(work, (what, fn) => cleanUps.push({ what, cleanUp: fn }));
  } catch (error) {
    console.error(`${options.name} could not complete:`, error);
    exitCode = 1;
  } finally {
    await cleanUp();
  }
  process.exit(exitCode);
}
