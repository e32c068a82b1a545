import { type AuditEvent, DomainError, recordAuditEvent } from '@drop/core';
import type { AwsCall, AwsClients, SnapshotKind } from '@drop/integrations/aws';
import type { Command } from 'commander';
import { type CliContext, withServices } from '../context.ts';

/**
 * `drop aws …`: the runbooks' RDS, App Runner and ECR steps through the AWS SDK v3, with the
 * runbooks' names as defaults (AWS_* settings). Every command takes `--dry-run`, which prints the
 * calls it would make (service, operation, region, input) and makes none, and `--verbose`, which
 * prints each call as it is made. None needs Drop's database: a change is recorded in the audit log
 * when DATABASE_URL answers, and printed on stderr either way (during an outage the database may be
 * what is down).
 *
 *   db status | events | snapshots | latest-snapshot | snapshot | forensic-snapshot | restore | pitr | copy-snapshot | delete | monitoring
 *   service status | deploy | rollback | use-db
 *   images
 */
export function registerAws(program: Command, context: () => CliContext): void {
  const aws = program
    .command('aws')
    .description(
      'AWS steps of the runbooks (RDS snapshots and restores, App Runner deployments and rollback, ECR images); each has --dry-run',
    );

  const db = aws
    .command('db')
    .description('RDS: instance status, snapshots, restore from a snapshot, point-in-time restore, copy to the failover region');

  common(db.command('status'))
    .description('The RDS instance: status, endpoint, latest restorable time (DR scenario 2 step 1; quick health check)')
    .option('--instance <id>', 'the instance (default AWS_RDS_INSTANCE, drop-db)')
    .option('--region <region>', 'default AWS_REGION (eu-west-1)')
    .option('--json', 'as JSON')
    .action(async (options: Common & { instance?: string; region?: string; json?: boolean }) => {
      await runAws(context, options, async ({ settings, sdk }) => {
        const instance = options.instance ? rdsIdentifier(sdk, '--instance', options.instance) : settings.rds.instance;
        const where = options.region ? region('--region', options.region) : settings.region;
        return {
          plan: () => [sdk.planDescribeDbInstance(settings, instance, where)],
          run: async (clients) => {
            const view = await sdk.describeDbInstance(clients, instance, where);
            if (options.json) return printJson(view);
            console.log(`${view.id}: ${view.status}`);
            console.log(`  endpoint        ${view.endpoint ? `${view.endpoint.address}:${view.endpoint.port}` : '-'}`);
            console.log(`  class           ${view.instanceClass ?? '-'} (${view.engine ?? '?'} ${view.engineVersion ?? '?'})`);
            console.log(`  backups         ${view.backupRetentionDays ?? '?'} days, window ${view.preferredBackupWindow ?? '?'} UTC`);
            console.log(`  restorable to   ${view.latestRestorableTime?.toISOString() ?? '-'}`);
            if (view.status !== 'available') process.exitCode = 1;
          },
        };
      });
    });

  common(db.command('snapshots'))
    .description("The instance's snapshots, oldest first (DR scenario 2 step 2, scenario 4 step 2)")
    .option('--instance <id>', 'the instance (default AWS_RDS_INSTANCE)')
    .option('--type <type>', 'automated or manual')
    .option('--region <region>', 'default AWS_REGION (eu-west-1); the failover copies are in AWS_FAILOVER_REGION')
    .option('--json', 'as JSON')
    .action(async (options: Common & { instance?: string; type?: string; region?: string; json?: boolean }) => {
      await runAws(context, options, async ({ settings, sdk }) => {
        const instance = options.instance ? rdsIdentifier(sdk, '--instance', options.instance) : settings.rds.instance;
        const type = options.type === undefined ? undefined : oneOf('--type', options.type, ['automated', 'manual'] as const);
        const where = options.region ? region('--region', options.region) : settings.region;
        return {
          plan: () => [
            {
              service: 'rds',
              operation: 'DescribeDBSnapshots',
              region: where,
              input: { DBInstanceIdentifier: instance, ...(type ? { SnapshotType: type } : {}) },
            },
          ],
          run: async (clients) => {
            const snapshots = await sdk.listSnapshots(clients, { instance, region: where, ...(type ? { type } : {}) });
            if (options.json) return printJson(snapshots);
            printTable(
              ['SNAPSHOT', 'TYPE', 'STATUS', 'CREATED', 'AGE'],
              snapshots.map((snapshot) => [
                snapshot.id,
                snapshot.type ?? '-',
                snapshot.status ?? '-',
                snapshot.createdAt?.toISOString() ?? '-',
                snapshot.createdAt ? age(snapshot.createdAt) : '-',
              ]),
            );
          },
        };
      });
    });

  common(db.command('latest-snapshot'))
    .description('The newest automated snapshot and its age; exit 1 when there is none or it is older than --max-age-hours (runbook 3.1)')
    .option('--instance <id>', 'the instance (default AWS_RDS_INSTANCE)')
    .option('--max-age-hours <hours>', 'older than this fails the check', '24')
    .option('--json', 'as JSON')
    .action(async (options: Common & { instance?: string; maxAgeHours: string; json?: boolean }) => {
      await runAws(context, options, async ({ settings, sdk }) => {
        const instance = options.instance ? rdsIdentifier(sdk, '--instance', options.instance) : settings.rds.instance;
        const maxAgeHours = positiveNumber('--max-age-hours', options.maxAgeHours);
        return {
          plan: () => sdk.planLatestAutomatedSnapshot(settings, { instance }),
          run: async (clients) => {
            const latest = await sdk.latestAutomatedSnapshot(clients, { instance });
            const fresh = latest !== undefined && latest.ageHours <= maxAgeHours;
            if (!fresh) process.exitCode = 1;
            if (options.json) {
              return printJson({
                instance,
                snapshot: latest?.snapshot ?? null,
                ageHours: latest ? round(latest.ageHours, 2) : null,
                maxAgeHours,
                ok: fresh,
              });
            }
            if (!latest) return console.log(`${instance}: no available automated snapshot`);
            console.log(
              `${latest.snapshot.id}  ${latest.snapshot.createdAt?.toISOString()}  ${round(latest.ageHours, 1)} h old  ${fresh ? 'ok' : `older than ${maxAgeHours} h`}`,
            );
          },
        };
      });
    });

  common(waitable(db.command('snapshot')))
    .description(
      'A manual snapshot, <instance>-<kind>-YYYYMMDD-HHMM, and the wait until it is available (runbook 6.4; pre-deploy 4.1 step 3; DR 3A step 1)',
    )
    .option('--instance <id>', 'the instance (default AWS_RDS_INSTANCE)')
    .option('--kind <kind>', 'what it is for: manual, pre-deploy, incident, before-restore', 'manual')
    .option('--id <id>', 'the snapshot identifier instead of the runbook name')
    .action(rdsSnapshotAction(context));

  common(waitable(db.command('forensic-snapshot')))
    .description('The forensic snapshot of a security incident, <instance>-incident-YYYYMMDD-HHMM (DR scenario 5 step 5)')
    .option('--instance <id>', 'the instance (default AWS_RDS_INSTANCE)')
    .action(rdsSnapshotAction(context, 'incident'));

  common(waitable(db.command('restore')))
    .description('Restore a snapshot into a new instance, wait until it is available and print its endpoint (DR scenario 2A, 3A step 2)')
    .requiredOption('--target <id>', 'the new instance, e.g. drop-db-restored')
    .option('--snapshot <id>', "the snapshot, or 'latest' (the newest automated one)", 'latest')
    .option('--instance-class <class>', 'default AWS_RDS_INSTANCE_CLASS (db.t4g.micro)')
    .option('--security-group <ids>', 'VPC security groups, comma-separated (sg-…)')
    .option('--subnet-group <name>', 'the DB subnet group')
    .option('--region <region>', 'where the snapshot is and the instance goes (default AWS_REGION; scenario 4: eu-north-1)')
    .action(
      async (
        options: Common &
          Waiting & {
            target: string;
            snapshot: string;
            instanceClass?: string;
            securityGroup?: string;
            subnetGroup?: string;
            region?: string;
          },
      ) => {
        await runAws(context, options, async ({ settings, actor, sdk }) => {
          const targetInstance = rdsIdentifier(sdk, '--target', options.target);
          const latest = options.snapshot === 'latest';
          const snapshotId = latest ? '<the newest automated snapshot>' : snapshotIdentifier('--snapshot', options.snapshot);
          const placement = {
            targetInstance,
            instanceClass: options.instanceClass ? instanceClass(options.instanceClass) : undefined,
            securityGroupIds: options.securityGroup ? securityGroups(options.securityGroup) : undefined,
            subnetGroup: options.subnetGroup,
            region: options.region ? region('--region', options.region) : settings.region,
          };
          const wait = options.wait !== false;
          return {
            plan: () => sdk.planRestoreFromSnapshot(settings, { ...placement, snapshotId, snapshotIsLatest: latest, wait }),
            run: async (clients) => {
              let source = snapshotId;
              if (latest) {
                const newest = await sdk.latestAutomatedSnapshot(clients, { region: placement.region });
                if (!newest)
                  throw new sdk.AwsOperationError(
                    'NOT_FOUND',
                    `no available automated snapshot of ${settings.rds.instance} in ${placement.region}`,
                  );
                source = newest.snapshot.id;
                console.log(`Latest snapshot: ${source} (${round(newest.ageHours, 1)} h old)`);
              }
              const instance = await sdk.restoreFromSnapshot(clients, { ...placement, snapshotId: source });
              console.log(`Restoring ${source} into ${instance.id} (${instance.status}).`);
              await audit(context, {
                action: 'aws_db_restored_from_snapshot',
                resourceType: 'rds_instance',
                resourceId: instance.id,
                actor,
                details: { snapshot: source, region: instance.region, instanceClass: instance.instanceClass ?? null },
              });
              if (wait) await reportAvailable(sdk, clients, instance, settings);
            },
          };
        });
      },
    );

  common(waitable(db.command('pitr')))
    .description('Point-in-time restore into a new instance, wait until it is available and print its endpoint (DR scenario 2B)')
    .requiredOption('--target <id>', 'the new instance, e.g. drop-db-pitr')
    .option('--to <timestamp>', 'the moment to restore to, ISO 8601 with a zone (2026-12-06T14:05:00Z)')
    .option('--minutes-ago <n>', 'or: this many minutes ago')
    .option('--latest', "or: the source's latest restorable time (about five minutes ago)")
    .option('--source <id>', 'the instance whose backups to use (default AWS_RDS_INSTANCE)')
    .option('--instance-class <class>', 'default AWS_RDS_INSTANCE_CLASS (db.t4g.micro)')
    .option('--security-group <ids>', 'VPC security groups, comma-separated (sg-…)')
    .option('--subnet-group <name>', 'the DB subnet group')
    .action(
      async (
        options: Common &
          Waiting & {
            target: string;
            to?: string;
            minutesAgo?: string;
            latest?: boolean;
            source?: string;
            instanceClass?: string;
            securityGroup?: string;
            subnetGroup?: string;
          },
      ) => {
        await runAws(context, options, async ({ settings, actor, sdk }) => {
          const given = [options.to !== undefined, options.minutesAgo !== undefined, options.latest === true].filter(Boolean).length;
          if (given !== 1) throw invalid('Give exactly one of --to TIMESTAMP, --minutes-ago N or --latest.');
          const restoreTime = options.latest
            ? 'latest'
            : options.to !== undefined
              ? pastTimestamp(options.to)
              : minutesAgo(options.minutesAgo ?? '');
          const pitr = {
            targetInstance: rdsIdentifier(sdk, '--target', options.target),
            sourceInstance: options.source ? rdsIdentifier(sdk, '--source', options.source) : settings.rds.instance,
            restoreTime,
            instanceClass: options.instanceClass ? instanceClass(options.instanceClass) : undefined,
            securityGroupIds: options.securityGroup ? securityGroups(options.securityGroup) : undefined,
            subnetGroup: options.subnetGroup,
          } as const;
          const wait = options.wait !== false;
          return {
            plan: () => sdk.planRestoreToPointInTime(settings, { ...pitr, wait }),
            run: async (clients) => {
              const instance = await sdk.restoreToPointInTime(clients, pitr);
              const when = restoreTime === 'latest' ? 'its latest restorable time' : restoreTime.toISOString();
              console.log(`Restoring ${pitr.sourceInstance} as of ${when} into ${instance.id} (${instance.status}).`);
              await audit(context, {
                action: 'aws_db_restored_to_point_in_time',
                resourceType: 'rds_instance',
                resourceId: instance.id,
                actor,
                details: {
                  source: pitr.sourceInstance,
                  restoreTime: restoreTime === 'latest' ? 'latest' : restoreTime.toISOString(),
                  region: instance.region,
                },
              });
              if (wait) await reportAvailable(sdk, clients, instance, settings);
            },
          };
        });
      },
    );

  common(waitable(db.command('copy-snapshot')))
    .description(
      'Copy a snapshot to the failover region (default the newest automated one, to eu-north-1 as <instance>-failover-YYYYMMDD; DR scenario 4 step 1)',
    )
    .option('--snapshot <id>', 'the snapshot to copy (default: the newest automated one)')
    .option('--to-region <region>', 'default AWS_FAILOVER_REGION (eu-north-1)')
    .option('--target-id <id>', 'the copy\u2019s identifier')
    .action(async (options: Common & Waiting & { snapshot?: string; toRegion?: string; targetId?: string }) => {
      await runAws(context, options, async ({ settings, actor, sdk }) => {
        const targetRegion = options.toRegion ? region('--to-region', options.toRegion) : settings.failoverRegion;
        if (targetRegion === settings.region)
          throw invalid(`--to-region ${targetRegion} is the source region: a failover copy goes elsewhere.`);
        const copy = {
          ...(options.snapshot ? { sourceSnapshotId: snapshotIdentifier('--snapshot', options.snapshot) } : {}),
          targetRegion,
          targetSnapshotId: options.targetId
            ? rdsIdentifier(sdk, '--target-id', options.targetId, 255)
            : sdk.failoverSnapshotIdFor(settings.rds.instance, new Date()),
        };
        const wait = options.wait !== false;
        return {
          plan: () => sdk.planCopySnapshotToRegion(settings, { ...copy, wait }),
          run: async (clients) => {
            const { source, copy: made } = await sdk.copySnapshotToRegion(clients, copy);
            console.log(`Copying ${source.id} (${source.region}) to ${made.id} in ${made.region} (${made.status}).`);
            await audit(context, {
              action: 'aws_snapshot_copied',
              resourceType: 'rds_snapshot',
              resourceId: made.id,
              actor,
              details: { source: source.arn ?? source.id, targetRegion: made.region },
            });
            if (!wait) return;
            const done = await sdk.waitForSnapshotAvailable(clients, made.id, { ...waiting(settings), region: made.region });
            console.log(`Snapshot ${done.id} is available in ${done.region}.`);
          },
        };
      });
    });

  common(db.command('events'))
    .description("The instance's RDS events of the last minutes (DR scenario 2 step 3)")
    .option('--instance <id>', 'the instance (default AWS_RDS_INSTANCE)')
    .option('--minutes <n>', 'how far back', '60')
    .option('--region <region>', 'default AWS_REGION')
    .option('--json', 'as JSON')
    .action(async (options: Common & { instance?: string; minutes: string; region?: string; json?: boolean }) => {
      await runAws(context, options, async ({ settings, sdk }) => {
        const query = {
          instance: options.instance ? rdsIdentifier(sdk, '--instance', options.instance) : settings.rds.instance,
          minutes: positiveInteger('--minutes', options.minutes),
          region: options.region ? region('--region', options.region) : settings.region,
        };
        return {
          plan: () => [sdk.planDescribeEvents(settings, query)],
          run: async (clients) => {
            const events = await sdk.describeEvents(clients, query);
            if (options.json) return printJson(events);
            if (events.length === 0) return console.log(`${query.instance}: no events in the last ${query.minutes} minutes`);
            for (const event of events) console.log(`${event.date?.toISOString() ?? '?'}  ${event.sourceId ?? '-'}  ${event.message}`);
          },
        };
      });
    });

  common(db.command('monitoring'))
    .description('Enhanced monitoring every N seconds, applied now (DR scenario 5 step 4: --interval 1); 0 turns it off')
    .requiredOption('--interval <seconds>', 'one of 0, 1, 5, 10, 15, 30, 60')
    .option('--role-arn <arn>', "the role RDS publishes with (default the runbook's rds-monitoring-role in the service's account)")
    .option('--instance <id>', 'the instance (default AWS_RDS_INSTANCE)')
    .action(async (options: Common & { interval: string; roleArn?: string; instance?: string }) => {
      await runAws(context, options, async ({ settings, actor, sdk }) => {
        const intervalSeconds = sdk.MONITORING_INTERVALS.find((allowed) => String(allowed) === options.interval);
        if (intervalSeconds === undefined)
          throw invalid(`--interval is one of ${sdk.MONITORING_INTERVALS.join(', ')}, not ${JSON.stringify(options.interval)}.`);
        if (options.roleArn !== undefined && !/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(options.roleArn)) {
          throw invalid(`--role-arn ${JSON.stringify(options.roleArn)} is not an IAM role ARN.`);
        }
        const account = settings.appRunnerServiceArn.split(':')[4];
        const monitoring = {
          instance: options.instance ? rdsIdentifier(sdk, '--instance', options.instance) : settings.rds.instance,
          intervalSeconds,
          roleArn: options.roleArn ?? `arn:aws:iam::${account}:role/rds-monitoring-role`,
        };
        return {
          plan: () => sdk.planSetEnhancedMonitoring(settings, monitoring),
          run: async (clients) => {
            const view = await sdk.setEnhancedMonitoring(clients, monitoring);
            console.log(
              `${view.id}: enhanced monitoring ${intervalSeconds === 0 ? 'off' : `every ${intervalSeconds} s`} (${view.status}).`,
            );
            await audit(context, {
              action: 'aws_db_monitoring_changed',
              resourceType: 'rds_instance',
              resourceId: view.id,
              actor,
              details: { intervalSeconds, roleArn: intervalSeconds === 0 ? null : monitoring.roleArn },
            });
          },
        };
      });
    });

  common(waitable(db.command('delete')))
    .description(
      'Delete a temporary instance (a restore aside, a drill), without a final snapshot as the runbook does (DR scenario 3A step 5); never AWS_RDS_INSTANCE',
    )
    .requiredOption('--instance <id>', 'the temporary instance, e.g. drop-db-temp')
    .option('--final-snapshot <id>', 'take this final snapshot instead of skipping it')
    .option('--region <region>', 'default AWS_REGION')
    .action(async (options: Common & Waiting & { instance: string; finalSnapshot?: string; region?: string }) => {
      await runAws(context, options, async ({ settings, actor, sdk }) => {
        const target = {
          instance: rdsIdentifier(sdk, '--instance', options.instance),
          region: options.region ? region('--region', options.region) : settings.region,
          finalSnapshotId: options.finalSnapshot ? rdsIdentifier(sdk, '--final-snapshot', options.finalSnapshot, 255) : undefined,
        };
        if (target.instance === settings.rds.instance && target.region === settings.region) {
          throw invalid(`${target.instance} is Drop's production instance (AWS_RDS_INSTANCE): it is never deleted from here.`);
        }
        const wait = options.wait !== false;
        return {
          plan: () => sdk.planDeleteDbInstance(settings, { ...target, wait }),
          run: async (clients) => {
            const deleting = await sdk.deleteDbInstance(clients, target);
            console.log(
              `Deleting ${deleting.id} (${deleting.status})${target.finalSnapshotId ? `, final snapshot ${target.finalSnapshotId}` : ', no final snapshot'}.`,
            );
            await audit(context, {
              action: 'aws_db_instance_deleted',
              resourceType: 'rds_instance',
              resourceId: deleting.id,
              actor,
              details: { region: deleting.region, finalSnapshot: target.finalSnapshotId ?? null },
            });
            if (!wait) return;
            await sdk.waitForInstanceDeleted(clients, deleting.id, { ...waiting(settings), region: deleting.region });
            console.log(`${deleting.id} is deleted.`);
          },
        };
      });
    });

  const service = aws
    .command('service')
    .description('App Runner: status, deployment, rollback to the previous image, the database it uses');

  common(service.command('status'))
    .description(
      'The App Runner service: status, image, database host and recent operations; exit 1 unless RUNNING (DR scenario 1 step 1, 3)',
    )
    .option('--json', 'as JSON')
    .action(async (options: Common & { json?: boolean }) => {
      await runAws(context, options, async ({ settings, sdk }) => ({
        plan: () => [
          sdk.planDescribeService(settings),
          {
            service: 'apprunner',
            operation: 'ListOperations',
            region: sdk.planDescribeService(settings).region,
            input: { ServiceArn: settings.appRunnerServiceArn, MaxResults: 20 },
          },
        ],
        run: async (clients) => {
          const view = await sdk.describeService(clients);
          const operations = await sdk.listOperations(clients);
          if (view.status !== 'RUNNING') process.exitCode = 1;
          const database = view.database === 'secret' ? '(a secret)' : view.database ? `${view.database.host}:${view.database.port}` : '-';
          if (options.json) {
            const { raw: _raw, ...rest } = view;
            return printJson({ ...rest, database, operations: operations.slice(0, 5) });
          }
          console.log(`${view.name ?? view.arn}: ${view.status}`);
          console.log(`  url        https://${view.url ?? '-'}`);
          console.log(`  image      ${view.image ?? '-'}`);
          console.log(`  database   ${database}`);
          console.log(`  updated    ${view.updatedAt?.toISOString() ?? '-'}`);
          for (const operation of operations.slice(0, 5)) {
            console.log(
              `  ${operation.StartedAt?.toISOString() ?? '?'}  ${operation.Type ?? '?'}  ${operation.Status ?? '?'}  ${operation.Id ?? ''}`,
            );
          }
        },
      }));
    });

  common(waitable(service.command('deploy')))
    .description('Start a deployment of the current configuration and wait for RUNNING (DR scenario 1A; runbook 4.1 steps 5–6)')
    .action(async (options: Common & Waiting) => {
      await runAws(context, options, async ({ settings, actor, sdk }) => {
        const wait = options.wait !== false;
        return {
          plan: () => sdk.planStartDeployment(settings, wait),
          run: async (clients) => {
            const operationId = await sdk.startDeployment(clients);
            console.log(`Deployment started: operation ${operationId}.`);
            await audit(context, {
              action: 'aws_service_deployment_started',
              resourceType: 'apprunner_service',
              resourceId: settings.appRunnerServiceArn,
              actor,
              details: { operationId },
            });
            if (wait) await reportRunning(sdk, clients, operationId, settings);
          },
        };
      });
    });

  common(waitable(service.command('rollback')))
    .description(
      'Deploy the image pushed before the running one (ECR, by push time), or --tag, and wait for RUNNING (DR scenario 1B; runbook 4.3)',
    )
    .option('--tag <tag>', 'the image tag to go back to')
    .action(async (options: Common & Waiting & { tag?: string }) => {
      await runAws(context, options, async ({ settings, actor, sdk }) => {
        if (options.tag !== undefined && !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(options.tag)) {
          throw invalid(`--tag ${options.tag} is not an image tag.`);
        }
        const wait = options.wait !== false;
        return {
          plan: () => sdk.planRollbackService(settings, { tag: options.tag, wait }),
          run: async (clients) => {
            const result = await sdk.rollbackService(clients, { tag: options.tag });
            console.log(
              `Rolling back: ${result.from} -> ${result.to} (pushed ${result.image.pushedAt?.toISOString() ?? '?'}), operation ${result.operationId}.`,
            );
            await audit(context, {
              action: 'aws_service_rolled_back',
              resourceType: 'apprunner_service',
              resourceId: settings.appRunnerServiceArn,
              actor,
              details: { from: result.from, to: result.to, digest: result.image.digest, operationId: result.operationId },
            });
            if (wait) await reportRunning(sdk, clients, result.operationId, settings);
          },
        };
      });
    });

  common(waitable(service.command('use-db')))
    .description(
      "Point the service's DATABASE_URL at another host (a restored instance), keeping the credentials; App Runner redeploys (DR scenario 2A step 4)",
    )
    .option('--instance <id>', 'an RDS instance: its endpoint (it must be available)')
    .option('--endpoint <host[:port]>', 'or the host (and port) itself')
    .action(async (options: Common & Waiting & { instance?: string; endpoint?: string }) => {
      await runAws(context, options, async ({ settings, actor, sdk }) => {
        if ((options.instance === undefined) === (options.endpoint === undefined))
          throw invalid('Give one of --instance ID or --endpoint HOST[:PORT].');
        const instance = options.instance === undefined ? undefined : rdsIdentifier(sdk, '--instance', options.instance);
        const endpoint = options.endpoint === undefined ? undefined : hostAndPort(options.endpoint);
        const wait = options.wait !== false;
        return {
          plan: () =>
            sdk.planPointServiceAtDatabase(settings, {
              endpoint: endpoint ?? `<Endpoint.Address of ${instance}>`,
              wait,
              ...(instance
                ? {
                    describeInstance: sdk.planDescribeDbInstance(settings, instance, settings.region, 'it must be available; its Endpoint'),
                  }
                : {}),
            }),
          run: async (clients) => {
            let target = endpoint;
            if (instance) {
              const view = await sdk.describeDbInstance(clients, instance);
              if (view.status !== 'available' || !view.endpoint) {
                throw new sdk.AwsOperationError(
                  'WAIT_FAILED',
                  `${instance} is ${view.status ?? 'unknown'}, not available: wait with \`drop aws db status --instance ${instance}\`.`,
                );
              }
              target = view.endpoint;
            }
            if (!target) throw invalid('no endpoint');
            const result = await sdk.pointServiceAtDatabase(clients, target);
            console.log(
              `DATABASE_URL host: ${result.from.host}:${result.from.port} -> ${result.to.address}:${result.to.port}, operation ${result.operationId}.`,
            );
            await audit(context, {
              action: 'aws_service_database_changed',
              resourceType: 'apprunner_service',
              resourceId: settings.appRunnerServiceArn,
              actor,
              details: {
                from: `${result.from.host}:${result.from.port}`,
                to: `${result.to.address}:${result.to.port}`,
                instance: instance ?? null,
                operationId: result.operationId,
              },
            });
            if (wait) await reportRunning(sdk, clients, result.operationId, settings);
          },
        };
      });
    });

  common(aws.command('images'))
    .description('The newest images in ECR by push time (DR scenario 1B step 1; runbook 4.3)')
    .option('--limit <n>', 'how many', '5')
    .option('--json', 'as JSON')
    .action(async (options: Common & { limit: string; json?: boolean }) => {
      await runAws(context, options, async ({ settings, sdk }) => {
        const limit = positiveInteger('--limit', options.limit);
        return {
          plan: () => [sdk.planListImages(settings, 'sorted by imagePushedAt, the newest shown')],
          run: async (clients) => {
            const [images, running] = await Promise.all([
              sdk.listImages(clients),
              sdk
                .describeService(clients)
                .then((view) => view.image)
                .catch(() => undefined),
            ]);
            const shown = images.slice(-limit);
            if (options.json) return printJson(shown);
            printTable(
              ['TAGS', 'PUSHED', 'SIZE MB', 'DIGEST', ''],
              shown.map((image) => [
                image.tags.join(',') || '<untagged>',
                image.pushedAt?.toISOString() ?? '-',
                image.sizeBytes === undefined ? '-' : String(Math.round(image.sizeBytes / 1_000_000)),
                image.digest.slice(0, 19),
                running && image.tags.some((tag) => running.endsWith(`:${tag}`)) ? 'running' : '',
              ]),
            );
          },
        };
      });
    });
}

