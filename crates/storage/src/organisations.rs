//! Organisations, their members and invitations, and the files attached to contributions
//! (attachments of collective contributions, scans of paper ones).

use crate::{FileMeta, Result, Store, StoreError, now};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Organisation {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub description: String,
    pub created_at: i64,
    pub members: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Member {
    pub user_id: i64,
    pub display_name: String,
    pub is_admin: i64,
    pub joined_at: i64,
}

/// An invitation as its link shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Invitation {
    pub organisation_id: i64,
    pub organisation_name: String,
    pub email: String,
}

/// Invitations last two weeks.
const INVITATION_TTL: i64 = 14 * 24 * 3600;

const ORG: &str = "SELECT o.id, o.name, o.kind, o.description, o.created_at, \
     (SELECT COUNT(*) FROM organisation_members m WHERE m.organisation_id = o.id) AS members \
     FROM organisations o";

impl Store {
    /// Creates it with its creator as first admin; `Conflict("name")` if the name is taken
    /// (case aside).
    pub async fn create_organisation(
        &self,
        name: &str,
        kind: &str,
        description: &str,
        creator: i64,
    ) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        let t = now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO organisations (name, kind, description, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(name)
        .bind(kind)
        .bind(description)
        .bind(creator)
        .bind(t)
        .fetch_one(&mut *tx)
        .await
        .map_err(crate::conflict_as("name"))?;
        sqlx::query(
            "INSERT INTO organisation_members (organisation_id, user_id, is_admin, joined_at) \
             VALUES ($1, $2, 1, $3)",
        )
        .bind(id)
        .bind(creator)
        .bind(t)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn organisation(&self, id: i64) -> Result<Option<Organisation>> {
        let q = format!("{ORG} WHERE o.id = $1");
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(q))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// The organisations a person belongs to, by name.
    pub async fn organisations_of(&self, user_id: i64) -> Result<Vec<Organisation>> {
        let q = format!(
            "{ORG} WHERE o.id IN (SELECT organisation_id FROM organisation_members WHERE user_id = $1) \
             ORDER BY lower(o.name)"
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(q))
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?)
    }

    pub async fn members(&self, organisation_id: i64) -> Result<Vec<Member>> {
        Ok(sqlx::query_as(
            "SELECT m.user_id, u.display_name, m.is_admin, m.joined_at FROM organisation_members m \
             JOIN users u ON u.id = m.user_id WHERE m.organisation_id = $1 \
             ORDER BY m.is_admin DESC, lower(u.display_name)",
        )
        .bind(organisation_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// `None` if not a member, `Some(is_admin)` otherwise.
    pub async fn membership(&self, organisation_id: i64, user_id: i64) -> Result<Option<bool>> {
        let v: Option<i64> = sqlx::query_scalar(
            "SELECT is_admin FROM organisation_members WHERE organisation_id = $1 AND user_id = $2",
        )
        .bind(organisation_id)
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(v.map(|a| a != 0))
    }

    /// Records an invitation and returns the token for the link sent by mail.
    pub async fn invite(&self, organisation_id: i64, email: &str, by: i64) -> Result<String> {
        let (token, hash) = crate::new_token();
        let t = now();
        sqlx::query(
            "INSERT INTO organisation_invitations (organisation_id, email, token_hash, invited_by, \
             created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(organisation_id)
        .bind(email)
        .bind(hash)
        .bind(by)
        .bind(t)
        .bind(t + INVITATION_TTL)
        .execute(&self.pool)
        .await?;
        Ok(token)
    }

    /// How many invitations an organisation sent since `since` (each one is a mail).
    pub async fn invitations_since(&self, organisation_id: i64, since: i64) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM organisation_invitations WHERE organisation_id = $1 AND created_at >= $2",
        )
        .bind(organisation_id)
        .bind(since)
        .fetch_one(&self.pool)
        .await?)
    }

    /// A valid (known, unused, unexpired) invitation.
    pub async fn invitation(&self, token: &str) -> Result<Option<Invitation>> {
        Ok(sqlx::query_as(
            "SELECT i.organisation_id, o.name AS organisation_name, i.email \
             FROM organisation_invitations i JOIN organisations o ON o.id = i.organisation_id \
             WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.expires_at > $2",
        )
        .bind(crate::hash_token(token))
        .bind(now())
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Makes `user_id` a member; `NotFound` for an invalid, used or expired invitation.
    pub async fn accept_invitation(&self, token: &str, user_id: i64) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        let t = now();
        let org: Option<i64> = sqlx::query_scalar(
            "UPDATE organisation_invitations SET accepted_at = $2, accepted_by = $3 \
             WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > $2 \
             RETURNING organisation_id",
        )
        .bind(crate::hash_token(token))
        .bind(t)
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await?;
        let org = org.ok_or(StoreError::NotFound)?;
        sqlx::query(
            "INSERT INTO organisation_members (organisation_id, user_id, is_admin, joined_at) \
             VALUES ($1, $2, 0, $3) ON CONFLICT DO NOTHING",
        )
        .bind(org)
        .bind(user_id)
        .bind(t)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(org)
    }

    /// Attaches stored files to a contribution, in this order.
    pub async fn attach_files(&self, contribution_id: i64, file_ids: &[i64]) -> Result<()> {
        let start: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM contribution_files WHERE contribution_id = $1",
        )
        .bind(contribution_id)
        .fetch_one(&self.pool)
        .await?;
        for (i, f) in file_ids.iter().enumerate() {
            sqlx::query(
                "INSERT INTO contribution_files (contribution_id, file_id, position) VALUES ($1, $2, $3)",
            )
            .bind(contribution_id)
            .bind(f)
            .bind(start + i as i64)
            .execute(&self.pool)
            .await?;
        }
        Ok(())
    }

    pub async fn contribution_files(&self, contribution_id: i64) -> Result<Vec<FileMeta>> {
        Ok(sqlx::query_as(
            "SELECT f.id, f.debate_id, f.purpose, f.title, f.filename, f.content_type, f.size, \
             f.sha256, f.created_at FROM contribution_files cf JOIN files f ON f.id = cf.file_id \
             WHERE cf.contribution_id = $1 ORDER BY cf.position",
        )
        .bind(contribution_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The contribution a file is attached to, with its status, if any.
    pub async fn file_contribution(&self, file_id: i64) -> Result<Option<(i64, String)>> {
        Ok(sqlx::query_as(
            "SELECT c.id, c.status FROM contribution_files cf \
             JOIN contributions c ON c.id = cf.contribution_id WHERE cf.file_id = $1",
        )
        .bind(file_id)
        .fetch_optional(&self.pool)
        .await?)
    }
}
