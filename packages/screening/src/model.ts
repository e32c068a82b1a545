/**
 * One record model for every sanctions and PEP list Drop reads. Each publisher's parser turns its
 * file into a `ListSnapshot`; the database stores snapshots as versions; the matcher indexes the
 * records of the current version of every list. Nothing here depends on a database or on Node.
 */

/** Drop's names for the lists, as they appear in screening hits (`<list>:<publisher's key>`). */
export const LIST_NAMES = ['ofac-sdn', 'ofac-cons', 'un', 'eu', 'uk', 'os'] as const;
export type ListName = (typeof LIST_NAMES)[number];

/** The file formats Drop can read, one parser each. */
export const LIST_FORMATS = [
  'ofac-csv', // OFAC legacy CSV: sdn.csv + alt.csv + add.csv (+ sdn_comments.csv), or the cons_*.csv set
  'un-xml', // UN Security Council consolidated list (CONSOLIDATED_LIST)
  'eu-fsf-xml', // EU Financial Sanctions Files XML 1.1 (export/sanctionEntity)
  'uk-csv', // UK Sanctions List (FCDO) summary sheet as CSV
  'ftm-json', // OpenSanctions FollowTheMoney JSON lines
] as const;
export type ListFormat = (typeof LIST_FORMATS)[number];

/** What kind of party a record is. Vessels and aircraft are kept but never screened as people. */
export const SUBJECT_SCHEMAS = ['Person', 'Organization', 'Vessel', 'Aircraft'] as const;
export type SubjectSchema = (typeof SUBJECT_SCHEMAS)[number];

/** Why a record is on a list: sanctioned, or a politically exposed person (or a relative/associate). */
export const LIST_TOPICS = ['sanction', 'pep', 'rca'] as const;
export type ListTopic = (typeof LIST_TOPICS)[number];

export interface RecordName {
  /** The name as published, in its own script (Latin, Arabic, Cyrillic, …). */
  full: string;
  /** Parts where the publisher gives them (UN FIRST_NAME…, EU firstName/lastName). */
  given?: string;
  family?: string;
  /** 'strong' for primary names and good-quality aliases; 'weak' for UN "Low" quality aliases and OFAC weak a.k.a.s, which do not match on their own. */
  quality: 'primary' | 'strong' | 'weak';
  /** ISO 639 language or script hint where given (EU nameLanguage, FtM lang). */
  lang?: string;
}

/** A birth date as precise as the publisher gives it: a day, a month, a year, or a range of years. */
export interface BirthDate {
  /** ISO 8601 prefix: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'. */
  date?: string;
  /** A range of years ('circa 1958' is 1957–1959; 'between 1955 and 1957'). */
  fromYear?: number;
  toYear?: number;
}

export interface ListRecord {
  /** The publisher's stable key: OFAC ent_num, UN REFERENCE_NUMBER, EU logicalId, UK Unique ID, OpenSanctions id. */
  key: string;
  schema: SubjectSchema;
  topics: ListTopic[];
  /** At least one name; the first is the primary (caption) name. */
  names: RecordName[];
  birthDates: BirthDate[];
  /** ISO 3166-1 alpha-2 codes, upper case: nationality, citizenship, and for organisations their country. */
  countries: string[];
  /** Sanctions programmes or regimes (OFAC SDGT, UN QDi, EU TERR, UK Russia, …). */
  programmes: string[];
  /** Date of listing where given ('YYYY-MM-DD'). */
  listedOn?: string;
  /** Anything else worth showing a reviewer (remarks, identifiers), short. */
  remarks?: string;
}

export interface ListSnapshot {
  list: ListName;
  format: ListFormat;
  /** When the publisher generated the file, if it says (UN dateGenerated, EU generationDate). */
  publishedAt?: string;
  records: ListRecord[];
  /**
   * Rows the publisher listed that cannot be screened and were left out, with the reason (the UK sheet
   * has designations with an empty Name). Few by design: a parser refuses a file where many are.
   */
  skipped?: { key: string; reason: string }[];
}

/** A file that cannot be read as its format: the whole import is refused, nothing changes. */
export class ListFormatError extends Error {
  readonly format: ListFormat;
  // No parameter property: Node runs this file by type stripping, which refuses them.
  constructor(format: ListFormat, message: string) {
    super(`${format}: ${message}`);
    this.name = 'ListFormatError';
    this.format = format;
  }
}