/** @drop/integrations/aws, loaded when a `drop aws` command runs. */
/**
 * `drop aws db snapshot` / `forensic-snapshot`, and the AWS half of `drop incident snapshot`: a manual
 * RDS snapshot named as the runbooks name them, audited, and (unless --no-wait) waited for.
 */
export const rdsSnapshotAction =
  (context: () => CliContext, fixedKind?: SnapshotKind) =>
  async (options: Common & Waiting & { instance?: string; kind?: string; id?: string }) => {
    await runAws(context, options, async ({ settings, actor, sdk }) => {
      const instance = options.instance ? rdsIdentifier(sdk, '--instance', options.instance) : settings.rds.instance;
      const kind = fixedKind ?? oneOf('--kind', options.kind ?? 'manual', sdk.SNAPSHOT_KINDS);
      const snapshotId = options.id ? rdsIdentifier(sdk, '--id', options.id, 255) : sdk.snapshotIdFor(kind, instance, new Date());
      const purpose = kind === 'incident' ? 'forensic' : kind;
      const wait = options.wait !== false;
      return {
        plan: () => sdk.planCreateDbSnapshot(settings, { instance, snapshotId, purpose, wait }),
        run: async (clients) => {
          const created = await sdk.createDbSnapshot(clients, { instance, snapshotId, purpose });
          console.log(`Creating snapshot ${created.id} of ${instance} (${created.status}).`);
          await audit(context, {
            action: kind === 'incident' ? 'aws_forensic_snapshot_created' : 'aws_snapshot_created',
            resourceType: 'rds_snapshot',
            resourceId: created.id,
            actor,
            details: { instance, kind, region: created.region, arn: created.arn ?? null },
          });
          if (!wait) return;
          const done = await sdk.waitForSnapshotAvailable(clients, snapshotId, { ...waiting(settings), region: created.region });
          console.log(`Snapshot ${done.id} is available (${done.createdAt?.toISOString() ?? '?'}).`);
        },
      };
    });
  };

