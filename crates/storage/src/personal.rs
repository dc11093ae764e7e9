//! Everything the platform holds about one person, for their access request ("download my
//! data"), and the deletion of their account. Both are written table by table here, next to
//! each other, so that a table added to one is seen missing from the other.

use crate::{Result, StoreError, Tx, now};
use serde_json::{Map, Value};
use sqlx::{Column, Row};

/// One kind of record and its rows, each row a JSON object of its columns. Columns ending in
/// `_at` hold Unix seconds.
#[derive(Debug, Clone)]
pub struct Section {
    pub name: &'static str,
    pub rows: Vec<Map<String, Value>>,
}

/// The sections of an access request, in the order they are shown, with their query (`$1` is
/// the person's id). Secrets are never read: no password hash, no token hash.
const SECTIONS: [(&str, &str); 14] = [
    (
        "account",
        "SELECT u.id, u.email, u.display_name, cat.name AS category, q.name AS quartier, \
         u.age_bracket, u.lang, u.confirmed_at, u.blocked_at, u.created_at FROM users u \
         LEFT JOIN categories cat ON cat.id = u.category_id \
         LEFT JOIN quartiers q ON q.id = u.quartier_id WHERE u.id = $1",
    ),
    (
        "roles",
        "SELECT role, granted_at FROM user_roles WHERE user_id = $1 ORDER BY role",
    ),
    (
        "contributions",
        "SELECT c.id, d.title AS debate, dq.text AS question, c.kind, c.channel, c.title, \
         c.summary, c.body, c.status, o.name AS organisation, c.created_at, c.updated_at \
         FROM contributions c JOIN debates d ON d.id = c.debate_id \
         JOIN debate_questions dq ON dq.id = c.question_id \
         LEFT JOIN organisations o ON o.id = c.organisation_id \
         WHERE c.author_id = $1 ORDER BY c.id",
    ),
    (
        "contribution_versions",
        "SELECT v.contribution_id, v.title, v.body, v.written_at, v.replaced_at \
         FROM contribution_versions v JOIN contributions c ON c.id = v.contribution_id \
         WHERE c.author_id = $1 ORDER BY v.contribution_id, v.id",
    ),
    (
        "comments",
        "SELECT id, contribution_id, parent_id, body, status, created_at, updated_at \
         FROM comments WHERE author_id = $1 ORDER BY id",
    ),
    (
        "supports",
        "SELECT s.contribution_id, c.title AS contribution, s.created_at FROM supports s \
         JOIN contributions c ON c.id = s.contribution_id WHERE s.user_id = $1 \
         ORDER BY s.created_at, s.contribution_id",
    ),
    (
        "follows",
        "SELECT f.contribution_id, c.title AS contribution, f.created_at FROM follows f \
         JOIN contributions c ON c.id = f.contribution_id WHERE f.user_id = $1 \
         ORDER BY f.created_at, f.contribution_id",
    ),
    (
        "reports",
        "SELECT id, target_kind, target_id, reason, details, created_at, resolved_at, resolution \
         FROM reports WHERE reporter_id = $1 ORDER BY id",
    ),
    (
        "organisations",
        "SELECT o.id, o.name, o.kind, m.is_admin, m.joined_at FROM organisation_members m \
         JOIN organisations o ON o.id = m.organisation_id WHERE m.user_id = $1 ORDER BY o.id",
    ),
    (
        "event_registrations",
        "SELECT r.id, e.title AS event, e.starts_at, r.name, r.email, r.phone, r.state, \
         r.attended, r.created_at, r.updated_at FROM registrations r \
         JOIN events e ON e.id = r.event_id WHERE r.user_id = $1 ORDER BY r.id",
    ),
    (
        "api_tokens",
        "SELECT id, name, scope, created_at, last_used_at, revoked_at FROM api_tokens \
         WHERE user_id = $1 ORDER BY id",
    ),
    (
        "sessions",
        "SELECT created_at, expires_at FROM sessions WHERE user_id = $1 ORDER BY created_at",
    ),
    (
        "mail_links",
        "SELECT purpose, created_at, expires_at, used_at FROM user_tokens WHERE user_id = $1 \
         ORDER BY created_at",
    ),
    (
        "audit_entries",
        "SELECT id, at, CASE WHEN actor_id = $1 THEN 'you' ELSE 'staff or system' END AS by_whom, \
         action, target, detail FROM audit_log \
         WHERE actor_id = $1 OR target = 'user:' || CAST($1 AS TEXT) ORDER BY id",
    ),
];

/// A row as JSON: integers, reals and texts as such, anything else as null.
fn to_json(r: &sqlx::any::AnyRow) -> Map<String, Value> {
    let mut m = Map::new();
    for (i, c) in r.columns().iter().enumerate() {
        let v = if let Ok(v) = r.try_get::<Option<i64>, _>(i) {
            v.map(Value::from).unwrap_or(Value::Null)
        } else if let Ok(v) = r.try_get::<Option<String>, _>(i) {
            v.map(Value::from).unwrap_or(Value::Null)
        } else if let Ok(v) = r.try_get::<Option<f64>, _>(i) {
            v.map(Value::from).unwrap_or(Value::Null)
        } else {
            Value::Null
        };
        m.insert(c.name().to_string(), v);
    }
    m
}

/// How a deletion went, for its audit entry and the page that confirms it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Deletion {
    pub contributions: u64,
    pub comments: u64,
    pub supports: u64,
    pub registrations: Vec<i64>,
}

