//! The second factor of an account (TOTP secret, the last time step used, recovery codes kept as
//! hashes) and what sessions know of it: a session opened with the password of an account that
//! needs a code stays `pending` (it signs nobody in) until the code is given; `verified_at` is
//! when its holder last proved who they are (re-authentication before sensitive acts).

use crate::{Result, Store, Tx, hash_token, now};

/// The second factor of an account, as stored.
#[derive(Debug, Clone)]
pub struct SecondFactor {
    /// Base32; set at the start of an enrolment, in use once `enabled_at` is.
    pub secret: Option<String>,
    pub enabled_at: Option<i64>,
    pub last_step: Option<i64>,
    pub recovery_left: i64,
}

/// One of a person's sessions, for the list on their profile.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    /// The first characters of the stored hash: enough to name it, useless as a cookie.
    pub handle: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub user_agent: String,
    pub token_hash: String,
}

/// A session waiting for its second factor: for the code (1) or for an enrolment (2).
pub const PENDING_CODE: i64 = 1;
pub const PENDING_ENROLMENT: i64 = 2;

impl Store {
    pub async fn second_factor(&self, user_id: i64) -> Result<SecondFactor> {
        let row: Option<(Option<String>, Option<i64>, Option<i64>)> = sqlx::query_as(
            "SELECT totp_secret, totp_enabled_at, totp_last_step FROM users WHERE id = $1",
        )
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        let (secret, enabled_at, last_step) = row.ok_or(crate::StoreError::NotFound)?;
        let recovery_left: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
        )
        .bind(user_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(SecondFactor {
            secret,
            enabled_at,
            last_step,
            recovery_left,
        })
    }

    /// The start of an enrolment: a new secret, not in use until confirmed.
    pub async fn set_pending_totp(&self, user_id: i64, secret: &str) -> Result<()> {
        sqlx::query("UPDATE users SET totp_secret = $1 WHERE id = $2 AND totp_enabled_at IS NULL")
            .bind(secret)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Takes this time step for the account if no later or equal one was used: a code is never
    /// accepted twice, even by two instances at once.
    pub async fn claim_totp_step(&self, user_id: i64, step: i64) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE users SET totp_last_step = $1 WHERE id = $2 \
             AND (totp_last_step IS NULL OR totp_last_step < $1)",
        )
        .bind(step)
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Uses a recovery code (by its hash) if it is the account's and unused.
    pub async fn use_recovery_code(&self, user_id: i64, code_hash: &str) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
        )
        .bind(now())
        .bind(user_id)
        .bind(code_hash)
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// A new session; `pending` says what it still waits for (0: nothing).
    pub async fn open_session(
        &self,
        user_id: i64,
        ttl: i64,
        user_agent: &str,
        pending: i64,
    ) -> Result<String> {
        let (token, hash) = crate::new_token();
        let t = now();
        let ua: String = user_agent.chars().take(300).collect();
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, user_agent, last_used_at, verified_at, pending) \
             VALUES ($1, $2, $3, $4, $5, $3, $6, $7)",
        )
        .bind(&hash)
        .bind(user_id)
        .bind(t)
        .bind(t + ttl)
        .bind(ua)
        .bind(if pending == 0 { Some(t) } else { None })
        .bind(pending)
        .execute(&self.pool)
        .await?;
        if pending == 0 {
            self.seen(user_id, t).await?;
        }
        Ok(token)
    }

    /// The account was used at `t`: a sign-in lifts a warning of deletion for inactivity.
    async fn seen(&self, user_id: i64, t: i64) -> Result<()> {
        sqlx::query(
            "UPDATE users SET last_seen_at = $1, inactivity_warned_at = NULL WHERE id = $2",
        )
        .bind(t)
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The account and what a session still waits for, signed in or not.
    pub async fn session_state(&self, token: &str) -> Result<Option<(i64, i64)>> {
        Ok(sqlx::query_as(
            "SELECT user_id, pending FROM sessions WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(hash_token(token))
        .bind(now())
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The session's holder proved who they are now (a code after the password, or
    /// re-authentication): it signs in, and counts as recently verified.
    pub async fn verify_session(&self, token: &str) -> Result<()> {
        let t = now();
        let user: Option<i64> = sqlx::query_scalar(
            "UPDATE sessions SET pending = 0, verified_at = $1 WHERE token_hash = $2 RETURNING user_id",
        )
        .bind(t)
        .bind(hash_token(token))
        .fetch_optional(&self.pool)
        .await?;
        if let Some(user_id) = user {
            self.seen(user_id, t).await?;
        }
        Ok(())
    }

    pub async fn session_verified_at(&self, token: &str) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar::<_, Option<i64>>(
            "SELECT verified_at FROM sessions WHERE token_hash = $1",
        )
        .bind(hash_token(token))
        .fetch_optional(&self.pool)
        .await?
        .flatten())
    }

    /// Notes that a session (and its account) was used now, at most every five minutes so that
    /// reading pages does not turn into writes.
    pub async fn touch_session(&self, token: &str, user_id: i64) -> Result<()> {
        let t = now();
        let r = sqlx::query(
            "UPDATE sessions SET last_used_at = $1 WHERE token_hash = $2 \
             AND (last_used_at IS NULL OR last_used_at < $3)",
        )
        .bind(t)
        .bind(hash_token(token))
        .bind(t - 300)
        .execute(&self.pool)
        .await?;
        if r.rows_affected() > 0 {
            sqlx::query(
                "UPDATE users SET last_seen_at = $1, inactivity_warned_at = NULL WHERE id = $2",
            )
            .bind(t)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        }
        Ok(())
    }

    /// The account's signed-in sessions, the most recently used first.
    pub async fn sessions_of(&self, user_id: i64) -> Result<Vec<SessionRow>> {
        Ok(sqlx::query_as(
            "SELECT substr(token_hash, 1, 16) AS handle, created_at, last_used_at, user_agent, token_hash \
             FROM sessions WHERE user_id = $1 AND expires_at > $2 AND pending = 0 \
             ORDER BY COALESCE(last_used_at, created_at) DESC, created_at DESC, token_hash",
        )
        .bind(user_id)
        .bind(now())
        .fetch_all(&self.pool)
        .await?)
    }

    /// Ends one of the account's sessions by its handle; false if there is none.
    pub async fn end_session(&self, user_id: i64, handle: &str) -> Result<bool> {
        if handle.len() != 16 || !handle.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(false);
        }
        let r = sqlx::query(
            "DELETE FROM sessions WHERE user_id = $1 AND substr(token_hash, 1, 16) = $2",
        )
        .bind(user_id)
        .bind(handle)
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected() > 0)
    }
}

impl Tx<'_> {
    /// The second factor in use, with its recovery codes (hashes) replacing any older ones.
    pub async fn enable_totp(&mut self, user_id: i64, code_hashes: &[String]) -> Result<()> {
        sqlx::query("UPDATE users SET totp_enabled_at = $1 WHERE id = $2")
            .bind(now())
            .bind(user_id)
            .execute(&mut *self.tx)
            .await?;
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *self.tx)
            .await?;
        for h in code_hashes {
            sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
                .bind(user_id)
                .bind(h)
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(())
    }
}
