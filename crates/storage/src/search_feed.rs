//! What the search index reads to keep in step with the database: new rows by id, changed rows
//! by `updated_at` (edits, withdrawals, moderation), each with whether it should be findable.

use crate::{Result, Store};

/// A contribution or a comment as the index takes it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SearchRow {
    pub id: i64,
    /// The contribution itself, or the one a comment belongs to.
    pub contribution_id: i64,
    pub debate_id: i64,
    /// Empty for comments.
    pub title: String,
    pub body: String,
    pub created_at: i64,
    /// 1 when published (and, for a comment, its contribution too): findable.
    pub visible: i64,
}

const CONTRIBUTIONS: &str = "SELECT c.id, c.id AS contribution_id, c.debate_id, c.title, \
     CASE WHEN c.summary = '' THEN c.body ELSE c.summary || ' ' || c.body END AS body, \
     c.created_at, CASE WHEN c.status = 'published' THEN 1 ELSE 0 END AS visible \
     FROM contributions c";

const COMMENTS: &str = "SELECT m.id, m.contribution_id, c.debate_id, '' AS title, m.body, \
     m.created_at, CASE WHEN m.status = 'published' AND c.status = 'published' THEN 1 ELSE 0 END \
     AS visible FROM comments m JOIN contributions c ON c.id = m.contribution_id";

impl Store {
    /// Contributions with an id above `after`, in id order.
    pub async fn search_new_contributions(&self, after: i64, limit: i64) -> Result<Vec<SearchRow>> {
        let q = format!("{CONTRIBUTIONS} WHERE c.id > $1 ORDER BY c.id LIMIT $2");
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(q))
            .bind(after)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?)
    }

    /// Contributions up to id `upto` changed at or after `since`.
    pub async fn search_changed_contributions(
        &self,
        since: i64,
        upto: i64,
    ) -> Result<Vec<SearchRow>> {
        // Only the `updated_at` index serves: an id range or order would tempt the planner into
        // walking the whole table by its primary key.
        let q = format!("{CONTRIBUTIONS} WHERE c.updated_at >= $1");
        let rows: Vec<SearchRow> = sqlx::query_as(sqlx::AssertSqlSafe(q))
            .bind(since)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().filter(|r| r.id <= upto).collect())
    }

    pub async fn search_new_comments(&self, after: i64, limit: i64) -> Result<Vec<SearchRow>> {
        let q = format!("{COMMENTS} WHERE m.id > $1 ORDER BY m.id LIMIT $2");
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(q))
            .bind(after)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?)
    }

    /// Comments up to id `upto` changed at or after `since`, or whose contribution changed.
    pub async fn search_changed_comments(&self, since: i64, upto: i64) -> Result<Vec<SearchRow>> {
        let mut rows: Vec<SearchRow> = Vec::new();
        for q in [
            format!("{COMMENTS} WHERE m.updated_at >= $1"),
            format!(
                "{COMMENTS} WHERE m.contribution_id IN \
                 (SELECT id FROM contributions WHERE updated_at >= $1)"
            ),
        ] {
            let part: Vec<SearchRow> = sqlx::query_as(sqlx::AssertSqlSafe(q))
                .bind(since)
                .fetch_all(&self.pool)
                .await?;
            rows.extend(part.into_iter().filter(|r| r.id <= upto));
        }
        rows.sort_by_key(|r| r.id);
        rows.dedup_by_key(|r| r.id);
        Ok(rows)
    }

    /// Comments with these ids, in any status (search results).
    pub async fn comments_by_ids(&self, ids: &[i64]) -> Result<Vec<crate::CommentRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let q = format!(
            "{} WHERE m.id IN ({})",
            crate::discussion::COMMENT,
            placeholders.join(", ")
        );
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(q));
        for id in ids {
            query = query.bind(*id);
        }
        Ok(query.fetch_all(&self.pool).await?)
    }
}
