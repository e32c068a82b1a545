import { parse } from 'csv-parse/sync';
import {
  type BirthDate,
  ListFormatError,
  type ListName,
  type ListRecord,
  type ListSnapshot,
  type RecordName,
  type SubjectSchema,
} from '../model.ts';
import { countryCode } from './countries.ts';
import { parseOfacRemarks } from './ofac-remarks.ts';
import { addBirthDate, addName, addUnique, clean, shortRemarks } from './text.ts';

/** The OFAC legacy CSV sets: the SDN list and the consolidated (non-SDN) lists share one layout. */
export const OFAC_FILE_SETS = {
  'ofac-sdn': { primary: 'sdn.csv', aliases: 'alt.csv', addresses: 'add.csv', comments: 'sdn_comments.csv' },
  'ofac-cons': { primary: 'cons_prim.csv', aliases: 'cons_alt.csv', addresses: 'cons_add.csv', comments: 'cons_comments.csv' },
} as const satisfies Partial<Record<ListName, Record<string, string>>>;

type OfacList = keyof typeof OFAC_FILE_SETS;

const SCHEMAS: Readonly<Record<string, SubjectSchema>> = {
  individual: 'Person',
  vessel: 'Vessel',
  aircraft: 'Aircraft',
  '': 'Organization', // OFAC writes `-0-` for an entity
};

/**
 * Reads an OFAC legacy CSV set (`sdn.csv` + `alt.csv` [+ `add.csv`, `sdn_comments.csv`], or the
 * `cons_*.csv` set). The primary file is required; alias, address and comment rows whose `ent_num`
 * is not in it are ignored (OFAC publishes the files separately, so they can be from different days).
 */
export function parseOfacCsv(files: Readonly<Record<string, Buffer>>): ListSnapshot {
  const list = (Object.keys(OFAC_FILE_SETS) as OfacList[]).find((name) => files[OFAC_FILE_SETS[name].primary]);
  if (!list) throw new ListFormatError('ofac-csv', 'no sdn.csv or cons_prim.csv among the files');
  const set = OFAC_FILE_SETS[list];
  const byKey = new Map<string, OfacEntry>();

  for (const row of rows(set.primary, files[set.primary], 12)) {
    const [key, name, type, program, title, , , , , vesselFlag, , remarks] = row as Row12;
    if (byKey.has(key)) throw new ListFormatError('ofac-csv', `${set.primary}: ent_num ${key} appears twice`);
    const schema = SCHEMAS[type.toLowerCase()];
    if (!schema) throw new ListFormatError('ofac-csv', `${set.primary}: ent_num ${key} has an unknown SDN_Type '${type}'`);
    if (!name) throw new ListFormatError('ofac-csv', `${set.primary}: ent_num ${key} has no name`);
    byKey.set(key, { key, schema, name, program, title, vesselFlag, remarks, aliases: [], addressCountries: [] });
  }
  if (byKey.size === 0) throw new ListFormatError('ofac-csv', `${set.primary} has no records`);

  for (const [key = '', , , name] of optionalRows(set.aliases, files[set.aliases], 5)) {
    if (name) byKey.get(key)?.aliases.push(name);
  }
  for (const [key = '', , , , country] of optionalRows(set.addresses, files[set.addresses], 6)) {
    const code = countryCode(country);
    const entry = byKey.get(key);
    if (entry && code) addUnique(entry.addressCountries, code);
  }
  for (const [key = '', continued] of optionalRows(set.comments, files[set.comments], 2)) {
    const entry = byKey.get(key);
    // sdn_comments.csv carries the part of a long Remarks field that did not fit: it continues the text.
    if (entry && continued) entry.remarks += continued;
  }

  return { list, format: 'ofac-csv', records: [...byKey.values()].map(toRecord) };
}

interface OfacEntry {
  key: string;
  schema: SubjectSchema;
  name: string;
  program: string;
  title: string;
  vesselFlag: string;
  remarks: string;
  aliases: string[];
  addressCountries: string[];
}

