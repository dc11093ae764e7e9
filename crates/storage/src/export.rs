//! Open data: a debate's published contributions and comments read as streams, so that
//! exporting a million rows holds one row at a time in memory. Authors leave as stable
//! pseudonyms, never as names.

use crate::{Result, Store};
use futures_util::TryStreamExt;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExportRow {
    pub id: i64,
    pub question_id: i64,
    pub question: String,
    pub kind: String,
    pub channel: String,
    pub title: String,
    pub body: String,
    pub author_id: Option<i64>,
    pub category: Option<String>,
    pub quartier: Option<String>,
    pub place: String,
    pub received_at: Option<i64>,
    pub created_at: i64,
    /// The theme at the source (a Decidim category), empty when none.
    pub theme: String,
    /// Supports received at the source, for imported contributions.
    pub imported_supports: Option<i64>,
}

/// A published comment of a published contribution, as the open data gives it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CommentExportRow {
    pub id: i64,
    pub contribution_id: i64,
    /// May name a comment that is not exported (hidden or withdrawn): its replies stay.
    pub parent_id: Option<i64>,
    pub depth: i64,
    pub author_id: Option<i64>,
    pub body: String,
    pub created_at: i64,
    /// Imported comments: `for`, `against`, `neutral`; empty otherwise.
    pub alignment: String,
}

const CONTRIBUTIONS: &str = "SELECT c.id, c.question_id, q.text AS question, c.kind, c.channel, \
     c.title, c.body, c.author_id, cat.name AS category, qu.name AS quartier, c.place, \
     c.received_at, c.created_at, c.theme, c.imported_supports \
     FROM contributions c JOIN debate_questions q ON q.id = c.question_id \
     LEFT JOIN categories cat ON cat.id = c.category_id \
     LEFT JOIN quartiers qu ON qu.id = c.quartier_id \
     WHERE c.debate_id = $1 AND c.status = 'published' ORDER BY c.id";

/// Published events with their counts; names of people never leave.
const EVENTS: &str = "SELECT e.id, e.kind, e.title, qu.name AS quartier, e.address, e.starts_at, \
     e.ends_at, e.status, e.capacity, \
     (SELECT COUNT(*) FROM registrations r WHERE r.event_id = e.id AND r.state = 'confirmed') AS registered, \
     (SELECT COUNT(*) FROM registrations r WHERE r.event_id = e.id AND r.state = 'waiting') AS waiting, \
     (SELECT COUNT(*) FROM registrations r WHERE r.event_id = e.id AND r.attended = 1) AS present, \
     (SELECT COUNT(*) FROM event_walk_ins w WHERE w.event_id = e.id) AS walk_ins, \
     (SELECT COUNT(*) FROM contributions c WHERE c.event_id = e.id AND c.status = 'published') AS contributions \
     FROM events e LEFT JOIN quartiers qu ON qu.id = e.quartier_id \
     WHERE e.debate_id = $1 AND e.published = 1 ORDER BY e.starts_at, e.id";

