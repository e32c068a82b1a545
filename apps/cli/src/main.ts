import { readFileSync } from 'node:fs';
import { runCli } from './program.ts';

const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
await runCli(process.argv, version);
