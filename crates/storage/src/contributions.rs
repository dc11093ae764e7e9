//! Contributions: writing one, reading one, and the debate's list with filters and keyset
//! pagination (newest first), which stays fast however deep the page.

use crate::{Result, Store, now};

#[derive(Default)]
pub struct NewContribution<'a> {
    pub debate_id: i64,
    pub question_id: i64,
    pub author_id: Option<i64>,
    pub kind: &'a str,
    pub channel: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub category_id: Option<i64>,
    pub quartier_id: Option<i64>,
    /// For contributions typed in by a facilitator: where and when the original was received.
    pub place: &'a str,
    pub received_at: Option<i64>,
    pub entered_by: Option<i64>,
    /// For collective contributions: the organisation behind it, and a short summary.
    pub organisation_id: Option<i64>,
    pub summary: &'a str,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ContributionRow {
    pub id: i64,
    pub debate_id: i64,
    pub question_id: i64,
    pub question: String,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    pub kind: String,
    pub channel: String,
    pub title: String,
    pub body: String,
    pub category_id: Option<i64>,
    pub category: Option<String>,
    pub category_en: Option<String>,
    pub quartier_id: Option<i64>,
    pub quartier: Option<String>,
    pub status: String,
    pub place: String,
    pub received_at: Option<i64>,
    pub entered_by: Option<i64>,
    pub entered_by_name: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub supports_count: i64,
    pub comments_count: i64,
    /// Why a moderator hid it.
    pub moderation_reason: String,
    pub organisation_id: Option<i64>,
    pub organisation_name: Option<String>,
    pub summary: String,
    /// Imported from another platform (migration 0030): its theme there, supports there, state
    /// and answer there, address and links there, and the collective author's public name.
    pub theme: String,
    pub imported_supports: Option<i64>,
    pub source_state: String,
    pub source_answer: String,
    pub source_url: String,
    pub source_links: String,
    pub group_name: String,
    /// Said at this event (migration 0014): its minutes became this contribution.
    pub event_id: Option<i64>,
    pub event_title: Option<String>,
    /// When its author last edited it (the latest earlier version's end), if ever.
    pub edited_at: Option<i64>,
}

/// The scrambled id the random order follows (see migration 0009: same expression, so that its
/// index serves).
const SHUFFLE: &str = "((c.id * 2654435761) % 4294967296)";

/// Orders of the contributions list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListOrder {
    Newest,
    MostSupported,
    MostCommented,
    /// A fixed scramble of the contributions, read from a point that depends on the visitor
    /// (`seed` in 0..2^32), so that two visitors see different contributions first and one
    /// visitor sees the same order from page to page.
    Random {
        seed: i64,
    },
}

/// Where a page ends, to start the next one there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub key: i64,
    pub id: i64,
    /// For the random order: the page is past the end of the ring, back at its start.
    pub wrapped: bool,
}

impl ListOrder {
    /// The cursor after `row`, given the cursor the page started from.
    pub fn cursor(self, row: &ContributionRow, from: Option<Cursor>) -> Cursor {
        let key = match self {
            ListOrder::Newest => row.created_at,
            ListOrder::MostSupported => row.supports_count,
            ListOrder::MostCommented => row.comments_count,
            ListOrder::Random { .. } => shuffle(row.id),
        };
        let wrapped = from.is_some_and(|c| c.wrapped)
            || matches!(self, ListOrder::Random { seed } if key < seed);
        Cursor {
            key,
            id: row.id,
            wrapped,
        }
    }
}

/// The random order's key of a contribution, as SQL computes it.
pub fn shuffle(id: i64) -> i64 {
    id.wrapping_mul(2_654_435_761).rem_euclid(4_294_967_296)
}

/// Published contributions per value of each filter (see [`Store::facets`]).
#[derive(Debug, Clone, Default)]
pub struct Facets {
    pub question: std::collections::HashMap<i64, i64>,
    pub category: std::collections::HashMap<i64, i64>,
    pub quartier: std::collections::HashMap<i64, i64>,
    pub channel: std::collections::HashMap<String, i64>,
    pub kind: std::collections::HashMap<String, i64>,
    /// Theme tags (imported contributions), the empty one left out.
    pub theme: std::collections::HashMap<String, i64>,
}

