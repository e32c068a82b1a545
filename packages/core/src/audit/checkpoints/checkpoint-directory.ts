/** Audit checkpoints in a local directory (AUDIT_CHECKPOINT_DIR): development, tests, and a copy on an operator's machine. */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type AuditCheckpoint, type AuditCheckpointStore, checkpointObjectName, parseCheckpoint } from './audit-checkpoint.ts';

export function directoryCheckpointStore(dir: string): AuditCheckpointStore {
  const root = path.resolve(dir);
  return {
    description: `directory ${root}`,
    async write(checkpoint: AuditCheckpoint) {
      await mkdir(root, { recursive: true });
      const file = path.join(root, checkpointObjectName(checkpoint));
      // wx: a checkpoint is never overwritten.
      await writeFile(file, `${JSON.stringify(checkpoint, null, 2)}\n`, { flag: 'wx', mode: 0o444 });
      return file;
    },
    async newest(limit: number) {
      const names = await readdir(root).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [] as string[];
        throw error;
      });
      const chosen = names
        .filter((name) => name.startsWith('audit-checkpoint-') && name.endsWith('.json'))
        .sort()
        .slice(0, limit);
      return Promise.all(chosen.map(async (name) => parseCheckpoint(await readFile(path.join(root, name), 'utf8'), path.join(root, name))));
    },
  };
}
