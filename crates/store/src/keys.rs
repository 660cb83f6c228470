//! API keys: bearer tokens with a role and, optionally, the funds they are limited to.
//!
//! A token is 256 random bits from the operating system, written `slb_` + 64 hex digits (the
//! prefix lets secret scanners and people recognise one). It is shown once, when the key is
//! created; the store keeps only its SHA-256, and a request's token is found by that hash (an
//! indexed lookup, so revocation takes effect on the next request of every server sharing the
//! store). Keys are revoked, never deleted.

use async_trait::async_trait;
use engine::model::Role;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;

use crate::error::{Context, StoreError};
use crate::rows::{opt_text, text};
use crate::sql::SqlStore;

/// Longest key name.
pub const MAX_KEY_NAME: usize = 128;

/// A stored key (never its token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    pub name: String,
    pub role: Role,
    /// The funds the key may see and write; `None` = every fund.
    pub funds: Option<Vec<String>>,
    pub created_at: String,
    /// When it was revoked; a revoked key authenticates nothing.
    pub revoked_at: Option<String>,
}

impl ApiKey {
    pub fn is_revoked(&self) -> bool {
        self.revoked_at.is_some()
    }
}

/// A key to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApiKey {
    pub name: String,
    pub role: Role,
    /// `None` (or no funds) = every fund.
    pub funds: Option<Vec<String>>,
    pub created_at: String,
}

/// Checks a key name: 1–128 characters, no control characters, no surrounding spaces (names
/// are also what a trusted proxy sends, e.g. an e-mail address).
pub fn check_key_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("a key name must not be empty".into());
    }
    if name.chars().count() > MAX_KEY_NAME {
        return Err(format!("a key name has at most {MAX_KEY_NAME} characters"));
    }
    if name.chars().any(char::is_control) {
        return Err("a key name must not contain control characters".into());
    }
    if name.trim() != name {
        return Err("a key name must not start or end with spaces".into());
    }
    Ok(())
}

/// A new random token: `slb_` + 64 hex digits (256 bits).
pub fn new_token() -> Result<String, StoreError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| StoreError::Config(format!("no randomness for a token: {e}")))?;
    Ok(format!("slb_{}", hex(&bytes)))
}

/// The SHA-256 of a token, as stored (64 lowercase hex digits).
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Storage of API keys.
#[async_trait]
pub trait KeyStore: Send + Sync {
    /// Stores a new key and returns its token (the only time it exists outside the caller's
    /// hands). A name already held by a key that is not revoked is
    /// [`StoreError::KeyNameTaken`].
    async fn create_api_key(&self, key: &NewApiKey) -> Result<String, StoreError>;

    /// The key a token belongs to (revoked or not), if any.
    async fn find_api_key(&self, token: &str) -> Result<Option<ApiKey>, StoreError>;

    /// The key with this name: the active one, else the most recently revoked one.
    async fn find_api_key_by_name(&self, name: &str) -> Result<Option<ApiKey>, StoreError>;

    /// Every key ever created, oldest first.
    async fn list_api_keys(&self) -> Result<Vec<ApiKey>, StoreError>;

    /// Revokes the active key of this name; `false` when there is none.
    async fn revoke_api_key(&self, name: &str, revoked_at: &str) -> Result<bool, StoreError>;

    /// Whether any key was ever created (revoked ones count: a server that had keys keeps
    /// requiring them).
    async fn has_api_keys(&self) -> Result<bool, StoreError>;
}

const KEY_COLUMNS: &str = "name, role, funds, created_at, revoked_at";

fn api_key(row: &AnyRow) -> Result<ApiKey, StoreError> {
    let name = text(row, "name")?;
    let funds = opt_text(row, "funds")?
        .map(|json| {
            serde_json::from_str::<Vec<String>>(&json)
                .map_err(|e| StoreError::Corrupt(format!("key {name}: funds: {e}")))
        })
        .transpose()?
        .filter(|funds| !funds.is_empty());
    Ok(ApiKey {
        role: text(row, "role")?.parse().map_err(StoreError::Corrupt)?,
        funds,
        created_at: text(row, "created_at")?,
        revoked_at: opt_text(row, "revoked_at")?,
        name,
    })
}

