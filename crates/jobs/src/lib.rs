//! The durable job queue. Side effects of a use case (mail, fan-out to followers, analysis runs,
//! scheduled notices) are written as rows of the `jobs` table in the same transaction as the
//! write that causes them (`storage::Tx::enqueue`), then run here, outside any request.
//!
//! Why our own and not a crate: the maintained queues for sqlx (apalis, sqlxmq, graphile-worker
//! ports) either pin another sqlx line, support PostgreSQL only, or need their own schema and
//! LISTEN/NOTIFY; Concorde needs one queue on SQLite and PostgreSQL through `sqlx::Any`, with
//! jobs enqueued inside the caller's transaction. The whole of it is a table, a claim query
//! (`storage::jobs`) and the loop below.
//!
//! Guarantees: a job runs at least once; a job whose worker died (kill -9) is taken back when its
//! lease runs out; a failing job is retried with exponential back-off and ends `failed` with its
//! error after its attempts, without holding up the others. Handlers are written to be
//! idempotent (the outbox writes one file per job; SMTP mail keeps one `Message-ID` per job, so
//! a send cut off midway may repeat once, recognisably).

pub mod mail;

use futures_util::StreamExt;
use futures_util::future::BoxFuture;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use storage::{Job, Store};

pub use mail::{MailConfig, MailJob, Mailer};

/// Why a job did not succeed.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct JobError {
    pub message: String,
    /// No retry can fix it (a malformed payload, an invalid address): fail at once.
    pub permanent: bool,
}

impl JobError {
    pub fn retry(message: impl Into<String>) -> JobError {
        JobError {
            message: message.into(),
            permanent: false,
        }
    }

    pub fn permanent(message: impl Into<String>) -> JobError {
        JobError {
            message: message.into(),
            permanent: true,
        }
    }
}

impl From<storage::StoreError> for JobError {
    fn from(e: storage::StoreError) -> JobError {
        JobError::retry(format!("database: {e}"))
    }
}

pub type HandlerFn = Arc<dyn Fn(Job) -> BoxFuture<'static, Result<(), JobError>> + Send + Sync>;

/// How the worker paces itself.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// Seconds a claimed job is leased before another worker may take it back.
    pub lease_secs: i64,
    /// First retry delay in seconds; doubled at each attempt, capped at an hour.
    pub backoff_secs: i64,
    /// Jobs claimed at once, and run concurrently.
    pub batch: i64,
    /// Longest sleep between two looks at the queue (other instances' jobs are seen this late).
    pub poll: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            lease_secs: 300,
            backoff_secs: 10,
            batch: 16,
            poll: Duration::from_secs(2),
        }
    }
}

/// Runs the jobs of the kinds it knows.
#[derive(Clone)]
pub struct Worker {
    store: Store,
    handlers: Arc<HashMap<&'static str, HandlerFn>>,
    /// Names this worker in `jobs.locked_by`: unique per process and start.
    id: String,
    config: WorkerConfig,
}

/// Builds a worker kind by kind.
pub struct WorkerBuilder {
    store: Store,
    handlers: HashMap<&'static str, HandlerFn>,
    config: WorkerConfig,
}

