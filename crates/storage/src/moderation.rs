//! Reports and moderation: anyone signed in reports a contribution or a comment; moderators see
//! the open reports grouped by item, then hide the item (with a reason) or keep it. Hidden items
//! can be restored. The audit log, written by the caller, keeps who decided what and why.

use crate::{Result, Store, StoreError, now};

/// What can be reported and moderated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Contribution(i64),
    Comment(i64),
}

impl Target {
    pub fn kind(self) -> &'static str {
        match self {
            Target::Contribution(_) => "contribution",
            Target::Comment(_) => "comment",
        }
    }
    pub fn id(self) -> i64 {
        match self {
            Target::Contribution(id) | Target::Comment(id) => id,
        }
    }
    pub fn parse(kind: &str, id: i64) -> Option<Target> {
        match kind {
            "contribution" => Some(Target::Contribution(id)),
            "comment" => Some(Target::Comment(id)),
            _ => None,
        }
    }
    fn table(self) -> &'static str {
        match self {
            Target::Contribution(_) => "contributions",
            Target::Comment(_) => "comments",
        }
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.kind(), self.id())
    }
}

/// An item with open reports, as the moderators' queue shows it.
#[derive(Debug, Clone)]
pub struct QueueItem {
    pub target: Target,
    pub reports: i64,
    pub first_at: i64,
    /// Distinct reasons given, and the details people wrote.
    pub reasons: Vec<String>,
    pub details: Vec<String>,
    pub item: Item,
}

/// The reported or moderated item itself.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Item {
    /// The contribution, or the one the comment belongs to.
    pub contribution_id: i64,
    pub title: String,
    pub body: String,
    pub status: String,
    pub moderation_reason: String,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    pub debate_id: i64,
}

impl Store {
    /// The item, in any status; `None` if it does not exist (any more).
    pub async fn moderation_item(&self, t: Target) -> Result<Option<Item>> {
        let q = match t {
            Target::Contribution(_) => {
                "SELECT c.id AS contribution_id, c.title, c.body, c.status, c.moderation_reason, \
                 c.author_id, u.display_name AS author_name, c.debate_id FROM contributions c \
                 LEFT JOIN users u ON u.id = c.author_id WHERE c.id = $1"
            }
            Target::Comment(_) => {
                "SELECT m.contribution_id, c.title, m.body, m.status, m.moderation_reason, \
                 m.author_id, u.display_name AS author_name, c.debate_id FROM comments m \
                 JOIN contributions c ON c.id = m.contribution_id \
                 LEFT JOIN users u ON u.id = m.author_id WHERE m.id = $1"
            }
        };
        Ok(sqlx::query_as(q)
            .bind(t.id())
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Files a report on its own (see `Tx::report`).
    pub async fn report(
        &self,
        t: Target,
        reporter: i64,
        reason: &str,
        details: &str,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = tx.report(t, reporter, reason, details).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// How many reports this person filed since `since` (to slow down floods).
    pub async fn reports_since(&self, reporter: i64, since: i64) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM reports WHERE reporter_id = $1 AND created_at >= $2",
        )
        .bind(reporter)
        .bind(since)
        .fetch_one(&self.pool)
        .await?)
    }