type AwsSdk = typeof import('@drop/integrations/aws');

export interface Common {
  dryRun?: boolean;
  verbose?: boolean;
}

export interface Waiting {
  /** false with --no-wait. */
  wait?: boolean;
}

export function common(command: Command): Command {
  return command
    .option('--dry-run', 'print the AWS calls (service, operation, region, input) and make none')
    .option('--verbose', 'print each AWS call as it is made');
}

export function waitable(command: Command): Command {
  return command.option('--no-wait', 'return once AWS accepted the change, without waiting for it to finish');
}

/** What a command does, or would do: its calls for --dry-run, and the work itself. */
interface AwsWork {
  plan(): AwsCall[];
  run(clients: AwsClients): Promise<void>;
}

/**
 * Checks the input (`prepare` throws DomainError for bad input: nothing is called), then prints the
 * plan (--dry-run) or runs the work. A service's error, a failed or timed-out wait, and bad input
 * are printed with their code and exit 1.
 */
async function runAws(
  context: () => CliContext,
  options: Common,
  prepare: (inputs: { settings: CliContext['config']['aws']; actor: string; sdk: AwsSdk }) => Promise<AwsWork>,
): Promise<void> {
  // The SDK is loaded by `drop aws` alone, not by every other command.
  const sdk: AwsSdk = await import('@drop/integrations/aws');
  let clients: AwsClients | undefined;
  try {
    const { config, actor } = context();
    const work = await prepare({ settings: config.aws, actor, sdk });
    if (options.dryRun) {
      console.log('Dry run: these are the calls, in order; none is made.');
      for (const call of work.plan()) printCall(sdk, call);
      return;
    }
    clients = sdk.createAwsClients(config.aws, {
      ...(options.verbose ? { onCall: (call: AwsCall) => printCall(sdk, call, console.error) } : {}),
    });
    await work.run(clients);
  } catch (error) {
    if (error instanceof DomainError) {
      console.error(`${error.code}: ${error.message}`);
    } else if (error instanceof sdk.AwsCallError) {
      console.error(`AWS_ERROR: ${error.message}`);
    } else if (error instanceof sdk.AwsOperationError) {
      console.error(`${error.code}: ${error.message}`);
    } else {
      throw error;
    }
    process.exitCode = 1;
  } finally {
    clients?.destroy();
  }
}

