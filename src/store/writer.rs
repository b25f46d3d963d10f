//! The single writer: one thread owns every write transaction and commits concurrent
//! requests together (group commit).
//!
//! redb allows one write transaction at a time and each durable commit costs an fsync.
//! Callers hand a job to this thread and wait; while one commit is being made durable,
//! new jobs queue up, and the next transaction runs all of them and pays one fsync.
//! Each caller is answered only after the commit that contains its job, so an
//! acknowledged write survives a crash. A job that fails aborts its batch, after which
//! the batch's jobs are replayed one transaction each so that only the failing job's
//! caller sees the error.

use std::sync::Arc;
use std::thread::JoinHandle;

use redb::{Database, Durability, WriteTransaction};
use tokio::sync::{mpsc, oneshot};

use super::StoreError;

/// The most jobs one transaction carries, so one huge burst cannot delay its first
/// callers indefinitely.
const MAX_BATCH: usize = 256;

/// A unit of work run inside a write transaction. It may run twice (once in a batch that
/// failed for another job, once alone), so it must only depend on its own captured data.
pub type Job = Box<dyn Fn(&WriteTransaction) -> Result<(), StoreError> + Send>;

struct Request {
    job: Job,
    done: oneshot::Sender<Result<(), StoreError>>,
}

/// The sending side of the writer; cloning it is cheap.
#[derive(Clone)]
pub struct WriterHandle {
    queue: mpsc::UnboundedSender<Request>,
}

impl WriterHandle {
    /// Starts the writer thread on `db`.
    pub fn spawn(db: Arc<Database>) -> Result<(WriterHandle, JoinHandle<()>), StoreError> {
        let (queue, inbox) = mpsc::unbounded_channel();
        let thread = std::thread::Builder::new()
            .name("cartd-writer".into())
            .spawn(move || run(&db, inbox))
            .map_err(StoreError::from)?;
        Ok((WriterHandle { queue }, thread))
    }

    /// Queues `job` and returns a receiver that resolves once it is durable (or failed).
    pub fn submit(&self, job: Job) -> oneshot::Receiver<Result<(), StoreError>> {
        let (done, answer) = oneshot::channel();
        // A closed queue drops `done`, and the receiver then reports `Closed`.
        let _ = self.queue.send(Request { job, done });
        answer
    }
}

fn run(db: &Database, mut inbox: mpsc::UnboundedReceiver<Request>) {
    while let Some(first) = inbox.blocking_recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match inbox.try_recv() {
                Ok(request) => batch.push(request),
                Err(_) => break,
            }
        }
        match commit(db, batch.iter().map(|r| &r.job)) {
            Ok(()) => batch.into_iter().for_each(|r| {
                let _ = r.done.send(Ok(()));
            }),
            Err(_) if batch.len() > 1 => {
                for request in batch {
                    let outcome = commit(db, std::iter::once(&request.job));
                    let _ = request.done.send(outcome);
                }
            }
            Err(err) => batch.into_iter().for_each(|r| {
                let _ = r.done.send(Err(err.clone()));
            }),
        }
    }
}

fn commit<'a>(db: &Database, jobs: impl Iterator<Item = &'a Job>) -> Result<(), StoreError> {
    let mut txn = db.begin_write()?;
    txn.set_durability(Durability::Immediate)?;
    for job in jobs {
        job(&txn)?;
    }
    txn.commit()?;
    Ok(())
}
