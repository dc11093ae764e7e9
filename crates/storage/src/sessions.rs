//! Sign-in sessions, kept in the database so that every app instance behind a load balancer
//! knows them. The cookie carries a random token; only its hash is stored.

use crate::{Result, Store, hash_token, new_token, now};

impl Store {
    pub async fn create_session(&self, user_id: i64, ttl: i64) -> Result<String> {
        let (token, hash) = new_token();
        let t = now();
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(&hash)
        .bind(user_id)
        .bind(t)
        .bind(t + ttl)
        .execute(&self.pool)
        .await?;
        Ok(token)
    }

    pub async fn session_user(&self, token: &str) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT user_id FROM sessions WHERE token_hash = $1 AND expires_at > $2 AND pending = 0",
        )
        .bind(hash_token(token))
        .bind(now())
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn delete_session(&self, token: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(hash_token(token))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn purge_expired_sessions(&self) -> Result<u64> {
        let r = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now())
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected())
    }
}
