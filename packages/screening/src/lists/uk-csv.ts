import { parse } from 'csv-parse/sync';
import { ListFormatError, type ListRecord, type ListSnapshot, type RecordName, type SubjectSchema } from '../model.ts';
import { addName, clean, isoDate, shortRemarks } from './text.ts';

/** The columns of the FCDO UK Sanctions List summary sheet that Drop reads (the header row names them). */
export const UK_COLUMNS = ['Unique ID', 'Name', 'Regime Name', 'Type'] as const;

const SCHEMAS: Readonly<Record<string, SubjectSchema>> = { Individual: 'Person', Entity: 'Organization', Ship: 'Vessel' };

/**
 * Reads the UK Sanctions List (FCDO) summary sheet as CSV: `Unique ID` (RUS0251) is the key,
 * `Regime Name` the programme, `Type` Individual/Entity/Ship. One primary name per designation:
 * this edition has no aliases, birth dates or nationalities. The ODS original is not read.
 */
export function parseUkCsv(files: Readonly<Record<string, Buffer>>): ListSnapshot {
  const entries = Object.entries(files);
  if (entries.length !== 1) throw new ListFormatError('uk-csv', `expected one CSV file, got ${entries.length}`);
  const [name, content] = entries[0] as [string, Buffer];
  const text = content.toString('utf8');
  if (!text.trim()) throw new ListFormatError('uk-csv', `${name} is empty`);
  let rows: Record<string, string>[];
  try {
    rows = parse(text, { bom: true, columns: true, skip_empty_lines: true });
  } catch (error) {
    throw new ListFormatError('uk-csv', `${name}: ${(error as Error).message}`);
  }
  const header = Object.keys(rows[0] ?? {});
  const missing = UK_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0) throw new ListFormatError('uk-csv', `${name} has no column ${missing.map((c) => `'${c}'`).join(', ')}`);

  const keys = new Set<string>();
  const skipped: { key: string; reason: string }[] = [];
  const designations = rows.map((row, index): ListRecord | undefined => {
    const line = index + 2;
    const key = clean(row['Unique ID']);
    if (!key) throw new ListFormatError('uk-csv', `${name} line ${line} has no Unique ID`);
    if (keys.has(key)) throw new ListFormatError('uk-csv', `Unique ID ${key} appears twice`);
    keys.add(key);
    const schema = SCHEMAS[clean(row.Type)];
    if (!schema) throw new ListFormatError('uk-csv', `${key} has an unknown Type '${row.Type}'`);
    const names: RecordName[] = [];
    addName(names, schema === 'Person' ? ukPersonName(row.Name ?? '') : { full: row.Name ?? '', quality: 'primary' });
    if (names.length === 0) {
      skipped.push({ key, reason: 'the Name cell is empty' });
      return undefined;
    }
    const record: ListRecord = { key, schema, topics: ['sanction'], names, birthDates: [], countries: [], programmes: [] };
    const regime = clean(row['Regime Name']);
    if (regime) record.programmes.push(regime);
    const listedOn = ukDate(row['Date Designated']);
    if (listedOn) record.listedOn = listedOn;
    const remarks = shortRemarks([
      row['OFSI Group ID'] && `OFSI Group ID ${clean(row['OFSI Group ID'])}`,
      row['Designation source'] && `designated by ${clean(row['Designation source'])}`,
      clean(row['Sanctions Imposed']),
    ]);
    if (remarks) record.remarks = remarks;
    return record;
  });
  // The FCDO's own sheet has a couple of designations without a name; many means the file is not what it seems.
  if (skipped.length > Math.max(10, rows.length / 100)) {
    throw new ListFormatError('uk-csv', `${name}: ${skipped.length} of ${rows.length} rows have no Name`);
  }
  const records = designations.filter((record) => record !== undefined);
  if (records.length === 0) throw new ListFormatError('uk-csv', `${name} has no rows`);
  const snapshot: ListSnapshot = { list: 'uk', format: 'uk-csv', records };
  if (skipped.length > 0) snapshot.skipped = skipped;
  return snapshot;
}

/**
 * The FCDO writes people `SURNAME Given names` (`PUTIN Vladimir Vladimirovich`): the leading words in
 * capitals are the surname. A name all in capitals (as copied from UN listings) cannot be split.
 */
export function ukPersonName(raw: string): RecordName {
  const full = clean(raw);
  const words = full.split(' ');
  const firstGiven = words.findIndex((word) => /\p{Ll}/u.test(word));
  if (firstGiven <= 0) return { full, quality: 'primary' };
  const family = words.slice(0, firstGiven).join(' ');
  const given = words.slice(firstGiven).join(' ');
  return { full: `${given} ${family}`, given, family, quality: 'primary' };
}

/** `DD-MM-YYYY` to `YYYY-MM-DD`. */
function ukDate(value: string | undefined): string | undefined {
  const m = /^(\d{2})[-/](\d{2})[-/](\d{4})$/.exec(clean(value));
  return m ? isoDate(Number(m[3]), Number(m[2]), Number(m[1])) : undefined;
}
