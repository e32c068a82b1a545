/**
 * `npm ci` refuses a lockfile that lacks an entry for any optional dependency of a locked package
 * (platform binaries such as @biomejs/cli-darwin-arm64). This machine's registry mirror does not
 * serve every platform's binaries, so an `npm install` here can silently drop those entries and
 * turn CI red. Catch it before CI does: restore the entries (version, os, cpu, libc, optional)
 * as a full-registry lockfile would have them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

interface LockedPackage {
  version?: string;
  optionalDependencies?: Record<string, string>;
  link?: boolean;
}

/** Where Node would find `name` from a package at `location`: its own node_modules, then each parent's. */
function resolves(packages: Record<string, LockedPackage>, location: string, name: string): boolean {
  let dir = location;
  for (;;) {
    const candidate = dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    if (packages[candidate]) return true;
    if (dir === '') return false;
    const parent = dir.lastIndexOf('/node_modules/');
    dir = parent === -1 ? '' : dir.slice(0, parent);
  }
}

describe('package-lock.json', () => {
  it('has an entry for every optional dependency, so npm ci accepts it on a fresh machine', () => {
    const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8')) as {
      packages: Record<string, LockedPackage>;
    };
    const missing: string[] = [];
    for (const [location, locked] of Object.entries(lock.packages)) {
      for (const name of Object.keys(locked.optionalDependencies ?? {})) {
        if (!resolves(lock.packages, location, name)) missing.push(`${name} (optional dependency of ${location || 'the root'})`);
      }
    }
    assert.deepEqual(missing, []);
  });
});
