//! The audit log: who did what, when and why. Guarantors read it; nothing deletes from it, and
//! nobody can rewrite it unseen: each entry is chained to the one before by a hash.
//!
//! `hash = SHA-256(prev_hash, id, at, actor_id, action, target, detail)`, each field
//! length-prefixed so that no two entries serialise alike. An edited entry no longer matches its
//! hash; a deleted one leaves the next entry pointing at a hash that is not its predecessor's.
//! Entries are linked in the order of their ids, under a lock held to the end of the writing
//! transaction (SQLite's `BEGIN IMMEDIATE` already serialises writers; on PostgreSQL a
//! transaction-scoped advisory lock does, across instances). The lock is taken when the
//! transaction commits (`Tx::commit`), after the write's other rows, so that it is held for as
//! short a time as possible and never before a row lock (no deadlock).
//!
//! What the chain cannot prove on its own: that nobody with write access to the database
//! recomputed every hash from the altered entry onwards, or removed the newest entries. For that,
//! `concorde audit verify` prints the head of the chain, to be noted elsewhere (a ticket, a
//! guarantor's mail) and compared later.

use crate::{Backend, Result, Store};
use sha2::{Digest, Sha256};
use sqlx::Row;

/// Arbitrary, fixed: the key of the advisory lock that serialises audit writes on PostgreSQL.
const CHAIN_LOCK: i64 = 0x636f_6e63_6175_6474; // "concaudt"

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub action: String,
    pub target: String,
    pub detail: String,
    /// Its link in the chain (`None` for an entry from before the chain, not chained yet).
    pub hash: Option<String>,
}

/// An entry waiting for its transaction's commit.
#[derive(Debug, Clone)]
pub(crate) struct PendingAudit {
    pub at: i64,
    pub actor_id: Option<i64>,
    pub action: String,
    pub target: String,
    pub detail: String,
}

/// What the log's reader filters on; empty means everything.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Exact action (`role.grant`) or a prefix ending in a dot (`user.`).
    pub action: String,
    /// The actor's id, or part of their display name.
    pub actor: String,
    /// Unix seconds, inclusive.
    pub from: Option<i64>,
    /// Unix seconds, exclusive.
    pub until: Option<i64>,
    /// Entries about this target (`user:12`), exactly.
    pub target: String,
}

/// The verdict of `Store::verify_audit`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditCheck {
    /// Entries read.
    pub entries: u64,
    /// Entries from before the chain existed, not chained yet (they are at the next write).
    pub unchained: u64,
    /// The hash of the newest entry.
    pub head: Option<String>,
    /// The first entry that does not hold, and why.
    pub broken: Option<BrokenEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenEntry {
    pub id: i64,
    pub reason: BreakReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakReason {
    /// Its fields no longer give its hash: it was edited.
    Edited,
    /// It does not point at the entry before it: that one (or several) was deleted or altered.
    PredecessorMissing,
    /// It has no hash although the chain had started: written around the store, or wiped.
    Unchained,
}

impl std::fmt::Display for BrokenEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let why = match self.reason {
            BreakReason::Edited => "its content does not match its hash (the entry was edited)",
            BreakReason::PredecessorMissing => {
                "it does not follow the entry before it (an entry before it was deleted or altered)"
            }
            BreakReason::Unchained => "it has no hash although the chain had started",
        };
        write!(f, "audit entry #{}: {why}", self.id)
    }
}

fn put(h: &mut Sha256, field: &[u8]) {
    h.update((field.len() as u64).to_be_bytes());
    h.update(field);
}