/// Who came to each published event, by category and quartier (registered and present, and
/// walk-ins).
const ATTENDANCE: &str = "SELECT p.event_id, cat.name AS category, qu.name AS quartier, COUNT(*) AS people \
     FROM (SELECT r.event_id, r.category_id, r.quartier_id FROM registrations r \
           JOIN events e ON e.id = r.event_id WHERE e.debate_id = $1 AND e.published = 1 AND r.attended = 1 \
           UNION ALL SELECT w.event_id, w.category_id, w.quartier_id FROM event_walk_ins w \
           JOIN events e ON e.id = w.event_id WHERE e.debate_id = $1 AND e.published = 1) p \
     LEFT JOIN categories cat ON cat.id = p.category_id LEFT JOIN quartiers qu ON qu.id = p.quartier_id \
     GROUP BY p.event_id, cat.name, qu.name ORDER BY event_id, category, quartier";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventExportRow {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub quartier: Option<String>,
    pub address: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub status: String,
    pub capacity: Option<i64>,
    pub registered: i64,
    pub waiting: i64,
    pub present: i64,
    pub walk_ins: i64,
    pub contributions: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttendanceExportRow {
    pub event_id: i64,
    pub category: Option<String>,
    pub quartier: Option<String>,
    pub people: i64,
}

/// Published comments of published contributions; `count_exported_comments` counts the same.
const COMMENTS: &str = "SELECT m.id, m.contribution_id, m.parent_id, m.depth, m.author_id, \
     m.body, m.created_at, m.alignment \
     FROM comments m JOIN contributions c ON c.id = m.contribution_id \
     WHERE c.debate_id = $1 AND c.status = 'published' AND m.status = 'published' ORDER BY m.id";

impl Store {
    /// Streams every published contribution of a debate, oldest first, from a task of its own,
    /// for a consumer that writes rows as they come (a file, an HTTP body, the analysis engine).
    /// The task stops quietly when the receiver goes away (a download cancelled) and returns
    /// how many rows it sent.
    pub fn spawn_export(
        &self,
        debate_id: i64,
    ) -> (
        tokio::sync::mpsc::Receiver<ExportRow>,
        tokio::task::JoinHandle<Result<u64>>,
    ) {
        self.spawn_rows(CONTRIBUTIONS, debate_id)
    }

    /// The same for the debate's comments: published ones of published contributions, oldest
    /// first.
    pub fn spawn_comment_export(
        &self,
        debate_id: i64,
    ) -> (
        tokio::sync::mpsc::Receiver<CommentExportRow>,
        tokio::task::JoinHandle<Result<u64>>,
    ) {
        self.spawn_rows(COMMENTS, debate_id)
    }

    /// The debate's published events with their aggregates (places, registered, present,
    /// walk-ins) — never a name.
    pub fn spawn_event_export(
        &self,
        debate_id: i64,
    ) -> (
        tokio::sync::mpsc::Receiver<EventExportRow>,
        tokio::task::JoinHandle<Result<u64>>,
    ) {
        self.spawn_rows(EVENTS, debate_id)
    }

    /// Attendance of the debate's published events by participant category and quartier.
    pub fn spawn_attendance_export(
        &self,
        debate_id: i64,
    ) -> (
        tokio::sync::mpsc::Receiver<AttendanceExportRow>,
        tokio::task::JoinHandle<Result<u64>>,
    ) {
        self.spawn_rows(ATTENDANCE, debate_id)
    }

    pub async fn count_exported_events(&self, debate_id: i64) -> Result<i64> {
        Ok(
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM events WHERE debate_id = $1 AND published = 1",
            )
            .bind(debate_id)
            .fetch_one(&self.pool)
            .await?,
        )
    }

    pub async fn count_exported_attendance(&self, debate_id: i64) -> Result<i64> {
        let q = format!("SELECT COUNT(*) FROM ({ATTENDANCE}) x");
        Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(q))
            .bind(debate_id)
            .fetch_one(&self.pool)
            .await?)
    }

    /// How many comments `spawn_comment_export` would send.
    pub async fn count_exported_comments(&self, debate_id: i64) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM comments m JOIN contributions c ON c.id = m.contribution_id \
             WHERE c.debate_id = $1 AND c.status = 'published' AND m.status = 'published'",
        )
        .bind(debate_id)
        .fetch_one(&self.pool)
        .await?)
    }

    fn spawn_rows<T>(
        &self,
        sql: &'static str,
        debate_id: i64,
    ) -> (
        tokio::sync::mpsc::Receiver<T>,
        tokio::task::JoinHandle<Result<u64>>,
    )
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin + 'static,
    {
        let (tx, rx) = tokio::sync::mpsc::channel(1024);
        let store = self.clone();
        let task = tokio::spawn(async move {
            let mut rows = sqlx::query_as::<_, T>(sql)
                .bind(debate_id)
                .fetch(&store.pool);
            let mut sent = 0;
            while let Some(row) = rows.try_next().await? {
                if tx.send(row).await.is_err() {
                    break;
                }
                sent += 1;
            }
            Ok(sent)
        });
        (rx, task)
    }

    /// The key of authors' pseudonyms, shared by every instance and kept for the instance's life
    /// so that an author has the same pseudonym in every export.
    pub async fn pseudonym_key(&self) -> Result<String> {
        self.meta_get_or_init("pseudonym_key", &crate::new_token().0)
            .await
    }
}

/// A stable opaque pseudonym for an author: the same person always gets the same one, and it
/// cannot be turned back into an account without the instance's key.
pub fn pseudonym(key: &str, user_id: i64) -> String {
    use hmac::{Hmac, Mac};
    let Ok(mut mac) = Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()) else {
        return String::new();
    };
    mac.update(format!("author:{user_id}").as_bytes());
    let bytes = mac.finalize().into_bytes();
    format!(
        "a-{}",
        bytes[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn pseudonyms_are_stable_and_keyed() {
        let a = super::pseudonym("k1", 42);
        assert_eq!(a, super::pseudonym("k1", 42));
        assert_ne!(a, super::pseudonym("k1", 43));
        assert_ne!(a, super::pseudonym("k2", 42));
        assert_eq!(a.len(), 18);
    }
}
