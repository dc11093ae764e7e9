//! The counters of the limits on abuse (`domain::limits`): one generic table of events keyed by
//! (bucket, key, time), shared by every instance. A take writes its events and counts in the same
//! transaction; if one key went over its limit, nothing is written and the caller learns how long
//! to wait. On PostgreSQL a transaction-scoped advisory lock per key makes concurrent takes on
//! one key wait for each other, so that two instances cannot both take the last slot; SQLite's
//! write lock (`BEGIN IMMEDIATE`) already does.

use crate::{Backend, Result, Store};

/// One event to count against one limit.
#[derive(Debug, Clone)]
pub struct Take {
    /// The rule's name (`contribution.account`…).
    pub bucket: &'static str,
    /// Who is counted: `user:12`, `ip:203.0.113.4`, `to:someone@example.org`.
    pub key: String,
    /// 1 for an action; bytes for a volume.
    pub amount: i64,
    /// Most of `amount` summed over the window.
    pub max: i64,
    /// Seconds.
    pub window: i64,
}

impl Store {
    /// Counts these against the instance's limits, all or none: `Ok(None)`, allowed and
    /// counted; `Ok(Some(secs))`, refused, nothing counted, retry after that many seconds.
    pub async fn limit(
        &self,
        limits: &domain::limits::Limits,
        counts: &[domain::limits::Count],
    ) -> Result<Option<i64>> {
        let takes: Vec<Take> = counts
            .iter()
            .map(|c| {
                let l = limits.get(c.rule);
                Take {
                    bucket: c.rule.name(),
                    key: c.key.clone(),
                    amount: c.amount,
                    max: domain::limits::max_amount(c.rule, l),
                    window: l.per,
                }
            })
            .collect();
        self.rate_take(&takes, crate::now()).await
    }

    /// Counts these events at `at`, all or none: `Ok(None)` when every key stays within its
    /// limit, `Ok(Some(seconds))` (nothing written) when one would go over, with the wait until
    /// enough of its older events leave the window.
    pub async fn rate_take(&self, takes: &[Take], at: i64) -> Result<Option<i64>> {
        if takes.is_empty() {
            return Ok(None);
        }
        let mut tx = self.begin().await?;
        let mut wait: Option<i64> = None;
        for t in takes {
            if self.backend == Backend::Postgres {
                sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))")
                    .bind(format!("{}|{}", t.bucket, t.key))
                    .execute(&mut *tx.tx)
                    .await?;
            }
            let since = at - t.window;
            let rows: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT at, amount FROM rate_events WHERE bucket = $1 AND key = $2 AND at > $3 ORDER BY at DESC",
            )
            .bind(t.bucket)
            .bind(&t.key)
            .bind(since)
            .fetch_all(&mut *tx.tx)
            .await?;
            let used: i64 = rows.iter().map(|r| r.1).sum();
            if used + t.amount > t.max {
                // Walk back from the newest event until what stays in the window leaves room:
                // the wait is until the oldest event that must go has left it.
                let mut kept = 0;
                let mut retry = t.window;
                for (ev_at, amount) in &rows {
                    if kept + amount + t.amount > t.max {
                        retry = ev_at + t.window - at;
                        break;
                    }
                    kept += amount;
                }
                let retry = retry.max(1);
                wait = Some(wait.map_or(retry, |w| w.max(retry)));
            }
        }
        if wait.is_some() {
            return Ok(wait);
        }
        for t in takes {
            sqlx::query(
                "INSERT INTO rate_events (bucket, key, at, amount) VALUES ($1, $2, $3, $4)",
            )
            .bind(t.bucket)
            .bind(&t.key)
            .bind(at)
            .bind(t.amount)
            .execute(&mut *tx.tx)
            .await?;
        }
        tx.commit().await?;
        Ok(None)
    }

    /// Forgets events older than `before` (the longest window ago); returns how many.
    pub async fn purge_rate_events(&self, before: i64) -> Result<u64> {
        let r = sqlx::query("DELETE FROM rate_events WHERE at < $1")
            .bind(before)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected())
    }
}