/// Filters of the list; `0` and `""` mean "any".
#[derive(Debug, Clone, Default)]
pub struct ContributionFilter {
    pub debate_id: i64,
    pub question_id: i64,
    pub category_id: i64,
    pub quartier_id: i64,
    pub channel: String,
    pub kind: String,
    /// A theme tag (migration 0030).
    pub theme: String,
}

const SELECT: &str = "SELECT c.id, c.debate_id, c.question_id, q.text AS question, c.author_id, \
     u.display_name AS author_name, c.kind, c.channel, c.title, c.body, c.category_id, \
     cat.name AS category, cat.name_en AS category_en, c.quartier_id, qu.name AS quartier, \
     c.status, c.place, c.received_at, c.entered_by, e.display_name AS entered_by_name, c.created_at, \
     c.updated_at, c.supports_count, c.comments_count, c.moderation_reason, c.organisation_id, \
     o.name AS organisation_name, c.summary, c.theme, c.imported_supports, c.source_state, \
     c.source_answer, c.source_url, c.source_links, c.group_name, c.event_id, ev.title AS event_title, \
     (SELECT MAX(v.replaced_at) FROM contribution_versions v WHERE v.contribution_id = c.id) AS edited_at \
     FROM contributions c \
     JOIN debate_questions q ON q.id = c.question_id \
     LEFT JOIN users u ON u.id = c.author_id \
     LEFT JOIN users e ON e.id = c.entered_by \
     LEFT JOIN categories cat ON cat.id = c.category_id \
     LEFT JOIN quartiers qu ON qu.id = c.quartier_id \
     LEFT JOIN organisations o ON o.id = c.organisation_id \
     LEFT JOIN events ev ON ev.id = c.event_id";

/// The WHERE clause of a filter, with only the conditions it uses (so that the database picks
/// the matching index), and the values to bind after `$1` (the debate) in order.
fn filter_sql(f: &ContributionFilter) -> (String, Vec<FilterValue>) {
    let mut sql = String::from("c.debate_id = $1 AND c.status = 'published'");
    let mut values = Vec::new();
    let mut add = |column: &str, v: FilterValue| {
        values.push(v);
        sql.push_str(&format!(" AND c.{column} = ${}", values.len() + 1));
    };
    if f.question_id != 0 {
        add("question_id", FilterValue::Int(f.question_id));
    }
    if f.category_id != 0 {
        add("category_id", FilterValue::Int(f.category_id));
    }
    if f.quartier_id != 0 {
        add("quartier_id", FilterValue::Int(f.quartier_id));
    }
    if !f.channel.is_empty() {
        add("channel", FilterValue::Text(f.channel.clone()));
    }
    if !f.kind.is_empty() {
        add("kind", FilterValue::Text(f.kind.clone()));
    }
    if !f.theme.is_empty() {
        add("theme", FilterValue::Text(f.theme.clone()));
    }
    (sql, values)
}

enum FilterValue {
    Int(i64),
    Text(String),
}

fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    debate_id: i64,
    values: &'q [FilterValue],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    q = q.bind(debate_id);
    for v in values {
        q = match v {
            FilterValue::Int(i) => q.bind(*i),
            FilterValue::Text(t) => q.bind(t.as_str()),
        };
    }
    q
}

