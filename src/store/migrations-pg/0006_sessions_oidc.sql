-- 0006_sessions_oidc.sql - what sessions need for an idle timeout and for
-- PostgreSQL's dialect of migrations/0006_sessions_oidc.sql (docs/postgres.md).
-- OpenID Connect: when the session was last used (written at most once a
-- minute), the citizen's assurance level, and the provider's session id
-- and subject so that a logout from the provider ends the session. Staff
-- signed in through the organisation's provider have a subject and no
-- password (password_hash '').
ALTER TABLE sessions ADD COLUMN last_seen bigint NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN oidc_sid text;
ALTER TABLE sessions ADD COLUMN oidc_subject text;
UPDATE sessions SET last_seen = created_at;
CREATE INDEX sessions_oidc_sid ON sessions(oidc_sid) WHERE oidc_sid IS NOT NULL;
CREATE INDEX sessions_oidc_subject ON sessions(oidc_subject)
  WHERE oidc_subject IS NOT NULL;

ALTER TABLE citizen_sessions ADD COLUMN last_seen bigint NOT NULL DEFAULT 0;
ALTER TABLE citizen_sessions ADD COLUMN loa text NOT NULL DEFAULT 'low'
  CHECK (loa IN ('low', 'substantial', 'high'));
ALTER TABLE citizen_sessions ADD COLUMN oidc_sid text;
ALTER TABLE citizen_sessions ADD COLUMN oidc_subject text;
UPDATE citizen_sessions SET last_seen = created_at;
CREATE INDEX citizen_sessions_oidc_sid ON citizen_sessions(oidc_sid)
  WHERE oidc_sid IS NOT NULL;
CREATE INDEX citizen_sessions_oidc_subject ON citizen_sessions(oidc_subject)
  WHERE oidc_subject IS NOT NULL;
CREATE INDEX citizen_sessions_expires ON citizen_sessions(expires_at);

ALTER TABLE users ADD COLUMN oidc_subject text;
CREATE UNIQUE INDEX users_oidc_subject ON users(oidc_subject)
  WHERE oidc_subject IS NOT NULL;