    /// Items with open reports, the longest waiting first.
    pub async fn moderation_queue(&self, limit: i64) -> Result<Vec<QueueItem>> {
        use sqlx::Row;
        let groups = sqlx::query(
            "SELECT target_kind, target_id, COUNT(*) AS n, MIN(created_at) AS first_at FROM reports \
             WHERE resolved_at IS NULL GROUP BY target_kind, target_id \
             ORDER BY MIN(created_at), target_kind, target_id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(groups.len());
        for g in groups {
            let kind: String = g.try_get("target_kind")?;
            let id: i64 = g.try_get("target_id")?;
            let Some(target) = Target::parse(&kind, id) else {
                continue;
            };
            let rows = sqlx::query(
                "SELECT reason, details FROM reports WHERE resolved_at IS NULL \
                 AND target_kind = $1 AND target_id = $2 ORDER BY id",
            )
            .bind(target.kind())
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
            let mut reasons: Vec<String> = Vec::new();
            let mut details = Vec::new();
            for r in rows {
                let reason: String = r.try_get("reason")?;
                if !reasons.contains(&reason) {
                    reasons.push(reason);
                }
                let d: String = r.try_get("details")?;
                if !d.is_empty() {
                    details.push(d);
                }
            }
            // An item deleted since its report leaves nothing to decide.
            let Some(item) = self.moderation_item(target).await? else {
                continue;
            };
            out.push(QueueItem {
                target,
                reports: g.try_get("n")?,
                first_at: g.try_get("first_at")?,
                reasons,
                details,
                item,
            });
        }
        Ok(out)
    }

    pub async fn open_reports(&self) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM reports WHERE resolved_at IS NULL")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// Hidden items, newest decision first.
    pub async fn hidden_items(&self, limit: i64) -> Result<Vec<(Target, Item)>> {
        let ids: Vec<(String, i64)> = sqlx::query_as(
            "SELECT 'contribution' AS kind, id FROM contributions WHERE status = 'hidden' \
             UNION ALL SELECT 'comment' AS kind, id FROM comments WHERE status = 'hidden' \
             ORDER BY 2 DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for (kind, id) in ids {
            if let Some(t) = Target::parse(&kind, id)
                && let Some(item) = self.moderation_item(t).await?
            {
                out.push((t, item));
            }
        }
        Ok(out)
    }

    /// Hides a published item (`Conflict("status")` if it is not published) or restores a
    /// hidden one, and resolves its open reports; both in one transaction.
    pub async fn set_hidden(
        &self,
        t: Target,
        hidden: bool,
        reason: &str,
        moderator: i64,
    ) -> Result<()> {
        let (from, to) = if hidden {
            ("published", "hidden")
        } else {
            ("hidden", "published")
        };
        let mut tx = self.pool.begin().await?;
        // updated_at moves so that the search index sees the change.
        let q = format!(
            "UPDATE {} SET status = $2, moderation_reason = $3, updated_at = $5 \
             WHERE id = $1 AND status = $4",
            t.table()
        );
        let r = sqlx::query(sqlx::AssertSqlSafe(q))
            .bind(t.id())
            .bind(to)
            .bind(if hidden { reason } else { "" })
            .bind(from)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        if r.rows_affected() == 0 {
            tx.rollback().await?;
            let exists = self.moderation_item(t).await?.is_some();
            return Err(if exists {
                StoreError::Conflict("status")
            } else {
                StoreError::NotFound
            });
        }
        if let Target::Comment(id) = t {
            let delta = if hidden { -1 } else { 1 };
            sqlx::query(
                "UPDATE contributions SET comments_count = comments_count + $2 \
                 WHERE id = (SELECT contribution_id FROM comments WHERE id = $1)",
            )
            .bind(id)
            .bind(delta)
            .execute(&mut *tx)
            .await?;
        }
        resolve(
            &mut tx,
            t,
            if hidden { "hidden" } else { "kept" },
            moderator,
        )
        .await?;
        tx.commit().await?;
        self.wrote();
        if let Target::Contribution(_) = t
            && let Some(item) = self.moderation_item(t).await?
        {
            self.forget_counts(item.debate_id);
        }
        Ok(())
    }

    /// Keeps the item as it is and closes its open reports; `NotFound` if there were none.
    pub async fn dismiss_reports(&self, t: Target, moderator: i64) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        if resolve(&mut tx, t, "kept", moderator).await? == 0 {
            return Err(StoreError::NotFound);
        }
        tx.commit().await?;
        Ok(())
    }
}

