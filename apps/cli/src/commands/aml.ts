import {
  ALERT_OUTCOMES,
  ALERT_STATUSES,
  type AlertOutcome,
  type AlertStatus,
  AML_ACTIONS,
  AML_SEVERITIES,
  type AmlRuleChange,
} from '@drop/contracts';
import { closeAmlAlert, DomainError, listAmlAlerts, listAmlRules, setAmlMonitoring, staffActingAs, updateAmlRule } from '@drop/core';
import { type Command, InvalidArgumentError } from 'commander';
import { type CliContext, withServices } from '../context.ts';
import { registerAmlCases } from './aml-cases.ts';

export function registerAml(program: Command, context: () => CliContext): void {
  const aml = program.command('aml').description('Anti-money-laundering: transaction-monitoring rules, the alert queue');

  aml
    .command('alerts')
    .description('The alert queue (runbook 7.1): newest first, the open ones unless --status says otherwise')
    .option('--status <status>', `${[...ALERT_STATUSES, 'all'].join(', ')}`, 'open')
    .option('--json', 'print the alerts as JSON')
    .action(async (options: { status: string; json?: boolean }) => {
      if (!([...ALERT_STATUSES, 'all'] as string[]).includes(options.status)) {
        throw new InvalidArgumentError(`--status is one of ${[...ALERT_STATUSES, 'all'].join(', ')}`);
      }
      const status = options.status as AlertStatus | 'all';
      const alerts = await withServices(context(), (services) => listAmlAlerts(services.db, { status }));
      if (options.json) {
        console.log(JSON.stringify(alerts, null, 2));
        return;
      }
      if (alerts.length === 0) console.log(`No ${status === 'all' ? '' : `${status} `}alerts.`);
      for (const alert of alerts) {
        console.log(
          `${alert.id}  ${alert.createdAt.slice(0, 16).replace('T', ' ')}  ${alert.status.padEnd(6)} ${alert.severity.padEnd(8)} ` +
            `${alert.rule.padEnd(28)} ${(alert.email ?? alert.userId).padEnd(28)} ${alert.sendAmount ? `${alert.sendCurrency} ${alert.sendAmount}` : ''}`,
        );
      }
    });

  aml
    .command('close <alertId>')
    .description("Close an open alert with an outcome and notes (runbook 7.1's UPDATE, recorded in the alert's history)")
    .requiredOption('--outcome <outcome>', ALERT_OUTCOMES.join(', '))
    .requiredOption('--notes <text>', 'the review notes (aml_alerts.reviewer_notes)')
    .option('--as <email>', 'the compliance staff member closing it (else the operator running the command)')
    .action(async (alertId: string, options: { outcome: string; notes: string; as?: string }) => {
      if (!(ALERT_OUTCOMES as readonly string[]).includes(options.outcome)) {
        throw new InvalidArgumentError(`--outcome is one of ${ALERT_OUTCOMES.join(', ')}`);
      }
      const ctx = context();
      try {
        const alert = await withServices(ctx, async (services) => {
          let actor = ctx.actor;
          if (options.as) {
            actor = (await staffActingAs(services.db, options.as, 'aml_review')).id;
          }
          return closeAmlAlert(services.db, { alertId, outcome: options.outcome as AlertOutcome, notes: options.notes, actor });
        });
        console.log(`${alert.id} closed as ${alert.outcome} by ${alert.reviewedBy} at ${alert.reviewedAt}.`);
        if (alert.caseId) console.log(`In case ${alert.caseId} (drop aml case ${alert.caseId}).`);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        console.error(`${error.code}: ${error.message}`);
        process.exitCode = 1;
      }
    });

  const rules = aml
    .command('rules')
    .description('List the transaction-monitoring rules: code, version, on/off, severity, action, parameters')
    .option('--json', 'print the rules as JSON')
    .action(async (options: { json?: boolean }) => {
      const list = await withServices(context(), (services) => listAmlRules(services.db));
      if (options.json) {
        console.log(JSON.stringify(list, null, 2));
        return;
      }
      for (const rule of list) {
        console.log(
          `${rule.code.padEnd(34)} v${String(rule.version).padEnd(3)} ${rule.enabled ? 'on ' : 'off'} ${rule.severity.padEnd(8)} ` +
            `${rule.action.padEnd(5)} ${JSON.stringify(rule.params)}`,
        );
      }
    });

  rules
    .command('set <code>')
    .description('Change one rule (a new version, audited): parameters, severity, action, on/off. --reason is required.')
    .option('--param <key=value>', 'a parameter (repeatable); the value is JSON (50000, true, ["fatf_black"]) or else text', collect, [])
    .option('--severity <severity>', `one of ${AML_SEVERITIES.join(', ')}`)
    .option('--action <action>', `one of ${AML_ACTIONS.join(', ')}`)
    .option('--enable', 'run the rule')
    .option('--disable', 'stop running the rule')
    .requiredOption('--reason <text>', 'why: kept with the new version and in the audit log')
    .action(
      async (
        code: string,
        options: { param: string[]; severity?: string; action?: string; enable?: boolean; disable?: boolean; reason: string },
      ) => {
        if (options.enable && options.disable) throw new InvalidArgumentError('give --enable or --disable, not both');
        const change: Record<string, unknown> = { reason: options.reason };
        if (options.param.length > 0) change.params = Object.fromEntries(options.param.map(parseParam));
        if (options.severity) change.severity = options.severity;
        if (options.action) change.action = options.action;
        if (options.enable || options.disable) change.enabled = Boolean(options.enable);
        const ctx = context();
        try {
          const rule = await withServices(ctx, (services) =>
            updateAmlRule(services.db, { code, change: change as AmlRuleChange, actor: ctx.actor }),
          );
          console.log(
            `${rule.code} is now version ${rule.version}: ${rule.enabled ? 'on' : 'off'}, ${rule.severity}, ${rule.action}, ${JSON.stringify(rule.params)}`,
          );
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          console.error(`${error.code}: ${error.message}`);
          for (const detail of (error.details?.errors as { path: string; message: string }[] | undefined) ?? []) {
            console.error(`  ${detail.path}: ${detail.message}`);
          }
          process.exitCode = 1;
        }
      },
    );

  aml
    .command('monitoring <on|off>')
    .description('Turn transaction monitoring on or off (sanctions screening and frozen customers always apply)')
    .requiredOption('--reason <text>', 'why: kept in the audit log')
    .action(async (state: string, options: { reason: string }) => {
      if (state !== 'on' && state !== 'off') throw new InvalidArgumentError('say on or off');
      const ctx = context();
      await withServices(ctx, (services) =>
        setAmlMonitoring(services.db, { enabled: state === 'on', actor: ctx.actor, reason: options.reason }),
      );
      console.log(`Transaction monitoring is ${state}.`);
    });

  registerAmlCases(aml, context);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseParam(text: string): [string, unknown] {
  const at = text.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`--param takes key=value, not ${text}`);
  const raw = text.slice(at + 1);
  try {
    return [text.slice(0, at), JSON.parse(raw)];
  } catch {
    return [text.slice(0, at), raw];
  }
}
