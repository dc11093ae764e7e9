//! One write of a use case: its rows, its audit entry and the jobs it queues, committed together.
//! The caches this store keeps are told on commit, never before (a rolled-back write changes
//! nothing anyone can see).

use crate::{Result, Store, now};
use sqlx::Any;

pub struct Tx<'s> {
    pub(crate) store: &'s Store,
    pub(crate) tx: sqlx::Transaction<'static, Any>,
    /// Debates whose contributions or comments this write touched: their cached lists go.
    pub(crate) touched: Vec<i64>,
    /// Debates, phases, questions or lists changed: the read cache goes.
    pub(crate) settings_changed: bool,
    pub(crate) enqueued: bool,
    /// Audit entries of this write, chained at commit (see `audit`).
    pub(crate) audits: Vec<crate::audit::PendingAudit>,
}

impl Store {
    pub async fn begin(&self) -> Result<Tx<'_>> {
        // On SQLite, a transaction that reads before it writes must take the write lock at
        // once: a deferred one fails with SQLITE_BUSY when another connection wrote in between
        // (the busy timeout does not apply to that upgrade).
        let tx = match self.backend {
            crate::Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            crate::Backend::Postgres => self.pool.begin().await?,
        };
        Ok(Tx {
            store: self,
            tx,
            touched: Vec::new(),
            settings_changed: false,
            enqueued: false,
            audits: Vec::new(),
        })
    }
}

impl<'s> Tx<'s> {
    pub async fn commit(self) -> Result<()> {
        let Tx {
            store,
            tx,
            touched,
            settings_changed,
            enqueued,
            audits,
        } = self;
        let mut tx = tx;
        crate::audit::append(store.backend, &mut tx, &audits).await?;
        tx.commit().await?;
        for debate in touched {
            store.forget_lists(debate);
        }
        if settings_changed {
            store.forget_cached();
        }
        if enqueued {
            store.jobs_enqueued();
        }
        Ok(())
    }

    /// Marks a debate's contributions as changed by this write.
    pub fn touch(&mut self, debate_id: i64) {
        if !self.touched.contains(&debate_id) {
            self.touched.push(debate_id);
        }
    }

    /// The audit entry of this write, in its transaction: no write without its trace. It is
    /// written at commit, at the end of the hash chain (`audit`), and not at all on rollback.
    pub async fn audit(
        &mut self,
        actor_id: Option<i64>,
        action: &str,
        target: &str,
        detail: &str,
    ) -> Result<()> {
        self.audits.push(crate::audit::PendingAudit {
            at: now(),
            actor_id,
            action: action.to_string(),
            target: target.to_string(),
            detail: detail.to_string(),
        });
        Ok(())
    }
}