impl WorkerBuilder {
    pub fn handle<F, Fut>(mut self, kind: &'static str, f: F) -> Self
    where
        F: Fn(Job) -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = Result<(), JobError>> + Send + 'static,
    {
        self.handlers
            .insert(kind, Arc::new(move |job| Box::pin(f(job))));
        self
    }

    pub fn config(mut self, config: WorkerConfig) -> Self {
        self.config = config;
        self
    }

    pub fn build(self) -> Worker {
        use rand::Rng;
        Worker {
            store: self.store,
            handlers: Arc::new(self.handlers),
            id: format!(
                "{}-{}-{:08x}",
                hostname(),
                std::process::id(),
                rand::rng().random::<u32>()
            ),
            config: self.config,
        }
    }
}

fn hostname() -> String {
    std::env::var("HOSTNAME").unwrap_or_else(|_| "concorde".into())
}

/// Delay before attempt `attempts + 1`, after `attempts` failures.
pub fn backoff(base: i64, attempts: i64) -> i64 {
    let exp = attempts.clamp(1, 20) - 1;
    base.max(0).saturating_mul(1i64 << exp).min(3600)
}

impl Worker {
    pub fn builder(store: Store) -> WorkerBuilder {
        WorkerBuilder {
            store,
            handlers: HashMap::new(),
            config: WorkerConfig::default(),
        }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// Claims the jobs due at `at` (a batch) and runs them; returns how many were claimed.
    pub async fn run_due(&self, at: i64) -> Result<usize, storage::StoreError> {
        let jobs = self
            .store
            .claim_jobs(&self.id, at, self.config.lease_secs, self.config.batch)
            .await?;
        let n = jobs.len();
        futures_util::stream::iter(jobs)
            .for_each_concurrent(self.config.batch.max(1) as usize, |job| {
                self.run_one(job, at)
            })
            .await;
        Ok(n)
    }

    async fn run_one(&self, job: Job, at: i64) {
        let (id, kind, attempts) = (job.id, job.kind.clone(), job.attempts);
        let outcome = match self.handlers.get(kind.as_str()) {
            Some(h) => {
                // A panicking handler must not take the worker down with it.
                match tokio::spawn(h(job)).await {
                    Ok(r) => r,
                    Err(e) => Err(JobError::retry(format!("the job's task ended: {e}"))),
                }
            }
            None => Err(JobError::permanent(format!(
                "no handler for jobs of kind {kind:?}"
            ))),
        };
        let recorded = match &outcome {
            Ok(()) => self.store.finish_job(id, &self.id).await.map(|_| ()),
            Err(e) => {
                tracing::warn!(job = id, kind, attempts, error = %e.message, permanent = e.permanent, "job failed");
                let retry_at = at.max(storage::now()) + backoff(self.config.backoff_secs, attempts);
                self.store
                    .fail_job(id, &self.id, &e.message, retry_at, e.permanent)
                    .await
            }
        };
        if let Err(e) = recorded {
            tracing::error!(job = id, error = %e, "job outcome not recorded; it will run again after its lease");
        }
    }

    /// Runs every job due now, including those the jobs themselves queue (fan-out), until the
    /// queue has nothing due. For tests and for `concorde jobs run`.
    pub async fn drain(&self) -> Result<usize, storage::StoreError> {
        let mut total = 0;
        loop {
            let n = self.run_due(storage::now()).await?;
            if n == 0 {
                return Ok(total);
            }
            total += n;
        }
    }

    /// The worker's loop, until `stop` resolves: runs what is due, then sleeps until woken by a
    /// job queued here, the next due job, or the poll interval (jobs queued by other instances).
    pub fn spawn(self, stop: tokio::sync::watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let signal = self.store.job_signal();
            let mut stop = stop;
            loop {
                if *stop.borrow() {
                    return;
                }
                let notified = signal.notified();
                match self.run_due(storage::now()).await {
                    Ok(n) if n > 0 => continue,
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "the job queue could not be read"),
                }
                let mut wait = self.config.poll;
                if let Ok(Some(next)) = self.store.next_job_at().await {
                    let secs = (next - storage::now()).max(0) as u64;
                    wait = wait.min(Duration::from_secs(secs.max(1)));
                }
                tokio::select! {
                    _ = notified => {}
                    _ = tokio::time::sleep(wait) => {}
                    _ = stop.changed() => {}
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff(10, 1), 10);
        assert_eq!(backoff(10, 2), 20);
        assert_eq!(backoff(10, 4), 80);
        assert_eq!(backoff(10, 30), 3600);
        assert_eq!(backoff(0, 5), 0);
    }
}
