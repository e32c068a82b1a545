/** The app the tests synthesise: settings/example.json, the file `npm run synth` uses. */
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildDropApp, type DropStacks } from '../lib/app.ts';
import { loadSettings, type Settings } from '../lib/settings.ts';

export const exampleSettingsFile = path.resolve(import.meta.dirname, '../settings/example.json');

export function exampleSettings(overrides: Partial<Settings> = {}): Settings {
  return loadSettings(exampleSettingsFile, overrides);
}

/** A fresh app with Drop's stacks; its assembly goes to a temporary directory. */
export function exampleApp(
  overrides: Partial<Settings> = {},
  context: Record<string, unknown> = {},
): { app: App; stacks: DropStacks; settings: Settings } {
  const app = new App({ context });
  const settings = exampleSettings(overrides);
  return { app, stacks: buildDropApp(app, settings), settings };
}
