/**
 * Packaging and deployment files, checked without Docker, AWS or Fly.io: the Dockerfile's stages
 * and what its final image contains, .dockerignore, compose.yaml, fly.toml, the CI and deploy
 * workflows, and that the configuration each of them gives Drop is one production accepts (and
 * that production refuses the image's own settings without its secrets).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ConfigError, loadConfig } from '@drop/config';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

const ECR_REPOSITORY = '324480209768.dkr.ecr.eu-west-1.amazonaws.com/drop-web';
const APP_RUNNER_SERVICE_ARN = 'arn:aws:apprunner:eu-west-1:324480209768:service/drop-web/8e45b0d335304487a1880f4e32d6aeec';
const SECRETS = {
  DATABASE_URL: 'postgres://drop:secret@db.internal:5432/dropapp',
  JWT_SECRET: 'a-test-secret-that-is-at-least-32-chars',
  DATA_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
  AUDIT_CHECKPOINT_SIGNING_KEY: 'MC4CAQAwBQYDK2VwBCIEIHqbvY5ZWGfaUU0BDweItPMoEJJTFKMKODqHMmVYfjTg',
  // Not secret: the S3 bucket with Object Lock the CDK app makes (infra/lib/audit-checkpoints.ts).
  AUDIT_CHECKPOINT_BUCKET: 'drop-audit-checkpoints-324480209768',
  BANKID_ISSUER: 'https://auth.current.bankid.no/auth/realms/current',
  BANKID_CLIENT_ID: 'drop-staging',
  BANKID_CLIENT_SECRET: 'a-test-bankid-client-secret',
  SUMSUB_APP_TOKEN: 'sbx:staging-app-token',
  SUMSUB_SECRET_KEY: 'a-test-sumsub-secret-key',
  SUMSUB_WEBHOOK_SECRET: 'a-test-sumsub-webhook-secret',
  WISE_API_TOKEN: 'a-test-wise-api-token',
  WISE_PROFILE_ID: '4242',
  WISE_WEBHOOK_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----',
  SMTP_URL: 'smtps://drop:secret@smtp.example.no:465',
  // Not secret, but the operator's to set per environment (the image carries no defaults for them).
  WISE_API_URL: 'https://api.sandbox.transferwise.tech',
  COMPANY_ORG_NUMBER: '912 345 678',
  COMPANY_ADDRESS: 'Storgata 1, 0155 Oslo',
  COMPANY_LICENCE: 'Betalingsforetak med tillatelse fra Finanstilsynet',
  FIU_REPORTING_ENTITY_ID: '4711',
};

// ---------------------------------------------------------------------------------------------
// Dockerfile: a small parser and a model of the files each stage holds under WORKDIR /app.

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

interface Stage {
  name: string | undefined;
  base: string;
  instructions: Instruction[];
  /** Paths (relative to /app) the stage holds: a directory entry stands for everything under it. */
  files: Map<string, string>;
}

function parseInstructions(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let buffer = '';
  let start = 0;
  for (const [index, raw] of text.split('\n').entries()) {
    const trimmed = raw.trim();
    // Comments (also the `# syntax=` directive) and blank lines, even inside a continuation.
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (buffer === '') start = index + 1;
    if (trimmed.endsWith('\\')) {
      buffer += `${trimmed.slice(0, -1)} `;
      continue;
    }
    buffer += trimmed;
    const match = /^(\S+)\s*([\s\S]*)$/.exec(buffer);
    assert.ok(match, `Dockerfile line ${start}: cannot parse "${buffer}"`);
    instructions.push({ keyword: (match[1] ?? '').toUpperCase(), args: (match[2] ?? '').trim(), line: start });
    buffer = '';
  }
  assert.equal(buffer, '', 'Dockerfile ends inside a line continuation');
  return instructions;
}

/** Splits `--flag=value` options off the front of an instruction's arguments. */
function splitFlags(args: string): { flags: Map<string, string>; rest: string[] } {
  const words = args.split(/\s+/).filter(Boolean);
  const flags = new Map<string, string>();
  while (words[0]?.startsWith('--')) {
    const [key = '', value = ''] = (words.shift() ?? '').slice(2).split(/=(.*)/s);
    flags.set(key, value);
  }
  return { flags, rest: words };
}

/** `ENV A=1 B="two words"` (and the legacy `ENV A 1`). */
function parseEnv(args: string): Record<string, string> {
  const env: Record<string, string> = {};
  if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(args)) {
    const [key = '', ...value] = args.split(/\s+/);
    env[key] = value.join(' ');
    return env;
  }
  for (const match of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g)) {
    const value = match[2] ?? '';
    env[match[1] ?? ''] = /^["']/.test(value) ? value.slice(1, -1) : value;
  }
  return env;
}

function workspaces(): string[] {
  const pkg = JSON.parse(read('package.json')) as { workspaces: string[] };
  const found: string[] = [];
  for (const pattern of pkg.workspaces) {
    // A single workspace directory (infra, the CDK app).
    if (/^[\w-]+$/.test(pattern) && existsSync(path.join(root, pattern, 'package.json'))) {
      found.push(pattern);
      continue;
    }
    assert.match(pattern, /^[\w-]+\/\*$/, `workspace pattern ${pattern} is not of the form dir/* or a workspace directory`);
    const dir = pattern.slice(0, -2);
    for (const entry of readdirSync(path.join(root, dir)).sort()) {
      if (existsSync(path.join(root, dir, entry, 'package.json'))) found.push(`${dir}/${entry}`);
    }
  }
  return found;
}

