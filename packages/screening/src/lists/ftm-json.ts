import { ListFormatError, type ListRecord, type ListSnapshot, type ListTopic, type RecordName, type SubjectSchema } from '../model.ts';
import { isoCountryCode } from './countries.ts';
import { addBirthDate, addName, addUnique, clean, isoPrefix, shortRemarks } from './text.ts';

/** FollowTheMoney schemas that are parties Drop screens; everything else (Sanction, Ownership, Address, …) is context. */
const PARTY_SCHEMAS: Readonly<Record<string, SubjectSchema>> = {
  Person: 'Person',
  Organization: 'Organization',
  Company: 'Organization',
  LegalEntity: 'Organization',
  PublicBody: 'Organization',
  Vessel: 'Vessel',
  Airplane: 'Aircraft',
};

/** OpenSanctions topics Drop acts on. Others (debarment, crime, poi, sanction.linked, …) do not make a record screenable. */
const TOPICS: Readonly<Record<string, ListTopic>> = { sanction: 'sanction', 'role.pep': 'pep', 'role.rca': 'rca' };

interface FtmEntity {
  id: string;
  schema: string;
  caption?: string;
  properties: Record<string, unknown[]>;
}

/**
 * Reads OpenSanctions FollowTheMoney JSON lines (one or more files, merged into one `os` snapshot).
 * Every line must be a JSON entity with an `id`, a `schema` and `properties`, or the whole import is
 * refused. Parties with a sanction, PEP or RCA topic become records; `Sanction` entities add their
 * programme to the party they name in `entity`.
 */
export function parseFtmJson(files: Readonly<Record<string, Buffer>>): ListSnapshot {
  const fileNames = Object.keys(files);
  if (fileNames.length === 0) throw new ListFormatError('ftm-json', 'no files');
  const entities = new Map<string, FtmEntity>();
  for (const name of fileNames) {
    const lines = (files[name] as Buffer).toString('utf8').split('\n');
    let count = 0;
    lines.forEach((line, index) => {
      if (!line.trim()) return;
      const entity = ftmEntity(line, `${name} line ${index + 1}`);
      // The same entity in two files (OpenSanctions exports overlap): the later file's copy wins.
      entities.set(entity.id, entity);
      count++;
    });
    if (count === 0) throw new ListFormatError('ftm-json', `${name} is empty`);
  }

  const programmes = new Map<string, string[]>();
  for (const entity of entities.values()) {
    if (entity.schema !== 'Sanction') continue;
    for (const target of strings(entity.properties.entity)) {
      const list = programmes.get(target) ?? [];
      // programId is the short code (US-RUSHAR); program is the regulation's title, used when there is no code.
      const ids = strings(entity.properties.programId);
      for (const programme of ids.length > 0 ? ids : strings(entity.properties.program)) addUnique(list, shortRemarks([programme], 100));
      programmes.set(target, list);
    }
  }

  const records: ListRecord[] = [];
  for (const entity of entities.values()) {
    const record = party(entity, programmes.get(entity.id) ?? []);
    if (record) records.push(record);
  }
  if (records.length === 0) throw new ListFormatError('ftm-json', 'no sanctioned or politically exposed party in the files');
  return { list: 'os', format: 'ftm-json', records };
}

function ftmEntity(line: string, where: string): FtmEntity {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new ListFormatError('ftm-json', `${where}: not JSON (${(error as Error).message})`);
  }
  const entity = value as Partial<FtmEntity> | null;
  if (!entity || typeof entity !== 'object' || typeof entity.id !== 'string' || !entity.id) {
    throw new ListFormatError('ftm-json', `${where}: no entity id`);
  }
  if (typeof entity.schema !== 'string' || !entity.schema)
    throw new ListFormatError('ftm-json', `${where}: entity ${entity.id} has no schema`);
  const properties = entity.properties;
  if (
    !properties ||
    typeof properties !== 'object' ||
    Array.isArray(properties) ||
    Object.values(properties).some((v) => !Array.isArray(v))
  ) {
    throw new ListFormatError('ftm-json', `${where}: entity ${entity.id} has no properties of lists`);
  }
  return entity as FtmEntity;
}

function party(entity: FtmEntity, programmes: string[]): ListRecord | undefined {
  const schema = PARTY_SCHEMAS[entity.schema];
  if (!schema) return undefined;
  const p = entity.properties;
  const topics: ListTopic[] = [];
  for (const topic of strings(p.topics)) addUnique(topics, TOPICS[topic]);
  if (topics.length === 0) return undefined;

  const names: RecordName[] = [];
  const firstNames = strings(p.firstName);
  const lastNames = strings(p.lastName);
  const caption = clean(entity.caption) || clean(strings(p.name)[0]);
  for (const [index, full] of [caption, ...strings(p.name)].entries()) {
    const name: RecordName = { full, quality: index === 0 ? 'primary' : 'strong' };
    // Name parts only where they demonstrably belong to this spelling.
    const given = firstNames.find((part) => full.startsWith(`${part} `));
    const family = lastNames.find((part) => full.endsWith(` ${part}`));
    if (schema === 'Person' && given && family) Object.assign(name, { given, family });
    addName(names, name);
  }
  for (const alias of [...strings(p.alias), ...strings(p.previousName)]) addName(names, { full: alias, quality: 'strong' });
  for (const alias of strings(p.weakAlias)) addName(names, { full: alias, quality: 'weak' });
  if (names.length === 0) return undefined;

  const record: ListRecord = { key: entity.id, schema, topics, names, birthDates: [], countries: [], programmes: [...programmes] };
  for (const value of strings(p.birthDate)) {
    const date = isoPrefix(value);
    if (date) addBirthDate(record.birthDates, { date });
  }
  for (const value of [...strings(p.nationality), ...strings(p.citizenship), ...strings(p.country), ...strings(p.jurisdiction)]) {
    addUnique(record.countries, isoCountryCode(value));
  }
  const listedOn = isoPrefix(strings(p.createdAt)[0]);
  if (listedOn?.length === 10) record.listedOn = listedOn;
  const remarks = shortRemarks([...strings(p.position), ...strings(p.notes)]);
  if (remarks) record.remarks = remarks;
  return record;
}

function strings(values: unknown[] | undefined): string[] {
  return (values ?? []).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
}
