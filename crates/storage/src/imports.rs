//! Imports: contributions brought in from a file, all in one transaction so that a failure leaves
//! nothing behind, with multi-row INSERTs (one statement text per batch size, so the database
//! prepares it once) that skip rows already imported (`ON CONFLICT DO NOTHING` on the
//! `(debate_id, source, source_ref)` index of migration 0006).

use crate::{Backend, Result, Store, now};
use std::sync::Arc;

/// Rows per INSERT statement: 20 bound values each (10,000 in all), well under SQLite's (32,766)
/// and PostgreSQL's (65,535) limits on parameters, and large enough that the statement overhead
/// disappears.
pub const IMPORT_BATCH: usize = 500;

/// One contribution to import, already checked and resolved to the debate's ids.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ImportRow {
    pub question_id: i64,
    /// `published`, or `withdrawn` for what was withdrawn at the source.
    pub status: &'static str,
    pub kind: &'static str,
    pub channel: &'static str,
    pub title: String,
    pub body: String,
    pub category_id: Option<i64>,
    pub quartier_id: Option<i64>,
    pub place: String,
    pub received_at: Option<i64>,
    pub created_at: i64,
    /// The row's id at its source, or a hash of its content: with the source, what makes a
    /// second import of the same row a no-op.
    pub source_ref: String,
    /// What the source says beyond the text (migration 0030); empty for plain files.
    #[serde(skip)]
    pub extra: ImportExtra,
}

/// What a platform such as Decidim knows about a contribution beyond its text.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ImportExtra {
    /// The subject the source filed it under (a Decidim category), as a theme tag.
    pub theme: String,
    /// Supports (votes) gathered at the source, shown apart from Concorde's own.
    pub imported_supports: Option<i64>,
    /// The state at the source (`accepted`, `rejected`, `evaluating`, `withdrawn`…).
    pub source_state: String,
    /// The official answer at the source, as plain text.
    pub source_answer: String,
    /// Its address at the source.
    pub source_url: String,
    /// Links it had there (the meetings it came from), as text.
    pub source_links: String,
    /// The public name of the collective author (a Decidim user group); never a person's.
    pub group_name: String,
}

/// An import in progress: an open transaction. Dropping it without `commit` stores nothing.
pub struct Import {
    pub(crate) store: Store,
    pub(crate) tx: sqlx::Transaction<'static, sqlx::Any>,
    pub(crate) debate_id: i64,
    pub(crate) source: String,
    new_question_ids: Vec<i64>,
    /// The statement of a full batch on SQLite, built once.
    full_batch_sql: Arc<str>,
    pub(crate) now: i64,
}

impl Store {
    /// Opens an import into a debate: starts the transaction and adds `new_questions` (in this
    /// order) after the debate's last question.
    pub async fn begin_import(
        &self,
        debate_id: i64,
        source: &str,
        new_questions: &[String],
    ) -> Result<Import> {
        let t = now();
        let mut tx = self.pool.begin().await?;
        let mut new_question_ids = Vec::with_capacity(new_questions.len());
        if !new_questions.is_empty() {
            let last: i64 = sqlx::query_scalar(
                "SELECT COALESCE(MAX(position), 0) FROM debate_questions WHERE debate_id = $1",
            )
            .bind(debate_id)
            .fetch_one(&mut *tx)
            .await?;
            for (i, text) in new_questions.iter().enumerate() {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO debate_questions (debate_id, position, text) VALUES ($1, $2, $3) \
                     RETURNING id",
                )
                .bind(debate_id)
                .bind(last + 1 + i as i64)
                .bind(text)
                .fetch_one(&mut *tx)
                .await?;
                new_question_ids.push(id);
            }
            sqlx::query("UPDATE debates SET updated_at = $1 WHERE id = $2")
                .bind(t)
                .bind(debate_id)
                .execute(&mut *tx)
                .await?;
        }
        Ok(Import {
            store: self.clone(),
            tx,
            debate_id,
            source: source.to_string(),
            new_question_ids,
            full_batch_sql: insert_sql(IMPORT_BATCH, Backend::Sqlite, debate_id, t).into(),
            now: t,
        })
    }
}

impl Import {
    /// The ids of the questions `begin_import` created, in the order it was given them.
    pub fn new_question_ids(&self) -> &[i64] {
        &self.new_question_ids
    }

    /// Inserts rows; returns how many were new (the others were already there, from an earlier
    /// import or earlier in this one).
    pub async fn insert(&mut self, rows: &[ImportRow]) -> Result<u64> {
        match self.store.backend {
            Backend::Sqlite => self.insert_values(rows).await,
            Backend::Postgres => self.insert_json(rows).await,
        }
    }

    /// SQLite: multi-row VALUES, one bound value per field.
    async fn insert_values(&mut self, rows: &[ImportRow]) -> Result<u64> {
        let mut inserted = 0;
        for chunk in rows.chunks(IMPORT_BATCH) {
            let sql: Arc<str> = if chunk.len() == IMPORT_BATCH {
                self.full_batch_sql.clone()
            } else {
                insert_sql(chunk.len(), self.store.backend, self.debate_id, self.now).into()
            };
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for r in chunk {
                q = q
                    .bind(self.source.as_str())
                    .bind(r.status)
                    .bind(r.question_id)
                    .bind(r.kind)
                    .bind(r.channel)
                    .bind(r.title.as_str())
                    .bind(r.body.as_str())
                    .bind(r.category_id)
                    .bind(r.quartier_id)
                    .bind(r.place.as_str())
                    .bind(r.received_at)
                    .bind(r.created_at)
                    .bind(r.source_ref.as_str())
                    .bind(r.extra.theme.as_str())
                    .bind(r.extra.imported_supports)
                    .bind(r.extra.source_state.as_str())
                    .bind(r.extra.source_answer.as_str())
                    .bind(r.extra.source_url.as_str())
                    .bind(r.extra.source_links.as_str())
                    .bind(r.extra.group_name.as_str());
            }
            inserted += q.execute(&mut *self.tx).await?.rows_affected();
        }
        Ok(inserted)
    }