type Row12 = [string, string, string, string, string, string, string, string, string, string, string, string];

function toRecord(entry: OfacEntry): ListRecord {
  const person = entry.schema === 'Person';
  const remarks = parseOfacRemarks(entry.remarks);
  const names: RecordName[] = [];
  addName(names, ofacName(entry.name, person, 'primary'));
  for (const alias of entry.aliases) addName(names, ofacName(alias, person, 'strong'));
  for (const alias of remarks.weakAliases) addName(names, { full: alias, quality: 'weak' });

  const countries: string[] = [];
  if (person) {
    for (const code of remarks.nationalities) addUnique(countries, code);
  } else {
    addUnique(countries, countryCode(entry.vesselFlag));
    for (const code of [...remarks.registrations, ...entry.addressCountries]) addUnique(countries, code);
  }
  const birthDates: BirthDate[] = [];
  for (const date of person ? remarks.birthDates : []) addBirthDate(birthDates, date);

  const record: ListRecord = {
    key: entry.key,
    schema: entry.schema,
    topics: ['sanction'],
    names,
    birthDates,
    countries,
    programmes: programmes(entry.program),
  };
  const text = shortRemarks([entry.title, entry.remarks]);
  if (text) record.remarks = text;
  return record;
}

/** OFAC writes people `LAST, First Middle`: split there, and give the full name in reading order. */
function ofacName(raw: string, person: boolean, quality: RecordName['quality']): RecordName {
  const name = clean(raw);
  const comma = name.indexOf(',');
  if (!person || comma < 0) return { full: name, quality };
  const family = clean(name.slice(0, comma));
  const given = clean(name.slice(comma + 1));
  if (!family || !given) return { full: name.replace(/,/g, ' '), quality };
  return { full: `${given} ${family}`, given, family, quality };
}

/** `SDGT] [IRGC] [IFSR`: OFAC joins programmes with `] [` inside one field. */
function programmes(field: string): string[] {
  const result: string[] = [];
  for (const part of field.split(/\]\s*\[/)) addUnique(result, clean(part.replace(/[[\]]/g, '')) || undefined);
  return result;
}

function optionalRows(file: string, content: Buffer | undefined, columns: number): string[][] {
  return content === undefined ? [] : rows(file, content, columns);
}

/** The legacy format: no header, `-0-` for empty, CRLF, and a DOS end-of-file byte (0x1A) at the end. */
function rows(file: string, content: Buffer | undefined, columns: number): string[][] {
  const text = withoutEndOfFile((content ?? Buffer.alloc(0)).toString('utf8'));
  if (!text.trim()) throw new ListFormatError('ofac-csv', `${file} is empty`);
  let parsed: string[][];
  try {
    parsed = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
    });
  } catch (error) {
    throw new ListFormatError('ofac-csv', `${file}: ${(error as Error).message}`);
  }
  parsed.forEach((row, index) => {
    // A `cast` option would do this too, but makes csv-parse track per-field context: three times slower here.
    for (let i = 0; i < row.length; i++) {
      const value = (row[i] as string).trim();
      row[i] = value === '-0-' ? '' : value;
    }
    if (row.length !== columns) {
      throw new ListFormatError('ofac-csv', `${file} line ${index + 1}: ${row.length} columns, expected ${columns}`);
    }
    if (!/^\d+$/.test(row[0] ?? ''))
      throw new ListFormatError('ofac-csv', `${file} line ${index + 1}: ent_num '${row[0]}' is not a number`);
  });
  return parsed;
}

const DOS_END_OF_FILE = String.fromCharCode(0x1a);

/** Drops the 0x1A byte (and whitespace around it) the legacy files end with. */
function withoutEndOfFile(text: string): string {
  let end = text.length;
  while (end > 0 && (text[end - 1] === DOS_END_OF_FILE || /\s/.test(text[end - 1] as string))) end--;
  return text.slice(0, end);
}