/** Workspaces Node runs in production: the server, worker and CLI, and every workspace they depend on. */
function serverWorkspaces(): Set<string> {
  const byName = new Map<string, string>();
  for (const workspace of workspaces()) byName.set((JSON.parse(read(`${workspace}/package.json`)) as { name: string }).name, workspace);
  const reached = new Set<string>();
  const visit = (workspace: string) => {
    if (reached.has(workspace)) return;
    reached.add(workspace);
    const pkg = JSON.parse(read(`${workspace}/package.json`)) as { dependencies?: Record<string, string> };
    for (const name of Object.keys(pkg.dependencies ?? {})) {
      const dependency = byName.get(name);
      if (dependency) visit(dependency);
    }
  };
  for (const entry of ['apps/api', 'apps/worker', 'apps/cli']) visit(entry);
  return reached;
}

function workspaceScripts(workspace: string): Record<string, string> {
  return (JSON.parse(read(`${workspace}/package.json`)) as { scripts?: Record<string, string> }).scripts ?? {};
}

/** .dockerignore semantics: last matching pattern wins; a pattern matching a parent matches its files. */
function dockerignore(text: string): (file: string) => boolean {
  const toRegExp = (pattern: string) => {
    let source = '';
    for (let i = 0; i < pattern.length; i++) {
      const char = pattern[i] ?? '';
      if (char === '*' && pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') {
          i++;
          source += '(?:.*/)?';
        } else {
          source += '.*';
        }
      } else if (char === '*') source += '[^/]*';
      else if (char === '?') source += '[^/]';
      else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
    return new RegExp(`^${source}$`);
  };
  const rules = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negate = line.startsWith('!');
      const pattern = path.posix.normalize(negate ? line.slice(1) : line).replace(/^\/+|\/+$/g, '');
      return { negate, regexp: toRegExp(pattern) };
    });
  return (file: string) => {
    const parts = file.split('/');
    const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const rule of rules) {
      if (candidates.some((candidate) => rule.regexp.test(candidate))) excluded = !rule.negate;
    }
    return excluded;
  };
}

const ignored = dockerignore(read('.dockerignore'));

/** Files of the build context under `relative` (a file or a directory) that .dockerignore keeps. */
function contextFiles(relative: string): string[] {
  const absolute = path.join(root, relative);
  if (!existsSync(absolute) || ignored(relative)) return [];
  if (!statSync(absolute).isDirectory()) return [relative];
  return readdirSync(absolute).flatMap((entry) => contextFiles(path.posix.join(relative, entry)));
}

/**
 * Where `wanted` comes from in a stage: the origin of the most specific entry holding it, with a
 * build-context origin narrowed to the context path of `wanted` itself. Undefined: not there.
 */
function originOf(files: Map<string, string>, wanted: string): string | undefined {
  let best: [string, string] | undefined;
  for (const [entry, origin] of files) {
    const holds = entry === '' || entry === wanted || wanted.startsWith(`${entry}/`);
    if (holds && (!best || entry.length > best[0].length)) best = [entry, origin];
  }
  if (!best) return undefined;
  const [entry, origin] = best;
  if (!origin.startsWith('context ') || entry === wanted) return origin;
  const source = path.posix.join(origin.slice('context '.length), entry === '' ? wanted : wanted.slice(entry.length + 1));
  return contextFiles(source).length > 0 ? `context ${source}` : undefined;
}

function has(files: Map<string, string>, wanted: string): boolean {
  return originOf(files, wanted) !== undefined;
}

