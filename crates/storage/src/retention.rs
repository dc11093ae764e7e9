//! Retention: the accounts left unused (to warn, then to delete) and the registrations of
//! people without an account once their event is long over. The rules (how long, who is spared)
//! are the use case's (`app::retention`); here are only the rows they need.

use crate::{Result, Store, Tx};

/// An account to tell that it will go for inactivity.
#[derive(Debug, Clone)]
pub struct InactiveAccount {
    pub id: i64,
    pub email: String,
    pub lang: String,
    /// Any role at all (staff accounts are never deleted automatically).
    pub staff: bool,
    /// The last sign-in or signed-in page, else the creation of the account.
    pub last_seen_at: i64,
}

impl Store {
    /// Accounts not seen since `seen_before` and not warned yet.
    pub async fn inactive_accounts_to_warn(
        &self,
        seen_before: i64,
    ) -> Result<Vec<InactiveAccount>> {
        // A count rather than EXISTS: the same integer on both databases.
        let rows: Vec<(i64, String, String, i64, i64)> = sqlx::query_as(
            "SELECT u.id, u.email, u.lang, \
             (SELECT COUNT(*) FROM user_roles r WHERE r.user_id = u.id) AS roles, \
             COALESCE(u.last_seen_at, u.created_at) AS last_seen_at FROM users u \
             WHERE u.inactivity_warned_at IS NULL AND COALESCE(u.last_seen_at, u.created_at) < $1 \
             ORDER BY u.id",
        )
        .bind(seen_before)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, email, lang, roles, last_seen_at)| InactiveAccount {
                id,
                email,
                lang,
                staff: roles > 0,
                last_seen_at,
            })
            .collect())
    }

    /// Accounts without any role warned before `warned_before` and not seen since the warning.
    pub async fn inactive_accounts_to_delete(&self, warned_before: i64) -> Result<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT u.id FROM users u WHERE u.inactivity_warned_at IS NOT NULL \
             AND u.inactivity_warned_at <= $1 \
             AND COALESCE(u.last_seen_at, u.created_at) <= u.inactivity_warned_at \
             AND NOT EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id) ORDER BY u.id",
        )
        .bind(warned_before)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Whether a job of this kind waits to run (the daily jobs queue themselves once).
    pub async fn job_queued(&self, kind: &str) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM jobs WHERE kind = $1 AND state IN ('queued', 'running')",
        )
        .bind(kind)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }
}

impl Tx<'_> {
    /// Notes the warning, unless the account was seen or warned in the meantime. Returns whether
    /// it was noted (and so whether to send the mail).
    pub async fn note_inactivity_warning(
        &mut self,
        user_id: i64,
        seen_before: i64,
        at: i64,
    ) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE users SET inactivity_warned_at = $1 WHERE id = $2 \
             AND inactivity_warned_at IS NULL AND COALESCE(last_seen_at, created_at) < $3",
        )
        .bind(at)
        .bind(user_id)
        .bind(seen_before)
        .execute(&mut *self.tx)
        .await?;
        Ok(r.rows_affected() > 0)
    }

    /// Deletes the registrations of people without an account to events that ended before
    /// `ended_before`. Returns how many went.
    pub async fn delete_guest_registrations(&mut self, ended_before: i64) -> Result<u64> {
        let r = sqlx::query(
            "DELETE FROM registrations WHERE user_id IS NULL AND event_id IN \
             (SELECT id FROM events WHERE ends_at < $1)",
        )
        .bind(ended_before)
        .execute(&mut *self.tx)
        .await?;
        Ok(r.rows_affected())
    }
}
