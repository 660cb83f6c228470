//! The SQLite database file: checked before the server opens it (a corrupt, truncated, empty,
//! foreign or read-only file refuses to start with a precise message instead of silently
//! becoming an empty store), and watched while it is in use (a file or data directory removed
//! under a running server makes the store unavailable instead of writing into a deleted file).

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::StoreError;

/// The 16 bytes every SQLite 3 database starts with.
const MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// What the pre-flight check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Found {
    /// No file yet: a new store will be created.
    Nothing,
    /// A plausible SQLite database.
    Database,
}

/// Checks `path` before it is opened. Every refusal says what is wrong and what to do.
pub(crate) fn preflight(path: &Path) -> Result<Found, StoreError> {
    let found = preflight_readable(path)?;
    if found == Found::Database {
        check_writable(path)?;
    }
    check_directory_writable(path)?;
    Ok(found)
}

/// [`preflight`] for reading only: the file is a plausible SQLite database (or absent).
pub(crate) fn preflight_readable(path: &Path) -> Result<Found, StoreError> {
    let refuse = |what: String| {
        StoreError::Config(format!(
            "the database {} {what}; the server will not start on it. Restore it from a backup \
             (`slb backup` makes one) or move it away to start a new, empty store",
            path.display()
        ))
    };
    let wal = sibling(path, "-wal");
    let metadata = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
                return Err(refuse(format!(
                    "is missing but its journal {} is there (was the database file deleted?)",
                    wal.display()
                )));
            }
            return Ok(Found::Nothing);
        }
        Err(e) => return Err(refuse(format!("cannot be read ({e})"))),
    };
    if !metadata.is_file() {
        return Err(refuse("is not a regular file".into()));
    }
    let size = metadata.len();
    if size == 0 {
        return Err(refuse(
            "is empty (0 bytes): it is not an SLB Planner database".into(),
        ));
    }
    let mut header = [0u8; 100];
    let read =
        read_prefix(path, &mut header).map_err(|e| refuse(format!("cannot be read ({e})")))?;
    if read < 16 || &header[..16] != MAGIC {
        return Err(refuse(
            "is not an SQLite database (it does not start with the SQLite header)".into(),
        ));
    }
    if read < 100 {
        return Err(refuse(format!(
            "is truncated: {size} bytes, shorter than the 100-byte SQLite header"
        )));
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536,
        n => u64::from(n),
    };
    if !(512..=65_536).contains(&page_size) || !page_size.is_power_of_two() {
        return Err(refuse(format!(
            "is corrupt: its header gives an impossible page size ({page_size})"
        )));
    }
    if size % page_size != 0 {
        return Err(refuse(format!(
            "is truncated or damaged: {size} bytes is not a whole number of {page_size}-byte pages"
        )));
    }
    // The page count in the header is valid when its change counter matches the
    // version-valid-for number (SQLite file format §1.3.7).
    let pages = u64::from(u32::from_be_bytes([
        header[28], header[29], header[30], header[31],
    ]));
    let counter_valid = header[24..28] == header[92..96];
    if counter_valid && pages > 0 && size < pages * page_size {
        return Err(refuse(format!(
            "is truncated: its header records {pages} pages of {page_size} bytes ({} bytes) but \
             the file has {size} bytes",
            pages * page_size
        )));
    }
    Ok(Found::Database)
}

/// The server writes its database: a file without write permission (even for root, who
/// could write it anyway: the mode says it is meant to stay as it is) is refused.
fn check_writable(path: &Path) -> Result<(), StoreError> {
    let refuse = |what: String| {
        StoreError::Config(format!(
            "the database {} {what}; the server will not start on it",
            path.display()
        ))
    };
    let mode = std::fs::metadata(path)
        .map_err(|e| refuse(format!("cannot be read ({e})")))?
        .permissions()
        .mode();
    if mode & 0o222 == 0 {
        return Err(refuse(format!(
            "is read-only (mode {:o}): the server must write to it. Make it writable \
             (chmod u+w), or copy it somewhere writable to look at an archived store",
            mode & 0o777
        )));
    }
    if let Err(e) = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
    {
        return Err(refuse(format!("cannot be opened for writing ({e})")));
    }
    Ok(())
}

