//! Open data: a debate's published contributions read as a stream, so that exporting a million
//! rows holds one row at a time in memory. Authors leave as stable pseudonyms, never as names.

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
}

impl Store {
    /// Sends every published contribution of a debate, oldest first, into `tx`; stops quietly
    /// when the receiver goes away (a download cancelled). Returns how many rows were sent.
    pub async fn export_contributions(
        &self,
        debate_id: i64,
        tx: tokio::sync::mpsc::Sender<ExportRow>,
    ) -> Result<u64> {
        let mut rows = sqlx::query_as::<_, ExportRow>(
            "SELECT c.id, c.question_id, q.text AS question, c.kind, c.channel, c.title, c.body, \
             c.author_id, cat.name AS category, qu.name AS quartier, c.place, c.received_at, c.created_at \
             FROM contributions c JOIN debate_questions q ON q.id = c.question_id \
             LEFT JOIN categories cat ON cat.id = c.category_id \
             LEFT JOIN quartiers qu ON qu.id = c.quartier_id \
             WHERE c.debate_id = $1 AND c.status = 'published' ORDER BY c.id",
        )
        .bind(debate_id)
        .fetch(&self.pool);
        let mut sent = 0;
        while let Some(row) = rows.try_next().await? {
            if tx.send(row).await.is_err() {
                break;
            }
            sent += 1;
        }
        Ok(sent)
    }

    /// Runs `export_contributions` in its own task and hands back the receiving end, for a
    /// consumer that writes rows as they come (a file, an HTTP body, the analysis engine).
    pub fn spawn_export(
        &self,
        debate_id: i64,
    ) -> (
        tokio::sync::mpsc::Receiver<ExportRow>,
        tokio::task::JoinHandle<Result<u64>>,
    ) {
        let (tx, rx) = tokio::sync::mpsc::channel(1024);
        let store = self.clone();
        let task = tokio::spawn(async move { store.export_contributions(debate_id, tx).await });
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