function printCall(sdk: AwsSdk, call: AwsCall, print: (line: string) => void = console.log): void {
  print(`${call.service} ${call.operation} ${call.region} ${JSON.stringify(sdk.redactedInput(call.input))}`);
  if (call.note) print(`  # ${call.note}`);
}

/**
 * Records a change made in AWS in Drop's audit log when DATABASE_URL answers; always prints it on
 * stderr. The command never needs the database: during an outage it may be what is down, and the
 * embedded development database is not started for this.
 */
async function audit(
  context: () => CliContext,
  event: { action: AuditEvent['action']; resourceType: string; resourceId: string; actor: string; details: Record<string, unknown> },
): Promise<void> {
  const line = JSON.stringify(event);
  if (!context().config.database.url) {
    console.error(`audit: not recorded (no DATABASE_URL): ${line}`);
    return;
  }
  try {
    const recorded = await withServices(context(), (services) => recordAuditEvent(services.db, event));
    console.error(`audit: recorded ${event.action} (seq ${recorded.seq})`);
  } catch (error) {
    console.error(`audit: not recorded, the database did not answer (${error instanceof Error ? error.message : String(error)}): ${line}`);
  }
}

function waiting(settings: CliContext['config']['aws']) {
  return { ...settings.wait, onProgress: (state: string) => console.log(`  … ${state}`) };
}

