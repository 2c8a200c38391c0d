-- An Idempotency-Key on a trigger is bound to the request it came with (docs/idempotency.md): the
-- route and a digest of the body, kept per run. The same key again with another route or body is
-- refused (422) instead of silently replaying the first run. Runs made before this table have no
-- fingerprint and replay as before.
CREATE TABLE trigger_key_fingerprints (
  run_id    TEXT NOT NULL PRIMARY KEY,
  route     TEXT NOT NULL,
  body_hash TEXT NOT NULL
);
