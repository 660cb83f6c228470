-- API keys (bearer tokens). Only the SHA-256 of a token is kept (hex), never the token. Keys
-- are revoked, never deleted; a name is unique among the keys not revoked, so a revoked name
-- can be issued again.
CREATE TABLE api_keys (
    seq        BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    -- JSON array of the fund ids the key may see and write; NULL = every fund.
    funds      TEXT,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE UNIQUE INDEX api_keys_active_name ON api_keys (name) WHERE revoked_at IS NULL;
-- Who created each run: the name of the key (or of the proxy's user); NULL in open mode and
-- for older runs.
ALTER TABLE runs ADD COLUMN created_by TEXT;