impl crate::Store {
    /// Everything held about this person, section by section (empty sections included, so
    /// that the person sees what was looked at).
    pub async fn personal_data(&self, user_id: i64) -> Result<Vec<Section>> {
        let mut out = Vec::with_capacity(SECTIONS.len());
        for (name, q) in SECTIONS {
            let rows = sqlx::query(sqlx::AssertSqlSafe(q))
                .bind(user_id)
                .fetch_all(&self.pool)
                .await?;
            out.push(Section {
                name,
                rows: rows.iter().map(to_json).collect(),
            });
        }
        Ok(out)
    }

    /// The ids of this person's registrations still holding or awaiting a place.
    pub async fn live_registrations_of(&self, user_id: i64) -> Result<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT id FROM registrations WHERE user_id = $1 AND state <> 'cancelled' ORDER BY id",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?)
    }
}

impl Tx<'_> {
    /// Deletes an account. Its contributions and comments stay without an author
    /// (`withdraw == false`: shown as by an anonymous participant) or are withdrawn and their
    /// texts erased, with their earlier versions (`withdraw == true`). Supports, follows,
    /// registrations, sessions, tokens, roles and memberships go with the account. The
    /// registrations must have been cancelled first (the waiting list moves up:
    /// `Tx::cancel_registration`), so that only their rows are left to delete here.
    pub async fn delete_account(&mut self, user_id: i64, withdraw: bool) -> Result<Deletion> {
        let t = now();
        let debates: Vec<i64> = sqlx::query_scalar(
            "SELECT DISTINCT debate_id FROM contributions WHERE author_id = $1 \
             UNION SELECT DISTINCT c.debate_id FROM comments m \
             JOIN contributions c ON c.id = m.contribution_id WHERE m.author_id = $1 \
             UNION SELECT DISTINCT c.debate_id FROM supports s \
             JOIN contributions c ON c.id = s.contribution_id WHERE s.user_id = $1",
        )
        .bind(user_id)
        .fetch_all(&mut *self.tx)
        .await?;
        // Supports are counted on their contribution: take them off first.
        let supports = sqlx::query(
            "UPDATE contributions SET supports_count = supports_count - 1 \
             WHERE id IN (SELECT contribution_id FROM supports WHERE user_id = $1)",
        )
        .bind(user_id)
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        let mut d = Deletion {
            supports,
            ..Deletion::default()
        };
        sqlx::query("DELETE FROM supports WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *self.tx)
            .await?;
        if withdraw {
            sqlx::query(
                "DELETE FROM contribution_versions WHERE contribution_id IN \
                 (SELECT id FROM contributions WHERE author_id = $1)",
            )
            .bind(user_id)
            .execute(&mut *self.tx)
            .await?;
            d.contributions = sqlx::query(
                "UPDATE contributions SET status = 'withdrawn', title = '', summary = '', \
                 body = '', author_id = NULL, updated_at = $2 WHERE author_id = $1",
            )
            .bind(user_id)
            .bind(t)
            .execute(&mut *self.tx)
            .await?
            .rows_affected();
            d.comments = sqlx::query(
                "UPDATE comments SET status = 'withdrawn', body = '', author_id = NULL, \
                 updated_at = $2 WHERE author_id = $1",
            )
            .bind(user_id)
            .bind(t)
            .execute(&mut *self.tx)
            .await?
            .rows_affected();
        } else {
            // `updated_at` moves so that whatever follows changes (the search index) sees it.
            d.contributions = sqlx::query(
                "UPDATE contributions SET author_id = NULL, updated_at = $2 WHERE author_id = $1",
            )
            .bind(user_id)
            .bind(t)
            .execute(&mut *self.tx)
            .await?
            .rows_affected();
            d.comments = sqlx::query(
                "UPDATE comments SET author_id = NULL, updated_at = $2 WHERE author_id = $1",
            )
            .bind(user_id)
            .bind(t)
            .execute(&mut *self.tx)
            .await?
            .rows_affected();
        }
        let registrations: Vec<i64> =
            sqlx::query_scalar("DELETE FROM registrations WHERE user_id = $1 RETURNING id")
                .bind(user_id)
                .fetch_all(&mut *self.tx)
                .await?;
        d.registrations = registrations;
        for table in [
            "follows",
            "sessions",
            "api_tokens",
            "user_tokens",
            "user_roles",
            "organisation_members",
            "event_facilitators",
        ] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE user_id = $1"
            )))
            .bind(user_id)
            .execute(&mut *self.tx)
            .await?;
        }
        sqlx::query(
            "DELETE FROM login_attempts WHERE key = (SELECT 'email:' || email FROM users WHERE id = $1)",
        )
        .bind(user_id)
        .execute(&mut *self.tx)
        .await?;
        let gone = sqlx::query("DELETE FROM users WHERE id = $1")
            .bind(user_id)
            .execute(&mut *self.tx)
            .await?
            .rows_affected();
        if gone == 0 {
            return Err(StoreError::NotFound);
        }
        for debate in debates {
            self.touch(debate);
        }
        self.store.wrote();
        Ok(d)
    }
}

impl crate::Store {
    /// How many contributions and comments this person wrote (what a deletion is about).
    pub async fn authored_counts(&self, user_id: i64) -> Result<(i64, i64)> {
        let c: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM contributions WHERE author_id = $1")
            .bind(user_id)
            .fetch_one(&self.pool)
            .await?;
        let m: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM comments WHERE author_id = $1")
            .bind(user_id)
            .fetch_one(&self.pool)
            .await?;
        Ok((c, m))
    }
}
