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
