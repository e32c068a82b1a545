import type { ListFormat, ListSnapshot } from '../model.ts';
import { parseEuFsfXml } from './eu-fsf-xml.ts';
import { parseFtmJson } from './ftm-json.ts';
import { parseOfacCsv } from './ofac-csv.ts';
import { parseUkCsv } from './uk-csv.ts';
import { parseUnXml } from './un-xml.ts';

export { countryCode, isoCountryCode } from './countries.ts';
export { type DetectedList, detectListFormat } from './detect.ts';
export { OFAC_FILE_SETS } from './ofac-csv.ts';
export { readListFiles, readShippedList, SHIPPED_LISTS, type ShippedList } from './shipped.ts';

const PARSERS: Readonly<Record<ListFormat, (files: Readonly<Record<string, Buffer>>) => ListSnapshot>> = {
  'ofac-csv': parseOfacCsv,
  'un-xml': parseUnXml,
  'eu-fsf-xml': parseEuFsfXml,
  'uk-csv': parseUkCsv,
  'ftm-json': parseFtmJson,
};

/**
 * Parses one list's files (keyed by base file name: `sdn.csv`, `alt.csv`, …) into a snapshot.
 * A file that is not what its format says throws ListFormatError: the whole import is refused.
 */
export function parseListFiles(format: ListFormat, files: Readonly<Record<string, Buffer>>): ListSnapshot {
  const byBaseName: Record<string, Buffer> = {};
  for (const [name, content] of Object.entries(files)) byBaseName[name.split(/[\\/]/).pop() ?? name] = content;
  return PARSERS[format](byBaseName);
}
