//! The job queue's table: enqueue, claim, finish, list, retry. The worker that runs jobs lives in
//! `crates/jobs`; this module is only the SQL, shared by SQLite and PostgreSQL.
//!
//! Claiming is one `UPDATE … WHERE id IN (SELECT … LIMIT n) RETURNING`: on SQLite the write lock
//! makes it atomic across processes; on PostgreSQL the inner select takes `FOR UPDATE SKIP LOCKED`
//! so that several instances claim disjoint jobs without waiting for each other.

use crate::{Backend, Result, Store, Tx, now};
use sqlx::Row;

/// A job as the queue's page and the worker see it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub state: String,
    pub attempts: i64,
    pub max_attempts: i64,
    pub run_at: i64,
    pub last_error: String,
    pub created_at: i64,
    pub finished_at: Option<i64>,
}

/// What to put in the queue.
#[derive(Debug, Clone)]
pub struct NewJob<'a> {
    pub kind: &'a str,
    pub payload: String,
    /// Unix seconds; `now()` for "as soon as possible".
    pub run_at: i64,
    pub max_attempts: i64,
    /// At most one job with this key ever exists (scheduled notices).
    pub dedup_key: Option<String>,
}

impl<'a> NewJob<'a> {
    pub fn now(kind: &'a str, payload: String) -> NewJob<'a> {
        NewJob {
            kind,
            payload,
            run_at: now(),
            max_attempts: DEFAULT_ATTEMPTS,
            dedup_key: None,
        }
    }
}

pub const DEFAULT_ATTEMPTS: i64 = 8;

const INSERT: &str = "INSERT INTO jobs (kind, payload, state, attempts, max_attempts, run_at, dedup_key, created_at) \
     VALUES ($1, $2, 'queued', 0, $3, $4, $5, $6) ON CONFLICT (dedup_key) DO NOTHING";

/// Counts by state, for the queue's page and the metrics.
#[derive(Debug, Clone, Default)]
pub struct JobCounts {
    pub queued: i64,
    pub running: i64,
    pub done: i64,
    pub failed: i64,
}

impl Tx<'_> {
    /// Queues a job inside the write that causes it: committed together or not at all.
    pub async fn enqueue(&mut self, job: NewJob<'_>) -> Result<()> {
        sqlx::query(INSERT)
            .bind(job.kind)
            .bind(job.payload)
            .bind(job.max_attempts)
            .bind(job.run_at)
            .bind(job.dedup_key)
            .bind(now())
            .execute(&mut *self.tx)
            .await?;
        self.enqueued = true;
        Ok(())
    }
}

impl Store {
    /// Queues a job on its own (no other write goes with it).
    pub async fn enqueue(&self, job: NewJob<'_>) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.enqueue(job).await?;
        tx.commit().await
    }

