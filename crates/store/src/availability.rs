//! Which database errors mean "the store is unavailable" (503, retry later) rather than a bug or
//! a bad request: lost connections, timeouts, a full disk, a read-only or vanished database, a
//! server shutting down.

/// Whether `error` is a fault of the store's availability.
pub(crate) fn is_unavailable(error: &sqlx::Error) -> bool {
    kind(error).is_some()
}

/// A short, internals-free description of an availability fault.
pub(crate) fn describe(error: &sqlx::Error) -> &'static str {
    kind(error).unwrap_or("the store failed")
}

fn kind(error: &sqlx::Error) -> Option<&'static str> {
    match error {
        sqlx::Error::Io(_) | sqlx::Error::Tls(_) | sqlx::Error::Protocol(_) => {
            Some("the database cannot be reached")
        }
        sqlx::Error::PoolTimedOut => Some("the database did not answer in time"),
        sqlx::Error::PoolClosed | sqlx::Error::WorkerCrashed => Some("the store is shutting down"),
        sqlx::Error::Database(db) => {
            let code = db.code()?;
            if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                sqlite_kind(&code)
            } else {
                postgres_kind(&code)
            }
        }
        _ => None,
    }
}

/// SQLite result codes (extended codes carry the primary code in their low byte).
fn sqlite_kind(code: &str) -> Option<&'static str> {
    let primary = code.parse::<i32>().ok()? & 0xff;
    match primary {
        5 | 6 => Some("the database is locked by another writer"),
        7 => Some("the database ran out of memory"),
        8 => Some("the database is read-only"),
        10 => Some("the database file cannot be read or written"),
        13 => Some("the database or its disk is full"),
        14 => Some("the database file cannot be opened"),
        _ => None,
    }
}

/// PostgreSQL SQLSTATEs: connection exceptions (08), insufficient resources such as a full
/// disk (53), operator intervention such as a shutdown (57P), a cancelled or timed-out
/// statement (57014), a read-only standby (25006).
fn postgres_kind(code: &str) -> Option<&'static str> {
    match code {
        "57014" => Some("the database did not answer in time"),
        "25006" => Some("the database is read-only"),
        "53100" => Some("the database or its disk is full"),
        _ if code.len() == 5 && code.starts_with("08") => Some("the database cannot be reached"),
        _ if code.len() == 5 && code.starts_with("53") => Some("the database is out of resources"),
        _ if code.len() == 5 && code.starts_with("57P") => {
            Some("the database is shutting down or starting")
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_codes() {
        assert_eq!(sqlite_kind("13"), Some("the database or its disk is full"));
        // SQLITE_IOERR_WRITE = 10 | (3 << 8)
        assert!(sqlite_kind("778").is_some());
        assert_eq!(sqlite_kind("19"), None); // constraint violation: the request's fault
        assert_eq!(sqlite_kind("2067"), None); // SQLITE_CONSTRAINT_UNIQUE
    }

    #[test]
    fn postgres_codes() {
        assert!(postgres_kind("08006").is_some());
        assert!(postgres_kind("57P01").is_some());
        assert!(postgres_kind("53100").is_some());
        assert_eq!(postgres_kind("23505"), None); // unique violation
        assert_eq!(postgres_kind("22021"), None); // bad byte sequence
    }
}
