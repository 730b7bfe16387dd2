-- 0016_casework.sql - the caseworker's tools: journal numbers, assignment
-- PostgreSQL's dialect of migrations/0016_casework.sql (docs/postgres.md).
-- to a team, and finding a case.
--
-- Journal numbers as Danish case systems write them: the case type's KLE
-- subject number, its action facet (handlingsfacet, "G01" unless the case
-- type says), a serial per organisation and Danish calendar year, and the
-- year's last two digits: 24.00.00-G01-17-26. The domain assigns one in
-- the transaction that creates the case (src/domain/cases.c), taking the
-- serial from journal_serials; the unique index is the second guard.
ALTER TABLE cases ADD COLUMN journal_no text;
-- A case may be assigned to a team of its organisation (a code of
-- inquiry_codes, kind 'team') instead of, or beside, a person.
ALTER TABLE cases ADD COLUMN assigned_team text;

CREATE TABLE journal_serials (
  organisation_id bigint NOT NULL REFERENCES organisations(id),
  year bigint NOT NULL,          -- the Danish calendar year, e.g. 2026
  last bigint NOT NULL,          -- the last serial given
  PRIMARY KEY (organisation_id, year)
);

-- Cases from before get numbers by id, per organisation and the Danish
-- year they were created in (a year starts at 23:00 UTC on 31 December:
-- winter time, UTC+1, so adding an hour gives the Danish year exactly).
UPDATE cases SET journal_no = n.journal_no
FROM (
  SELECT c.id AS id,
    coalesce(t.definition::jsonb ->> 'kle', '00.00.00') || '-' ||
    coalesce(t.definition::jsonb ->> 'facet', 'G01') || '-' ||
    row_number() OVER (PARTITION BY c.organisation_id,
      to_char(to_timestamp(c.created_at + 3600) AT TIME ZONE 'UTC', 'YYYY')
      ORDER BY c.id) || '-' ||
    to_char(to_timestamp(c.created_at + 3600) AT TIME ZONE 'UTC', 'YY') AS journal_no
  FROM cases c JOIN case_types t ON t.id = c.case_type_id
) AS n
WHERE n.id = cases.id;

INSERT INTO journal_serials(organisation_id, year, last)
SELECT organisation_id,
  CAST(to_char(to_timestamp(created_at + 3600) AT TIME ZONE 'UTC', 'YYYY') AS bigint),
  count(*)
FROM cases GROUP BY 1, 2;

-- Unique per organisation. journal_no comes first: finding a case by its
-- journal number (exact or a prefix, as a range) within an organisation
-- walks this index; with organisation_id first, SQLite 3.40 took it for
-- any filter on the organisation (the citizen's other cases counted
-- 50,000 rows through it instead of 5 through cases_citizen: 30-200 ms
-- a case page, bench/casepage.sh).
CREATE UNIQUE INDEX cases_journal ON cases(journal_no, organisation_id);
