/**
 * The CDK app. `cdk synth|diff|deploy` runs it (cdk.json); `npm run synth` runs it directly, offline.
 * Settings: the file named on the command line, else the context value drop:settings
 * (`-c drop:settings=settings/production.json`). Context drop:imageTag and drop:includeService
 * override the file's values (deploys pass the running image tag).
 */
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { addPolicyChecks, buildDropApp, strictTemplateValidation } from '../lib/app.ts';
import { loadSettings, SettingsError } from '../lib/settings.ts';

const infraDir = path.resolve(import.meta.dirname, '..');
// Run by the CDK CLI, the assembly goes where the CLI says (CDK_OUTDIR); run directly, to cdk.out.
const app = new App({
  ...(process.env.CDK_OUTDIR ? {} : { outdir: path.join(infraDir, 'cdk.out') }),
  context: strictTemplateValidation,
});

const file = process.argv[2] ?? app.node.tryGetContext('drop:settings');
if (typeof file !== 'string' || file === '') {
  console.error('Name the settings file: node bin/drop-infra.ts settings/<file>.json, or cdk … -c drop:settings=settings/<file>.json');
  process.exit(2);
}
const overrides: Record<string, unknown> = {};
const imageTag = app.node.tryGetContext('drop:imageTag');
if (imageTag !== undefined) overrides.imageTag = String(imageTag);
const includeService = app.node.tryGetContext('drop:includeService');
if (includeService !== undefined) overrides.includeService = includeService === true || includeService === 'true';

try {
  buildDropApp(app, loadSettings(path.resolve(infraDir, file), overrides));
  addPolicyChecks(app);
} catch (error) {
  if (!(error instanceof SettingsError)) throw error;
  console.error(error.message);
  process.exit(2);
}
const assembly = app.synth();
if (!process.env.CDK_OUTDIR)
  console.log(
    `synthesised ${assembly.stacks.map((stack) => stack.stackName).join(', ')} into ${path.relative(process.cwd(), assembly.directory) || '.'}`,
  );