/// The hash of an entry given the hash of the one before it (empty for the first).
pub fn entry_hash(
    prev: &str,
    id: i64,
    at: i64,
    actor_id: Option<i64>,
    action: &str,
    target: &str,
    detail: &str,
) -> String {
    let mut h = Sha256::new();
    put(&mut h, prev.as_bytes());
    put(&mut h, &id.to_be_bytes());
    put(&mut h, &at.to_be_bytes());
    match actor_id {
        Some(a) => put(&mut h, &a.to_be_bytes()),
        None => put(&mut h, b""),
    }
    put(&mut h, action.as_bytes());
    put(&mut h, target.as_bytes());
    put(&mut h, detail.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

const CHAIN_COLUMNS: &str = "id, at, actor_id, action, target, detail, prev_hash, hash";

struct ChainRow {
    id: i64,
    at: i64,
    actor_id: Option<i64>,
    action: String,
    target: String,
    detail: String,
    prev_hash: Option<String>,
    hash: Option<String>,
}

fn chain_row(r: &sqlx::any::AnyRow) -> Result<ChainRow> {
    Ok(ChainRow {
        id: r.try_get("id")?,
        at: r.try_get("at")?,
        actor_id: r.try_get("actor_id")?,
        action: r.try_get("action")?,
        target: r.try_get("target")?,
        detail: r.try_get("detail")?,
        prev_hash: r.try_get("prev_hash")?,
        hash: r.try_get("hash")?,
    })
}

impl ChainRow {
    fn expected(&self, prev: &str) -> String {
        entry_hash(
            prev,
            self.id,
            self.at,
            self.actor_id,
            &self.action,
            &self.target,
            &self.detail,
        )
    }
}

/// Writes the pending entries of a transaction at the end of the chain. Called by
/// `Tx::commit`, just before the commit.
pub(crate) async fn append(
    backend: Backend,
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    entries: &[PendingAudit],
) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    if backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(CHAIN_LOCK)
            .execute(&mut **tx)
            .await?;
    }
    let last = sqlx::query("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
        .fetch_optional(&mut **tx)
        .await?;
    let mut prev = match last {
        None => String::new(),
        Some(r) => match r.try_get::<Option<String>, _>("hash")? {
            Some(h) => h,
            None => chain_legacy(tx).await?,
        },
    };
    for e in entries {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO audit_log (at, actor_id, action, target, detail, prev_hash) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(e.at)
        .bind(e.actor_id)
        .bind(&e.action)
        .bind(&e.target)
        .bind(&e.detail)
        .bind(&prev)
        .fetch_one(&mut **tx)
        .await?;
        let hash = entry_hash(&prev, id, e.at, e.actor_id, &e.action, &e.target, &e.detail);
        sqlx::query("UPDATE audit_log SET hash = $1 WHERE id = $2")
            .bind(&hash)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        prev = hash;
    }
    Ok(())
}

/// The newest entry has no hash: either the log predates the chain (chain it all now, oldest
/// first) or someone wiped hashes after it started (leave it: `verify` names the entry, and new
/// entries start from an empty hash, which `verify` names too).
async fn chain_legacy(tx: &mut sqlx::Transaction<'static, sqlx::Any>) -> Result<String> {
    let started: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE hash IS NOT NULL")
        .fetch_one(&mut **tx)
        .await?;
    if started > 0 {
        return Ok(String::new());
    }
    let q = format!("SELECT {CHAIN_COLUMNS} FROM audit_log ORDER BY id");
    let rows = sqlx::query(sqlx::AssertSqlSafe(q))
        .fetch_all(&mut **tx)
        .await?;
    let mut prev = String::new();
    for r in &rows {
        let row = chain_row(r)?;
        let hash = row.expected(&prev);
        sqlx::query("UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE id = $3")
            .bind(&prev)
            .bind(&hash)
            .bind(row.id)
            .execute(&mut **tx)
            .await?;
        prev = hash;
    }
    Ok(prev)
}

/// The WHERE clause and its text parameters for a filter (parameters numbered from 1).
fn filter_sql(f: &AuditFilter) -> (String, Vec<FilterParam>) {
    let mut sql = String::from("1 = 1");
    let mut params = Vec::new();
    let mut n = 0;
    let mut next = |params: &mut Vec<FilterParam>, p: FilterParam| {
        params.push(p);
        n += 1;
        n
    };
    let action = f.action.trim();
    if !action.is_empty() {
        if let Some(prefix) = action.strip_suffix('.') {
            let i = next(&mut params, FilterParam::Text(format!("{prefix}.%")));
            sql.push_str(&format!(" AND a.action LIKE ${i}"));
        } else {
            let i = next(&mut params, FilterParam::Text(action.to_string()));
            sql.push_str(&format!(" AND a.action = ${i}"));
        }
    }
    let actor = f.actor.trim().trim_start_matches('#');
    if !actor.is_empty() {
        if let Ok(id) = actor.parse::<i64>() {
            let i = next(&mut params, FilterParam::Int(id));
            sql.push_str(&format!(" AND a.actor_id = ${i}"));
        } else {
            let i = next(
                &mut params,
                FilterParam::Text(format!("%{}%", actor.to_lowercase())),
            );
            sql.push_str(&format!(" AND LOWER(u.display_name) LIKE ${i}"));
        }
    }
    if let Some(from) = f.from {
        let i = next(&mut params, FilterParam::Int(from));
        sql.push_str(&format!(" AND a.at >= ${i}"));
    }
    if let Some(until) = f.until {
        let i = next(&mut params, FilterParam::Int(until));
        sql.push_str(&format!(" AND a.at < ${i}"));
    }
    if !f.target.is_empty() {
        let i = next(&mut params, FilterParam::Text(f.target.clone()));
        sql.push_str(&format!(" AND a.target = ${i}"));
    }
    (sql, params)
}

enum FilterParam {
    Text(String),
    Int(i64),
}

impl Store {
    /// An audit entry on its own, in a transaction of its own (through `begin`, so that it is
    /// chained like any other); a write that has one goes through `Tx::audit`, in its
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
        self.audit_search(&AuditFilter::default(), before, limit)
            .await
    }

    /// The entries matching a filter, newest first; `before` as in `audit_page`.
    pub async fn audit_search(
        &self,
        f: &AuditFilter,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>> {
        let (cond, params) = filter_sql(f);
        let n = params.len();
        let q = format!(
            "SELECT a.id, a.at, a.actor_id, u.display_name AS actor_name, a.action, a.target, a.detail, a.hash \
             FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id \
             WHERE {cond} AND a.id < ${} ORDER BY a.id DESC LIMIT ${}",
            n + 1,
            n + 2
        );
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(q));
        for p in params {
            query = match p {
                FilterParam::Text(s) => query.bind(s),
                FilterParam::Int(i) => query.bind(i),
            };
        }
        Ok(query
            .bind(before.unwrap_or(i64::MAX))
            .bind(limit)
            .fetch_all(&self.pool)
            .await?)
    }

    /// Walks the whole chain, oldest first, and stops at the first entry that does not hold.
    pub async fn verify_audit(&self) -> Result<AuditCheck> {
        const BATCH: i64 = 5_000;
        let mut check = AuditCheck {
            entries: 0,
            unchained: 0,
            head: None,
            broken: None,
        };
        // The hash the next entry must point at (`None` before any chained entry).
        let mut prev: Option<String> = None;
        let mut first_unchained: Option<i64> = None;
        let mut after = i64::MIN;
        loop {
            let q =
                format!("SELECT {CHAIN_COLUMNS} FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2");
            let rows = sqlx::query(sqlx::AssertSqlSafe(q))
                .bind(after)
                .bind(BATCH)
                .fetch_all(&self.pool)
                .await?;
            if rows.is_empty() {
                break;
            }
            for r in &rows {
                let row = chain_row(r)?;
                after = row.id;
                check.entries += 1;
                let broken = |reason| Some(BrokenEntry { id: row.id, reason });
                let (Some(hash), Some(prev_hash)) = (&row.hash, &row.prev_hash) else {
                    if prev.is_none() {
                        check.unchained += 1;
                        first_unchained.get_or_insert(row.id);
                        continue;
                    }
                    check.broken = broken(BreakReason::Unchained);
                    return Ok(check);
                };
                let expected_prev = match &prev {
                    Some(p) => p.as_str(),
                    // The first chained entry follows the unchained ones only if they were
                    // never chained (the chain begins with an empty hash).
                    None if let Some(id) = first_unchained => {
                        check.broken = Some(BrokenEntry {
                            id,
                            reason: BreakReason::Unchained,
                        });
                        return Ok(check);
                    }
                    None => "",
                };
                if prev_hash != expected_prev {
                    check.broken = broken(BreakReason::PredecessorMissing);
                    return Ok(check);
                }
                if *hash != row.expected(prev_hash) {
                    check.broken = broken(BreakReason::Edited);
                    return Ok(check);
                }
                prev = Some(hash.clone());
            }
        }
        check.head = prev;
        Ok(check)
    }
}

#[cfg(test)]
mod tests {
    use super::entry_hash;

    #[test]
    fn every_field_counts() {
        let base = entry_hash("p", 1, 2, Some(3), "a", "t", "d");
        assert_eq!(base.len(), 64);
        assert_eq!(base, entry_hash("p", 1, 2, Some(3), "a", "t", "d"));
        for other in [
            entry_hash("q", 1, 2, Some(3), "a", "t", "d"),
            entry_hash("p", 9, 2, Some(3), "a", "t", "d"),
            entry_hash("p", 1, 9, Some(3), "a", "t", "d"),
            entry_hash("p", 1, 2, None, "a", "t", "d"),
            entry_hash("p", 1, 2, Some(3), "b", "t", "d"),
            entry_hash("p", 1, 2, Some(3), "a", "u", "d"),
            entry_hash("p", 1, 2, Some(3), "a", "t", "e"),
            // Moving a character from one field to the next changes the hash too.
            entry_hash("p", 1, 2, Some(3), "at", "", "d"),
        ] {
            assert_ne!(base, other);
        }
    }
}
