-- Tokens may expire (expires_at, set at creation from expiresIn), show when they were last used
-- (written at most once a minute per token) and carry a hint of their value (its first
-- characters) so a person can tell tokens apart in a list. Tokens made before keep no expiry and
-- no hint (their values are not stored).
ALTER TABLE tokens ADD COLUMN expires_at BIGINT;
ALTER TABLE tokens ADD COLUMN last_used_at BIGINT;
ALTER TABLE tokens ADD COLUMN hint TEXT;
