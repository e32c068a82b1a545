/**
 * How a list record (@drop/screening's model) is stored in `sanctions_list_records` and read back.
 * The columns mirror the model's fields one to one, so a record reads back equal to what was
 * imported (and hashes the same).
 */
import type { BirthDate, ListRecord, ListTopic, RecordName, SubjectSchema } from '@drop/screening';

/** The record columns, for SELECTs that read records back (`r.` is the records table). */
export const RECORD_COLUMNS = 'r.key, r.schema, r.topics, r.names, r.birth_dates, r.countries, r.programmes, r.listed_on, r.remarks';

export interface RecordRow {
  key: string;
  schema: SubjectSchema;
  topics: ListTopic[];
  names: RecordName[];
  birth_dates: BirthDate[];
  countries: string[];
  programmes: string[];
  listed_on: string | null;
  remarks: string | null;
}

export function recordFromRow(row: RecordRow): ListRecord {
  return {
    key: row.key,
    schema: row.schema,
    topics: row.topics,
    names: row.names,
    birthDates: row.birth_dates,
    countries: row.countries,
    programmes: row.programmes,
    ...(row.listed_on === null ? {} : { listedOn: row.listed_on }),
    ...(row.remarks === null ? {} : { remarks: row.remarks }),
  };
}
