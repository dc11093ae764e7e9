//! Contributions: writing one, reading one, and the debate's list with filters and keyset
//! pagination (newest first), which stays fast however deep the page.

use crate::{Result, Store, now};

pub struct NewContribution<'a> {
    pub debate_id: i64,
    pub question_id: i64,
    pub author_id: Option<i64>,
    pub kind: &'a str,
    pub channel: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub category_id: Option<i64>,
    pub quartier_id: Option<i64>,
    /// For contributions typed in by a facilitator: where and when the original was received.
    pub place: &'a str,
    pub received_at: Option<i64>,
    pub entered_by: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ContributionRow {
    pub id: i64,
    pub debate_id: i64,
    pub question_id: i64,
    pub question: String,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    pub kind: String,
    pub channel: String,
    pub title: String,
    pub body: String,
    pub category_id: Option<i64>,
    pub category: Option<String>,
    pub category_en: Option<String>,
    pub quartier_id: Option<i64>,
    pub quartier: Option<String>,
    pub status: String,
    pub place: String,
    pub received_at: Option<i64>,
    pub entered_by: Option<i64>,
    pub entered_by_name: Option<String>,
    pub created_at: i64,
}

/// Filters of the list; `0` and `""` mean "any".
#[derive(Debug, Clone, Default)]
pub struct ContributionFilter {
    pub debate_id: i64,
    pub question_id: i64,
    pub category_id: i64,
    pub quartier_id: i64,
    pub channel: String,
    pub kind: String,
}

const SELECT: &str = "SELECT c.id, c.debate_id, c.question_id, q.text AS question, c.author_id, \
     u.display_name AS author_name, c.kind, c.channel, c.title, c.body, c.category_id, \
     cat.name AS category, cat.name_en AS category_en, c.quartier_id, qu.name AS quartier, \
     c.status, c.place, c.received_at, c.entered_by, e.display_name AS entered_by_name, c.created_at \
     FROM contributions c \
     JOIN debate_questions q ON q.id = c.question_id \
     LEFT JOIN users u ON u.id = c.author_id \
     LEFT JOIN users e ON e.id = c.entered_by \
     LEFT JOIN categories cat ON cat.id = c.category_id \
     LEFT JOIN quartiers qu ON qu.id = c.quartier_id";

const FILTER: &str = "c.debate_id = $1 AND c.status = 'published' \
     AND ($2 = 0 OR c.question_id = $2) AND ($3 = 0 OR c.category_id = $3) \
     AND ($4 = 0 OR c.quartier_id = $4) AND ($5 = '' OR c.channel = $5) AND ($6 = '' OR c.kind = $6)";

impl Store {
    pub async fn insert_contribution(&self, c: &NewContribution<'_>) -> Result<i64> {
        let t = now();
        Ok(sqlx::query_scalar(
            "INSERT INTO contributions (debate_id, question_id, author_id, kind, channel, title, body, \
             category_id, quartier_id, place, received_at, entered_by, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'published', $13, $13) RETURNING id",
        )
        .bind(c.debate_id)
        .bind(c.question_id)
        .bind(c.author_id)
        .bind(c.kind)
        .bind(c.channel)
        .bind(c.title)
        .bind(c.body)
        .bind(c.category_id)
        .bind(c.quartier_id)
        .bind(c.place)
        .bind(c.received_at)
        .bind(c.entered_by)
        .bind(t)
        .fetch_one(&self.pool)
        .await?)
    }

    pub async fn contribution(&self, id: i64) -> Result<Option<ContributionRow>> {
        let q = format!("{SELECT} WHERE c.id = $1");
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(q))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// A page of the list, newest first. `after` is the (created_at, id) of the last item of the
    /// previous page.
    pub async fn list_contributions(
        &self,
        f: &ContributionFilter,
        after: Option<(i64, i64)>,
        limit: i64,
    ) -> Result<Vec<ContributionRow>> {
        let (ts, id) = after.unwrap_or((i64::MAX, i64::MAX));
        let q = format!(
            "{SELECT} WHERE {FILTER} AND (c.created_at < $7 OR (c.created_at = $7 AND c.id < $8)) \
             ORDER BY c.created_at DESC, c.id DESC LIMIT $9"
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(q))
            .bind(f.debate_id)
            .bind(f.question_id)
            .bind(f.category_id)
            .bind(f.quartier_id)
            .bind(&f.channel)
            .bind(&f.kind)
            .bind(ts)
            .bind(id)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?)
    }

    pub async fn count_contributions(&self, f: &ContributionFilter) -> Result<i64> {
        let q = format!("SELECT COUNT(*) FROM contributions c WHERE {FILTER}");
        Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(q))
            .bind(f.debate_id)
            .bind(f.question_id)
            .bind(f.category_id)
            .bind(f.quartier_id)
            .bind(&f.channel)
            .bind(&f.kind)
            .fetch_one(&self.pool)
            .await?)
    }

    /// Questions that already have contributions cannot be deleted (their answers would lose
    /// what they answer).
    pub async fn question_has_contributions(&self, question_id: i64) -> Result<bool> {
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM contributions WHERE question_id = $1")
                .bind(question_id)
                .fetch_one(&self.pool)
                .await?;
        Ok(n > 0)
    }
}