/// Largest database whose every page is checked at start-up (`PRAGMA quick_check`, about a
/// second per few hundred MiB); larger ones get the header checks only.
const QUICK_CHECK_MAX_BYTES: u64 = 1 << 30;

/// Checks an opened database: it is an SLB Planner store (or a new, empty one) and, when not
/// huge, its pages are sound.
pub(crate) async fn check_contents(pool: &sqlx::AnyPool, path: &Path) -> Result<(), StoreError> {
    let refuse = |what: String| {
        StoreError::Config(format!(
            "the database {} {what}; the server will not start on it. Restore it from a backup \
             (`slb backup` makes one) or move it away to start a new, empty store",
            path.display()
        ))
    };
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'")
            .fetch_all(pool)
            .await
            .map_err(|e| open_error(path, e))?;
    let ours = tables
        .iter()
        .any(|t| t == "_sqlx_migrations" || t == "runs");
    let foreign: Vec<&str> = tables
        .iter()
        .map(String::as_str)
        .filter(|t| !t.starts_with("sqlite_"))
        .collect();
    if !ours && !foreign.is_empty() {
        return Err(refuse(format!(
            "belongs to another application (its tables: {})",
            foreign.join(", ")
        )));
    }
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size <= QUICK_CHECK_MAX_BYTES {
        let verdict: Vec<String> = sqlx::query_scalar("PRAGMA quick_check(5)")
            .fetch_all(pool)
            .await
            .map_err(|e| open_error(path, e))?;
        if verdict != ["ok"] {
            return Err(refuse(format!("is corrupt ({})", verdict.join("; "))));
        }
    }
    Ok(())
}

/// A failure to open an existing database, in words.
pub(crate) fn open_error(path: &Path, error: sqlx::Error) -> StoreError {
    let code = match &error {
        sqlx::Error::Database(db) => db
            .code()
            .and_then(|c| c.parse::<i32>().ok())
            .map(|c| c & 0xff),
        _ => None,
    };
    let what = match code {
        Some(11) => "is corrupt",
        Some(26) => "is not an SQLite database",
        Some(8) => "is read-only",
        Some(14) => "cannot be opened",
        Some(5 | 6) => "is locked by another process",
        Some(10) => "cannot be read or written",
        Some(13) => "cannot grow: the disk is full",
        _ => "cannot be opened",
    };
    StoreError::Config(format!(
        "the database {} {what} ({error}); the server will not start on it",
        path.display()
    ))
}

/// A failed migration of an SQLite database, in words.
pub(crate) fn migrate_error(path: &Path, error: sqlx::migrate::MigrateError) -> StoreError {
    match error {
        sqlx::migrate::MigrateError::Execute(e) => open_error(path, e),
        other => StoreError::Migration(other),
    }
}

/// SQLite keeps its journal (`-wal`, `-shm`) beside the database: the folder must be writable.
fn check_directory_writable(path: &Path) -> Result<(), StoreError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let metadata = std::fs::metadata(&dir).map_err(|e| {
        StoreError::Config(format!(
            "the data directory {} cannot be read ({e})",
            dir.display()
        ))
    })?;
    if metadata.permissions().mode() & 0o222 == 0 {
        return Err(StoreError::Config(format!(
            "the data directory {} is read-only (mode {:o}): SQLite keeps its journal beside \
             the database, so the server must write there",
            dir.display(),
            metadata.permissions().mode() & 0o777
        )));
    }
    Ok(())
}

fn read_prefix(path: &Path, buf: &mut [u8]) -> std::io::Result<usize> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// `slb.db` → `slb.db-wal`.
pub(crate) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The database file a running store uses, watched by device and inode: when the path no
/// longer names that file (the file or its folder was deleted, moved or replaced), new work is
/// refused rather than written into an unlinked file that no restart would find.
#[derive(Debug)]
pub(crate) struct FileWatch {
    path: PathBuf,
    /// Device and inode of the file the connections opened (0 until known).
    identity: AtomicU64,
}

impl FileWatch {
    pub(crate) fn new(path: &Path) -> FileWatch {
        FileWatch {
            path: path.to_path_buf(),
            identity: AtomicU64::new(0),
        }
    }

    /// Records the file now at the path as the one in use (after a connection opened it).
    pub(crate) fn record(&self) {
        if let Ok(m) = std::fs::metadata(&self.path) {
            self.identity.store(identity(&m), Ordering::Relaxed);
        }
    }

