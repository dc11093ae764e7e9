//! Personal access tokens for the REST API. The token itself is shown once, at creation; the
//! database keeps its SHA-256 hash, so a stolen copy of the database opens nothing.

use crate::{Result, Store, hash_token, new_token, now};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub scope: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// The prefix of every token, so that a leaked one is easy to recognise (and to scan for).
pub const TOKEN_PREFIX: &str = "cc_";

impl Store {
    /// Creates a token and returns it in clear (the only time it is).
    pub async fn create_api_token(
        &self,
        user_id: i64,
        name: &str,
        scope: &str,
    ) -> Result<(i64, String)> {
        let (raw, _) = new_token();
        let token = format!("{TOKEN_PREFIX}{raw}");
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (user_id, name, token_hash, scope, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(user_id)
        .bind(name)
        .bind(hash_token(&token))
        .bind(scope)
        .bind(now())
        .fetch_one(&self.pool)
        .await?;
        Ok((id, token))
    }

    /// The live token with this value, marking its use.
    pub async fn api_token(&self, token: &str) -> Result<Option<ApiToken>> {
        let t: Option<ApiToken> = sqlx::query_as(
            "SELECT id, user_id, name, scope, created_at, last_used_at, revoked_at FROM api_tokens \
             WHERE token_hash = $1 AND revoked_at IS NULL",
        )
        .bind(hash_token(token))
        .fetch_optional(&self.pool)
        .await?;
        if let Some(t) = &t {
            // At most one write a minute per token: reads stay reads.
            let at = now();
            if t.last_used_at.is_none_or(|u| at - u > 60) {
                sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                    .bind(at)
                    .bind(t.id)
                    .execute(&self.pool)
                    .await?;
            }
        }
        Ok(t)
    }

    /// This person's tokens, newest first, revoked ones included.
    pub async fn api_tokens_of(&self, user_id: i64) -> Result<Vec<ApiToken>> {
        Ok(sqlx::query_as(
            "SELECT id, user_id, name, scope, created_at, last_used_at, revoked_at FROM api_tokens \
             WHERE user_id = $1 ORDER BY id DESC",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Revokes one of this person's tokens; false if it is not theirs or already revoked.
    pub async fn revoke_api_token(&self, user_id: i64, id: i64) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
        )
        .bind(now())
        .bind(id)
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected() == 1)
    }
}
