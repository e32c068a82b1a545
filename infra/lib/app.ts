/** The two stacks of Drop's AWS production, built from validated settings. */
import { type App, Tags, Validations } from 'aws-cdk-lib';
import nag from 'cdk-nag';
import { DisasterRecoveryStack } from './disaster-recovery-stack.ts';
import { ProductionStack } from './production-stack.ts';
import type { Settings } from './settings.ts';

export interface DropStacks {
  production: ProductionStack;
  disasterRecovery: DisasterRecoveryStack;
}

/** App context that makes CloudFormation's own (offline) template validation fail the synth on an error. */
export const strictTemplateValidation = { '@aws-cdk/core:validateAgainstDefaultRules': true };

export function buildDropApp(app: App, settings: Settings): DropStacks {
  Tags.of(app).add('Project', 'drop');
  Tags.of(app).add('Environment', 'production');
  Tags.of(app).add('ManagedBy', 'cdk');

  const disasterRecovery = new DisasterRecoveryStack(app, 'DropDisasterRecovery', {
    env: { account: settings.account, region: settings.drRegion },
    description: 'Drop: eu-north-1 copies of production for DR scenario 4 (backup vault, ECR replica settings)',
    terminationProtection: true,
  });
  const production = new ProductionStack(app, 'DropProduction', {
    env: { account: settings.account, region: settings.region },
    description: 'Drop production: App Runner drop-web, ECR drop-web, RDS PostgreSQL 16 drop-db, secrets, alarms, deploy role',
    terminationProtection: true,
    settings,
  });
  // The backup plan copies into DropDisasterRecovery's vault.
  production.addStackDependency(disasterRecovery);
  return { production, disasterRecovery };
}

/**
 * cdk-nag's AWS Solutions rules on every synth: an unacknowledged finding fails it. Acknowledgements
 * sit next to the resource they concern, each with its reason (Validations.of(…).acknowledge).
 */
export function addPolicyChecks(app: App): void {
  Validations.of(app).addPlugins(new nag.AwsSolutionsChecks(app));
}