    /// Claims up to `limit` due jobs for `worker`, leasing them for `lease` seconds; also takes
    /// back running jobs whose lease ran out (their worker died).
    pub async fn claim_jobs(
        &self,
        worker: &str,
        at: i64,
        lease: i64,
        limit: i64,
    ) -> Result<Vec<Job>> {
        let lock = match self.backend {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_until = $1, locked_by = $2 \
             WHERE id IN (SELECT id FROM jobs WHERE (state = 'queued' AND run_at <= $3) \
                 OR (state = 'running' AND locked_until < $3 AND attempts < max_attempts) ORDER BY run_at, id LIMIT $4{lock}) \
             RETURNING id, kind, payload, state, attempts, max_attempts, run_at, last_error, created_at, finished_at"
        );
        // Most polls find nothing: a read first keeps them from taking the write lock.
        let due: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM jobs WHERE (state = 'queued' AND run_at <= $1) \
                 OR (state = 'running' AND locked_until < $1) LIMIT 1",
        )
        .bind(at)
        .fetch_optional(&self.pool)
        .await?;
        if due.is_none() {
            return Ok(Vec::new());
        }
        // A job cut off on its last attempt (its worker died) ends here, with the reason.
        sqlx::query(
            "UPDATE jobs SET state = 'failed', finished_at = $1, locked_until = NULL, \
                 last_error = 'interrupted: its worker stopped before it ended' \
             WHERE state = 'running' AND locked_until < $1 AND attempts >= max_attempts",
        )
        .bind(at)
        .execute(&self.pool)
        .await?;
        let mut jobs: Vec<Job> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(at + lease)
            .bind(worker)
            .bind(at)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        jobs.sort_by_key(|j| (j.run_at, j.id));
        Ok(jobs)
    }

    /// Marks a claimed job done (only if this worker still holds it).
    pub async fn finish_job(&self, id: i64, worker: &str) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE jobs SET state = 'done', finished_at = $1, locked_until = NULL, last_error = '' \
             WHERE id = $2 AND locked_by = $3 AND state = 'running'",
        )
        .bind(now())
        .bind(id)
        .bind(worker)
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Records a failed attempt: queued again at `retry_at`, or `failed` for good when the job
    /// has used its attempts (or `permanent`, for an error no retry can fix).
    pub async fn fail_job(
        &self,
        id: i64,
        worker: &str,
        error: &str,
        retry_at: i64,
        permanent: bool,
    ) -> Result<()> {
        let error: String = error.chars().take(2000).collect();
        sqlx::query(
            "UPDATE jobs SET last_error = $1, locked_until = NULL, \
                 state = CASE WHEN $2 = 1 OR attempts >= max_attempts THEN 'failed' ELSE 'queued' END, \
                 finished_at = CASE WHEN $2 = 1 OR attempts >= max_attempts THEN $3 ELSE NULL END, \
                 run_at = CASE WHEN $2 = 1 OR attempts >= max_attempts THEN run_at ELSE $4 END \
             WHERE id = $5 AND locked_by = $6 AND state = 'running'",
        )
        .bind(error)
        .bind(i64::from(permanent))
        .bind(now())
        .bind(retry_at)
        .bind(id)
        .bind(worker)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Puts a failed job back in the queue, with fresh attempts (the queue page's button).
    pub async fn retry_job(&self, id: i64) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE jobs SET state = 'queued', attempts = 0, run_at = $1, finished_at = NULL \
             WHERE id = $2 AND state = 'failed'",
        )
        .bind(now())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    pub async fn job(&self, id: i64) -> Result<Option<Job>> {
        Ok(sqlx::query_as(
            "SELECT id, kind, payload, state, attempts, max_attempts, run_at, last_error, created_at, finished_at \
             FROM jobs WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Jobs in one state, newest first (`before`: the last id of the previous page).
    pub async fn jobs_in_state(
        &self,
        state: &str,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Job>> {
        Ok(sqlx::query_as(
            "SELECT id, kind, payload, state, attempts, max_attempts, run_at, last_error, created_at, finished_at \
             FROM jobs WHERE state = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
        )
        .bind(state)
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn job_counts(&self) -> Result<JobCounts> {
        let rows = sqlx::query("SELECT state, COUNT(*) AS n FROM jobs GROUP BY state")
            .fetch_all(&self.pool)
            .await?;
        let mut c = JobCounts::default();
        for r in rows {
            let state: String = r.try_get("state")?;
            let n: i64 = r.try_get("n")?;
            match state.as_str() {
                "queued" => c.queued = n,
                "running" => c.running = n,
                "done" => c.done = n,
                "failed" => c.failed = n,
                _ => {}
            }
        }
        Ok(c)
    }

    /// The earliest time a queued job is due, for a worker deciding how long to sleep.
    pub async fn next_job_at(&self) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT MIN(CASE WHEN state = 'queued' THEN run_at ELSE locked_until END) FROM jobs \
             WHERE state = 'queued' OR state = 'running'",
        )
        .fetch_one(&self.pool)
        .await?)
    }
}
