/**
 * `npm run sbom` (scripts/sbom.ts, also run by the Docker build for /app/sbom.cdx.json): a
 * CycloneDX JSON document of the production dependencies, each with the version the lockfile
 * pins. The document is checked against the CycloneDX 1.5 rules a consumer relies on (format,
 * spec version, serial number, component type/name/version/purl, unique bom-refs, dependency
 * graph references, SHA-512 hashes), with a zod schema: the official JSON schema is not available
 * offline here.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { z } from 'zod';

const root = path.resolve(import.meta.dirname, '..');

const component = z.object({
  'bom-ref': z.string().min(1),
  type: z.enum(['application', 'framework', 'library', 'container', 'platform', 'operating-system', 'device', 'firmware', 'file']),
  name: z.string().min(1),
  version: z.string().min(1),
  scope: z.enum(['required', 'optional', 'excluded']).optional(),
  purl: z.string().regex(/^pkg:npm\/[^@]+(?:%40|@)?[^@]*@[^@]+$/),
  hashes: z.array(z.object({ alg: z.literal('SHA-512'), content: z.string().regex(/^[0-9a-f]{128}$/) })).optional(),
  // Each entry is a licence (an SPDX id or a name) or an SPDX expression ("MIT OR Apache-2.0").
  licenses: z
    .array(
      z.union([
        z.object({ license: z.union([z.object({ id: z.string() }), z.object({ name: z.string() })]) }).strict(),
        z.object({ expression: z.string().min(1) }).strict(),
      ]),
    )
    .optional(),
});
const cycloneDx = z.object({
  bomFormat: z.literal('CycloneDX'),
  specVersion: z.enum(['1.4', '1.5', '1.6']),
  serialNumber: z.string().regex(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
  version: z.number().int().min(1),
  metadata: z.object({
    timestamp: z.iso.datetime(),
    component: z.object({ 'bom-ref': z.string(), type: z.literal('application'), name: z.literal('drop'), version: z.string() }),
  }),
  components: z.array(component).min(1),
  dependencies: z.array(z.object({ ref: z.string(), dependsOn: z.array(z.string()).optional() })),
});

interface Lock {
  packages: Record<string, { version?: string; dev?: boolean; link?: boolean }>;
}

describe('npm run sbom', () => {
  let bom: z.infer<typeof cycloneDx>;
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as Lock;
  /** The version package-lock.json pins for a top-level package. */
  const locked = (name: string) => lock.packages[`node_modules/${name}`];

  before(async () => {
    const output = path.join(await mkdtemp(path.join(tmpdir(), 'drop-sbom-')), 'sbom.cdx.json');
    await promisify(execFile)(process.execPath, ['scripts/sbom.ts', '--output', output], { cwd: root, timeout: 120_000 });
    bom = cycloneDx.parse(JSON.parse(await readFile(output, 'utf8')));
  });

  it('is a CycloneDX document whose references all resolve', () => {
    const refs = bom.components.map((entry) => entry['bom-ref']);
    assert.equal(new Set(refs).size, refs.length, 'bom-refs are unique');
    const known = new Set([...refs, bom.metadata.component['bom-ref']]);
    for (const dependency of bom.dependencies) {
      assert.ok(known.has(dependency.ref), `dependency entry for unknown ${dependency.ref}`);
      for (const target of dependency.dependsOn ?? []) assert.ok(known.has(target), `${dependency.ref} depends on unknown ${target}`);
    }
  });

  it('lists the production dependencies with the versions the lockfile pins, and their hashes', () => {
    const byName = new Map(bom.components.map((entry) => [entry.name, entry]));
    // zod, pg-types and otpauth are also some workspace's dev dependency: npm sbom --omit dev drops them.
    for (const name of [
      'pg',
      'fastify',
      'pino',
      'zod',
      'pg-types',
      'otpauth',
      'jose',
      'graphile-worker',
      'nodemailer',
      'node-pg-migrate',
    ]) {
      const entry = byName.get(name);
      assert.ok(entry, `the SBOM lacks ${name}`);
      assert.equal(entry.version, locked(name)?.version, `${name}'s version`);
      assert.equal(entry.purl, `pkg:npm/${name}@${entry.version}`);
      assert.ok(entry.hashes?.length, `${name} has no hash`);
    }
  });

  it('leaves out what only builds and tests Drop', () => {
    const names = new Set(bom.components.map((entry) => entry.name));
    for (const name of ['vite', '@vitejs/plugin-react', '@biomejs/biome', 'playwright-core', 'fast-check', 'autocannon']) {
      assert.equal(locked(name)?.dev, true, `${name} is a dev dependency in the lockfile`);
      assert.ok(!names.has(name), `the SBOM lists the dev dependency ${name}`);
    }
  });
});
