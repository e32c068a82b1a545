-- Up Migration

-- Continuous screening: per list, the version every customer and recipient was last screened
-- against. A new version is screened for its delta only (records new or changed since this one).
CREATE TABLE screening_progress (
  list             text        PRIMARY KEY REFERENCES sanctions_lists (name),
  version          integer     NOT NULL CHECK (version > 0),
  screened_at      timestamptz NOT NULL,
  subjects         integer     NOT NULL CHECK (subjects >= 0),
  subjects_matched integer     NOT NULL CHECK (subjects_matched >= 0)
);

-- Down Migration
DROP TABLE IF EXISTS screening_progress;
