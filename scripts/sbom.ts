/**
 * `npm run sbom`: the software bill of materials of what production runs, in CycloneDX JSON, from
 * npm's own `npm sbom` (no extra tool, no network). The Docker build runs the same script and puts
 * the file in the image at /app/sbom.cdx.json.
 *
 * npm describes the whole lockfile (--package-lock-only: each package's version, purl, licence and
 * the lockfile's SHA-512); this script keeps the packages production installs, those
 * package-lock.json does not mark `dev` (only reachable through dev dependencies), which is the
 * set `npm ci --omit=dev` installs. npm's own `--omit dev` is not used: it drops every package
 * that any workspace also lists as a dev dependency (zod, pg-types, otpauth, …), so the production
 * server's own dependencies went missing. Reading the installed tree instead fails where only the
 * production dependencies are installed (npm counts the absent dev dependencies as problems).
 *
 * With --installed (the Docker build, after `npm ci --omit=dev`) only packages present in
 * node_modules stay: the image's SBOM then leaves out what the build removed (@typescript/*) and
 * other platforms' optional binaries (the embedded PostgreSQL for macOS and Windows), which a
 * lockfile view lists with scope "optional".
 *
 *   npm run sbom                              writes dist/sbom.cdx.json
 *   npm run sbom -- --output sbom.cdx.json --installed   (the Dockerfile)
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';

const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    output: { type: 'string', default: path.join(root, 'dist/sbom.cdx.json') },
    installed: { type: 'boolean', default: false },
  },
});
const output = path.resolve(values.output);

const stdout = await new Promise<string>((resolve, reject) => {
  execFile(
    'npm',
    ['sbom', '--sbom-format', 'cyclonedx', '--sbom-type', 'application', '--package-lock-only'],
    { cwd: root, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
    (error, out, stderr) => (error ? reject(new Error(`npm sbom failed: ${stderr.trim() || error.message}`)) : resolve(out)),
  );
});

interface Component {
  'bom-ref': string;
}
const bom = JSON.parse(stdout) as {
  bomFormat?: string;
  components?: Component[];
  dependencies?: Array<{ ref: string; dependsOn?: string[] }>;
  metadata?: { component?: { 'bom-ref'?: string; name?: string; version?: string } };
};
if (bom.bomFormat !== 'CycloneDX' || !Array.isArray(bom.components) || bom.components.length === 0) {
  throw new Error('npm sbom did not print a CycloneDX document with components');
}

// npm's bom-ref is `<package name>@<version>`: the production ones, by the lockfile.
const lock = JSON.parse(await readFile(path.join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { name?: string; version?: string; dev?: boolean; link?: boolean }>;
};
const production = new Set<string>();
for (const [location, entry] of Object.entries(lock.packages)) {
  if (location === '' || entry.link || entry.dev) continue;
  if (values.installed && !existsSync(path.join(root, location, 'package.json'))) continue;
  production.add(`${entry.name ?? location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length)}@${entry.version}`);
}
const rootRef = bom.metadata?.component?.['bom-ref'];
const kept = (ref: string) => ref === rootRef || production.has(ref);
bom.components = bom.components.filter((component) => kept(component['bom-ref']));
bom.dependencies = (bom.dependencies ?? [])
  .filter((dependency) => kept(dependency.ref))
  .map((dependency) => ({ ...dependency, ...(dependency.dependsOn ? { dependsOn: dependency.dependsOn.filter(kept) } : {}) }));
// npm names the root component after the folder it runs in (`app` in the image): name it Drop.
const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string };
if (bom.metadata?.component) Object.assign(bom.metadata.component, { name: pkg.name, version: pkg.version });

await mkdir(path.dirname(output), { recursive: true });
await writeFile(output, `${JSON.stringify(bom, null, 2)}\n`);
console.log(
  `sbom: ${bom.components.length} components (production dependencies) written to ${path.relative(process.cwd(), output) || output}`,
);
