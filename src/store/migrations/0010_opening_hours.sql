-- 0010_opening_hours.sql - opening hours per organisation and service
-- ("counter", "phone", "chat"), as the validated JSON of content/hours.json
-- (domain/hours.h reads and checks it; the store keeps it whole).
CREATE TABLE opening_hours (
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  service TEXT NOT NULL,
  spec TEXT NOT NULL,
  PRIMARY KEY (organisation_id, service)
) WITHOUT ROWID;
