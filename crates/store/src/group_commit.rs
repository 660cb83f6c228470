//! Group commit for SQLite. SQLite has one writer at a time, and each commit costs WAL frames
//! and two thread hand-offs. Under concurrent load, the runs waiting to be written are taken
//! together and written as one multi-row INSERT in one commit; each caller is answered only
//! after that commit, so an acknowledged run is durable exactly as with a commit of its own.

use sqlx::{AnyPool, QueryBuilder};
use tokio::sync::{mpsc, oneshot};

use crate::EncodedRun;
use crate::error::{Context, StoreError};

/// Most runs written in one commit (SQLite allows 32,766 bound values; a run binds 12).
const MAX_BATCH: usize = 256;

struct Job {
    run: EncodedRun,
    done: oneshot::Sender<Result<(), String>>,
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
        answer
            .await
            .map_err(|_| stopped())?
            .map_err(StoreError::Write)
    }
}

async fn write_loop(writer: AnyPool, mut receiver: mpsc::UnboundedReceiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while receiver.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let jobs = std::mem::take(&mut batch);
        match insert_many(&writer, jobs.iter().map(|j| &j.run)).await {
            Ok(()) => jobs.into_iter().for_each(|job| {
                let _ = job.done.send(Ok(()));
            }),
            // One bad row (a duplicate id, say) must not fail its neighbours: retry one by one.
            Err(_) if jobs.len() > 1 => {
                for job in jobs {
                    let result = insert_many(&writer, std::iter::once(&job.run)).await;
                    let _ = job.done.send(result.map_err(|e| e.to_string()));
                }
            }
            Err(e) => jobs.into_iter().for_each(|job| {
                let _ = job.done.send(Err(e.to_string()));
            }),
        }
    }
}

async fn insert_many<'a>(
    writer: &AnyPool,
    runs: impl Iterator<Item = &'a EncodedRun>,
) -> Result<(), StoreError> {
    let mut query = QueryBuilder::new(
        "INSERT INTO runs (run_id, fund_id, program_description, status, response, error, \
         created_at, scenario_set_id, scenario_kind, scenario_label, scenario_position, scenario_rationale) ",
    );
    query.push_values(runs, |mut row, run| {
        let item = &run.summary;
        row.push_bind(item.run_id.clone())
            .push_bind(item.fund_id.clone())
            .push_bind(item.program_description.clone())
            .push_bind(item.status.as_str())
            .push_bind(run.response_json.clone())
            .push_bind(run.error.clone())
            .push_bind(item.created_at.clone())
            .push_bind(item.scenario_set_id.clone())
            .push_bind(item.scenario_kind.map(|k| k.as_str()))
            .push_bind(item.scenario_label.clone())
            .push_bind(None::<i64>)
            .push_bind(run.scenario_rationale.clone());
    });
    query.build().execute(writer).await.during("insert runs")?;
    Ok(())
}
