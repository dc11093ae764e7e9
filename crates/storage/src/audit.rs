//! The audit log: who did what, when and why. Guarantors read it; nothing deletes from it.

use crate::{Result, Store};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub action: String,
    pub target: String,
    pub detail: String,
}

impl Store {
    /// An audit entry on its own; a write that has one goes through `Tx::audit`, in its
    /// transaction.
    pub async fn audit(
        &self,
        actor_id: Option<i64>,
        action: &str,
        target: &str,
        detail: &str,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.audit(actor_id, action, target, detail).await?;
        tx.commit().await
    }

    /// Newest first; `before` is the id of the last entry of the previous page.
    pub async fn audit_page(&self, before: Option<i64>, limit: i64) -> Result<Vec<AuditEntry>> {
        Ok(sqlx::query_as(
            "SELECT a.id, a.at, a.actor_id, u.display_name AS actor_name, a.action, a.target, a.detail \
             FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id \
             WHERE a.id < $1 ORDER BY a.id DESC LIMIT $2",
        )
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }
}