async function reportAvailable(
  sdk: AwsSdk,
  clients: AwsClients,
  created: { id: string; region: string },
  settings: CliContext['config']['aws'],
): Promise<void> {
  const started = Date.now();
  const instance = await sdk.waitForInstanceAvailable(clients, created.id, { ...waiting(settings), region: created.region });
  const endpoint = instance.endpoint;
  console.log(`${instance.id} is available after ${seconds(started)} s.`);
  console.log(`New endpoint: ${endpoint?.address}:${endpoint?.port}`);
  console.log(`Verify: psql -h ${endpoint?.address} -U ${settings.rds.username} -d ${settings.rds.dbName} -c 'SELECT 1;'`);
  console.log(`Then: drop aws service use-db --instance ${instance.id}`);
}

async function reportRunning(sdk: AwsSdk, clients: AwsClients, operationId: string, settings: CliContext['config']['aws']): Promise<void> {
  const started = Date.now();
  const view = await sdk.waitForServiceRunning(clients, { ...waiting(settings), operationId });
  console.log(`${view.name ?? 'the service'} is RUNNING after ${seconds(started)} s (image ${view.image ?? '?'}).`);
}

function seconds(since: number): string {
  return ((Date.now() - since) / 1000).toFixed(1);
}

function invalid(message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', message);
}

