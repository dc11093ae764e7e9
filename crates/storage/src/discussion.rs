//! Around a contribution: its author's edits (the earlier versions are kept) and withdrawal,
//! threaded comments, and the people who follow it.

use crate::{Result, Store, StoreError, Tx, now};

/// Replies nest this deep at most (0 = an answer to the contribution itself).
pub const MAX_COMMENT_DEPTH: i64 = 3;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CommentRow {
    pub id: i64,
    pub contribution_id: i64,
    pub parent_id: Option<i64>,
    pub depth: i64,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    pub body: String,
    pub status: String,
    pub moderation_reason: String,
    pub created_at: i64,
    /// Imported comments: `for`, `against` or `neutral` as their author said; empty otherwise.
    pub alignment: String,
    /// Imported comments: the public name of the user group that wrote them.
    pub group_name: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Version {
    pub title: String,
    pub body: String,
    pub written_at: i64,
    pub replaced_at: i64,
}

/// Someone to tell by mail.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Recipient {
    pub user_id: i64,
    pub email: String,
    pub lang: String,
}

pub(crate) const COMMENT: &str = "SELECT m.id, m.contribution_id, m.parent_id, m.depth, m.author_id, \
     u.display_name AS author_name, m.body, m.status, m.moderation_reason, m.created_at, \
     m.alignment, m.group_name \
     FROM comments m LEFT JOIN users u ON u.id = m.author_id";

impl Store {
    /// Replaces the title and body, keeping the previous ones as a version.
    pub async fn edit_contribution(&self, id: i64, title: &str, body: &str) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let t = now();
        let r = sqlx::query(
            "INSERT INTO contribution_versions (contribution_id, title, body, written_at, replaced_at) \
             SELECT id, title, body, updated_at, $2 FROM contributions WHERE id = $1 AND status = 'published'",
        )
        .bind(id)
        .bind(t)
        .execute(&mut *tx)
        .await?;
        if r.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        sqlx::query(
            "UPDATE contributions SET title = $2, body = $3, updated_at = $4 WHERE id = $1",
        )
        .bind(id)
        .bind(title)
        .bind(body)
        .bind(t)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.wrote();
        // Its title and text show in the list.
        self.pages.forget(|_| true);
        Ok(())
    }

    /// Earlier versions, oldest first.
    pub async fn versions(&self, contribution_id: i64) -> Result<Vec<Version>> {
        Ok(sqlx::query_as(
            "SELECT title, body, written_at, replaced_at FROM contribution_versions \
             WHERE contribution_id = $1 ORDER BY id",
        )
        .bind(contribution_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The author takes it back: it leaves the list, the page says so, the text stays for
    /// moderators and guarantors.
    pub async fn withdraw_contribution(&self, id: i64) -> Result<()> {
        let debate: Option<i64> = sqlx::query_scalar(
            "UPDATE contributions SET status = 'withdrawn', updated_at = $2 \
             WHERE id = $1 AND status = 'published' RETURNING debate_id",
        )
        .bind(id)
        .bind(now())
        .fetch_optional(&self.pool)
        .await?;
        let debate = debate.ok_or(StoreError::NotFound)?;
        self.forget_counts(debate);
        Ok(())
    }

    /// Adds a comment on its own (see `Tx::add_comment`).
    pub async fn add_comment(
        &self,
        contribution_id: i64,
        parent: Option<i64>,
        author_id: i64,
        body: &str,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = tx
            .add_comment(contribution_id, parent, author_id, body)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// How many comments this person wrote since `since` (to slow down floods).
    pub async fn comments_since(&self, author_id: i64, since: i64) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM comments WHERE author_id = $1 AND created_at >= $2",
        )
        .bind(author_id)
        .bind(since)
        .fetch_one(&self.pool)
        .await?)
    }

    pub async fn comment(&self, id: i64) -> Result<Option<CommentRow>> {
        let q = format!("{COMMENT} WHERE m.id = $1");
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(q))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Every comment of a contribution, in any status, oldest first (the page builds the
    /// threads and shows placeholders for hidden ones).
    pub async fn comments(&self, contribution_id: i64) -> Result<Vec<CommentRow>> {
        let q = format!("{COMMENT} WHERE m.contribution_id = $1 ORDER BY m.id");
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(q))
            .bind(contribution_id)
            .fetch_all(&self.pool)
            .await?)
    }

    /// Following twice is not an error.
    pub async fn follow(&self, contribution_id: i64, user_id: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.follow(contribution_id, user_id).await?;
        tx.commit().await
    }

    pub async fn unfollow(&self, contribution_id: i64, user_id: i64) -> Result<()> {
        sqlx::query("DELETE FROM follows WHERE contribution_id = $1 AND user_id = $2")
            .bind(contribution_id)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn follows(&self, contribution_id: i64, user_id: i64) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM follows WHERE contribution_id = $1 AND user_id = $2",
        )
        .bind(contribution_id)
        .bind(user_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    /// Followers to tell of a new comment: confirmed, not blocked, not `except` (its writer).
    pub async fn followers(&self, contribution_id: i64, except: i64) -> Result<Vec<Recipient>> {
        Ok(sqlx::query_as(
            "SELECT u.id AS user_id, u.email, u.lang FROM follows f JOIN users u ON u.id = f.user_id \
             WHERE f.contribution_id = $1 AND f.user_id <> $2 AND u.confirmed_at IS NOT NULL \
             AND u.blocked_at IS NULL ORDER BY u.id",
        )
        .bind(contribution_id)
        .bind(except)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn recipient(&self, user_id: i64) -> Result<Option<Recipient>> {
        Ok(
            sqlx::query_as("SELECT id AS user_id, email, lang FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }
}

impl Tx<'_> {
    /// Adds a comment; `parent` must be a comment of the same contribution, and replies stop at
    /// `MAX_COMMENT_DEPTH` (`Conflict("depth")`); `NotFound` for an unknown parent.
    pub async fn add_comment(
        &mut self,
        contribution_id: i64,
        parent: Option<i64>,
        author_id: i64,
        body: &str,
    ) -> Result<i64> {
        let depth = match parent {
            None => 0,
            Some(p) => {
                let d: Option<i64> = sqlx::query_scalar(
                    "SELECT depth FROM comments WHERE id = $1 AND contribution_id = $2",
                )
                .bind(p)
                .bind(contribution_id)
                .fetch_optional(&mut *self.tx)
                .await?;
                let d = d.ok_or(StoreError::NotFound)? + 1;
                if d > MAX_COMMENT_DEPTH {
                    return Err(StoreError::Conflict("depth"));
                }
                d
            }
        };
        let t = now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO comments (contribution_id, parent_id, depth, author_id, body, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(contribution_id)
        .bind(parent)
        .bind(depth)
        .bind(author_id)
        .bind(body)
        .bind(t)
        .fetch_one(&mut *self.tx)
        .await?;
        let debate: i64 = sqlx::query_scalar(
            "UPDATE contributions SET comments_count = comments_count + 1 WHERE id = $1 RETURNING debate_id",
        )
        .bind(contribution_id)
        .fetch_one(&mut *self.tx)
        .await?;
        self.touch(debate);
        Ok(id)
    }

    pub async fn follow(&mut self, contribution_id: i64, user_id: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO follows (contribution_id, user_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(contribution_id)
        .bind(user_id)
        .bind(now())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}
