use thiserror::Error;

/// A storage failure. Messages name the operation, never credentials.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("store configuration: {0}")]
    Config(String),
    #[error("database error during {operation}: {source}")]
    Database {
        operation: &'static str,
        #[source]
        source: sqlx::Error,
    },
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is corrupt ({0})")]
    Corrupt(String),
    /// A listing's `before` cursor names nothing stored.
    #[error("no {0} with that id: the cursor must be the id of an item of a previous page")]
    UnknownCursor(&'static str),
    /// The store cannot serve now (database down or unreachable, full, timed out, its file
    /// removed); retrying later may succeed.
    #[error("store unavailable: {0}")]
    Unavailable(String),
    /// An `Idempotency-Key` is already stored (a concurrent request with the same key won).
    #[error("idempotency key already used")]
    IdempotencyKeyTaken,
    /// A key that is not revoked already has this name.
    #[error("a key named {0:?} already exists (revoke it first, or pick another name)")]
    KeyNameTaken(String),
}

/// Attaches the operation name to a sqlx error.
pub(crate) trait Context<T> {
    fn during(self, operation: &'static str) -> Result<T, StoreError>;
}

impl<T> Context<T> for Result<T, sqlx::Error> {
    fn during(self, operation: &'static str) -> Result<T, StoreError> {
        self.map_err(|source| StoreError::Database { operation, source })
    }
}

impl StoreError {
    /// Whether the store is unavailable rather than the request wrong: the database cannot be
    /// reached or timed out, is full, read-only, locked for too long, shutting down, or its
    /// file is gone. Answered as 503 with `Retry-After`.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Unavailable(_) => true,
            StoreError::Database { source, .. } => crate::availability::is_unavailable(source),
            _ => false,
        }
    }

    /// What a client may be told about an unavailable store: the kind of fault, no internals.
    pub fn unavailable_detail(&self) -> String {
        let what = match self {
            StoreError::Unavailable(reason) => reason.clone(),
            StoreError::Database { source, .. } => crate::availability::describe(source).into(),
            _ => "the store failed".into(),
        };
        format!("{what}; retry in a few seconds")
    }
}