function rdsIdentifier(sdk: AwsSdk, option: string, value: string, max = 63): string {
  if (!sdk.isRdsIdentifier(value, max)) {
    throw invalid(
      `${option} ${JSON.stringify(value)} is not an RDS identifier (a letter, then letters, digits and single hyphens, at most ${max}, not ending in a hyphen).`,
    );
  }
  return value;
}

/** A snapshot id: a manual one, an automated one (`rds:drop-db-2026-12-05-23-24`) or an ARN. */
function snapshotIdentifier(option: string, value: string): string {
  if (/^arn:aws:rds:[a-z0-9-]+:\d{12}:snapshot:[A-Za-z][A-Za-z0-9:-]*$/.test(value)) return value;
  if (/^(rds:)?[A-Za-z](?:-?[A-Za-z0-9])*$/.test(value) && value.length <= 255) return value;
  throw invalid(`${option} ${JSON.stringify(value)} is not a snapshot identifier.`);
}

function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value))
    throw invalid(`${option} is one of ${allowed.join(', ')}, not ${JSON.stringify(value)}.`);
  return value as T;
}

function region(option: string, value: string): string {
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(value)) throw invalid(`${option} ${JSON.stringify(value)} is not an AWS region (eu-north-1).`);
  return value;
}

function instanceClass(value: string): string {
  if (!/^db\.[a-z0-9]+\.[a-z0-9]+$/.test(value))
    throw invalid(`--instance-class ${JSON.stringify(value)} is not an instance class (db.t4g.micro).`);
  return value;
}

