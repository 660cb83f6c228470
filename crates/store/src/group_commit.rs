//! Group commit for SQLite. SQLite has one writer at a time, and each commit costs WAL frames
//! and two thread hand-offs. Under concurrent load, the runs waiting to be written are taken
//! together and written as one multi-row INSERT in one commit; each caller is answered only
//! after that commit, so an acknowledged run is durable exactly as with a commit of its own.
//!
//! Between batches the writer also keeps the WAL bounded (see [`WAL_RESTART_BYTES`]).
//!
//! The queue is bounded ([`QUEUE_CAPACITY`]): when the disk cannot keep up, callers wait for
//! room at most [`ENQUEUE_TIMEOUT`] and then get [`StoreError::Unavailable`] (a 503), rather than
//! piling up runs in memory without limit.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sqlx::AnyPool;
use tokio::sync::{mpsc, oneshot};

use crate::EncodedRun;
use crate::error::{Context, StoreError};
use crate::idempotency::{self, IdempotencyRecord};
use crate::insert::insert_runs;

/// Most runs written in one commit (SQLite allows 32,766 bound values; a run binds 18).
const MAX_BATCH: usize = 256;

/// Runs waiting for the writer at most.
pub(crate) const QUEUE_CAPACITY: usize = 4 * MAX_BATCH;

/// Longest a caller waits for room in a full queue.
pub(crate) const ENQUEUE_TIMEOUT: Duration = Duration::from_secs(3);

/// WAL size past which the writer checkpoints it itself. Under a steady stream of commits
/// the background checkpointer's passive checkpoints never catch up with the writer, the log
/// is never restarted and grows without bound (half a gigabyte in ten seconds of bench-load).
/// A passive checkpoint run by the writer between two of its own commits does catch up (no
/// commit can slip in), and the next commit starts the log from its beginning. It pauses the
/// writer while it copies what the background checkpointer has not (up to a few hundred ms at
/// full load), so the bound is high: reached only under sustained saturating writes, where it
/// keeps the disk from filling up.
pub(crate) const WAL_RESTART_BYTES: u64 = 2 * 1024 * 1024 * 1024;

struct Job {
    run: EncodedRun,
    key: Option<IdempotencyRecord>,
    done: oneshot::Sender<Result<(), StoreError>>,
}

/// Handle to the writer task; dropping every handle stops the task.
#[derive(Clone)]
pub(crate) struct GroupCommit {
    jobs: mpsc::Sender<Job>,
}

impl GroupCommit {
    /// Starts the writer task on the current tokio runtime.
    pub(crate) fn start(writer: AnyPool, wal: WalSize) -> GroupCommit {
        let (jobs, receiver) = mpsc::channel(QUEUE_CAPACITY);
        tokio::spawn(write_loop(writer, wal, receiver));
        GroupCommit { jobs }
    }

    /// Writes one run (and its idempotency key, in the same commit); returns once the commit
    /// that holds it has completed.
    pub(crate) async fn insert(
        &self,
        run: EncodedRun,
        key: Option<IdempotencyRecord>,
    ) -> Result<(), StoreError> {
        let (done, answer) = oneshot::channel();
        let stopped = || StoreError::Unavailable("the store's writer has stopped".into());
        let job = Job { run, key, done };
        match tokio::time::timeout(ENQUEUE_TIMEOUT, self.jobs.send(job)).await {
            Ok(Ok(())) => {}
            Ok(Err(_)) => return Err(stopped()),
            Err(_) => {
                return Err(StoreError::Unavailable(format!(
                    "the write queue is full ({QUEUE_CAPACITY} runs waiting for the disk)"
                )));
            }
        }
        answer.await.map_err(|_| stopped())?
    }
}

async fn write_loop(writer: AnyPool, wal: WalSize, mut receiver: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while receiver.recv_many(&mut batch, MAX_BATCH).await > 0 {
        if wal.bytes() > WAL_RESTART_BYTES {
            match sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .fetch_one(&writer)
                .await
            {
                Ok(row) => wal.record(&row),
                Err(e) => tracing::warn!(error = %e, "WAL checkpoint by the writer failed"),
            }
        }
        let jobs = std::mem::take(&mut batch);
        match write(&writer, &jobs).await {
            Ok(()) => jobs.into_iter().for_each(|job| {
                let _ = job.done.send(Ok(()));
            }),
            // One bad row (a duplicate id or idempotency key, say) must not fail its
            // neighbours: retry one by one.
            Err(_) if jobs.len() > 1 => {
                for job in jobs {
                    let result = write(&writer, std::slice::from_ref(&job)).await;
                    let _ = job.done.send(result);
                }
            }
            // A batch of one: its error is that job's own.
            Err(e) => {
                if let Some(job) = jobs.into_iter().next() {
                    let _ = job.done.send(Err(e));
                }
            }
        }
    }
}

/// One commit: the runs in one INSERT and, when any has one, their idempotency keys.
async fn write(writer: &AnyPool, jobs: &[Job]) -> Result<(), StoreError> {
    let runs = jobs.iter().map(|j| (&j.run, None));
    let keys: Vec<&IdempotencyRecord> = jobs.iter().filter_map(|j| j.key.as_ref()).collect();
    if keys.is_empty() {
        return insert_runs(writer, runs).await;
    }
    let mut tx = writer.begin().await.during("begin run insert")?;
    insert_runs(&mut *tx, runs).await?;
    idempotency::insert(&mut *tx, &keys).await?;
    tx.commit().await.during("commit runs")
}

/// The size of the WAL as the last checkpoint counted it (frames × page size).
#[derive(Clone)]
pub(crate) struct WalSize {
    frames: Arc<AtomicU64>,
    page_size: u64,
}

impl WalSize {
    pub(crate) fn new(page_size: u64) -> WalSize {
        WalSize {
            frames: Arc::new(AtomicU64::new(0)),
            page_size,
        }
    }

    fn bytes(&self) -> u64 {
        self.frames
            .load(Ordering::Relaxed)
            .saturating_mul(self.page_size)
    }

    /// Records the frame count of a `PRAGMA wal_checkpoint` answer (busy, log, checkpointed).
    pub(crate) fn record(&self, row: &sqlx::any::AnyRow) {
        if let Ok(frames) = sqlx::Row::try_get::<i64, _>(row, 1) {
            self.frames
                .store(u64::try_from(frames).unwrap_or(0), Ordering::Relaxed);
        }
    }
}
