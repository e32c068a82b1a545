import {
  DomainError,
  groupListFiles,
  importListFiles,
  type ListImportResult,
  type ListRefreshOutcome,
  type ListStatus,
  listStatus,
  refreshLists,
} from '@drop/core';
import { LIST_FORMATS, LIST_NAMES, type ListFormat, ListFormatError, type ListName } from '@drop/screening';
import { type Command, InvalidArgumentError } from 'commander';
import { type CliContext, withServices } from '../context.ts';

export function registerLists(program: Command, context: () => CliContext): void {
  const lists = program.command('lists').description('Sanctions and PEP lists: import, status and refresh of the versions screening uses');

  lists
    .command('import')
    .description(
      'Import list files as a new version of their list (which list and format is told by the file names: sdn.csv alt.csv add.csv, ' +
        'cons_*.csv, consolidated.xml, …). The same files as the current version make no new version. A file that cannot be read ' +
        'is refused whole: nothing changes and the exit code is 1.',
    )
    .argument('<files...>', 'the list files (all files of one publication, e.g. sdn.csv alt.csv add.csv sdn_comments.csv)')
    .option('--list <name>', `the list the files are (${LIST_NAMES.join(', ')})`, oneOf(LIST_NAMES))
    .option('--format <format>', `the files' format (${LIST_FORMATS.join(', ')})`, oneOf(LIST_FORMATS))
    .option('--json', 'print the result as JSON')
    .action(async (files: string[], options: { list?: ListName; format?: ListFormat; json?: boolean }) => {
      const ctx = context();
      let results: ListImportResult[];
      try {
        const sets = await groupListFiles(files, options);
        results = await withServices(ctx, (services) => importListFiles(services.db, sets, { source: 'file', actor: ctx.actor }));
      } catch (error) {
        if (error instanceof ListFormatError || error instanceof DomainError || isFileError(error)) {
          console.error(`Refused: ${(error as Error).message}\nNothing was imported.`);
          process.exitCode = 1;
          return;
        }
        throw error;
      }
      if (options.json) {
        console.log(JSON.stringify(results, null, 2));
        return;
      }
      for (const result of results) {
        const what = result.imported
          ? `imported as version ${result.version}${result.previousVersion ? ` (was ${result.previousVersion})` : ''}`
          : `unchanged: the same files as the current version ${result.version}`;
        console.log(
          `${result.list}: ${what}, ${result.recordCount} records (${formatCounts(result.bySchema)}; ${formatCounts(result.byTopic)})`,
        );
        if (result.prunedVersions.length > 0) console.log(`  old versions removed: ${result.prunedVersions.join(', ')}`);
      }
    });

  lists
    .command('status')
    .description('Each list’s current version, its age and counts, and whether it is stale (older than twice its refresh interval)')
    .option('--json', 'print the status as JSON')
    .action(async (options: { json?: boolean }) => {
      const status = await withServices(context(), (services) => listStatus(services.db));
      console.log(options.json ? JSON.stringify(status, null, 2) : formatStatus(status));
    });

  lists
    .command('refresh')
    .description(
      'Download every enabled list from its publisher now (sanctions_lists.source_url) and import those that changed. A failed ' +
        'download or a file that cannot be read changes nothing; the exit code is then 1.',
    )
    .option('--list <name...>', 'only these lists')
    .option('--json', 'print the outcomes as JSON')
    .action(async (options: { list?: string[]; json?: boolean }) => {
      const ctx = context();
      const names = options.list?.map((name) => oneOf(LIST_NAMES)(name));
      const outcomes = await withServices(ctx, (services) =>
        refreshLists(services.db, { ...(names ? { lists: names } : {}), actor: ctx.actor }),
      );
      if (options.json) console.log(JSON.stringify(outcomes, null, 2));
      else if (outcomes.length === 0) console.log('No enabled list has a source URL to download from.');
      else for (const outcome of outcomes) console.log(formatOutcome(outcome));
      process.exitCode = outcomes.some((outcome) => outcome.outcome === 'failed') ? 1 : 0;
    });
}

function oneOf<T extends string>(values: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(values as readonly string[]).includes(value)) throw new InvalidArgumentError(`give one of ${values.join(', ')}.`);
    return value as T;
  };
}

function isFileError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && 'path' in error;
}

function formatCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .map(([name, count]) => `${name} ${count}`)
    .join(', ');
}

function formatOutcome(outcome: ListRefreshOutcome): string {
  switch (outcome.outcome) {
    case 'imported':
      return `${outcome.list}: imported as version ${outcome.version}, ${outcome.recordCount} records`;
    case 'unchanged':
      return `${outcome.list}: unchanged (version ${outcome.version})`;
    case 'not_modified':
      return `${outcome.list}: not modified since the last download`;
    case 'failed':
      return `${outcome.list}: FAILED, nothing changed: ${outcome.error}`;
  }
}

function formatAge(seconds: number): string {
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 2 * 86_400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

function formatStatus(status: ListStatus[]): string {
  const header = ['LIST', 'VERSION', 'RECORDS', 'AGE', 'SOURCE', 'STALE', 'BY SCHEMA', 'LAST ERROR'];
  const rows = status.map((list) => [
    list.enabled ? list.list : `${list.list} (off)`,
    list.current ? String(list.current.version) : '-',
    list.current ? String(list.current.recordCount) : '-',
    list.current ? formatAge(list.current.ageSeconds) : '-',
    list.current?.source ?? '-',
    list.stale ? 'STALE' : 'ok',
    list.current ? formatCounts(list.current.bySchema) : '',
    list.lastError ?? '',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
