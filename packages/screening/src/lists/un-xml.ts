import { type BirthDate, ListFormatError, type ListRecord, type ListSnapshot, type RecordName } from '../model.ts';
import { countryCode } from './countries.ts';
import { addBirthDate, addName, addUnique, circa, clean, englishDate, isoPrefix, shortRemarks, yearRange } from './text.ts';
import { nodes, parseXml, text, type XmlNode } from './xml.ts';

const REPEATED = new Set([
  'INDIVIDUAL',
  'ENTITY',
  'VALUE',
  'INDIVIDUAL_ALIAS',
  'ENTITY_ALIAS',
  'INDIVIDUAL_DATE_OF_BIRTH',
  'INDIVIDUAL_ADDRESS',
  'ENTITY_ADDRESS',
]);

/**
 * Reads the UN Security Council consolidated list (`CONSOLIDATED_LIST`, schema sc-sanctions.xsd).
 * The key is `REFERENCE_NUMBER` (QDi.001), the public id the committees use; `UN_LIST_TYPE` is the programme.
 */
export function parseUnXml(files: Readonly<Record<string, Buffer>>): ListSnapshot {
  const [name, content] = singleFile(files);
  const root = parseXml('un-xml', content, REPEATED).CONSOLIDATED_LIST;
  if (!root || typeof root !== 'object') throw new ListFormatError('un-xml', `${name}: the root element is not CONSOLIDATED_LIST`);
  const list = root as XmlNode;
  const individuals = nodes((list.INDIVIDUALS as XmlNode | undefined)?.INDIVIDUAL);
  const entities = nodes((list.ENTITIES as XmlNode | undefined)?.ENTITY);
  if (individuals.length + entities.length === 0) throw new ListFormatError('un-xml', `${name} has no INDIVIDUAL or ENTITY`);

  const records: ListRecord[] = [];
  const keys = new Set<string>();
  for (const [node, person] of [...individuals.map((n) => [n, true] as const), ...entities.map((n) => [n, false] as const)]) {
    const record = person ? individual(node) : entity(node);
    if (keys.has(record.key)) throw new ListFormatError('un-xml', `REFERENCE_NUMBER ${record.key} appears twice`);
    keys.add(record.key);
    records.push(record);
  }
  const snapshot: ListSnapshot = { list: 'un', format: 'un-xml', records };
  const generated = text(list.dateGenerated);
  if (generated) snapshot.publishedAt = generated;
  return snapshot;
}

function singleFile(files: Readonly<Record<string, Buffer>>): [string, Buffer | undefined] {
  const entries = Object.entries(files);
  if (entries.length !== 1) throw new ListFormatError('un-xml', `expected one XML file, got ${entries.length}`);
  return entries[0] as [string, Buffer];
}

function base(node: XmlNode, schema: ListRecord['schema']): ListRecord {
  const key = clean(text(node.REFERENCE_NUMBER));
  if (!key) throw new ListFormatError('un-xml', `DATAID ${text(node.DATAID) || '?'} has no REFERENCE_NUMBER`);
  const record: ListRecord = { key, schema, topics: ['sanction'], names: [], birthDates: [], countries: [], programmes: [] };
  addUnique(record.programmes, clean(text(node.UN_LIST_TYPE)) || undefined);
  const listedOn = isoPrefix(text(node.LISTED_ON));
  if (listedOn?.length === 10) record.listedOn = listedOn;
  const remarks = shortRemarks([text(node.COMMENTS1)]);
  if (remarks) record.remarks = remarks;
  return record;
}

function individual(node: XmlNode): ListRecord {
  const record = base(node, 'Person');
  const parts = ['FIRST_NAME', 'SECOND_NAME', 'THIRD_NAME', 'FOURTH_NAME'].map((part) => clean(text(node[part]))).filter(Boolean);
  if (parts.length === 0) throw new ListFormatError('un-xml', `${record.key} has no FIRST_NAME`);
  const [given, ...rest] = parts;
  const primary: RecordName = { full: parts.join(' '), quality: 'primary' };
  if (given && rest.length > 0) {
    primary.given = given;
    primary.family = rest.join(' ');
  }
  addName(record.names, primary);
  addName(record.names, { full: text(node.NAME_ORIGINAL_SCRIPT), quality: 'strong' });
  addAliases(record.names, nodes(node.INDIVIDUAL_ALIAS));
  for (const dob of nodes(node.INDIVIDUAL_DATE_OF_BIRTH)) addBirthDate(record.birthDates, unBirthDate(dob));
  for (const value of nodes(node.NATIONALITY).flatMap((n) => (Array.isArray(n.VALUE) ? n.VALUE : []))) {
    addUnique(record.countries, countryCode(text(value)));
  }
  return record;
}

function entity(node: XmlNode): ListRecord {
  const record = base(node, 'Organization');
  const name = clean(text(node.FIRST_NAME));
  if (!name) throw new ListFormatError('un-xml', `${record.key} has no FIRST_NAME`);
  addName(record.names, { full: name, quality: 'primary' });
  addName(record.names, { full: text(node.NAME_ORIGINAL_SCRIPT), quality: 'strong' });
  addAliases(record.names, nodes(node.ENTITY_ALIAS));
  for (const address of nodes(node.ENTITY_ADDRESS)) addUnique(record.countries, countryCode(text(address.COUNTRY)));
  return record;
}

/** QUALITY Good, a.k.a. and f.k.a. are strong; Low is weak (UN guidance: not enough for a match on its own). */
function addAliases(names: RecordName[], aliases: XmlNode[]): void {
  for (const alias of aliases) {
    const quality = clean(text(alias.QUALITY)).toLowerCase() === 'low' ? 'weak' : 'strong';
    addName(names, { full: text(alias.ALIAS_NAME), quality });
  }
}

/** TYPE_OF_DATE EXACT (DATE or YEAR), APPROXIMATELY (a year, ±1) or BETWEEN (FROM_YEAR–TO_YEAR); some give only a NOTE like 'Nov. 1973'. */
export function unBirthDate(dob: XmlNode): BirthDate | undefined {
  const type = clean(text(dob.TYPE_OF_DATE)).toUpperCase();
  const from = Number(text(dob.FROM_YEAR));
  const to = Number(text(dob.TO_YEAR));
  if (text(dob.FROM_YEAR) && text(dob.TO_YEAR)) return yearRange(from, to);
  const date = isoPrefix(text(dob.DATE)) ?? isoPrefix(text(dob.YEAR)) ?? englishDate(text(dob.NOTE));
  if (!date) return undefined;
  if (type === 'APPROXIMATELY') return circa(Number(date.slice(0, 4)));
  return { date };
}
