//! The coverage audit's queries: the debate's published contributions counted by channel,
//! question, category and quartier, and by whether a version of the report cites them, cites a
//! theme they belong to, or an analyst marked them "read, not retained". One grouped query, so
//! that a million contributions come back as a few hundred rows (see `BENCHMARKS.md`).

use crate::{Result, Store};

/// A count of contributions with these facets and these three facts.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CoverageCount {
    pub channel: String,
    pub question_id: i64,
    pub category_id: Option<i64>,
    pub quartier_id: Option<i64>,
    pub cited: i64,
    pub in_theme: i64,
    pub not_retained: i64,
    pub n: i64,
}

/// A contribution nobody accounted for yet.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Uncovered {
    pub id: i64,
    pub title: String,
    pub channel: String,
    pub question: String,
    pub quartier: Option<String>,
}

/// SQLite: the debate's published contributions counted by facets (an index-only scan of
/// `contributions_facets`), then the covered ones — the union of the three sets, each id with
/// its strongest cover — joined to their rows. The rest is uncovered. SQLite's planner runs the
/// joined-CTE form PostgreSQL uses as a co-routine per row: quadratic at a million rows.
const SQLITE_TOTALS: &str = "SELECT c.channel, c.question_id, c.category_id, c.quartier_id, \
     0 AS cited, 0 AS in_theme, 0 AS not_retained, COUNT(*) AS n \
     FROM contributions c WHERE c.debate_id = $1 AND c.status = 'published' AND $2 = $2 \
     GROUP BY c.channel, c.question_id, c.category_id, c.quartier_id";

const SQLITE_COVERED: &str = "WITH cov(id, p) AS ( \
       SELECT rc.contribution_id, 1 FROM report_citations rc \
       JOIN report_sections s ON s.id = rc.section_id \
       WHERE s.version_id = $2 AND rc.kind = 'contribution' AND rc.contribution_id IS NOT NULL \
       UNION ALL SELECT m.contribution_id, 2 FROM report_citations rc \
       JOIN report_sections s ON s.id = rc.section_id \
       JOIN report_theme_members m ON m.run_id = rc.run_id AND m.theme = rc.theme \
       WHERE s.version_id = $2 AND rc.kind = 'theme' \
       UNION ALL SELECT n.contribution_id, 3 FROM report_not_retained n WHERE n.debate_id = $1 \
     ), best AS (SELECT id, MIN(p) AS p FROM cov GROUP BY id) \
     SELECT c.channel, c.question_id, c.category_id, c.quartier_id, \
     CASE WHEN b.p = 1 THEN 1 ELSE 0 END AS cited, CASE WHEN b.p = 2 THEN 1 ELSE 0 END AS in_theme, \
     CASE WHEN b.p = 3 THEN 1 ELSE 0 END AS not_retained, COUNT(*) AS n \
     FROM best b JOIN contributions c ON c.id = b.id \
     WHERE c.debate_id = $1 AND c.status = 'published' \
     GROUP BY c.channel, c.question_id, c.category_id, c.quartier_id, b.p";

/// The same on SQLite for the uncovered list.
const SQLITE_UNCOVERED: &str = "SELECT c.id, c.title, c.channel, q.text AS question, qu.name AS quartier \
     FROM contributions c \
     JOIN debate_questions q ON q.id = c.question_id \
     LEFT JOIN quartiers qu ON qu.id = c.quartier_id \
     WHERE c.debate_id = $1 AND c.status = 'published' \
     AND NOT EXISTS (SELECT 1 FROM report_citations rc JOIN report_sections s ON s.id = rc.section_id \
       WHERE rc.contribution_id = c.id AND rc.kind = 'contribution' AND s.version_id = $2) \
     AND NOT EXISTS (SELECT 1 FROM report_theme_members m \
       JOIN report_citations rc ON rc.run_id = m.run_id AND rc.theme = m.theme \
       JOIN report_sections s ON s.id = rc.section_id \
       WHERE m.contribution_id = c.id AND rc.kind = 'theme' AND s.version_id = $2) \
     AND NOT EXISTS (SELECT 1 FROM report_not_retained n WHERE n.contribution_id = c.id) \
     ORDER BY c.created_at, c.id LIMIT $3";