    /// Whether the path still names the file in use.
    pub(crate) fn check(&self) -> Result<(), StoreError> {
        match std::fs::metadata(&self.path) {
            Ok(m) if identity(&m) == self.identity.load(Ordering::Relaxed) => Ok(()),
            Ok(_) => Err(StoreError::Unavailable(
                "the database file was replaced while the server ran; restart the server".into(),
            )),
            Err(_) => Err(StoreError::Unavailable(
                "the database file is gone (was the data directory removed?)".into(),
            )),
        }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the file system of the database has room for more runs: a full disk makes
    /// every write fail, so the store is not ready although it still reads.
    pub(crate) fn check_space(&self) -> Result<(), StoreError> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        match free_bytes(dir) {
            Some(free) if free < MIN_FREE_BYTES => Err(StoreError::Unavailable(format!(
                "the disk of the database is (nearly) full: {} KiB free",
                free / 1024
            ))),
            _ => Ok(()),
        }
    }
}

/// Free space below which the store reports itself not ready.
const MIN_FREE_BYTES: u64 = 16 * 1024 * 1024;

/// Bytes available to this process on the file system holding `dir`.
// The field types differ between targets (`u32` on some 32-bit ones).
#[allow(clippy::useless_conversion)]
fn free_bytes(dir: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    let mut stats: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: a NUL-terminated path and a statvfs struct owned by this frame.
    let status = unsafe { libc::statvfs(path.as_ptr(), &mut stats) };
    (status == 0).then(|| u64::from(stats.f_bavail).saturating_mul(u64::from(stats.f_frsize)))
}

fn identity(m: &std::fs::Metadata) -> u64 {
    // Inode numbers fit comfortably in 48 bits on every file system SQLite is used on; the
    // device is folded in so that a copy on another mount never matches.
    m.ino() ^ m.dev().rotate_left(48)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(path: &Path) -> String {
        match preflight(path) {
            Err(StoreError::Config(message)) => message,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_missing_file_is_a_new_store_and_junk_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("slb.db");
        assert_eq!(preflight(&path).unwrap(), Found::Nothing);

        std::fs::write(&path, b"").unwrap();
        assert!(refusal(&path).contains("is empty (0 bytes)"));

        std::fs::write(&path, b"hello, this is not a database at all").unwrap();
        assert!(refusal(&path).contains("is not an SQLite database"));

        let mut header = MAGIC.to_vec();
        header.resize(100, 0);
        header[16..18].copy_from_slice(&4096u16.to_be_bytes());
        header.resize(4096 + 100, 0);
        std::fs::write(&path, &header).unwrap();
        assert!(refusal(&path).contains("not a whole number of 4096-byte pages"));

        // Header says 3 pages, the file has 2.
        header.resize(8192, 0);
        header[28..32].copy_from_slice(&3u32.to_be_bytes());
        header[24..28].copy_from_slice(&7u32.to_be_bytes());
        header[92..96].copy_from_slice(&7u32.to_be_bytes());
        std::fs::write(&path, &header).unwrap();
        assert!(refusal(&path).contains("its header records 3 pages"));
    }

    #[test]
    fn a_read_only_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("slb.db");
        let mut header = MAGIC.to_vec();
        header.resize(4096, 0);
        header[16..18].copy_from_slice(&4096u16.to_be_bytes());
        std::fs::write(&path, &header).unwrap();
        assert_eq!(preflight(&path).unwrap(), Found::Database);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
        assert!(refusal(&path).contains("is read-only (mode 444)"));
    }

    #[test]
    fn free_space_is_known() {
        let dir = tempfile::tempdir().unwrap();
        assert!(free_bytes(dir.path()).is_some_and(|free| free > 0));
        assert_eq!(free_bytes(&dir.path().join("missing")), None);
    }

    #[test]
    fn the_watch_notices_removal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("slb.db");
        std::fs::write(&path, b"x").unwrap();
        let watch = FileWatch::new(&path);
        watch.record();
        watch.check().unwrap();
        let moved = dir.path().join("moved.db");
        std::fs::rename(&path, &moved).unwrap();
        assert!(matches!(watch.check(), Err(StoreError::Unavailable(_))));
        std::fs::rename(&moved, &path).unwrap();
        watch.check().unwrap();
    }
}