impl Store {
    pub async fn insert_contribution(&self, c: &NewContribution<'_>) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = tx.insert_contribution(c).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn contribution(&self, id: i64) -> Result<Option<ContributionRow>> {
        let q = format!("{SELECT} WHERE c.id = $1");
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(q))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// An organisation's published contributions, newest first.
    pub async fn organisation_contributions(
        &self,
        organisation_id: i64,
        limit: i64,
    ) -> Result<Vec<ContributionRow>> {
        let q = format!(
            "{SELECT} WHERE c.organisation_id = $1 AND c.status = 'published' \
             AND c.debate_id IN (SELECT id FROM debates WHERE status = 'published') \
             ORDER BY c.created_at DESC, c.id DESC LIMIT $2"
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(q))
            .bind(organisation_id)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?)
    }

    /// The contributions with these ids, in any status, in no particular order (for pages that
    /// already know which ones they show, such as an analysis theme). Unknown ids are skipped.
    pub async fn contributions_by_ids(&self, ids: &[i64]) -> Result<Vec<ContributionRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let q = format!("{SELECT} WHERE c.id IN ({})", placeholders.join(", "));
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(q));
        for id in ids {
            query = query.bind(*id);
        }
        Ok(query.fetch_all(&self.pool).await?)
    }

    /// A page of the list in the given order. `after` is the cursor of the last item of the
    /// previous page ([`ListOrder::cursor`]); every page, however deep, is an index range scan
    /// for the newest-first order, filtered or not.
    pub async fn list_contributions(
        &self,
        f: &ContributionFilter,
        order: ListOrder,
        after: Option<Cursor>,
        limit: i64,
    ) -> Result<Vec<ContributionRow>> {
        let key = (f.debate_id, format!("{f:?}|{order:?}|{after:?}|{limit}"));
        let (store, f) = (self.clone(), f.clone());
        self.pages
            .get(key, move || async move {
                store.list_now(&f, order, after, limit).await
            })
            .await
    }

    async fn list_now(
        &self,
        f: &ContributionFilter,
        order: ListOrder,
        after: Option<Cursor>,
        limit: i64,
    ) -> Result<Vec<ContributionRow>> {
        let mut rows = self.list_page(f, order, after, limit).await?;
        // The random order is a ring: after its end, it goes on from the start up to where this
        // visitor began.
        if let ListOrder::Random { .. } = order
            && (rows.len() as i64) < limit
            && !after.is_some_and(|c| c.wrapped)
        {
            let start = Cursor {
                key: -1,
                id: -1,
                wrapped: true,
            };
            let more = self
                .list_page(f, order, Some(start), limit - rows.len() as i64)
                .await?;
            rows.extend(more);
        }
        Ok(rows)
    }

    async fn list_page(
        &self,
        f: &ContributionFilter,
        order: ListOrder,
        after: Option<Cursor>,
        limit: i64,
    ) -> Result<Vec<ContributionRow>> {
        let (filter, values) = filter_sql(f);
        let n = values.len() + 2;
        let (key, desc) = match order {
            ListOrder::Newest => ("c.created_at", true),
            ListOrder::MostSupported => ("c.supports_count", true),
            ListOrder::MostCommented => ("c.comments_count", true),
            ListOrder::Random { .. } => (SHUFFLE, false),
        };
        let (cmp, dir) = if desc { ("<", "DESC") } else { (">", "ASC") };
        let (k, id, wrapped) = match (order, after) {
            (_, Some(c)) => (c.key, c.id, c.wrapped),
            (ListOrder::Random { seed }, None) => (seed, i64::MIN, false),
            (_, None) => (i64::MAX, i64::MAX, false),
        };
        // Before wrapping, the random order stops nowhere; after, it stops where it began.
        let stop = match order {
            ListOrder::Random { seed } if wrapped => format!(" AND {SHUFFLE} < {seed}"),
            _ => String::new(),
        };
        // The page's ids come from the index alone, in two tight ranges: the rest of the rows
        // sharing the cursor's key (imports give many the same date, counts the same value),
        // then the keys beyond it. The joins run for those rows only.
        let mut ids: Vec<i64> = Vec::new();
        for tie in [true, false] {
            // A first page has no cursor to tie with (the random one starts at its seed).
            if tie && after.is_none() && !matches!(order, ListOrder::Random { .. }) {
                continue;
            }
            let (range, limit_slot) = if tie {
                (format!("{key} = ${n} AND c.id {cmp} ${}", n + 1), n + 2)
            } else {
                (format!("{key} {cmp} ${n}"), n + 1)
            };
            let q = format!(
                "SELECT c.id FROM contributions c WHERE {filter} AND {range}{stop} \
                 ORDER BY {key} {dir}, c.id {dir} LIMIT ${limit_slot}"
            );
            let mut query =
                bind_all(sqlx::query(sqlx::AssertSqlSafe(q)), f.debate_id, &values).bind(k);
            if tie {
                query = query.bind(id);
            }
            let rows = query
                .bind(limit - ids.len() as i64)
                .fetch_all(&self.pool)
                .await?;
            for r in &rows {
                ids.push(sqlx::Row::try_get(r, 0)?);
            }
            if ids.len() as i64 >= limit {
                break;
            }
        }
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let q = format!(
            "{SELECT} WHERE c.id IN ({}) ORDER BY {key} {dir}, c.id {dir}",
            placeholders.join(", ")
        );
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(q));
        for i in &ids {
            query = query.bind(*i);
        }
        Ok(query.fetch_all(&self.pool).await?)
    }

    pub async fn count_contributions(&self, f: &ContributionFilter) -> Result<i64> {
        let key = (
            f.debate_id,
            format!(
                "{}|{}|{}|{}|{}|{}",
                f.question_id, f.category_id, f.quartier_id, f.channel, f.kind, f.theme
            ),
        );
        let (store, f) = (self.clone(), f.clone());
        self.counts
            .get(key, move || async move { store.count_now(&f).await })
            .await
    }

    async fn count_now(&self, f: &ContributionFilter) -> Result<i64> {
        let (filter, values) = filter_sql(f);
        let q = format!("SELECT COUNT(*) FROM contributions c WHERE {filter}");
        let row = bind_all(sqlx::query(sqlx::AssertSqlSafe(q)), f.debate_id, &values)
            .fetch_one(&self.pool)
            .await?;
        use sqlx::Row;
        Ok(row.try_get(0)?)
    }

    /// How many published contributions each value of each filter has in the debate, for the
    /// filter menus. Fresh for `FACETS_TTL` whatever is written meanwhile, then recomputed in the
    /// background: at a million rows the five counts take a moment, and a menu a minute behind
    /// is fine.
    pub async fn facets(&self, debate_id: i64) -> Result<Facets> {
        let store = self.clone();
        self.facets
            .get(debate_id, move || async move {
                store.facets_now(debate_id).await
            })
            .await
    }

    async fn facets_now(&self, debate_id: i64) -> Result<Facets> {
        let mut out = Facets::default();
        for (column, map) in [
            ("question_id", &mut out.question),
            ("category_id", &mut out.category),
            ("quartier_id", &mut out.quartier),
        ] {
            let q = format!(
                "SELECT c.{column}, COUNT(*) FROM contributions c \
                 WHERE c.debate_id = $1 AND c.status = 'published' AND c.{column} IS NOT NULL \
                 GROUP BY c.{column}"
            );
            let rows: Vec<(i64, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(q))
                .bind(debate_id)
                .fetch_all(&self.pool)
                .await?;
            map.extend(rows);
        }
        for (column, map) in [("channel", &mut out.channel), ("kind", &mut out.kind)] {
            let q = format!(
                "SELECT c.{column}, COUNT(*) FROM contributions c \
                 WHERE c.debate_id = $1 AND c.status = 'published' GROUP BY c.{column}"
            );
            let rows: Vec<(String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(q))
                .bind(debate_id)
                .fetch_all(&self.pool)
                .await?;
            map.extend(rows);
        }
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT c.theme, COUNT(*) FROM contributions c \
             WHERE c.debate_id = $1 AND c.status = 'published' AND c.theme <> '' GROUP BY c.theme",
        )
        .bind(debate_id)
        .fetch_all(&self.pool)
        .await?;
        out.theme.extend(rows);
        Ok(out)
    }

    /// Drops the cached counts of a debate after a write.
    pub(crate) fn forget_counts(&self, debate_id: i64) {
        self.wrote();
        self.counts.forget(|(d, _)| *d == debate_id);
        self.pages.forget(|(d, _)| *d == debate_id);
    }

    /// Questions that already have contributions cannot be deleted (their answers would lose
    /// what they answer).
    pub async fn question_has_contributions(&self, question_id: i64) -> Result<bool> {
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM contributions WHERE question_id = $1")
                .bind(question_id)
                .fetch_one(&self.pool)
                .await?;
        Ok(n > 0)
    }
}