function loadDockerfile() {
  const instructions = parseInstructions(read('Dockerfile'));
  const stages: Stage[] = [];
  const contextSources: { source: string; line: number }[] = [];
  const toApp = (target: string) => path.posix.normalize(target.replace(/^\/app\/?/, '')).replace(/^\.\/?$|\/$/g, '');

  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const { rest } = splitFlags(instruction.args);
      const [base = '', as, name] = rest;
      const parent = stages.find((stage) => stage.name === base);
      stages.push({
        name: as?.toUpperCase() === 'AS' ? name : undefined,
        base,
        instructions: [],
        files: new Map(parent?.files ?? []),
      });
      continue;
    }
    const stage = stages.at(-1);
    assert.ok(stage, `Dockerfile line ${instruction.line}: ${instruction.keyword} before FROM`);
    stage.instructions.push(instruction);

    if (instruction.keyword === 'WORKDIR') assert.equal(instruction.args, '/app', 'the model assumes WORKDIR /app');
    if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') {
      assert.ok(!instruction.args.startsWith('['), `Dockerfile line ${instruction.line}: use the plain COPY form`);
      const { flags, rest } = splitFlags(instruction.args);
      const dest = rest.pop() ?? '';
      const intoDirectory = dest.endsWith('/') || dest === '.' || rest.length > 1;
      const from = flags.get('from');
      const fromStage = from === undefined ? undefined : stages.find((candidate) => candidate.name === from);
      if (from !== undefined) assert.ok(fromStage, `Dockerfile line ${instruction.line}: COPY --from=${from} names no earlier stage`);
      for (const source of rest) {
        if (fromStage) {
          const wanted = toApp(source);
          assert.ok(
            wanted === '' ? fromStage.files.size > 0 : has(fromStage.files, wanted),
            `Dockerfile line ${instruction.line}: stage ${from} does not produce ${source}`,
          );
          if (wanted === '') {
            for (const [entry, origin] of fromStage.files) stage.files.set(path.posix.join(toApp(dest), entry), origin);
          } else {
            const target = intoDirectory ? path.posix.join(toApp(dest), path.posix.basename(wanted)) : toApp(dest);
            stage.files.set(target, originOf(fromStage.files, wanted) ?? `stage ${from}`);
          }
        } else {
          const relative = path.posix.normalize(source).replace(/\/$/, '');
          contextSources.push({ source: relative, line: instruction.line });
          const isDirectory = existsSync(path.join(root, relative)) && statSync(path.join(root, relative)).isDirectory();
          const target = isDirectory || !intoDirectory ? toApp(dest) : path.posix.join(toApp(dest), path.posix.basename(relative));
          stage.files.set(target, `context ${relative}`);
        }
      }
    }
    if (instruction.keyword === 'RUN') {
      for (const match of instruction.args.matchAll(/npm (ci|install)\b([^&|;]*)/g)) {
        const omitDev = /--omit[= ]dev\b/.test(match[2] ?? '') || /--production\b/.test(match[2] ?? '');
        for (const file of ['package.json', 'package-lock.json']) {
          assert.ok(has(stage.files, file), `Dockerfile line ${instruction.line}: npm ${match[1]} without ${file}`);
        }
        stage.files.set('node_modules', omitDev ? 'production dependencies' : 'all dependencies');
      }
      const sbom = /\bnpm run sbom\b.*--output[= ](\S+)/.exec(instruction.args);
      if (sbom) {
        assert.ok(has(stage.files, 'scripts/sbom.ts'), `Dockerfile line ${instruction.line}: npm run sbom without scripts/sbom.ts`);
        stage.files.set(toApp(sbom[1] ?? ''), 'npm run sbom');
      }
      if (/npm run build\b/.test(instruction.args)) {
        assert.equal(originOf(stage.files, 'node_modules'), 'all dependencies', 'npm run build needs the dev dependencies (vite)');
        for (const workspace of workspaces()) {
          if (workspaceScripts(workspace).build && has(stage.files, `${workspace}/src`))
            stage.files.set(`${workspace}/dist`, 'npm run build');
        }
      }
    }
  }
  return { stages, contextSources };
}

function lastArgs(stage: Stage, keyword: string): string | undefined {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword).at(-1)?.args;
}

function stageEnv(stages: Stage[], stage: Stage): Record<string, string> {
  const parent = stages.find((candidate) => candidate.name === stage.base);
  const inherited = parent && parent !== stage ? stageEnv(stages, parent) : {};
  return Object.assign(
    inherited,
    ...stage.instructions.filter((instruction) => instruction.keyword === 'ENV').map((instruction) => parseEnv(instruction.args)),
  );
}

