/**
 * The Secrets Manager secrets App Runner passes to Drop as environment variables (names in
 * names.ts). The stack creates them empty, like the Terraform did: operators set each value once
 * (README), and the values never pass through CloudFormation. JWT_SECRET is the exception: a
 * fresh stack generates it (64 characters), and runbook 5.1 rotates it. Secrets that already exist
 * are referenced by their ARN (settings.existingSecretArns) instead of created.
 *
 * Every created secret is replicated to the DR region, so a failover there has Drop's settings.
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { appSecretNames } from './names.ts';
import type { Settings } from './settings.ts';

export type AppSecretVariable = keyof typeof appSecretNames;

export class AppSecrets extends Construct {
  /** By the environment variable App Runner sets from it. */
  readonly byVariable = new Map<AppSecretVariable, secretsmanager.ISecret>();
  /** The ones this stack created (the others exist already). */
  readonly created: secretsmanager.Secret[] = [];

  constructor(scope: Construct, id: string, props: { settings: Settings }) {
    super(scope, id);
    const { settings } = props;

    for (const [variable, secretName] of Object.entries(appSecretNames) as [AppSecretVariable, string][]) {
      const existingArn = settings.existingSecretArns[variable];
      if (existingArn) {
        this.byVariable.set(variable, secretsmanager.Secret.fromSecretCompleteArn(this, variable, existingArn));
        continue;
      }
      const secret = new secretsmanager.Secret(this, variable, {
        secretName,
        description: `Drop production ${variable}`,
        replicaRegions: [{ region: settings.drRegion }],
        removalPolicy: RemovalPolicy.RETAIN,
        ...(variable === 'JWT_SECRET' ? { generateSecretString: { passwordLength: 64, excludePunctuation: true } } : {}),
      });
      if (variable !== 'JWT_SECRET') {
        // Created without a value (CloudFormation allows an empty secret); the L2 construct would
        // otherwise generate a random string, which is no BankID client id or SMTP URL.
        (secret.node.defaultChild as secretsmanager.CfnSecret).addPropertyDeletionOverride('GenerateSecretString');
      }
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'No Secrets Manager rotation function exists for these values (provider tokens, keys, URLs): they are rotated at the provider and set by operators, on the schedule of operational runbook 5 that `drop secrets status` reports.',
      });
      this.byVariable.set(variable, secret);
      this.created.push(secret);
    }
  }
}