impl Store {
    /// Adds a support; `Conflict` if this person already supports the contribution.
    pub async fn add_support(&self, contribution_id: i64, user_id: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.add_support(contribution_id, user_id).await?;
        tx.commit().await
    }

    /// Withdraws a support; `NotFound` if there was none.
    pub async fn remove_support(&self, contribution_id: i64, user_id: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.remove_support(contribution_id, user_id).await?;
        tx.commit().await
    }

    /// How many people support it, and whether `user_id` is one of them.
    pub async fn supports(
        &self,
        contribution_id: i64,
        user_id: Option<i64>,
    ) -> Result<(i64, bool)> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM supports WHERE contribution_id = $1")
            .bind(contribution_id)
            .fetch_one(&self.pool)
            .await?;
        let mine = match user_id {
            Some(u) => {
                let c: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM supports WHERE contribution_id = $1 AND user_id = $2",
                )
                .bind(contribution_id)
                .bind(u)
                .fetch_one(&self.pool)
                .await?;
                c > 0
            }
            None => false,
        };
        Ok((n, mine))
    }
}

impl crate::Tx<'_> {
    /// Stores a published contribution.
    pub async fn insert_contribution(&mut self, c: &NewContribution<'_>) -> Result<i64> {
        let t = now();
        let id = sqlx::query_scalar(
            "INSERT INTO contributions (debate_id, question_id, author_id, kind, channel, title, body, \
             category_id, quartier_id, place, received_at, entered_by, organisation_id, summary, \
             status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'published', $15, $15) \
             RETURNING id",
        )
        .bind(c.debate_id)
        .bind(c.question_id)
        .bind(c.author_id)
        .bind(c.kind)
        .bind(c.channel)
        .bind(c.title)
        .bind(c.body)
        .bind(c.category_id)
        .bind(c.quartier_id)
        .bind(c.place)
        .bind(c.received_at)
        .bind(c.entered_by)
        .bind(c.organisation_id)
        .bind(c.summary)
        .bind(t)
        .fetch_one(&mut *self.tx)
        .await?;
        self.touch(c.debate_id);
        Ok(id)
    }

    /// Gives a support; `Conflict("support")` if this person already supports it.
    pub async fn add_support(&mut self, contribution_id: i64, user_id: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO supports (contribution_id, user_id, created_at) VALUES ($1, $2, $3)",
        )
        .bind(contribution_id)
        .bind(user_id)
        .bind(now())
        .execute(&mut *self.tx)
        .await
        .map_err(crate::conflict_as("support"))?;
        let debate: i64 = sqlx::query_scalar(
            "UPDATE contributions SET supports_count = supports_count + 1 WHERE id = $1 RETURNING debate_id",
        )
        .bind(contribution_id)
        .fetch_one(&mut *self.tx)
        .await?;
        self.touch(debate);
        Ok(())
    }

    /// Withdraws a support; `NotFound` if there was none.
    pub async fn remove_support(&mut self, contribution_id: i64, user_id: i64) -> Result<()> {
        let r = sqlx::query("DELETE FROM supports WHERE contribution_id = $1 AND user_id = $2")
            .bind(contribution_id)
            .bind(user_id)
            .execute(&mut *self.tx)
            .await?;
        if r.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound);
        }
        let debate: i64 = sqlx::query_scalar(
            "UPDATE contributions SET supports_count = supports_count - 1 WHERE id = $1 RETURNING debate_id",
        )
        .bind(contribution_id)
        .fetch_one(&mut *self.tx)
        .await?;
        self.touch(debate);
        Ok(())
    }
}
