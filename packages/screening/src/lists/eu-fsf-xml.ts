import { type BirthDate, ListFormatError, type ListRecord, type ListSnapshot, type RecordName, type SubjectSchema } from '../model.ts';
import { isoCountryCode } from './countries.ts';
import { addBirthDate, addName, addUnique, circa, clean, isoDate, isoPrefix, shortRemarks, yearRange } from './text.ts';
import { localName, nodes, parseXml, text, type XmlNode } from './xml.ts';

export const EU_FSF_NAMESPACE = 'http://eu.europa.ec/fpi/fsd/export';

const REPEATED = new Set(['sanctionEntity', 'regulation', 'nameAlias', 'birthdate', 'citizenship', 'remark']);

const SCHEMAS: Readonly<Record<string, SubjectSchema>> = { person: 'Person', enterprise: 'Organization' };

/**
 * Reads the EU Financial Sanctions Files XML 1.1 (`export` in the FSF namespace, one `sanctionEntity`
 * per designation). The key is the entity's `logicalId`; every `nameAlias` is a name (the FSF flags
 * none as primary, so the first Latin one with name parts leads); `regulation@programme` is the programme.
 */
export function parseEuFsfXml(files: Readonly<Record<string, Buffer>>): ListSnapshot {
  const entries = Object.entries(files);
  if (entries.length !== 1) throw new ListFormatError('eu-fsf-xml', `expected one XML file, got ${entries.length}`);
  const [name, content] = entries[0] as [string, Buffer];
  const document = parseXml('eu-fsf-xml', content, REPEATED);
  const rootName = Object.keys(document).find((key) => key !== '?xml');
  const root = rootName ? (document[rootName] as XmlNode) : undefined;
  if (!rootName || localName(rootName) !== 'export' || !root || typeof root !== 'object') {
    throw new ListFormatError('eu-fsf-xml', `${name}: the root element is not export`);
  }
  // Namespace-aware: the FSF elements may carry any prefix, but it must be bound to the FSF namespace.
  const prefix = rootName.includes(':') ? rootName.slice(0, rootName.indexOf(':') + 1) : '';
  const namespace = text(root[prefix ? `xmlns:${prefix.slice(0, -1)}` : 'xmlns']);
  if (namespace !== EU_FSF_NAMESPACE)
    throw new ListFormatError('eu-fsf-xml', `${name}: the root is not in the FSF namespace (${namespace || 'none'})`);
  const child = (node: XmlNode, element: string) => node[`${prefix}${element}`];

  const entities = nodes(child(root, 'sanctionEntity'));
  if (entities.length === 0) throw new ListFormatError('eu-fsf-xml', `${name} has no sanctionEntity`);
  const keys = new Set<string>();
  const records = entities.map((entity) => {
    const record = sanctionEntity(entity, child);
    if (keys.has(record.key)) throw new ListFormatError('eu-fsf-xml', `logicalId ${record.key} appears twice`);
    keys.add(record.key);
    return record;
  });
  const snapshot: ListSnapshot = { list: 'eu', format: 'eu-fsf-xml', records };
  const generated = text(root.generationDate);
  if (generated) snapshot.publishedAt = generated;
  return snapshot;
}

function sanctionEntity(entity: XmlNode, child: (node: XmlNode, element: string) => unknown): ListRecord {
  const key = clean(text(entity.logicalId));
  if (!key)
    throw new ListFormatError('eu-fsf-xml', `a sanctionEntity (${text(entity.euReferenceNumber) || 'no reference'}) has no logicalId`);
  const code = text(nodes(child(entity, 'subjectType'))[0]?.code);
  const schema = SCHEMAS[code];
  if (!schema) throw new ListFormatError('eu-fsf-xml', `logicalId ${key} has an unknown subjectType '${code}'`);

  const names: RecordName[] = [];
  for (const alias of leadingFirst(nodes(child(entity, 'nameAlias')), schema)) {
    const name: RecordName = {
      full: text(alias.wholeName),
      given: clean([text(alias.firstName), text(alias.middleName)].join(' ')),
      family: text(alias.lastName),
      quality: names.length === 0 ? 'primary' : text(alias.strong) === 'false' ? 'weak' : 'strong',
    };
    const language = clean(text(alias.nameLanguage)).toLowerCase();
    if (language) name.lang = language;
    addName(names, name);
  }
  if (names.length === 0) throw new ListFormatError('eu-fsf-xml', `logicalId ${key} has no nameAlias with a wholeName`);

  const record: ListRecord = { key, schema, topics: ['sanction'], names, birthDates: [], countries: [], programmes: [] };
  for (const birth of nodes(child(entity, 'birthdate'))) addBirthDate(record.birthDates, fsfBirthDate(birth));
  for (const citizenship of nodes(child(entity, 'citizenship')))
    addUnique(record.countries, isoCountryCode(text(citizenship.countryIso2Code)));
  for (const regulation of nodes(child(entity, 'regulation'))) addUnique(record.programmes, clean(text(regulation.programme)) || undefined);
  const listedOn = isoPrefix(text(entity.designationDate));
  if (listedOn?.length === 10) record.listedOn = listedOn;
  const remarks = shortRemarks(
    nodes(child(entity, 'remark'))
      .map(text)
      .concat(text(entity.euReferenceNumber) ? [`EU reference ${text(entity.euReferenceNumber)}`] : []),
  );
  if (remarks) record.remarks = remarks;
  return record;
}

/**
 * The primary name: the Latin-script alias (language EN or none) the FSF describes most fully,
 * by name parts given and, for a person, then by words (the fullest form of the name); earliest first.
 */
function leadingFirst(aliases: XmlNode[], schema: SubjectSchema): XmlNode[] {
  const named = aliases.filter((alias) => clean(text(alias.wholeName)));
  const weight = (alias: XmlNode) =>
    ['firstName', 'middleName', 'lastName'].filter((part) => clean(text(alias[part]))).length * 100 +
    (schema === 'Person' ? clean(text(alias.wholeName)).split(' ').length : 0);
  let lead: XmlNode | undefined;
  for (const alias of named) {
    if (!/^(en|)$/i.test(text(alias.nameLanguage))) continue;
    if (!lead || weight(alias) > weight(lead)) lead = alias;
  }
  lead ??= named[0];
  return lead ? [lead, ...named.filter((alias) => alias !== lead)] : [];
}

/**
 * `birthdate` (a Gregorian day; for ISLAMIC entries the FSF gives the Gregorian equivalent there), or
 * `year` (+ `monthOfYear`), `circa`, or `yearRangeFrom`/`yearRangeTo`. An Islamic year without a
 * Gregorian date is left out: it is not a year Drop can compare.
 */
export function fsfBirthDate(birth: XmlNode): BirthDate | undefined {
  const from = text(birth.yearRangeFrom);
  const to = text(birth.yearRangeTo);
  if (from && to) return yearRange(Number(from), Number(to));
  const gregorian = text(birth.calendarType) !== 'ISLAMIC';
  const date =
    isoPrefix(text(birth.birthdate)) ??
    (gregorian && text(birth.year)
      ? isoDate(Number(text(birth.year)), text(birth.monthOfYear) ? Number(text(birth.monthOfYear)) : undefined)
      : undefined);
  if (!date) return undefined;
  if (text(birth.circa) === 'true') return circa(Number(date.slice(0, 4)));
  return { date };
}
