import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ListFormat, ListName } from '../model.ts';

export interface ShippedList {
  list: ListName;
  format: ListFormat;
  /** Absolute paths of the copies shipped in packages/screening/lists/ (origin and licence: its README.md). */
  files: string[];
  /** Where the publisher serves the current file(s), for the scheduled refresh. */
  sourceUrl: string;
}

const root = fileURLToPath(new URL('../../lists/', import.meta.url));
const paths = (list: ListName, names: readonly string[]) => names.map((name) => `${root}${list}/${name}`);

/**
 * The lists a fresh Drop screens against before any refresh has run. `sourceUrl` is the publisher's
 * download: for OFAC the SDN CSV (alt.csv, add.csv and sdn_comments.csv sit beside it at the same
 * path); the EU FSF file needs the token the Commission issues to registered users; OpenSanctions
 * data needs a commercial licence in production (CC BY-NC 4.0, development only).
 */
export const SHIPPED_LISTS: readonly ShippedList[] = [
  {
    list: 'ofac-sdn',
    format: 'ofac-csv',
    files: paths('ofac-sdn', ['sdn.csv', 'alt.csv', 'add.csv', 'sdn_comments.csv']),
    sourceUrl: 'https://www.treasury.gov/ofac/downloads/sdn.csv',
  },
  {
    list: 'ofac-cons',
    format: 'ofac-csv',
    files: paths('ofac-cons', ['cons_prim.csv', 'cons_alt.csv', 'cons_add.csv', 'cons_comments.csv']),
    sourceUrl: 'https://www.treasury.gov/ofac/downloads/consolidated/cons_prim.csv',
  },
  {
    list: 'un',
    format: 'un-xml',
    files: paths('un', ['consolidated.xml']),
    sourceUrl: 'https://scsanctions.un.org/resources/xml/en/consolidated.xml',
  },
  {
    list: 'eu',
    format: 'eu-fsf-xml',
    files: paths('eu', ['fsf_excerpt_2026-08-05.xml']),
    sourceUrl: 'https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token=',
  },
  {
    list: 'uk',
    format: 'uk-csv',
    files: paths('uk', ['UK_Sanctions_List_2025-08-11.derived.csv']),
    sourceUrl: 'https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.csv',
  },
  {
    list: 'os',
    format: 'ftm-json',
    files: paths('os', ['eu_fsf_sample.ftm.json', 'zala_network.ftm.json', 'us_congress_peps.derived.ftm.json']),
    sourceUrl: 'https://data.opensanctions.org/datasets/latest/default/entities.ftm.json',
  },
];

/** Reads list files into the shape parseListFiles takes: contents keyed by base file name. */
export function readListFiles(paths: readonly string[]): Record<string, Buffer> {
  return Object.fromEntries(paths.map((path) => [basename(path), readFileSync(path)]));
}

/** The shipped copy of one list, read. */
export function readShippedList(list: ListName): { format: ListFormat; files: Record<string, Buffer> } {
  const shipped = SHIPPED_LISTS.find((entry) => entry.list === list);
  if (!shipped) throw new Error(`no shipped copy of list ${list}`);
  return { format: shipped.format, files: readListFiles(shipped.files) };
}