impl crate::Tx<'_> {
    /// A moderator's decision in this write: hide a published item (`Conflict("status")` if it
    /// is not published), restore a hidden one, or keep it as it is (`NotFound` if nobody
    /// reported it). Open reports are resolved; returns the people who reported it.
    pub async fn moderate(
        &mut self,
        t: Target,
        decision: &str,
        reason: &str,
        moderator: i64,
    ) -> Result<Vec<i64>> {
        let reporters: Vec<Option<i64>> = sqlx::query_scalar(
            "SELECT DISTINCT reporter_id FROM reports \
             WHERE target_kind = $1 AND target_id = $2 AND resolved_at IS NULL",
        )
        .bind(t.kind())
        .bind(t.id())
        .fetch_all(&mut *self.tx)
        .await?;
        let reporters: Vec<i64> = reporters.into_iter().flatten().collect();
        let resolution = match decision {
            "hide" | "restore" => {
                let hidden = decision == "hide";
                let (from, to) = if hidden {
                    ("published", "hidden")
                } else {
                    ("hidden", "published")
                };
                // updated_at moves so that the search index sees the change.
                let q = format!(
                    "UPDATE {} SET status = $2, moderation_reason = $3, updated_at = $5 \
                     WHERE id = $1 AND status = $4",
                    t.table()
                );
                let r = sqlx::query(sqlx::AssertSqlSafe(q))
                    .bind(t.id())
                    .bind(to)
                    .bind(if hidden { reason } else { "" })
                    .bind(from)
                    .bind(now())
                    .execute(&mut *self.tx)
                    .await?;
                if r.rows_affected() == 0 {
                    return Err(StoreError::Conflict("status"));
                }
                if let Target::Comment(id) = t {
                    sqlx::query(
                        "UPDATE contributions SET comments_count = comments_count + $2 \
                         WHERE id = (SELECT contribution_id FROM comments WHERE id = $1)",
                    )
                    .bind(id)
                    .bind(if hidden { -1 } else { 1 })
                    .execute(&mut *self.tx)
                    .await?;
                }
                if hidden { "hidden" } else { "kept" }
            }
            _ => "kept",
        };
        let resolved = resolve(&mut self.tx, t, resolution, moderator).await?;
        if decision == "keep" && resolved == 0 {
            return Err(StoreError::NotFound);
        }
        let debate: Option<i64> = sqlx::query_scalar(
            "SELECT c.debate_id FROM contributions c WHERE c.id = \
             CASE WHEN $1 = 'comment' THEN (SELECT contribution_id FROM comments WHERE id = $2) ELSE $2 END",
        )
        .bind(t.kind())
        .bind(t.id())
        .fetch_optional(&mut *self.tx)
        .await?;
        if let Some(d) = debate {
            self.touch(d);
        }
        self.store.wrote();
        Ok(reporters)
    }
}

async fn resolve(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    t: Target,
    resolution: &str,
    moderator: i64,
) -> Result<u64> {
    let r = sqlx::query(
        "UPDATE reports SET resolved_at = $3, resolved_by = $4, resolution = $5 \
         WHERE target_kind = $1 AND target_id = $2 AND resolved_at IS NULL",
    )
    .bind(t.kind())
    .bind(t.id())
    .bind(now())
    .bind(moderator)
    .bind(resolution)
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected())
}

impl crate::Tx<'_> {
    /// Files a report; `NotFound` if the item does not exist, `Conflict("report")` if this
    /// person already has an open report on it.
    pub async fn report(
        &mut self,
        t: Target,
        reporter: i64,
        reason: &str,
        details: &str,
    ) -> Result<i64> {
        if self.store.moderation_item(t).await?.is_none() {
            return Err(StoreError::NotFound);
        }
        sqlx::query_scalar(
            "INSERT INTO reports (target_kind, target_id, reporter_id, reason, details, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(t.kind())
        .bind(t.id())
        .bind(reporter)
        .bind(reason)
        .bind(details)
        .bind(now())
        .fetch_one(&mut *self.tx)
        .await
        .map_err(crate::conflict_as("report"))
    }
}
