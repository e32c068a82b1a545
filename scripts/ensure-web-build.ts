/**
 * Runs before `npm start`: builds the customer app and the console when a build is missing or older
 * than its sources, so a fresh clone serves real pages and a warm start costs nothing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

function newestMtime(target: string): number {
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(target).reduce((newest, entry) => Math.max(newest, newestMtime(path.join(target, entry))), 0);
}

const stale = ['web', 'console'].filter((app) => {
  const dir = path.join(root, 'apps', app);
  const built = path.join(dir, 'dist', 'index.html');
  if (!existsSync(built)) return true;
  const sources = ['src', 'index.html', 'vite.config.ts', 'public']
    .map((name) => path.join(dir, name))
    .filter((source) => existsSync(source));
  return Math.max(...sources.map(newestMtime)) > statSync(built).mtimeMs;
});

if (stale.length > 0) {
  console.log(`building ${stale.join(' and ')} (sources changed or no build yet)`);
  execFileSync('npm', ['run', 'build', ...stale.flatMap((app) => ['--workspace', `@drop/${app}`])], { cwd: root, stdio: 'inherit' });
}
