import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { DbClient } from '@drop/db';
import { detectListFormat, type ListFormat, ListFormatError, type ListName, parseListFiles, SHIPPED_LISTS } from '@drop/screening';
import { DomainError } from '../../errors.ts';
import { digestListFiles, type ImportListOptions, importListSnapshot, type ListImportResult } from './import-list-snapshot.ts';

export interface ListFiles {
  list: ListName;
  format: ListFormat;
  /** By base file name (`sdn.csv`, `alt.csv`, …), as the parsers take them. */
  files: Record<string, Buffer>;
}

/**
 * Parses a list's files and imports them as its next version (the same files again: no new
 * version). A file the parser cannot read throws ListFormatError before anything is written.
 */
export async function importListFiles(
  db: DbClient,
  listFiles: ListFiles,
  options: Omit<ImportListOptions, 'sha256'>,
): Promise<ListImportResult> {
  const snapshot = parseListFiles(listFiles.format, listFiles.files);
  if (snapshot.list !== listFiles.list) {
    // The OFAC CSV parser tells the SDN trio from the consolidated set by the files themselves.
    throw new ListFormatError(listFiles.format, `these files are the ${snapshot.list} list, not ${listFiles.list}`);
  }
  return importListSnapshot(db, snapshot, { ...options, sha256: digestListFiles(listFiles.files) });
}

/**
 * Reads files from disk and groups them into lists by their names (`sdn.csv`+`alt.csv`+… is
 * ofac-sdn, `consolidated.xml` is un, …), or as one list when `list`/`format` are given. Throws
 * VALIDATION_FAILED for names it cannot place.
 */
export async function readListFiles(paths: readonly string[], override: { list?: ListName; format?: ListFormat } = {}): Promise<ListFiles> {
  const files: Record<string, Buffer> = {};
  for (const path of paths) files[basename(path)] = await readFile(path);
  const detected = detectListFormat(Object.keys(files));
  const format = override.format ?? detected?.format ?? SHIPPED_LISTS.find((shipped) => shipped.list === override.list)?.format;
  const list = override.list ?? detected?.list;
  if (!format || !list) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `Cannot tell which list ${Object.keys(files).join(', ')} ${paths.length === 1 ? 'is' : 'are'}: name it with --list and --format.`,
    );
  }
  return { list, format, files };
}