function securityGroups(value: string): string[] {
  const ids = value.split(',').map((id) => id.trim());
  for (const id of ids)
    if (!/^sg-[0-9a-f]{8,17}$/.test(id)) throw invalid(`--security-group ${JSON.stringify(id)} is not a security group id (sg-…).`);
  return ids;
}

function hostAndPort(value: string): { address: string; port: number } {
  const match = /^([A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::(\d{1,5}))?$/.exec(value);
  const port = Number(match?.[2] ?? 5432);
  if (!match?.[1] || port < 1 || port > 65535) throw invalid(`--endpoint ${JSON.stringify(value)} is not HOST[:PORT].`);
  return { address: match[1], port };
}

function positiveNumber(option: string, value: string): number {
  const number = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(number > 0)) throw invalid(`${option} must be a positive number, not ${JSON.stringify(value)}.`);
  return number;
}

function positiveInteger(option: string, value: string): number {
  if (!/^[1-9]\d{0,5}$/.test(value)) throw invalid(`${option} must be a positive whole number, not ${JSON.stringify(value)}.`);
  return Number(value);
}

/** ISO 8601 with a zone (no local-time guessing), in the past. */
function pastTimestamp(value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(date.getTime())) {
    throw invalid(`--to ${JSON.stringify(value)} is not an ISO 8601 time with a zone (2026-12-06T14:05:00Z).`);
  }
  if (date.getTime() > Date.now()) throw invalid(`--to ${value} is in the future.`);
  return date;
}

function minutesAgo(value: string): Date {
  const minutes = positiveInteger('--minutes-ago', value);
  if (minutes > 35 * 24 * 60) throw invalid('--minutes-ago is beyond any backup retention (35 days at most).');
  return new Date(Date.now() - minutes * 60_000);
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function age(at: Date): string {
  const hours = (Date.now() - at.getTime()) / 3_600_000;
  return hours < 48 ? `${round(hours, 1)} h` : `${round(hours / 24, 1)} d`;
}

function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  console.log([line(header), ...rows.map(line)].join('\n'));
}
