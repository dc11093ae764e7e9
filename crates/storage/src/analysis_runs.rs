//! Stored runs of the synthesis engine. The result is kept whole, as the engine wrote it.

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
}

pub struct NewRun<'a> {
    pub debate_id: i64,
    pub created_by: Option<i64>,
    pub documents: i64,
    pub themes: i64,
    pub engine_version: &'a str,
    pub settings: &'a str,
    pub result: &'a str,
}

impl Store {
    pub async fn insert_run(&self, r: &NewRun<'_>) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO analysis_runs (debate_id, created_at, created_by, documents, themes, \
             engine_version, settings, result) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(r.debate_id)
        .bind(now())
        .bind(r.created_by)
        .bind(r.documents)
        .bind(r.themes)
        .bind(r.engine_version)
        .bind(r.settings)
        .bind(r.result)
        .fetch_one(&self.pool)
        .await?)
    }

    /// Runs of a debate, newest first, without their (large) results.
    pub async fn runs(&self, debate_id: i64) -> Result<Vec<RunSummary>> {
        Ok(sqlx::query_as(
            "SELECT r.id, r.debate_id, r.created_at, u.display_name AS created_by_name, r.documents, \
             r.themes, r.engine_version, r.settings FROM analysis_runs r \
             LEFT JOIN users u ON u.id = r.created_by WHERE r.debate_id = $1 ORDER BY r.id DESC",
        )
        .bind(debate_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// A run's summary and its result.
    pub async fn run(&self, id: i64) -> Result<Option<(RunSummary, String)>> {
        use sqlx::{FromRow, Row};
        let row = sqlx::query(
            "SELECT r.id, r.debate_id, r.created_at, u.display_name AS created_by_name, r.documents, \
             r.themes, r.engine_version, r.settings, r.result FROM analysis_runs r \
             LEFT JOIN users u ON u.id = r.created_by WHERE r.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(r) => Ok(Some((RunSummary::from_row(&r)?, r.try_get("result")?))),
            None => Ok(None),
        }
    }
}
