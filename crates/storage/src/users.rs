//! Accounts, roles, e-mail tokens and the login throttle.

use crate::{Result, Store, StoreError, conflict_as, hash_token, new_token, now};
use domain::Role;
use sqlx::Row;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    pub display_name: String,
    pub category_id: Option<i64>,
    pub quartier_id: Option<i64>,
    pub age_bracket: Option<String>,
    pub lang: String,
    pub confirmed_at: Option<i64>,
    pub blocked_at: Option<i64>,
    pub created_at: i64,
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub password_hash: &'a str,
    pub display_name: &'a str,
    pub lang: &'a str,
    pub confirmed: bool,
}

pub struct ProfileFields {
    pub display_name: String,
    pub category_id: Option<i64>,
    pub quartier_id: Option<i64>,
    pub age_bracket: Option<String>,
    pub lang: String,
}

/// A line of the administrators' people list.
#[derive(Debug, Clone)]
pub struct UserSummary {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub confirmed: bool,
    pub blocked: bool,
    pub roles: Vec<Role>,
    pub created_at: i64,
}

const USER_COLUMNS: &str = "id, email, password_hash, display_name, category_id, quartier_id, \
     age_bracket, lang, confirmed_at, blocked_at, created_at";

impl Store {
    pub async fn create_user(&self, u: NewUser<'_>) -> Result<i64> {
        let t = now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (email, password_hash, display_name, lang, confirmed_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(u.email)
        .bind(u.password_hash)
        .bind(u.display_name)
        .bind(u.lang)
        .bind(u.confirmed.then_some(t))
        .bind(t)
        .fetch_one(&self.pool)
        .await
        .map_err(conflict_as("email"))?;
        Ok(id)
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        let q = format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1");
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(q))
            .bind(email)
            .fetch_optional(&self.pool)
            .await?)
    }

    pub async fn user_by_id(&self, id: i64) -> Result<Option<User>> {
        let q = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(q))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    pub async fn update_profile(&self, user_id: i64, p: &ProfileFields) -> Result<()> {
        sqlx::query(
            "UPDATE users SET display_name = $1, category_id = $2, quartier_id = $3, \
             age_bracket = $4, lang = $5 WHERE id = $6",
        )
        .bind(&p.display_name)
        .bind(p.category_id)
        .bind(p.quartier_id)
        .bind(&p.age_bracket)
        .bind(&p.lang)
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A new password on its own (the command line); pages go through `Tx::set_password`.
    pub async fn set_password(&self, user_id: i64, password_hash: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.set_password(user_id, password_hash, None).await?;
        tx.commit().await
    }

    pub async fn confirm_user(&self, user_id: i64) -> Result<()> {
        sqlx::query("UPDATE users SET confirmed_at = $1 WHERE id = $2 AND confirmed_at IS NULL")
            .bind(now())
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn set_blocked(&self, user_id: i64, blocked: bool) -> Result<()> {
        sqlx::query("UPDATE users SET blocked_at = $1 WHERE id = $2")
            .bind(blocked.then(now))
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        if blocked {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    pub async fn roles_of(&self, user_id: i64) -> Result<Vec<Role>> {
        let rows: Vec<String> =
            sqlx::query_scalar("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role")
                .bind(user_id)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.iter().filter_map(|r| Role::parse(r)).collect())
    }

    pub async fn grant_role(&self, user_id: i64, role: Role, by: Option<i64>) -> Result<()> {
        sqlx::query(
            "INSERT INTO user_roles (user_id, role, granted_by, granted_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (user_id, role) DO NOTHING",
        )
        .bind(user_id)
        .bind(role.as_str())
        .bind(by)
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn revoke_role(&self, user_id: i64, role: Role) -> Result<()> {
        sqlx::query("DELETE FROM user_roles WHERE user_id = $1 AND role = $2")
            .bind(user_id)
            .bind(role.as_str())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// People holding this role whose account is not blocked.
    pub async fn count_with_role(&self, role: Role) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM user_roles r JOIN users u ON u.id = r.user_id \
                 WHERE r.role = $1 AND u.blocked_at IS NULL",
        )
        .bind(role.as_str())
        .fetch_one(&self.pool)
        .await?)
    }

    /// (id, name) of the unblocked people who hold a role, by name.
    pub async fn users_with_role(&self, role: Role) -> Result<Vec<(i64, String)>> {
        Ok(sqlx::query_as(
            "SELECT u.id, u.display_name FROM user_roles r JOIN users u ON u.id = r.user_id \
                 WHERE r.role = $1 AND u.blocked_at IS NULL ORDER BY u.display_name, u.id",
        )
        .bind(role.as_str())
        .fetch_all(&self.pool)
        .await?)
    }

    /// People for the administrators' list, newest first, optionally filtered by e-mail or name.
    pub async fn list_users(&self, filter: &str, limit: i64) -> Result<Vec<UserSummary>> {
        let pattern = format!("%{}%", filter.trim().to_lowercase());
        let rows = sqlx::query(
            "SELECT id, email, display_name, confirmed_at, blocked_at, created_at FROM users \
             WHERE email LIKE $1 OR LOWER(display_name) LIKE $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(&pattern)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let id: i64 = r.try_get("id")?;
            out.push(UserSummary {
                id,
                email: r.try_get("email")?,
                display_name: r.try_get("display_name")?,
                confirmed: r.try_get::<Option<i64>, _>("confirmed_at")?.is_some(),
                blocked: r.try_get::<Option<i64>, _>("blocked_at")?.is_some(),
                roles: self.roles_of(id).await?,
                created_at: r.try_get("created_at")?,
            });
        }
        Ok(out)
    }

    /// Creates a single-use token for an e-mail link (confirmation, password reset).
    pub async fn create_user_token(&self, user_id: i64, purpose: &str, ttl: i64) -> Result<String> {
        let (token, hash) = new_token();
        let t = now();
        sqlx::query(
            "INSERT INTO user_tokens (token_hash, user_id, purpose, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&hash)
        .bind(user_id)
        .bind(purpose)
        .bind(t)
        .bind(t + ttl)
        .execute(&self.pool)
        .await?;
        Ok(token)
    }

    /// The user a valid, unused, unexpired token belongs to, without using it up.
    pub async fn peek_user_token(&self, token: &str, purpose: &str) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT user_id FROM user_tokens WHERE token_hash = $1 AND purpose = $2 \
             AND used_at IS NULL AND expires_at > $3",
        )
        .bind(hash_token(token))
        .bind(purpose)
        .bind(now())
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Uses a token up; returns its user, or `NotFound` if it is unknown, used or expired. Only one
    /// of two concurrent uses can win, since the update is conditional.
    pub async fn consume_user_token(&self, token: &str, purpose: &str) -> Result<i64> {
        let t = now();
        let row = sqlx::query(
            "UPDATE user_tokens SET used_at = $1 WHERE token_hash = $2 AND purpose = $3 \
             AND used_at IS NULL AND expires_at > $1 RETURNING user_id",
        )
        .bind(t)
        .bind(hash_token(token))
        .bind(purpose)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(r) => Ok(r.try_get(0)?),
            None => Err(StoreError::NotFound),
        }
    }

    /// Records a failed login for each key (e-mail, address) and tells how many failures each key
    /// had in the window. Kept in the database so that the throttle holds across instances.
    pub async fn record_login_failure(&self, keys: &[&str]) -> Result<()> {
        let t = now();
        for k in keys {
            sqlx::query("INSERT INTO login_attempts (key, at) VALUES ($1, $2)")
                .bind(*k)
                .bind(t)
                .execute(&self.pool)
                .await?;
        }
        // Keep the table small: anything older than a day is useless.
        sqlx::query("DELETE FROM login_attempts WHERE at < $1")
            .bind(t - 86_400)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn login_failures_since(&self, key: &str, since: i64) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM login_attempts WHERE key = $1 AND at >= $2")
                .bind(key)
                .bind(since)
                .fetch_one(&self.pool)
                .await?,
        )
    }

    pub async fn clear_login_failures(&self, key: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_attempts WHERE key = $1")
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

impl crate::Tx<'_> {
    /// A new password ends every session of the account but `keep` (the one that changed it,
    /// if any) and voids every reset link not used yet: whoever held the old password, or a
    /// link mailed before, is out.
    pub async fn set_password(
        &mut self,
        user_id: i64,
        password_hash: &str,
        keep: Option<&str>,
    ) -> Result<()> {
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(user_id)
            .execute(&mut *self.tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(user_id)
            .bind(keep.map(hash_token).unwrap_or_default())
            .execute(&mut *self.tx)
            .await?;
        sqlx::query(
            "UPDATE user_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = 'reset' \
             AND used_at IS NULL",
        )
        .bind(now())
        .bind(user_id)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// `Store::consume_user_token`, inside this write.
    pub async fn consume_user_token(&mut self, token: &str, purpose: &str) -> Result<i64> {
        let t = now();
        let row = sqlx::query(
            "UPDATE user_tokens SET used_at = $1 WHERE token_hash = $2 AND purpose = $3 \
             AND used_at IS NULL AND expires_at > $1 RETURNING user_id",
        )
        .bind(t)
        .bind(hash_token(token))
        .bind(purpose)
        .fetch_optional(&mut *self.tx)
        .await?;
        match row {
            Some(r) => Ok(r.try_get(0)?),
            None => Err(StoreError::NotFound),
        }
    }

    /// Confirms the address (following a mailed link proves it) and lifts the login pause.
    pub async fn confirm_and_unthrottle(&mut self, user_id: i64) -> Result<()> {
        sqlx::query("UPDATE users SET confirmed_at = $1 WHERE id = $2 AND confirmed_at IS NULL")
            .bind(now())
            .bind(user_id)
            .execute(&mut *self.tx)
            .await?;
        sqlx::query(
            "DELETE FROM login_attempts WHERE key = (SELECT 'email:' || email FROM users WHERE id = $1)",
        )
        .bind(user_id)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}
