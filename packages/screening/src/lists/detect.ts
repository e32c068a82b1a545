import type { ListFormat, ListName } from '../model.ts';
import { OFAC_FILE_SETS } from './ofac-csv.ts';

export interface DetectedList {
  format: ListFormat;
  list: ListName;
}

/**
 * Which list and format a set of files is, from their names as the publishers (and Drop's shipped
 * copies) name them. Undefined when the names do not say, or when the files are of different lists.
 */
export function detectListFormat(fileNames: readonly string[]): DetectedList | undefined {
  const names = fileNames.map((name) => (name.split(/[\\/]/).pop() ?? name).toLowerCase());
  if (names.length === 0) return undefined;
  for (const [list, set] of Object.entries(OFAC_FILE_SETS) as [
    keyof typeof OFAC_FILE_SETS,
    (typeof OFAC_FILE_SETS)[keyof typeof OFAC_FILE_SETS],
  ][]) {
    const members: string[] = Object.values(set);
    if (names.includes(set.primary) && names.every((name) => members.includes(name))) return { format: 'ofac-csv', list };
  }
  const kinds = names.map(singleFileKind);
  const kind = kinds[0];
  if (kind === undefined || kinds.some((other) => other?.list !== kind.list)) return undefined;
  // Only FtM exports come as several files of one list; the other formats are one file each.
  if (kind.format !== 'ftm-json' && names.length > 1) return undefined;
  return kind;
}

function singleFileKind(name: string): DetectedList | undefined {
  if (/\.ftm\.json$|\.ftm\.jsonl?$|^entities\.ftm/.test(name)) return { format: 'ftm-json', list: 'os' };
  if (name.endsWith('.xml')) {
    if (/fsf|fullsanctionslist|^eu[-_.]/.test(name)) return { format: 'eu-fsf-xml', list: 'eu' };
    if (/consolidated|^un[-_.]|sc-sanctions/.test(name)) return { format: 'un-xml', list: 'un' };
  }
  if (name.endsWith('.csv') && /uk[-_ ]?sanctions[-_ ]?list|^uk[-_.]|fcdo/.test(name)) return { format: 'uk-csv', list: 'uk' };
  return undefined;
}