#[async_trait]
impl KeyStore for SqlStore {
    async fn create_api_key(&self, key: &NewApiKey) -> Result<String, StoreError> {
        check_key_name(&key.name).map_err(StoreError::Config)?;
        let token = new_token()?;
        let funds = key
            .funds
            .as_ref()
            .filter(|funds| !funds.is_empty())
            .map(|funds| serde_json::to_string(funds).expect("fund ids serialise"));
        let taken = || StoreError::KeyNameTaken(key.name.clone());
        if self.find_active_key(&key.name).await?.is_some() {
            return Err(taken());
        }
        let inserted = sqlx::query(
            "INSERT INTO api_keys (name, role, funds, token_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&key.name)
        .bind(key.role.as_str())
        .bind(funds)
        .bind(token_hash(&token))
        .bind(&key.created_at)
        .execute(self.writer())
        .await;
        match inserted {
            Ok(_) => Ok(token),
            // Another writer took the name between the check and the insert.
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(taken()),
            Err(e) => Err(e).during("create api key"),
        }
    }

    async fn find_api_key(&self, token: &str) -> Result<Option<ApiKey>, StoreError> {
        let sql = format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE token_hash = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(token_hash(token))
            .fetch_optional(self.reader())
            .await
            .during("find api key")?;
        row.as_ref().map(api_key).transpose()
    }

    async fn find_api_key_by_name(&self, name: &str) -> Result<Option<ApiKey>, StoreError> {
        let sql = format!(
            "SELECT {KEY_COLUMNS} FROM api_keys WHERE name = $1 \
             ORDER BY CASE WHEN revoked_at IS NULL THEN 0 ELSE 1 END, seq DESC LIMIT 1"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(name)
            .fetch_optional(self.reader())
            .await
            .during("find api key by name")?;
        row.as_ref().map(api_key).transpose()
    }

    async fn list_api_keys(&self) -> Result<Vec<ApiKey>, StoreError> {
        let sql = format!("SELECT {KEY_COLUMNS} FROM api_keys ORDER BY seq");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(self.reader())
            .await
            .during("list api keys")?;
        rows.iter().map(api_key).collect()
    }

    async fn revoke_api_key(&self, name: &str, revoked_at: &str) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE api_keys SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL",
        )
        .bind(revoked_at)
        .bind(name)
        .execute(self.writer())
        .await
        .during("revoke api key")?;
        Ok(done.rows_affected() > 0)
    }

    async fn has_api_keys(&self) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT 1 AS present FROM api_keys LIMIT 1")
            .fetch_optional(self.reader())
            .await
            .during("count api keys")?;
        Ok(row.is_some())
    }
}

impl SqlStore {
    async fn find_active_key(&self, name: &str) -> Result<Option<AnyRow>, StoreError> {
        sqlx::query("SELECT name FROM api_keys WHERE name = $1 AND revoked_at IS NULL")
            .bind(name)
            .fetch_optional(self.writer())
            .await
            .during("find api key by name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_bit_hex_with_a_prefix_and_hash_to_sha256() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 4 + 64);
        assert!(a.starts_with("slb_"));
        assert!(a[4..].chars().all(|c| c.is_ascii_hexdigit()));
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn key_names_are_checked() {
        assert!(check_key_name("alice@example.com").is_ok());
        assert!(check_key_name("ci deploy").is_ok());
        assert!(check_key_name("").is_err());
        assert!(check_key_name(" alice").is_err());
        assert!(check_key_name("a\nb").is_err());
        assert!(check_key_name(&"x".repeat(129)).is_err());
    }
}
