//! Group commit for SQLite. SQLite has one writer at a time, and each commit costs WAL frames
//! and two thread hand-offs. Under concurrent load, the runs waiting to be written are taken
//! together and written as one multi-row INSERT in one commit; each caller is answered only
//! after that commit, so an acknowledged run is durable exactly as with a commit of its own.

use sqlx::AnyPool;
use tokio::sync::{mpsc, oneshot};

use crate::EncodedRun;
use crate::error::StoreError;
use crate::insert::insert_runs;

/// Most runs written in one commit (SQLite allows 32,766 bound values; a run binds 18).
const MAX_BATCH: usize = 256;

struct Job {
    run: EncodedRun,
    done: oneshot::Sender<Result<(), StoreError>>,
}

/// Handle to the writer task; dropping every handle stops the task.
#[derive(Clone)]
pub(crate) struct GroupCommit {
    jobs: mpsc::UnboundedSender<Job>,
}

impl GroupCommit {
    /// Starts the writer task on the current tokio runtime.
    pub(crate) fn start(writer: AnyPool) -> GroupCommit {
        let (jobs, receiver) = mpsc::unbounded_channel();
        tokio::spawn(write_loop(writer, receiver));
        GroupCommit { jobs }
    }

    /// Writes one run; returns once the commit that holds it has completed.
    pub(crate) async fn insert(&self, run: EncodedRun) -> Result<(), StoreError> {
        let (done, answer) = oneshot::channel();
        let stopped = || StoreError::Config("the store's writer has stopped".into());
        self.jobs.send(Job { run, done }).map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

async fn write_loop(writer: AnyPool, mut receiver: mpsc::UnboundedReceiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while receiver.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let jobs = std::mem::take(&mut batch);
        match insert_runs(&writer, jobs.iter().map(|j| (&j.run, None))).await {
            Ok(()) => jobs.into_iter().for_each(|job| {
                let _ = job.done.send(Ok(()));
            }),
            // One bad row (a duplicate id, say) must not fail its neighbours: retry one by one.
            Err(_) if jobs.len() > 1 => {
                for job in jobs {
                    let result = insert_runs(&writer, [(&job.run, None)]).await;
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
