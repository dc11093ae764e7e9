//! Stored runs of the synthesis engine. A run is a job: stored when it starts (`running`), then
//! `done` with the result kept whole as the engine wrote it, or `failed` with the reason.

use crate::{Result, Store, now};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RunSummary {
    pub id: i64,
    pub debate_id: i64,
    pub created_at: i64,
    pub created_by_name: Option<String>,
    pub documents: i64,
    pub themes: i64,
    pub engine_version: String,
    pub settings: String,
    /// `running`, `done` or `failed`.
    pub status: String,
    pub error: String,
    pub finished_at: Option<i64>,
}

impl RunSummary {
    pub fn is_running(&self) -> bool {
        self.status == "running"
    }
    pub fn is_failed(&self) -> bool {
        self.status == "failed"
    }
}

const COLUMNS: &str = "r.id, r.debate_id, r.created_at, u.display_name AS created_by_name, \
     r.documents, r.themes, r.engine_version, r.settings, r.status, r.error, r.finished_at";

impl Store {
    /// Records a run that starts now; its result comes with [`Store::finish_run`].
    pub async fn start_run(
        &self,
        debate_id: i64,
        created_by: Option<i64>,
        engine_version: &str,
        settings: &str,
    ) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO analysis_runs (debate_id, created_at, created_by, documents, themes, \
             engine_version, settings, result, status) \
             VALUES ($1, $2, $3, 0, 0, $4, $5, '', 'running') RETURNING id",
        )
        .bind(debate_id)
        .bind(now())
        .bind(created_by)
        .bind(engine_version)
        .bind(settings)
        .fetch_one(&self.pool)
        .await?)
    }

    pub async fn finish_run(
        &self,
        id: i64,
        documents: i64,
        themes: i64,
        result: &str,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE analysis_runs SET status = 'done', documents = $2, themes = $3, result = $4, \
             finished_at = $5 WHERE id = $1",
        )
        .bind(id)
        .bind(documents)
        .bind(themes)
        .bind(result)
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn fail_run(&self, id: i64, error: &str) -> Result<()> {
        sqlx::query(
            "UPDATE analysis_runs SET status = 'failed', error = $2, finished_at = $3 WHERE id = $1",
        )
        .bind(id)
        .bind(error)
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// At start-up: runs left `running` by a stopped process will never finish.
    pub async fn fail_interrupted_runs(&self) -> Result<u64> {
        let r = sqlx::query(
            "UPDATE analysis_runs SET status = 'failed', error = 'interrupted', finished_at = $1 \
             WHERE status = 'running'",
        )
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected())
    }

    /// The run in progress on the platform, if any (one at a time: the machine is small).
    pub async fn running_run(&self) -> Result<Option<i64>> {
        Ok(
            sqlx::query_scalar("SELECT id FROM analysis_runs WHERE status = 'running' LIMIT 1")
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Runs of a debate, newest first, without their (large) results.
    pub async fn runs(&self, debate_id: i64) -> Result<Vec<RunSummary>> {
        let q = format!(
            "SELECT {COLUMNS} FROM analysis_runs r LEFT JOIN users u ON u.id = r.created_by \
             WHERE r.debate_id = $1 ORDER BY r.id DESC"
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(q))
            .bind(debate_id)
            .fetch_all(&self.pool)
            .await?)
    }

    /// A run's summary and its result.
    pub async fn run(&self, id: i64) -> Result<Option<(RunSummary, String)>> {
        use sqlx::{FromRow, Row};
        let q = format!(
            "SELECT {COLUMNS}, r.result FROM analysis_runs r \
             LEFT JOIN users u ON u.id = r.created_by WHERE r.id = $1"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(q))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => Ok(Some((RunSummary::from_row(&r)?, r.try_get("result")?))),
            None => Ok(None),
        }
    }
}
