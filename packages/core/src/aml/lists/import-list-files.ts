import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { type DbClient, withTransaction } from '@drop/db';
import { detectListFormat, type ListFormat, ListFormatError, type ListName, type ListSnapshot, parseListFiles } from '@drop/screening';
import { DomainError } from '../../errors.ts';
import { digestListFiles, type ImportListOptions, importListSnapshot, type ListImportResult } from './import-list-snapshot.ts';

export interface ListFiles {
  list: ListName;
  format: ListFormat;
  /** By base file name (`sdn.csv`, `alt.csv`, …), as the parsers take them. */
  files: Record<string, Buffer>;
}

/**
 * Parses the files of one or more lists and imports each as its list's next version, all in one
 * transaction (the same files again: no new version). Every file is parsed before anything is
 * written, so one the parser refuses (ListFormatError) leaves every list as it was.
 */
export async function importListFiles(
  db: DbClient,
  sets: readonly ListFiles[],
  options: Omit<ImportListOptions, 'sha256'>,
): Promise<ListImportResult[]> {
  const parsed: { snapshot: ListSnapshot; sha256: string }[] = sets.map((set) => {
    const snapshot = parseListFiles(set.format, set.files);
    if (snapshot.list !== set.list) {
      // The OFAC CSV parser tells the SDN trio from the consolidated set by the files themselves.
      throw new ListFormatError(set.format, `these files are the ${snapshot.list} list, not ${set.list}`);
    }
    return { snapshot, sha256: digestListFiles(set.files) };
  });
  const lists = parsed.map(({ snapshot }) => snapshot.list);
  const twice = lists.find((list, index) => lists.indexOf(list) !== index);
  if (twice) throw new DomainError('VALIDATION_FAILED', `The ${twice} list is given twice: import one set of its files at a time.`);
  return withTransaction(db, async (tx) => {
    const results: ListImportResult[] = [];
    for (const { snapshot, sha256 } of parsed) results.push(await importListSnapshot(tx, snapshot, { ...options, sha256 }));
    return results;
  });
}

/**
 * Reads files from disk and groups them into lists by their names (`sdn.csv`, `alt.csv`, … are
 * ofac-sdn; `consolidated.xml` is un; …), or into one list when `list` and `format` are given.
 * VALIDATION_FAILED for a name it cannot place.
 */
export async function groupListFiles(
  paths: readonly string[],
  override: { list?: ListName; format?: ListFormat } = {},
): Promise<ListFiles[]> {
  const files = new Map<string, Buffer>();
  for (const path of paths) {
    const name = basename(path);
    if (files.has(name)) throw new DomainError('VALIDATION_FAILED', `Two files are named ${name}: import them one list at a time.`);
    files.set(name, await readFile(path));
  }
  const names = [...files.keys()];
  if (override.list && override.format) return [{ list: override.list, format: override.format, files: Object.fromEntries(files) }];
  const whole = detectListFormat(names);
  if (whole && (!override.list || override.list === whole.list) && (!override.format || override.format === whole.format)) {
    return [{ list: whole.list, format: whole.format, files: Object.fromEntries(files) }];
  }
  // Files of several lists at once: a file whose name alone says its list starts a group (sdn.csv,
  // consolidated.xml, …); the others (alt.csv, cons_add.csv, …) join the group they complete.
  const groups = new Map<ListName, ListFiles>();
  const place = (name: string, detected: { list: ListName; format: ListFormat }) => {
    const group: ListFiles = groups.get(detected.list) ?? { list: detected.list, format: detected.format, files: {} };
    group.files[name] = files.get(name) ?? Buffer.alloc(0);
    groups.set(detected.list, group);
  };
  const rest: string[] = [];
  for (const name of names) {
    const detected = detectListFormat([name]);
    if (detected && (!override.list || override.list === detected.list))
      place(name, override.format ? { ...detected, format: override.format } : detected);
    else rest.push(name);
  }
  for (const name of rest) {
    const group = [...groups.values()].find(
      (candidate) => detectListFormat([...Object.keys(candidate.files), name])?.list === candidate.list,
    );
    if (!group) throw new DomainError('VALIDATION_FAILED', `Cannot tell which list ${name} belongs to: name it with --list and --format.`);
    place(name, group);
  }
  return [...groups.values()];
}
