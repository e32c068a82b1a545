-- Up Migration

-- Sanctions and PEP lists as versioned snapshots. Each import of a list is a new version holding
-- every record of the publisher's file; exactly one version per list is current, and screening
-- reads only current versions. Older versions are kept (the last few) so continuous screening can
-- compute the delta between two versions and a reviewer can see what a record said when it matched.

-- The lists Drop knows, and where the scheduled refresh fetches each one.
CREATE TABLE sanctions_lists (
  name                     text        PRIMARY KEY CHECK (name IN ('ofac-sdn', 'ofac-cons', 'un', 'eu', 'uk', 'os')),
  format                   text        NOT NULL CHECK (format IN ('ofac-csv', 'un-xml', 'eu-fsf-xml', 'uk-csv', 'ftm-json')),
  -- The publisher's download URL. For a list published as several files (OFAC's sdn.csv, alt.csv,
  -- add.csv, …) the URL of the main one, the others fetched from beside it under their own names.
  -- NULL: imported by hand only (`drop lists import`), never downloaded.
  source_url               text,
  refresh_interval_minutes integer     NOT NULL DEFAULT 1440 CHECK (refresh_interval_minutes > 0),
  enabled                  boolean     NOT NULL DEFAULT true,
  -- The validators of the last download, sent back so an unchanged file is not downloaded again.
  http_etag                text,
  http_last_modified       text,
  last_checked_at          timestamptz,
  last_error               text,
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER sanctions_lists_touch BEFORE UPDATE ON sanctions_lists FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
-- A change to where a list comes from or whether it is refreshed is an audited event; the refresh's
-- own bookkeeping (validators, last check, last error) is not.
CREATE TRIGGER sanctions_lists_audit AFTER UPDATE OR DELETE ON sanctions_lists
  FOR EACH ROW EXECUTE FUNCTION audit_row_change('updated_at', 'http_etag', 'http_last_modified', 'last_checked_at', 'last_error');
ALTER TABLE sanctions_lists ENABLE ALWAYS TRIGGER sanctions_lists_audit;

INSERT INTO sanctions_lists (name, format, source_url) VALUES
  ('ofac-sdn', 'ofac-csv', 'https://www.treasury.gov/ofac/downloads/sdn.csv'),
  ('ofac-cons', 'ofac-csv', 'https://www.treasury.gov/ofac/downloads/consolidated/cons_prim.csv'),
  ('un', 'un-xml', 'https://scsanctions.un.org/resources/xml/en/consolidated.xml'),
  ('eu', 'eu-fsf-xml', 'https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw'),
  -- The FCDO publishes its list as ODS (Drop reads a CSV made from it) at a URL that changes with
  -- each edition; OpenSanctions data needs a commercial licence in production (CC BY-NC 4.0).
  -- Both are imported by hand until an operator sets a URL.
  ('uk', 'uk-csv', NULL),
  ('os', 'ftm-json', NULL);

-- One import of one list: the files' digest (an identical file makes no new version), when the
-- publisher generated it, who imported it and how.
CREATE TABLE sanctions_list_versions (
  id           text        PRIMARY KEY CHECK (id ~ '^slv_[0-9A-HJKMNP-TV-Z]{26}$'),
  list         text        NOT NULL REFERENCES sanctions_lists (name),
  version      integer     NOT NULL CHECK (version > 0),
  format       text        NOT NULL,
  sha256       text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  record_count integer     NOT NULL CHECK (record_count >= 0),
  published_at timestamptz,
  imported_at  timestamptz NOT NULL DEFAULT now(),
  imported_by  text        NOT NULL,
  source       text        NOT NULL CHECK (source IN ('file', 'http', 'shipped')),
  current      boolean     NOT NULL DEFAULT false,
  UNIQUE (list, version)
);
-- At most one current version per list, whoever writes.
CREATE UNIQUE INDEX sanctions_list_versions_one_current ON sanctions_list_versions (list) WHERE current;
-- Every change to a version after its import (the next import making it not current, pruning, or
-- anyone flipping `current` in psql) leaves a trail.
CREATE TRIGGER sanctions_list_versions_audit AFTER UPDATE OR DELETE ON sanctions_list_versions
  FOR EACH ROW EXECUTE FUNCTION audit_row_change();
ALTER TABLE sanctions_list_versions ENABLE ALWAYS TRIGGER sanctions_list_versions_audit;

-- The records of a version, as the parsers model them (@drop/screening ListRecord). record_hash is
-- the screening model's hash of the record's content: a cleared match stays cleared until it changes.
CREATE TABLE sanctions_list_records (
  version_id  text    NOT NULL REFERENCES sanctions_list_versions (id) ON DELETE CASCADE,
  key         text    NOT NULL,
  schema      text    NOT NULL CHECK (schema IN ('Person', 'Organization', 'Vessel', 'Aircraft')),
  topics      text[]  NOT NULL,
  names       jsonb   NOT NULL,
  birth_dates jsonb   NOT NULL DEFAULT '[]',
  countries   text[]  NOT NULL DEFAULT '{}',
  programmes  text[]  NOT NULL DEFAULT '{}',
  listed_on   text,
  remarks     text,
  record_hash text    NOT NULL,
  PRIMARY KEY (version_id, key)
);
-- A version is a snapshot: its records are never edited, only removed with the version.
CREATE TRIGGER sanctions_list_records_no_update BEFORE UPDATE ON sanctions_list_records
  FOR EACH ROW EXECUTE FUNCTION refuse_change('Import a new version of the list instead.');
ALTER TABLE sanctions_list_records ENABLE ALWAYS TRIGGER sanctions_list_records_no_update;

-- Down Migration
DROP TABLE IF EXISTS sanctions_list_records;
DROP TABLE IF EXISTS sanctions_list_versions;
DROP TABLE IF EXISTS sanctions_lists;
