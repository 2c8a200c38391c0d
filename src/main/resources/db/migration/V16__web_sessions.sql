-- Sessions of the web UI: a person logs in with an API token and gets a session cookie. Only the
-- SHA-256 of the cookie's value is stored, and the session points at its token by id (never the
-- token's value), so revoking or expiring the token ends its sessions. csrf is the token every
-- state-changing form of the session carries.
CREATE TABLE web_sessions (
  id_hash     TEXT   NOT NULL PRIMARY KEY,
  token_id    TEXT   NOT NULL,
  csrf        TEXT   NOT NULL,
  created_at  BIGINT NOT NULL,
  expires_at  BIGINT NOT NULL
);
CREATE INDEX web_sessions_expires ON web_sessions (expires_at);
CREATE INDEX web_sessions_token ON web_sessions (token_id);
