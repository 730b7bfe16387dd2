-- 0046_party_letters.sql - p-letters (issue 16, point 1): letters to the
-- parties of a case, written by helhed itself (no author), one per case,
-- recipient and event; see the SQLite migration.
ALTER TABLE letters ALTER COLUMN author_id DROP NOT NULL;
ALTER TABLE letters ADD COLUMN party_event text;
CREATE UNIQUE INDEX letters_party_event ON letters(case_id, citizen_id,
  party_event) WHERE party_event IS NOT NULL;
-- p-letters (issue 16, point 3): a party named by a CPR number the
-- register knew and helhed did not has no citizen yet; their sign-in
-- finds the row by the number's keyed hash.
CREATE INDEX case_parties_unclaimed ON case_parties(cpr_hash)
  WHERE citizen_id IS NULL;