    /// PostgreSQL: the batch as one JSON array, unpacked by `json_to_recordset` (what UNNEST of
    /// arrays does, through the one value type `sqlx::Any` binds everywhere): one statement with
    /// four parameters, prepared once, whatever the batch size.
    async fn insert_json(&mut self, rows: &[ImportRow]) -> Result<u64> {
        const SQL: &str = "INSERT INTO contributions (debate_id, updated_at, source, status, \
             question_id, kind, channel, title, body, category_id, quartier_id, place, received_at, \
             created_at, source_ref, theme, imported_supports, source_state, source_answer, \
             source_url, source_links, group_name) \
             SELECT $1, $2, $3, r.status, r.question_id, r.kind, r.channel, r.title, r.body, \
             r.category_id, r.quartier_id, r.place, r.received_at, r.created_at, r.source_ref, \
             r.theme, r.imported_supports, r.source_state, r.source_answer, r.source_url, \
             r.source_links, r.group_name \
             FROM json_to_recordset($4::json) AS r(status TEXT, question_id BIGINT, kind TEXT, \
             channel TEXT, title TEXT, body TEXT, category_id BIGINT, quartier_id BIGINT, \
             place TEXT, received_at BIGINT, created_at BIGINT, source_ref TEXT, theme TEXT, \
             imported_supports BIGINT, source_state TEXT, source_answer TEXT, source_url TEXT, \
             source_links TEXT, group_name TEXT) \
             ON CONFLICT (debate_id, source, source_ref) WHERE source_ref IS NOT NULL DO NOTHING";
        let mut inserted = 0;
        for chunk in rows.chunks(IMPORT_BATCH) {
            let flat: Vec<FlatRow> = chunk.iter().map(FlatRow::from).collect();
            let json =
                serde_json::to_string(&flat).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
            inserted += sqlx::query(SQL)
                .bind(self.debate_id)
                .bind(self.now)
                .bind(self.source.as_str())
                .bind(json)
                .execute(&mut *self.tx)
                .await?
                .rows_affected();
        }
        Ok(inserted)
    }

    /// Makes the import visible and drops the debate's cached counts.
    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await?;
        self.store.forget_counts(self.debate_id);
        // Questions may have been created.
        self.store.forget_cached();
        self.store.after_bulk_write().await;
        Ok(())
    }
}

/// Only a row already imported is skipped; any other conflict is an error.
const ON_CONFLICT: &str =
    " ON CONFLICT (debate_id, source, source_ref) WHERE source_ref IS NOT NULL DO NOTHING";

/// A row as `json_to_recordset` reads it: one flat object.
#[derive(serde::Serialize)]
struct FlatRow<'a> {
    #[serde(flatten)]
    row: &'a ImportRow,
    #[serde(flatten)]
    extra: &'a ImportExtra,
}

impl<'a> From<&'a ImportRow> for FlatRow<'a> {
    fn from(row: &'a ImportRow) -> Self {
        FlatRow {
            row,
            extra: &row.extra,
        }
    }
}

/// `INSERT … VALUES (…), (…) ON CONFLICT … DO NOTHING` for `n` rows of 20 bound values each; the
/// debate and the time of the import are the same for the whole import, so they are written in.
/// SQLite gets anonymous `?` parameters: it looks each numbered one up by name in a list, which
/// made binding a batch quadratic (two thirds of the time with `$N`).
fn insert_sql(n: usize, backend: Backend, debate_id: i64, now: i64) -> String {
    const PER_ROW: usize = 20;
    let mut sql = String::with_capacity(300 + n * 120);
    sql.push_str(
        "INSERT INTO contributions (debate_id, updated_at, source, status, question_id, kind, \
         channel, title, body, category_id, quartier_id, place, received_at, created_at, \
         source_ref, theme, imported_supports, source_state, source_answer, source_url, \
         source_links, group_name) VALUES ",
    );
    for i in 0..n {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!("({debate_id}, {now}"));
        for p in 0..PER_ROW {
            match backend {
                Backend::Sqlite => sql.push_str(", ?"),
                Backend::Postgres => sql.push_str(&format!(", ${}", i * PER_ROW + p + 1)),
            }
        }
        sql.push(')');
    }
    sql.push_str(ON_CONFLICT);
    sql
}

#[cfg(test)]
mod tests {
    use super::{Backend, insert_sql};

    #[test]
    fn the_statement_numbers_every_value() {
        let sql = insert_sql(2, Backend::Postgres, 7, 99);
        assert!(sql.contains("VALUES (7, 99, $1, $2,"));
        assert!(sql.contains("$20), (7, 99, $21, $22,"));
        assert!(sql.ends_with("$40) ON CONFLICT (debate_id, source, source_ref) WHERE source_ref IS NOT NULL DO NOTHING"));
        let sql = insert_sql(2, Backend::Sqlite, 7, 99);
        assert_eq!(sql.matches('?').count(), 40);
        assert!(!sql.contains('$'));
    }
}
