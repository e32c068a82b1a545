/**
 * What the CDK app needs to know about production that is not a runbook name: the account, the
 * network, the image to start with, the values App Runner passes to Drop. Read from a JSON file
 * (`settings/example.json` for the offline synth and the tests; operators keep the production one)
 * and validated here, so a typo fails the synth instead of a deployment. Nothing is looked up in
 * AWS: the synth runs offline.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { appSecretNames } from './names.ts';

const subnetId = z.string().regex(/^subnet-[0-9a-f]+$/, 'a subnet id (subnet-…)');
const secretArn = z.string().regex(/^arn:aws:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+-[A-Za-z0-9]{6}$/, 'a complete secret ARN');

export const settingsSchema = z
  .object({
    /** The AWS account of production (the runbooks: 324480209768). */
    account: z.string().regex(/^\d{12}$/, '12 digits'),
    /** Production's region (the runbooks: eu-west-1, Ireland). */
    region: z.string().default('eu-west-1'),
    /** Where backups and images are copied for DR scenario 4 (full region outage). */
    drRegion: z.string().default('eu-north-1'),
    /** PUBLIC_URL: the App Runner URL until getdrop.no is live. */
    publicUrl: z.string().url().startsWith('https://', 'production requires an https PUBLIC_URL'),
    /**
     * The image tag App Runner runs. Deploys (deploy-aws.yml) change the image outside CloudFormation,
     * so pass the running tag when deploying the stack, or the deploy puts this one back.
     */
    imageTag: z.string().regex(/^[\w][\w.-]{0,127}$/, 'an image tag'),
    vpcId: z.string().regex(/^vpc-[0-9a-f]+$/, 'a VPC id (vpc-…)'),
    /** Availability zones of the private subnets, in the same order (no lookup at synth). */
    availabilityZones: z.array(z.string().min(1)).min(2),
    /** Private subnets with a NAT gateway: App Runner's VPC connector and the rotation function. */
    privateSubnetIds: z.array(subnetId).min(2),
    /** DB subnet group of drop-db (the runbooks restore into "default"). */
    dbSubnetGroupName: z.string().min(1).default('default'),
    /** More security groups on drop-db, e.g. the bastion's or VPN's for psql (runbook 6.1). */
    dbExtraSecurityGroupIds: z.array(z.string().regex(/^sg-[0-9a-f]+$/)).default([]),
    /** RDS instance class (the runbooks restore into db.t4g.micro). */
    dbInstanceClass: z
      .string()
      .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/)
      .default('db.t4g.micro'),
    dbAllocatedStorageGb: z.number().int().min(20).default(20),
    dbMaxAllocatedStorageGb: z.number().int().min(20).default(100),
    /**
     * Automatic rotation of drop/production/db-credentials, in days; 0 rotates on demand only
     * (`aws secretsmanager rotate-secret`). Drop reads DATABASE_URL, which a Secrets Manager
     * rotation does not rewrite: turn this on only once DATABASE_URL follows the rotated secret.
     */
    dbCredentialsRotationDays: z.number().int().min(0).max(365).default(0),
    /** owner/name of the repository whose deploy workflow may assume drop-github-deploy. */
    githubRepository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'owner/name'),
    /** The account's existing GitHub OIDC provider, if there is one (else the stack creates it). */
    githubOidcProviderArn: z
      .string()
      .regex(/^arn:aws:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/)
      .optional(),
    minInstances: z.number().int().min(1).default(1),
    maxInstances: z.number().int().min(1).max(25).default(3),
    /** Drop's organisation number (Brønnøysundregistrene), printed on receipts. */
    companyOrgNumber: z.string().regex(/^\d{3} ?\d{3} ?\d{3}$/, 'nine digits'),
    /** Drop's registered address and its licence, printed on receipts. */
    companyAddress: z.string().min(2),
    companyLicence: z.string().min(2).max(200),
    /** goAML reporting-entity id from ØKOKRIM's FIU; production refuses the placeholder 1000. */
    fiuReportingEntityId: z
      .string()
      .regex(/^\d+$/)
      .refine((value) => value !== '1000', 'the development placeholder 1000'),
    /** Where the alarm topic mails (optional; Slack is wired outside the template, see README). */
    alarmEmail: z.string().email().optional(),
    /**
     * Secrets that already exist in the account (created by hand before this app), by the variable
     * App Runner passes: the stack references these instead of creating them.
     */
    existingSecretArns: z.record(z.string(), secretArn).default({}),
    /**
     * false leaves the App Runner service (and what needs it) out of the stack: the first deploy
     * that adopts the running production creates everything else, then `cdk import` adopts the
     * service (infra/README.md, "Adopting the existing production").
     */
    includeService: z.boolean().default(true),
  })
  .strict()
  .refine((settings) => settings.availabilityZones.length === settings.privateSubnetIds.length, {
    message: 'availabilityZones and privateSubnetIds must pair up (one zone per subnet)',
    path: ['availabilityZones'],
  })
  .refine((settings) => settings.minInstances <= settings.maxInstances, {
    message: 'minInstances exceeds maxInstances',
    path: ['minInstances'],
  })
  .refine((settings) => settings.dbAllocatedStorageGb <= settings.dbMaxAllocatedStorageGb, {
    message: 'dbAllocatedStorageGb exceeds dbMaxAllocatedStorageGb',
    path: ['dbAllocatedStorageGb'],
  })
  .refine((settings) => settings.drRegion !== settings.region, { message: 'drRegion must differ from region', path: ['drRegion'] })
  .refine((settings) => Object.keys(settings.existingSecretArns).every((variable) => variable in appSecretNames), {
    message: `existingSecretArns: keys are the variables of names.ts appSecretNames (${Object.keys(appSecretNames).join(', ')})`,
    path: ['existingSecretArns'],
  });

export type Settings = z.infer<typeof settingsSchema>;

export class SettingsError extends Error {
  readonly problems: string[];
  constructor(source: string, problems: string[]) {
    super(`${source}: invalid infrastructure settings:\n  ${problems.join('\n  ')}`);
    this.name = 'SettingsError';
    this.problems = problems;
  }
}

/** Validates settings given as an object (context, tests), naming every problem at once. */
export function parseSettings(input: unknown, source = 'settings'): Settings {
  // A settings file may explain itself in "$comment".
  const { $comment: _comment, ...values } = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const result = settingsSchema.safeParse(typeof input === 'object' && input !== null ? values : input);
  if (!result.success) {
    throw new SettingsError(
      source,
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return result.data;
}

/** Reads and validates a settings JSON file. */
export function loadSettings(file: string, overrides: Record<string, unknown> = {}): Settings {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SettingsError(file, [(error as Error).message]);
  }
  return parseSettings({ ...(raw as Record<string, unknown>), ...overrides }, file);
}
