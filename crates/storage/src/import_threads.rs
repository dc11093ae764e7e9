//! Imports of a whole process from another platform (Decidim): besides the bulk rows of
//! `imports`, questions that come from the source, contributions stored one at a time so that
//! their comments can be attached, and threaded comments. Everything goes through the import's
//! one transaction, and every insert is keyed by `(source, source_ref)` so that a second import
//! finds what the first stored instead of adding it again.

use crate::{Import, ImportRow, Result};

/// A meeting of another platform, checked.
#[derive(Debug, Clone, Default)]
pub struct ImportEvent {
    pub source_ref: String,
    pub title: String,
    pub description: String,
    pub address: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub published: bool,
    pub minutes: String,
    pub attendees: i64,
}

/// A comment to import, already checked and resolved to its contribution and parent.
#[derive(Debug, Clone)]
pub struct ImportComment {
    pub contribution_id: i64,
    pub parent_id: Option<i64>,
    pub depth: i64,
    pub body: String,
    /// `for`, `against`, `neutral`, or empty.
    pub alignment: &'static str,
    /// The public name of the user group that wrote it, if any.
    pub group_name: String,
    pub created_at: i64,
    pub source_ref: String,
}

impl Import {
    /// The debate's question that came from `source_ref`, or one of the same wording (trimmed,
    /// without case), or a new one after the last: its id and whether it was created.
    pub async fn question_from_source(
        &mut self,
        source_ref: &str,
        text: &str,
        help: &str,
    ) -> Result<(i64, bool)> {
        let known: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM debate_questions WHERE debate_id = $1 AND source = $2 \
             AND source_ref = $3",
        )
        .bind(self.debate_id)
        .bind(self.source.as_str())
        .bind(source_ref)
        .fetch_optional(&mut *self.tx)
        .await?;
        if let Some(id) = known {
            return Ok((id, false));
        }
        let same: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM debate_questions WHERE debate_id = $1 AND source_ref IS NULL \
             AND lower(trim(text)) = lower(trim($2)) ORDER BY position LIMIT 1",
        )
        .bind(self.debate_id)
        .bind(text)
        .fetch_optional(&mut *self.tx)
        .await?;
        if let Some(id) = same {
            sqlx::query(
                "UPDATE debate_questions SET source = $1, source_ref = $2, \
                 help = CASE WHEN help = '' THEN $3 ELSE help END WHERE id = $4",
            )
            .bind(self.source.as_str())
            .bind(source_ref)
            .bind(help)
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
            return Ok((id, false));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO debate_questions (debate_id, position, text, help, source, source_ref) \
             SELECT $1, COALESCE(MAX(position), 0) + 1, $2, $3, $4, $5 FROM debate_questions \
             WHERE debate_id = $1 RETURNING id",
        )
        .bind(self.debate_id)
        .bind(text)
        .bind(help)
        .bind(self.source.as_str())
        .bind(source_ref)
        .fetch_one(&mut *self.tx)
        .await?;
        sqlx::query("UPDATE debates SET updated_at = $1 WHERE id = $2")
            .bind(self.now)
            .bind(self.debate_id)
            .execute(&mut *self.tx)
            .await?;
        Ok((id, true))
    }

    /// The contribution this import's source already holds under `source_ref`, if any (from this
    /// import or an earlier one).
    pub async fn imported_contribution(&mut self, source_ref: &str) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT id FROM contributions WHERE debate_id = $1 AND source = $2 AND source_ref = $3",
        )
        .bind(self.debate_id)
        .bind(self.source.as_str())
        .bind(source_ref)
        .fetch_optional(&mut *self.tx)
        .await?)
    }

    /// Stores one contribution and gives its id, or the id of the one already imported from the
    /// same row (then `false`).
    pub async fn contribution(&mut self, r: &ImportRow) -> Result<(i64, bool)> {
        if let Some(id) = self.imported_contribution(&r.source_ref).await? {
            return Ok((id, false));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO contributions (debate_id, updated_at, source, status, question_id, kind, \
             channel, title, body, category_id, quartier_id, place, received_at, created_at, \
             source_ref, theme, imported_supports, source_state, source_answer, source_url, \
             source_links, group_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, \
             $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) RETURNING id",
        )
        .bind(self.debate_id)
        .bind(self.now)
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
        .bind(r.extra.group_name.as_str())
        .fetch_one(&mut *self.tx)
        .await?;
        Ok((id, true))
    }

    /// Stores one comment (published, without an author) and gives its id, or the id of the one
    /// already imported from the same row on that contribution (then `false`). The contribution's
    /// comment count is set again by `recount_comments`.
    pub async fn comment(&mut self, c: &ImportComment) -> Result<(i64, bool)> {
        let known: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM comments WHERE contribution_id = $1 AND source = $2 AND source_ref = $3",
        )
        .bind(c.contribution_id)
        .bind(self.source.as_str())
        .bind(c.source_ref.as_str())
        .fetch_optional(&mut *self.tx)
        .await?;
        if let Some(id) = known {
            return Ok((id, false));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO comments (contribution_id, parent_id, depth, body, alignment, group_name, \
             source, source_ref, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(c.contribution_id)
        .bind(c.parent_id)
        .bind(c.depth)
        .bind(c.body.as_str())
        .bind(c.alignment)
        .bind(c.group_name.as_str())
        .bind(self.source.as_str())
        .bind(c.source_ref.as_str())
        .bind(c.created_at)
        .bind(self.now)
        .fetch_one(&mut *self.tx)
        .await?;
        Ok((id, true))
    }

    /// A past meeting brought over as a held event: published, its minutes kept, its attendance
    /// as walk-ins (Decidim counts people, it does not name them). `(id, new)`.
    pub async fn event(&mut self, e: &ImportEvent) -> Result<(i64, bool)> {
        let source_ref = format!("{}:meeting:{}", self.source, e.source_ref);
        let known: Option<i64> =
            sqlx::query_scalar("SELECT id FROM events WHERE debate_id = $1 AND source_ref = $2")
                .bind(self.debate_id)
                .bind(source_ref.as_str())
                .fetch_optional(&mut *self.tx)
                .await?;
        if let Some(id) = known {
            return Ok((id, false));
        }
        let status = if e.ends_at < self.now {
            "held"
        } else {
            "scheduled"
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO events (debate_id, kind, title, description, address, starts_at, ends_at, \
             status, published, minutes, source_ref, created_at, updated_at) \
             VALUES ($1, 'workshop', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
        )
        .bind(self.debate_id)
        .bind(e.title.as_str())
        .bind(e.description.as_str())
        .bind(e.address.as_str())
        .bind(e.starts_at)
        .bind(e.ends_at)
        .bind(status)
        .bind(i64::from(e.published))
        .bind(e.minutes.as_str())
        .bind(source_ref.as_str())
        .bind(self.now)
        .fetch_one(&mut *self.tx)
        .await?;
        for _ in 0..e.attendees.clamp(0, 100_000) {
            sqlx::query("INSERT INTO event_walk_ins (event_id, created_at) VALUES ($1, $2)")
                .bind(id)
                .bind(self.now)
                .execute(&mut *self.tx)
                .await?;
        }
        Ok((id, true))
    }

    /// Sets the comment counts of this source's contributions in the debate from their
    /// published comments (what the lists sort by).
    pub async fn recount_comments(&mut self) -> Result<()> {
        sqlx::query(
            "UPDATE contributions SET comments_count = (SELECT COUNT(*) FROM comments m \
             WHERE m.contribution_id = contributions.id AND m.status = 'published') \
             WHERE debate_id = $1 AND source = $2",
        )
        .bind(self.debate_id)
        .bind(self.source.as_str())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}

impl crate::Store {
    /// The references of the contributions a source brought into a debate.
    pub async fn imported_refs(&self, debate_id: i64, source: &str) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT source_ref FROM contributions WHERE debate_id = $1 AND source = $2 \
             AND source_ref IS NOT NULL",
        )
        .bind(debate_id)
        .bind(source)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The references of the questions a source brought into a debate.
    pub async fn imported_question_refs(
        &self,
        debate_id: i64,
        source: &str,
    ) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT source_ref FROM debate_questions WHERE debate_id = $1 AND source = $2 \
             AND source_ref IS NOT NULL",
        )
        .bind(debate_id)
        .bind(source)
        .fetch_all(&self.pool)
        .await?)
    }
}
