import { ConfigError } from '@drop/config';
import { Command } from 'commander';
import { registerAml } from './commands/aml.ts';
import { registerApprovals } from './commands/approvals.ts';
import { registerAudit } from './commands/audit.ts';
import { registerAws } from './commands/aws.ts';
import { registerChecks } from './commands/checks.ts';
import { registerDb } from './commands/db.ts';
import { registerDbBackup } from './commands/db-backup.ts';
import { registerDbSelective } from './commands/db-selective.ts';
import { registerDev } from './commands/dev.ts';
import { registerDr } from './commands/dr.ts';
import { registerHealth } from './commands/health.ts';
import { registerIncident } from './commands/incident.ts';
import { registerIncidentSnapshot } from './commands/incident-snapshot.ts';
import { registerLedger } from './commands/ledger.ts';
import { registerLists } from './commands/lists.ts';
import { registerPayments } from './commands/payments.ts';
import { registerPayouts } from './commands/payouts.ts';
import { registerPrivacyRetention, registerUsersErase } from './commands/privacy-retention.ts';
import { registerScreen } from './commands/screen.ts';
import { registerSecrets } from './commands/secrets.ts';
import { registerSessions } from './commands/sessions.ts';
import { registerSla } from './commands/sla.ts';
import { registerStaff } from './commands/staff.ts';
import { registerStrs } from './commands/strs.ts';
import { registerUsers } from './commands/users.ts';
import { registerWorker } from './commands/worker.ts';
import { type CliContext, createContext } from './context.ts';

export function buildProgram(version: string): Command {
  const program = new Command('drop')
    .description(
      'Operate Drop: health, database, audit log, ledger, sanctions lists and screening, bank payments, SEPA payouts, secrets, staff, customer blocks with four eyes, and workers. Uses DATABASE_URL, or the embedded database when unset.',
    )
    .version(version, '-v, --version')
    .showHelpAfterError();

  // Configuration is read when a command runs, so `drop --help` works with any environment.
  let context: CliContext | undefined;
  const getContext = () => {
    context ??= createContext();
    return context;
  };
  registerHealth(program, getContext);
  registerDb(program, getContext);
  registerDbBackup(program, getContext);
  registerAudit(program, getContext);
  registerAml(program, getContext);
  registerApprovals(program, getContext);
  registerUsers(program, getContext);
  registerLedger(program, getContext);
  registerLists(program, getContext);
  registerScreen(program, getContext);
  registerPayments(program, getContext);
  registerPayouts(program, getContext);
  registerSecrets(program, getContext);
  registerSessions(program, getContext);
  registerStaff(program, getContext);
  registerWorker(program, getContext);
  registerStrs(program, getContext);
  // Issue 14: erasure requests and the retention rules.
  registerUsersErase(program, getContext);
  registerPrivacyRetention(program, getContext);
  registerIncident(program, getContext);
  registerIncidentSnapshot(program, getContext);
  registerSla(program, getContext);
  registerChecks(program, getContext);
  registerAws(program, getContext);
  registerDbSelective(program, getContext);
  registerDr(program, getContext);
  registerDev(program, getContext);
  return program;
}

export async function runCli(argv: string[], version: string): Promise<void> {
  try {
    await buildProgram(version).parseAsync(argv);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exitCode = 78;
      return;
    }
    throw error;
  }
}
