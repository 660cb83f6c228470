//! Timestamps for audit trails and records: ISO-8601 UTC with microseconds and an explicit
//! offset (`2025-12-12T10:00:00.123456+00:00`), as the reference writes them.

/// Current time in the wire format.
pub fn now_iso() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.6f+00:00")
        .to_string()
}