describe('Dockerfile', () => {
  const { stages, contextSources } = loadDockerfile();
  const runtime = stages.at(-1);
  assert.ok(runtime, 'the Dockerfile has no stage');

  it('builds every stage on Node 24, from node:24 or an earlier stage', () => {
    assert.ok(stages.length >= 3, 'expected a multi-stage build (dependencies, web build, runtime)');
    for (const [index, stage] of stages.entries()) {
      const earlier = stages.slice(0, index).some((candidate) => candidate.name === stage.base);
      assert.ok(earlier || /^node:24([.-]|$)/.test(stage.base), `stage ${stage.name ?? index} is FROM ${stage.base}`);
    }
    assert.ok(
      stages.some((stage) => /^node:24/.test(stage.base)),
      'no stage starts from node:24',
    );
  });

  it('copies from the build context only paths that exist and that .dockerignore keeps', () => {
    assert.ok(contextSources.length > 0);
    for (const { source, line } of contextSources) {
      assert.ok(existsSync(path.join(root, source)), `Dockerfile line ${line}: COPY ${source}: no such path in the repository`);
      assert.ok(!ignored(source), `Dockerfile line ${line}: COPY ${source}, but .dockerignore excludes it`);
      assert.ok(contextFiles(source).length > 0, `Dockerfile line ${line}: COPY ${source}: .dockerignore leaves no file of it`);
    }
  });

  it('installs dependencies with npm ci from every workspace manifest and the lockfile', () => {
    const ci = stages.flatMap((stage) => stage.instructions).filter((instruction) => /\bnpm ci\b/.test(instruction.args));
    assert.ok(ci.length >= 2, 'expected npm ci for the build and npm ci --omit=dev for the runtime');
    for (const stage of stages.filter((candidate) => candidate.instructions.some((instruction) => /\bnpm ci\b/.test(instruction.args)))) {
      for (const workspace of workspaces()) {
        assert.ok(has(stage.files, `${workspace}/package.json`), `stage ${stage.name} runs npm ci without ${workspace}/package.json`);
      }
    }
  });

  it('final image: production dependencies, server sources, migrations and functions, built web apps, nothing else', () => {
    const files = runtime.files;
    assert.equal(originOf(files, 'node_modules'), 'production dependencies', 'runtime node_modules must come from npm ci --omit=dev');
    for (const file of ['package.json', 'packages/db/migrations', 'packages/db/functions'])
      assert.ok(has(files, file), `the image lacks ${file}`);
    assert.ok(has(files, 'apps/api/src/main.ts') && has(files, 'apps/cli/src/main.ts'), 'the image lacks the server or the CLI');
    for (const workspace of workspaces()) {
      assert.ok(has(files, `${workspace}/package.json`), `the image lacks ${workspace}/package.json (node_modules links to it)`);
      if (workspaceScripts(workspace).build) {
        assert.equal(originOf(files, `${workspace}/dist`), 'npm run build', `the image lacks the built ${workspace}/dist`);
        assert.ok(!has(files, `${workspace}/src`), `the image carries ${workspace}/src; only its dist is served`);
      } else if (serverWorkspaces().has(workspace)) {
        assert.ok(has(files, `${workspace}/src`), `the image lacks ${workspace}/src, which Node runs directly`);
      } else {
        assert.ok(!has(files, `${workspace}/src`), `the image carries ${workspace}/src, which no server code uses`);
      }
    }
    for (const devOnly of ['tsconfig.json', 'test', 'scripts', 'biome.json'])
      assert.ok(!has(files, devOnly), `the image carries ${devOnly}`);
  });

  it('final image: production settings, non-root user, port 3000, SIGTERM, health check, server command', () => {
    const env = stageEnv(stages, runtime);
    assert.equal(env.NODE_ENV, 'production');
    assert.equal(env.HOST, '0.0.0.0');
    assert.equal(env.PORT, '3000');
    for (const secret of ['DATABASE_URL', 'JWT_SECRET']) assert.ok(!(secret in env), `the image must not set ${secret}`);

    const user = lastArgs(runtime, 'USER');
    assert.ok(user, 'the final stage sets no USER (it would run as root)');
    assert.ok(!/^(root|0)(:|$)/.test(user), `USER ${user} is root`);
    assert.match(lastArgs(runtime, 'EXPOSE') ?? '', /^3000(\/tcp)?$/);
    assert.equal(lastArgs(runtime, 'STOPSIGNAL'), 'SIGTERM');

    const healthcheck = lastArgs(runtime, 'HEALTHCHECK') ?? '';
    const command = /\bCMD\s+(.*)$/s.exec(healthcheck)?.[1] ?? '';
    assert.match(command, /^node\b/, 'HEALTHCHECK should use node itself (no curl in slim images)');
    assert.match(command, /\/api\/health/);
    assert.match(command, /127\.0\.0\.1|localhost/);

    assert.deepEqual(JSON.parse(lastArgs(runtime, 'CMD') ?? 'null'), ['node', 'apps/api/src/main.ts']);
    assert.ok(existsSync(path.join(root, 'apps/api/src/main.ts')));
  });

  it('production refuses to start with the image settings alone, naming each missing secret', () => {
    const env = stageEnv(stages, runtime);
    assert.throws(
      () => loadConfig(env),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
        for (const name of [
          'DATABASE_URL',
          'JWT_SECRET',
          'DATA_ENCRYPTION_KEY',
          'BANKID_CLIENT_ID',
          'BANKID_CLIENT_SECRET',
          'AUDIT_CHECKPOINT_SIGNING_KEY',
          'AUDIT_CHECKPOINT_BUCKET',
          'PUBLIC_URL',
        ]) {
          assert.ok(
            error.problems.some((problem) => problem.includes(name)),
            `${name} is not named in: ${error.problems.join('; ')}`,
          );
        }
        return true;
      },
    );
    const config = loadConfig({ ...env, ...SECRETS, PUBLIC_URL: 'https://getdrop.no' });
    assert.equal(config.isProduction, true);
    assert.equal(config.http.host, '0.0.0.0');
    assert.equal(config.http.port, 3000);
    assert.deepEqual(config.simulators, {
      bankidTestProvider: false,
      sumsubSimulator: false,
      payoutSimulator: false,
      norgesBankSimulator: false,
      awsSimulator: false,
    });
  });

  it('final image: the SBOM of its installed production dependencies at /app/sbom.cdx.json, readable by the app', () => {
    assert.equal(originOf(runtime.files, 'sbom.cdx.json'), 'npm run sbom', 'the image has no /app/sbom.cdx.json from npm run sbom');
    const stage = stages.find((candidate) => candidate.instructions.some((instruction) => /\bnpm run sbom\b/.test(instruction.args)));
    assert.ok(stage);
    // --installed: from the tree npm ci --omit=dev installed, the one the runtime copies.
    assert.equal(originOf(stage.files, 'node_modules'), 'production dependencies', 'the SBOM must describe the production tree');
    const run = stage.instructions.find((instruction) => /\bnpm run sbom\b/.test(instruction.args));
    assert.match(run?.args ?? '', /--installed\b/);
    assert.equal(
      (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.sbom,
      'node scripts/sbom.ts',
      'npm run sbom is the script the build runs',
    );
  });

  it('final image: no package manager and no build tools at run time', () => {
    const runs = runtime.instructions.filter((instruction) => instruction.keyword === 'RUN').map((instruction) => instruction.args);
    const removal = runs.join('\n');
    for (const tool of [
      '/usr/local/lib/node_modules/npm',
      '/usr/local/lib/node_modules/corepack',
      '/usr/local/bin/npm',
      '/usr/local/bin/npx',
      '/usr/local/bin/corepack',
      '/usr/local/bin/yarn',
      '/opt/yarn-',
    ]) {
      assert.ok(
        new RegExp(`rm -rf[^\\n]*${tool.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`).test(removal),
        `the runtime stage does not remove ${tool}`,
      );
    }
    // The base image has no compiler; nothing installs one (or git, curl, a shell toolbox) into the runtime.
    for (const run of runs) {
      assert.doesNotMatch(run, /\b(apt-get|apt|apk|dnf|yum)\b/, `the runtime stage installs system packages: ${run}`);
      assert.doesNotMatch(
        run,
        /\b(npm|npx|yarn|corepack|pnpm)\s+(ci|install|i|add|exec|dlx)\b/,
        `the runtime stage runs a package manager: ${run}`,
      );
    }
    assert.deepEqual(JSON.parse(lastArgs(runtime, 'CMD') ?? 'null')[0], 'node', 'the server starts with node, not npm');
  });

  it('final image: files owned by root and read-only to the app, which runs as node after the last file is in place', () => {
    const instructions = runtime.instructions;
    const userAt = instructions.findLastIndex((instruction) => instruction.keyword === 'USER');
    assert.equal(instructions[userAt]?.args, 'node');
    for (const [index, instruction] of instructions.entries()) {
      if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') {
        assert.ok(index < userAt, `Dockerfile line ${instruction.line}: files copied after USER`);
        const { flags } = splitFlags(instruction.args);
        assert.ok(!flags.has('chown') && !flags.has('chmod'), `Dockerfile line ${instruction.line}: COPY gives files to the app user`);
      }
      if (instruction.keyword === 'RUN') {
        assert.ok(index < userAt, `Dockerfile line ${instruction.line}: RUN after USER`);
        assert.doesNotMatch(
          instruction.args,
          /\bch(own|mod)\b/,
          `Dockerfile line ${instruction.line}: the runtime changes ownership or modes`,
        );
      }
      if (instruction.keyword === 'VOLUME') assert.fail(`Dockerfile line ${instruction.line}: a VOLUME would be writable app state`);
    }
  });

  it('no secrets in any layer: no secret ARG or ENV, no secret file copied, build secrets only as mounts', () => {
    const secretName = /(SECRET|TOKEN|PASSWORD|PASSWD|PRIVATE|CREDENTIAL|API_KEY|ENCRYPTION_KEY|DATABASE_URL|SMTP_URL)/i;
    for (const stage of stages) {
      for (const instruction of stage.instructions) {
        if (instruction.keyword === 'ARG') {
          assert.doesNotMatch(
            instruction.args.split('=')[0] ?? '',
            secretName,
            `Dockerfile line ${instruction.line}: ARG ${instruction.args}`,
          );
        }
        if (instruction.keyword === 'ENV') {
          for (const name of Object.keys(parseEnv(instruction.args)))
            assert.doesNotMatch(name, secretName, `Dockerfile line ${instruction.line}: ENV ${name}`);
        }
        if (instruction.keyword === 'RUN') {
          for (const mount of instruction.args.matchAll(/--mount=(\S+)/g))
            assert.match(mount[1] ?? '', /^type=(cache|secret|bind)\b/, `Dockerfile line ${instruction.line}: mount ${mount[1]}`);
          assert.doesNotMatch(
            instruction.args,
            /\.npmrc|_authToken|NPM_TOKEN/,
            `Dockerfile line ${instruction.line}: registry credentials in a layer`,
          );
        }
      }
    }
    for (const { source, line } of contextSources) {
      assert.doesNotMatch(source, /(^|\/)(\.env|\.npmrc|.*\.pem|.*\.key|id_rsa)$/, `Dockerfile line ${line}: COPY ${source}`);
    }
  });

  it('.dockerignore keeps local state, dependencies and secrets out of the build context', () => {
    for (const file of [
      'node_modules',
      'apps/api/node_modules',
      '.data',
      'packages/db/.data',
      '.env',
      '.env.local',
      '.env.production',
      '.npmrc',
      'apps/api/.npmrc',
      'keys/drop.pem',
      'audit-signing.key',
      '.git',
      'apps/web/dist',
      'dist/sbom.cdx.json',
      'test-results',
      'coverage',
    ]) {
      assert.ok(ignored(file), `.dockerignore does not exclude ${file}`);
    }
    for (const file of ['package.json', 'package-lock.json', 'apps/api/src/main.ts', 'packages/db/migrations', 'packages/db/functions']) {
      assert.ok(!ignored(file), `.dockerignore excludes ${file}`);
    }
  });
});

