-- 0010_opening_hours.sql - opening hours per organisation and service
-- PostgreSQL's dialect of migrations/0010_opening_hours.sql (docs/postgres.md).
-- ("counter", "phone", "chat"), as the validated JSON of content/hours.json
-- (domain/hours.h reads and checks it; the store keeps it whole).
CREATE TABLE opening_hours (
  organisation_id bigint NOT NULL REFERENCES organisations(id),
  service text NOT NULL,
  spec text NOT NULL,
  PRIMARY KEY (organisation_id, service)
);
