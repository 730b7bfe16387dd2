-- 0030_signin_failures.sql - pg-throttle (issue 14): failed password
-- sign-ins counted in the database, so that every instance serving it
-- shares one count per account (docs/postgres.md, "Sign-in throttling").
-- One row per account key: a keyed hash (BLAKE2b under the key file's
-- hash key) of the lower-cased email typed, known account or not, so no
-- email (nor a password typed into the email field) is kept. free_at is
-- when the account's allowance of failures is whole again (microseconds,
-- wall clock; domain/auth.c's token bucket). A row whose free_at has
-- passed carries nothing, and each failure recorded deletes those
-- (signin_fail_put), so the table holds only the accounts that failed
-- within the last HH_SIGNIN_ACCOUNT_BURST * _REFILL seconds.
CREATE TABLE signin_failures (
  account_key BLOB PRIMARY KEY CHECK (length(account_key) = 32),
  free_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX signin_failures_free_at ON signin_failures(free_at);