describe('the server process', () => {
  it('loads without libraries hooking SIGTERM/SIGINT, so its own graceful shutdown runs', async () => {
    // A library listener that exits on SIGTERM would cut the drain short when App Runner, Fly.io
    // or `docker stop` stop the container.
    const script = `
      await import('./apps/api/src/runtime.ts');
      await import('./apps/cli/src/program.ts');
      console.log(JSON.stringify({ SIGTERM: process.listenerCount('SIGTERM'), SIGINT: process.listenerCount('SIGINT') }));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '--eval', script], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'production' },
      timeout: 60_000,
    });
    assert.deepEqual(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}'), { SIGTERM: 0, SIGINT: 0 });
  });
});

// ---------------------------------------------------------------------------------------------

/** Docker Compose interpolation: ${VAR}, ${VAR:-default}, ${VAR:?error}. */
function interpolate(value: string, variables: Record<string, string>): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([-?])([^}]*))?\}/g, (_, name: string, kind?: string, text?: string) => {
    const set = variables[name];
    if (set !== undefined && set !== '') return set;
    if (kind === '?') throw new Error(`required variable ${name}: ${text}`);
    return kind === '-' ? (text ?? '') : '';
  });
}

interface ComposeService {
  image?: string;
  build?: string | { context?: string };
  command?: string[] | string;
  depends_on?: Record<string, { condition?: string }>;
  environment?: Record<string, string | number | boolean | null>;
  healthcheck?: { test?: string[] | string };
  ports?: string[];
  profiles?: string[];
  volumes?: string[];
}

describe('compose.yaml', () => {
  const compose = parse(read('compose.yaml'), { merge: true }) as {
    services: Record<string, ComposeService>;
    volumes?: Record<string, unknown>;
  };
  const { db, app } = compose.services;

  it('runs PostgreSQL 16 with a health check and a named volume', () => {
    assert.ok(db && app, 'services db and app are required');
    assert.match(db.image ?? '', /^postgres:16(\b|$)/);
    assert.match(JSON.stringify(db.healthcheck?.test), /pg_isready/);
    const volume = (db.volumes ?? []).find((entry) => entry.endsWith(':/var/lib/postgresql/data'));
    assert.ok(volume, 'the database has no data volume');
    assert.ok(compose.volumes && (volume.split(':')[0] as string) in compose.volumes, `volume ${volume} is not a named volume`);
  });

  it('builds the app from this Dockerfile, after the database is healthy, on port 3000', () => {
    assert.ok(app && db);
    const context = typeof app.build === 'string' ? app.build : app.build?.context;
    assert.equal(context, '.');
    assert.equal(app.depends_on?.db?.condition, 'service_healthy');
    assert.ok(
      app.ports?.some((port) => /^(\d+\.\d+\.\d+\.\d+:)?3000:3000$/.test(String(port))),
      'port 3000 is not published',
    );
    assert.match(JSON.stringify(app.healthcheck?.test), /\/api\/health/);

    const env = Object.fromEntries(Object.entries(app.environment ?? {}).map(([key, value]) => [key, String(value ?? '')]));
    assert.throws(() => interpolate(env.JWT_SECRET ?? '', {}), /required variable JWT_SECRET/, 'JWT_SECRET must be required');
    const resolved = Object.fromEntries(Object.entries(env).map(([key, value]) => [key, interpolate(value, SECRETS)]));

    // The owner (POSTGRES_USER) migrates; Drop runs as the login the init script makes, a member of drop_app.
    const dbEnv = db.environment ?? {};
    const owner = new URL(resolved.DATABASE_OWNER_URL ?? '');
    assert.equal(owner.hostname, 'db');
    assert.equal(decodeURIComponent(owner.username), String(dbEnv.POSTGRES_USER ?? 'postgres'));
    assert.equal(decodeURIComponent(owner.password), String(dbEnv.POSTGRES_PASSWORD));
    assert.equal(owner.pathname, `/${dbEnv.POSTGRES_DB ?? dbEnv.POSTGRES_USER}`);
    const url = new URL(resolved.DATABASE_URL ?? '');
    assert.deepEqual([url.hostname, url.pathname], [owner.hostname, owner.pathname]);
    const init = (db.volumes ?? []).find((entry) => entry.includes(':/docker-entrypoint-initdb.d/'));
    assert.ok(init, 'no init script makes the application login');
    assert.ok(
      read(init.split(':')[0] ?? '').includes(
        `CREATE ROLE ${decodeURIComponent(url.username)} LOGIN PASSWORD '${decodeURIComponent(url.password)}' IN ROLE drop_app;`,
      ),
      `${init} does not make ${url.username} with the password of DATABASE_URL`,
    );

    // What the container gets (the image's ENV under compose's) is a configuration production accepts.
    const { stages } = loadDockerfile();
    const runtime = stages.at(-1);
    assert.ok(runtime);
    const config = loadConfig({ ...stageEnv(stages, runtime), ...resolved });
    assert.equal(config.isProduction, true);
    assert.equal(config.database.url, resolved.DATABASE_URL);
  });

  it('runs the separate worker with the CLI, when its profile is on', () => {
    const worker = compose.services.worker;
    if (!worker) return;
    assert.deepEqual(worker.profiles, ['worker']);
    const command = Array.isArray(worker.command) ? worker.command.join(' ') : (worker.command ?? '');
    assert.equal(command, 'node apps/cli/src/main.ts worker');
    assert.ok(existsSync(path.join(root, 'apps/cli/src/commands/worker.ts')));
  });
});

// ---------------------------------------------------------------------------------------------

/** Enough TOML for fly.toml: [table], [[array.of.tables]], key = "string" | number | boolean. */
function parseToml(text: string): Record<string, unknown> {
  const document: Record<string, unknown> = {};
  let table: Record<string, unknown> = document;
  const descend = (keys: string[], isArray: boolean) => {
    let node: Record<string, unknown> = document;
    for (const [index, key] of keys.entries()) {
      const last = index === keys.length - 1;
      let next = node[key];
      if (last && isArray) {
        if (!Array.isArray(next)) node[key] = next = [];
        const entry: Record<string, unknown> = {};
        (next as unknown[]).push(entry);
        return entry;
      }
      if (Array.isArray(next)) next = next.at(-1);
      if (next === undefined) node[key] = next = {};
      node = next as Record<string, unknown>;
    }
    return node;
  };
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.replace(/\s+#.*$|^\s*#.*$/, '').trim();
    if (line === '') continue;
    const header = /^(\[\[?)\s*([\w.-]+)\s*\]\]?$/.exec(line);
    if (header) {
      table = descend((header[2] ?? '').split('.'), header[1] === '[[');
      continue;
    }
    const pair = /^([\w-]+)\s*=\s*(.+)$/.exec(line);
    assert.ok(pair, `fly.toml line ${index + 1}: cannot parse "${line}"`);
    const value = (pair[2] ?? '').trim();
    table[pair[1] ?? ''] = /^".*"$|^'.*'$/.test(value)
      ? value.slice(1, -1)
      : value === 'true' || value === 'false'
        ? value === 'true'
        : /^-?\d+(\.\d+)?$/.test(value)
          ? Number(value)
          : assert.fail(`fly.toml line ${index + 1}: unsupported value ${value}`);
  }
  return document;
}

describe('fly.toml (staging)', () => {
  const fly = parseToml(read('fly.toml')) as {
    app?: string;
    primary_region?: string;
    env?: Record<string, string>;
    deploy?: { release_command?: string };
    http_service?: { internal_port?: number; force_https?: boolean; checks?: { path?: string; method?: string }[] };
  };

  it('deploys drop-staging in arn, serving port 3000 over https with a check on /api/health', () => {
    assert.equal(fly.app, 'drop-staging');
    assert.equal(fly.primary_region, 'arn');
    assert.equal(fly.http_service?.internal_port, 3000);
    assert.equal(fly.http_service?.force_https, true);
    assert.ok(
      fly.http_service?.checks?.some((check) => check.path === '/api/health'),
      'no http_service check on /api/health',
    );
  });

  it('sets production settings but no secrets; with the secrets set, production accepts them', () => {
    const env = fly.env ?? {};
    assert.equal(env.NODE_ENV, 'production');
    assert.equal(env.HOST, '0.0.0.0');
    for (const secret of [
      'DATABASE_URL',
      'JWT_SECRET',
      'DATA_ENCRYPTION_KEY',
      'BANKID_CLIENT_SECRET',
      'SLACK_WEBHOOK_URL',
      'METRICS_TOKEN',
    ]) {
      assert.ok(!(secret in env), `${secret} belongs in fly secrets, not fly.toml`);
    }
    assert.throws(() => loadConfig(env), ConfigError);
    const config = loadConfig({ ...env, ...SECRETS });
    assert.equal(config.http.port, fly.http_service?.internal_port);
    assert.match(config.http.publicUrl, /^https:\/\/drop-staging\.fly\.dev/);
  });

  it('runs the migration command of the CLI as the release command, if any', () => {
    const release = fly.deploy?.release_command;
    if (release === undefined) return;
    assert.equal(release, 'node apps/cli/src/main.ts db migrate');
    assert.ok(existsSync(path.join(root, 'apps/cli/src/commands/db.ts')));
  });
});

// ---------------------------------------------------------------------------------------------

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  'runs-on'?: string;
  services?: Record<string, { image?: string; env?: Record<string, string>; ports?: string[] }>;
  env?: Record<string, string>;
  steps?: Step[];
  environment?: unknown;
}
interface Workflow {
  name?: string;
  on?: Record<string, unknown>;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

const workflow = (file: string) => parse(read(`.github/workflows/${file}`)) as Workflow;
const steps = (wf: Workflow) => Object.values(wf.jobs).flatMap((job) => (job.steps ?? []).map((step) => ({ job, step })));

describe('CI workflow', () => {
  const ci = workflow('ci.yml');
  const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;

  it('runs on pushes and pull requests', () => {
    assert.ok(ci.on && 'push' in ci.on && 'pull_request' in ci.on);
  });

  it('installs with npm ci on Node 24 and runs lint, typecheck, build and test, which package.json defines', () => {
    const runs = steps(ci).map(({ step }) => step.run ?? '');
    assert.ok(
      steps(ci).some(({ step }) => step.uses?.startsWith('actions/setup-node@') && String(step.with?.['node-version']) === '24'),
      'no setup-node with node-version 24',
    );
    assert.ok(
      runs.some((run) => /^npm ci\b/m.test(run)),
      'no npm ci',
    );
    for (const [command, script] of [
      ['npm run lint', 'lint'],
      ['npm run typecheck', 'typecheck'],
      ['npm run build', 'build'],
      ['npm test', 'test'],
    ] as const) {
      assert.ok(
        runs.some((run) => run.split('\n').some((line) => line.trim() === command)),
        `CI does not run ${command}`,
      );
      assert.ok(scripts[script], `package.json has no ${script} script`);
    }
  });

  it('runs npm test against a PostgreSQL 16 service through DATABASE_URL', () => {
    const testStep = steps(ci).find(({ step }) => step.run?.trim() === 'npm test');
    assert.ok(testStep);
    const postgres = Object.values(testStep.job.services ?? {}).find((service) => /^postgres:16(\b|$)/.test(service.image ?? ''));
    assert.ok(postgres, 'the test job has no postgres:16 service');
    assert.ok(postgres.ports?.some((port) => String(port).endsWith(':5432') || String(port) === '5432'));
    const databaseUrl = testStep.step.env?.DATABASE_URL ?? testStep.job.env?.DATABASE_URL ?? ci.env?.DATABASE_URL;
    assert.ok(databaseUrl, 'npm test runs without DATABASE_URL');
    const url = new URL(databaseUrl);
    assert.ok(['localhost', '127.0.0.1'].includes(url.hostname));
    assert.equal(url.port, '5432');
    assert.equal(decodeURIComponent(url.password), postgres.env?.POSTGRES_PASSWORD);
  });

  it('runs the dependency audit gate, where a missing audit report fails (--ci)', () => {
    assert.ok(
      steps(ci).some(({ step }) => (step.run ?? '').split('\n').some((line) => line.trim() === 'npm run audit:deps -- --ci')),
      'CI does not run npm run audit:deps -- --ci',
    );
    assert.equal(scripts['audit:deps'], 'node scripts/audit-deps.ts');
  });

  it('builds the Docker image', () => {
    assert.ok(
      steps(ci).some(({ step }) => step.uses?.startsWith('docker/build-push-action@') || /\bdocker (buildx )?build\b/.test(step.run ?? '')),
      'no job builds the image',
    );
  });
});

describe('deploy workflows', () => {
  const ciName = workflow('ci.yml').name;

  it('production: OIDC, ECR drop-web, pre-deploy snapshot, App Runner deploy, /api/health check, rollback by tag', () => {
    const text = read('.github/workflows/deploy-aws.yml');
    const wf = workflow('deploy-aws.yml');
    assert.ok(
      text.includes(ECR_REPOSITORY) || (text.includes('324480209768.dkr.ecr.eu-west-1.amazonaws.com') && /\bdrop-web\b/.test(text)),
    );
    assert.ok(text.includes(APP_RUNNER_SERVICE_ARN), 'the App Runner service ARN of the runbooks is missing');
    assert.match(text, /eu-west-1/);
    assert.match(text, /\/api\/health/);
    assert.match(text, /aws rds create-db-snapshot[\s\S]*?--db-instance-identifier "?(drop-db|\$RDS_INSTANCE)"?/);
    assert.ok(wf.env?.RDS_INSTANCE === undefined || wf.env.RDS_INSTANCE === 'drop-db');
    assert.match(text, /aws apprunner (update-service|start-deployment)/);
    assert.equal(wf.permissions?.['id-token'], 'write', 'OIDC needs id-token: write');
    assert.ok(steps(wf).some(({ step }) => step.uses?.startsWith('aws-actions/configure-aws-credentials@')));

    const dispatch = wf.on?.workflow_dispatch as { inputs?: Record<string, { required?: boolean }> } | undefined;
    assert.ok(dispatch?.inputs?.image_tag, 'workflow_dispatch needs an image_tag input for rollbacks');
    assert.notEqual(dispatch.inputs.image_tag.required, true);
    const after = wf.on?.workflow_run as { workflows?: string[]; branches?: string[] } | undefined;
    assert.ok(after?.workflows?.includes(ciName ?? ''), 'production deploys after CI');
    assert.deepEqual(after?.branches, ['main']);
  });

  it('staging: flyctl deploy --app drop-staging with FLY_API_TOKEN, then /api/health', () => {
    const text = read('.github/workflows/deploy-staging.yml');
    const wf = workflow('deploy-staging.yml');
    const deploy = steps(wf).find(({ step }) => /\bfly(ctl)? deploy\b/.test(step.run ?? ''));
    assert.ok(deploy, 'no fly deploy step');
    assert.match(deploy.step.run ?? '', /--app ("?\$FLY_APP"?|drop-staging)\b/);
    assert.ok(wf.env?.FLY_APP === undefined || wf.env.FLY_APP === 'drop-staging');
    assert.match(deploy.step.env?.FLY_API_TOKEN ?? '', /\$\{\{\s*secrets\.FLY_API_TOKEN\s*\}\}/);
    assert.match(text, /drop-staging\.fly\.dev/);
    assert.match(text, /\/api\/health/);
  });
});