/// PostgreSQL: the contributions a version cites (directly), and those of the themes it cites,
/// as sets hashed once and joined.
const COVER_SETS: &str = "WITH cited AS MATERIALIZED ( \
       SELECT DISTINCT rc.contribution_id AS id FROM report_citations rc \
       JOIN report_sections s ON s.id = rc.section_id \
       WHERE s.version_id = $2 AND rc.kind = 'contribution' AND rc.contribution_id IS NOT NULL \
     ), themes AS ( \
       SELECT DISTINCT rc.run_id, rc.theme FROM report_citations rc \
       JOIN report_sections s ON s.id = rc.section_id \
       WHERE s.version_id = $2 AND rc.kind = 'theme' \
     ), themed AS MATERIALIZED ( \
       SELECT DISTINCT m.contribution_id AS id FROM report_theme_members m \
       JOIN themes t ON t.run_id = m.run_id AND t.theme = m.theme \
     )";

impl Store {
    /// The grouped counts for the audit of version `version_id` of the debate's report.
    pub async fn coverage_counts(
        &self,
        debate_id: i64,
        version_id: i64,
    ) -> Result<Vec<CoverageCount>> {
        if self.backend == crate::Backend::Sqlite {
            return self.sqlite_coverage_counts(debate_id, version_id).await;
        }
        let q = {
            format!(
                "{COVER_SETS} SELECT c.channel, c.question_id, c.category_id, c.quartier_id, \
             CASE WHEN ci.id IS NULL THEN 0 ELSE 1 END AS cited, \
             CASE WHEN th.id IS NULL THEN 0 ELSE 1 END AS in_theme, \
             CASE WHEN n.contribution_id IS NULL THEN 0 ELSE 1 END AS not_retained, \
             COUNT(*) AS n \
             FROM contributions c \
             LEFT JOIN cited ci ON ci.id = c.id \
             LEFT JOIN themed th ON th.id = c.id \
             LEFT JOIN report_not_retained n ON n.contribution_id = c.id \
             WHERE c.debate_id = $1 AND c.status = 'published' \
             GROUP BY c.channel, c.question_id, c.category_id, c.quartier_id, \
             CASE WHEN ci.id IS NULL THEN 0 ELSE 1 END, CASE WHEN th.id IS NULL THEN 0 ELSE 1 END, \
             CASE WHEN n.contribution_id IS NULL THEN 0 ELSE 1 END"
            )
        };
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(q))
            .bind(debate_id)
            .bind(version_id)
            .fetch_all(&self.pool)
            .await?)
    }

    async fn sqlite_coverage_counts(
        &self,
        debate_id: i64,
        version_id: i64,
    ) -> Result<Vec<CoverageCount>> {
        let totals: Vec<CoverageCount> = sqlx::query_as(SQLITE_TOTALS)
            .bind(debate_id)
            .bind(version_id)
            .fetch_all(&self.pool)
            .await?;
        let covered: Vec<CoverageCount> = sqlx::query_as(SQLITE_COVERED)
            .bind(debate_id)
            .bind(version_id)
            .fetch_all(&self.pool)
            .await?;
        type Facets = (String, i64, Option<i64>, Option<i64>);
        let key = |c: &CoverageCount| -> Facets {
            (
                c.channel.clone(),
                c.question_id,
                c.category_id,
                c.quartier_id,
            )
        };
        let mut done: std::collections::HashMap<Facets, i64> = std::collections::HashMap::new();
        for c in &covered {
            *done.entry(key(c)).or_default() += c.n;
        }
        let mut out = covered;
        for mut t in totals {
            t.n -= done.get(&key(&t)).copied().unwrap_or(0);
            if t.n > 0 {
                out.push(t);
            }
        }
        Ok(out)
    }

    /// The first `limit` published contributions that version `version_id` leaves uncovered,
    /// oldest first.
    pub async fn uncovered(
        &self,
        debate_id: i64,
        version_id: i64,
        limit: i64,
    ) -> Result<Vec<Uncovered>> {
        let q = if self.backend == crate::Backend::Sqlite {
            SQLITE_UNCOVERED.to_string()
        } else {
            format!(
                "{COVER_SETS} SELECT c.id, c.title, c.channel, q.text AS question, qu.name AS quartier \
             FROM contributions c \
             JOIN debate_questions q ON q.id = c.question_id \
             LEFT JOIN quartiers qu ON qu.id = c.quartier_id \
             WHERE c.debate_id = $1 AND c.status = 'published' \
             AND NOT EXISTS (SELECT 1 FROM cited WHERE cited.id = c.id) \
             AND NOT EXISTS (SELECT 1 FROM themed WHERE themed.id = c.id) \
             AND NOT EXISTS (SELECT 1 FROM report_not_retained n WHERE n.contribution_id = c.id) \
             ORDER BY c.created_at, c.id LIMIT $3"
            )
        };
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(q))
            .bind(debate_id)
            .bind(version_id)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?)
    }
}
