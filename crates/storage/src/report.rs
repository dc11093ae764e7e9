//! The final report's rows: the analysts assigned to a debate's report, its versions (one draft,
//! frozen ones with their snapshot), sections, citations, the members of cited themes, and the
//! contributions marked "read, not retained". The coverage audit's queries are in
//! `report_coverage`; what the rules are lives in the `report` crate and in `app::report`.

use crate::{Result, Store, StoreError, Tx, now};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VersionRow {
    pub id: i64,
    pub debate_id: i64,
    pub number: i64,
    pub state: String,
    pub note: String,
    pub created_at: i64,
    pub frozen_at: Option<i64>,
    pub frozen_by_name: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SectionRow {
    pub id: i64,
    pub version_id: i64,
    pub key: i64,
    pub kind: String,
    pub position: i64,
    pub title: String,
    pub body: String,
    pub updated_at: i64,
    /// Of its version: the section can be edited only while this is `draft`.
    pub version_state: String,
    pub debate_id: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CitationRow {
    pub id: i64,
    pub section_id: i64,
    pub kind: String,
    pub contribution_id: Option<i64>,
    pub run_id: Option<i64>,
    pub theme: Option<i64>,
    pub event_id: Option<i64>,
    pub excerpt: String,
    pub label: String,
    pub figures: String,
    /// Of the cited contribution, read now (not frozen): its title, state and facets.
    pub contribution_title: Option<String>,
    pub contribution_status: Option<String>,
    pub channel: Option<String>,
    pub question: Option<String>,
    pub category: Option<String>,
    pub quartier: Option<String>,
    /// Of the cited event, read now.
    pub event_title: Option<String>,
    pub event_starts_at: Option<i64>,
    pub event_minutes: Option<String>,
    pub event_quartier: Option<String>,
}

/// A citation to write.
#[derive(Debug, Clone, Default)]
pub struct NewCitation {
    pub section_id: i64,
    pub kind: String,
    pub contribution_id: Option<i64>,
    pub run_id: Option<i64>,
    pub theme: Option<i64>,
    pub event_id: Option<i64>,
    pub excerpt: String,
    pub label: String,
    pub figures: String,
}

const VERSION_COLUMNS: &str = "SELECT v.id, v.debate_id, v.number, v.state, v.note, v.created_at, \
     v.frozen_at, u.display_name AS frozen_by_name FROM report_versions v \
     LEFT JOIN users u ON u.id = v.frozen_by";

const SECTION_COLUMNS: &str = "SELECT s.id, s.version_id, s.key, s.kind, s.position, s.title, \
     s.body, s.updated_at, v.state AS version_state, v.debate_id FROM report_sections s \
     JOIN report_versions v ON v.id = s.version_id";

const CITATION_COLUMNS: &str = "SELECT rc.id, rc.section_id, rc.kind, rc.contribution_id, \
     rc.run_id, rc.theme, rc.event_id, rc.excerpt, rc.label, rc.figures, \
     c.title AS contribution_title, c.status AS contribution_status, c.channel, \
     q.text AS question, cat.name AS category, qu.name AS quartier, \
     e.title AS event_title, e.starts_at AS event_starts_at, e.minutes AS event_minutes, \
     eq.name AS event_quartier \
     FROM report_citations rc \
     LEFT JOIN contributions c ON c.id = rc.contribution_id \
     LEFT JOIN debate_questions q ON q.id = c.question_id \
     LEFT JOIN categories cat ON cat.id = c.category_id \
     LEFT JOIN quartiers qu ON qu.id = c.quartier_id \
     LEFT JOIN events e ON e.id = rc.event_id \
     LEFT JOIN quartiers eq ON eq.id = e.quartier_id";

impl Store {
    pub async fn is_report_analyst(&self, debate_id: i64, user_id: i64) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM report_analysts WHERE debate_id = $1 AND user_id = $2",
        )
        .bind(debate_id)
        .bind(user_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    /// The analysts assigned to the debate's report: (id, name, e-mail).
    pub async fn report_analysts(&self, debate_id: i64) -> Result<Vec<(i64, String, String)>> {
        Ok(sqlx::query_as(
            "SELECT u.id, u.display_name, u.email FROM report_analysts a \
             JOIN users u ON u.id = a.user_id WHERE a.debate_id = $1 ORDER BY u.display_name, u.id",
        )
        .bind(debate_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Every version of the debate's report, newest first (without their snapshots).
    pub async fn report_versions(&self, debate_id: i64) -> Result<Vec<VersionRow>> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{VERSION_COLUMNS} WHERE v.debate_id = $1 ORDER BY v.number DESC"
        )))
        .bind(debate_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// A version by its number, with its snapshot (empty for the draft).
    pub async fn report_version(
        &self,
        debate_id: i64,
        number: i64,
    ) -> Result<Option<(VersionRow, String)>> {
        let row: Option<VersionRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{VERSION_COLUMNS} WHERE v.debate_id = $1 AND v.number = $2"
        )))
        .bind(debate_id)
        .bind(number)
        .fetch_optional(&self.pool)
        .await?;
        let Some(v) = row else { return Ok(None) };
        let snapshot: String =
            sqlx::query_scalar("SELECT snapshot FROM report_versions WHERE id = $1")
                .bind(v.id)
                .fetch_one(&self.pool)
                .await?;
        Ok(Some((v, snapshot)))
    }

    /// The latest published version's number, if any.
    pub async fn latest_published(&self, debate_id: i64) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT MAX(number) FROM report_versions WHERE debate_id = $1 AND state = 'published'",
        )
        .bind(debate_id)
        .fetch_one(&self.pool)
        .await?)
    }

    pub async fn report_draft(&self, debate_id: i64) -> Result<Option<VersionRow>> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{VERSION_COLUMNS} WHERE v.debate_id = $1 AND v.state = 'draft'"
        )))
        .bind(debate_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// A version's sections in their order.
    pub async fn report_sections(&self, version_id: i64) -> Result<Vec<SectionRow>> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{SECTION_COLUMNS} WHERE s.version_id = $1 ORDER BY s.position, s.id"
        )))
        .bind(version_id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn report_section(&self, id: i64) -> Result<Option<SectionRow>> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{SECTION_COLUMNS} WHERE s.id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Every citation of a version's sections, in the order they were added.
    pub async fn report_citations(&self, version_id: i64) -> Result<Vec<CitationRow>> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{CITATION_COLUMNS} JOIN report_sections s ON s.id = rc.section_id \
             WHERE s.version_id = $1 ORDER BY rc.section_id, rc.id"
        )))
        .bind(version_id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn report_citation(&self, id: i64) -> Result<Option<CitationRow>> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{CITATION_COLUMNS} WHERE rc.id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Whether the members of this theme were copied already.
    pub async fn theme_members_known(&self, run_id: i64, theme: i64) -> Result<bool> {
        let n: Option<i64> = sqlx::query_scalar(
            "SELECT contribution_id FROM report_theme_members WHERE run_id = $1 AND theme = $2 LIMIT 1",
        )
        .bind(run_id)
        .bind(theme)
        .fetch_optional(&self.pool)
        .await?;
        Ok(n.is_some())
    }

    /// Why a contribution was marked "read, not retained", if it was: (reason, by whom, when).
    pub async fn not_retained(
        &self,
        contribution_id: i64,
    ) -> Result<Option<(String, Option<String>, i64)>> {
        Ok(sqlx::query_as(
            "SELECT n.reason, u.display_name, n.marked_at FROM report_not_retained n \
             LEFT JOIN users u ON u.id = n.marked_by WHERE n.contribution_id = $1",
        )
        .bind(contribution_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Whether a run still exists and finished.
    pub async fn run_is_done(&self, run_id: i64) -> Result<bool> {
        let s: Option<String> =
            sqlx::query_scalar("SELECT status FROM analysis_runs WHERE id = $1")
                .bind(run_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(s.as_deref() == Some("done"))
    }

    /// Sections of the latest published version that cite this contribution, directly or
    /// through a theme: (version number, section key, kind, title).
    pub async fn report_sections_citing(
        &self,
        contribution_id: i64,
    ) -> Result<Vec<(i64, i64, String, String)>> {
        Ok(sqlx::query_as(
            "SELECT DISTINCT v.number, s.key, s.kind, s.title FROM report_citations rc \
             JOIN report_sections s ON s.id = rc.section_id \
             JOIN report_versions v ON v.id = s.version_id \
             WHERE v.state = 'published' AND v.number = (SELECT MAX(v2.number) FROM report_versions v2 \
               WHERE v2.debate_id = v.debate_id AND v2.state = 'published') \
             AND (rc.contribution_id = $1 OR EXISTS (SELECT 1 FROM report_theme_members m \
               WHERE m.run_id = rc.run_id AND m.theme = rc.theme AND m.contribution_id = $1)) \
             ORDER BY s.key",
        )
        .bind(contribution_id)
        .fetch_all(&self.pool)
        .await?)
    }
}

impl Tx<'_> {
    pub async fn add_report_analyst(&mut self, debate_id: i64, user_id: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO report_analysts (debate_id, user_id) VALUES ($1, $2) \
             ON CONFLICT (debate_id, user_id) DO NOTHING",
        )
        .bind(debate_id)
        .bind(user_id)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub async fn remove_report_analyst(&mut self, debate_id: i64, user_id: i64) -> Result<()> {
        sqlx::query("DELETE FROM report_analysts WHERE debate_id = $1 AND user_id = $2")
            .bind(debate_id)
            .bind(user_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// The draft's id, created (as the next version number) when the report has none.
    pub async fn ensure_report_draft(&mut self, debate_id: i64, by: Option<i64>) -> Result<i64> {
        let existing: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM report_versions WHERE debate_id = $1 AND state = 'draft'",
        )
        .bind(debate_id)
        .fetch_optional(&mut *self.tx)
        .await?;
        if let Some(id) = existing {
            return Ok(id);
        }
        let id = sqlx::query_scalar(
            "INSERT INTO report_versions (debate_id, number, state, created_at, created_by) \
             VALUES ($1, (SELECT COALESCE(MAX(number), 0) + 1 FROM report_versions WHERE debate_id = $1), \
             'draft', $2, $3) RETURNING id",
        )
        .bind(debate_id)
        .bind(now())
        .bind(by)
        .fetch_one(&mut *self.tx)
        .await?;
        Ok(id)
    }

    /// A new section at the end of its version; its key is its own id.
    pub async fn insert_report_section(
        &mut self,
        version_id: i64,
        kind: &str,
        title: &str,
        body: &str,
        by: Option<i64>,
    ) -> Result<i64> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO report_sections (version_id, kind, position, title, body, updated_at, updated_by) \
             VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM report_sections WHERE version_id = $1), \
             $3, $4, $5, $6) RETURNING id",
        )
        .bind(version_id)
        .bind(kind)
        .bind(title)
        .bind(body)
        .bind(now())
        .bind(by)
        .fetch_one(&mut *self.tx)
        .await?;
        sqlx::query("UPDATE report_sections SET key = id WHERE id = $1")
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        Ok(id)
    }

    /// Rewrites a section of the draft; a frozen version's section is never touched.
    pub async fn update_report_section(
        &mut self,
        id: i64,
        kind: &str,
        title: &str,
        body: &str,
        by: Option<i64>,
    ) -> Result<()> {
        let n = sqlx::query(
            "UPDATE report_sections SET kind = $2, title = $3, body = $4, updated_at = $5, \
             updated_by = $6 WHERE id = $1 AND version_id IN \
             (SELECT id FROM report_versions WHERE state = 'draft')",
        )
        .bind(id)
        .bind(kind)
        .bind(title)
        .bind(body)
        .bind(now())
        .bind(by)
        .execute(&mut *self.tx)
        .await?;
        if n.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    pub async fn delete_report_section(&mut self, id: i64) -> Result<()> {
        sqlx::query(
            "DELETE FROM report_sections WHERE id = $1 AND version_id IN \
             (SELECT id FROM report_versions WHERE state = 'draft')",
        )
        .bind(id)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub async fn insert_report_citation(
        &mut self,
        c: &NewCitation,
        by: Option<i64>,
    ) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO report_citations (section_id, kind, contribution_id, run_id, theme, \
             event_id, excerpt, label, figures, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(c.section_id)
        .bind(c.kind.as_str())
        .bind(c.contribution_id)
        .bind(c.run_id)
        .bind(c.theme)
        .bind(c.event_id)
        .bind(c.excerpt.as_str())
        .bind(c.label.as_str())
        .bind(c.figures.as_str())
        .bind(now())
        .bind(by)
        .fetch_one(&mut *self.tx)
        .await?)
    }

    pub async fn delete_report_citation(&mut self, id: i64) -> Result<()> {
        sqlx::query("DELETE FROM report_citations WHERE id = $1")
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Copies a theme's members (contribution ids), in batches, once.
    pub async fn insert_theme_members(
        &mut self,
        run_id: i64,
        theme: i64,
        ids: &[i64],
    ) -> Result<()> {
        for chunk in ids.chunks(300) {
            let values: Vec<String> = (0..chunk.len())
                .map(|i| format!("($1, $2, ${})", i + 3))
                .collect();
            let q = format!(
                "INSERT INTO report_theme_members (run_id, theme, contribution_id) VALUES {} \
                 ON CONFLICT (run_id, theme, contribution_id) DO NOTHING",
                values.join(", ")
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(q)).bind(run_id).bind(theme);
            for id in chunk {
                query = query.bind(*id);
            }
            query.execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    /// Freezes the draft as `state` with its snapshot, and opens a new draft holding a copy of
    /// its sections, links and citations (same keys), so that writing can go on. Returns the
    /// frozen version's number.
    pub async fn freeze_report_draft(
        &mut self,
        debate_id: i64,
        state: &str,
        snapshot: &str,
        note: &str,
        by: Option<i64>,
    ) -> Result<i64> {
        let (old, number): (i64, i64) = sqlx::query_as(
            "SELECT id, number FROM report_versions WHERE debate_id = $1 AND state = 'draft'",
        )
        .bind(debate_id)
        .fetch_optional(&mut *self.tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let t = now();
        sqlx::query(
            "UPDATE report_versions SET state = $2, snapshot = $3, note = $4, frozen_at = $5, \
             frozen_by = $6 WHERE id = $1",
        )
        .bind(old)
        .bind(state)
        .bind(snapshot)
        .bind(note)
        .bind(t)
        .bind(by)
        .execute(&mut *self.tx)
        .await?;
        let new: i64 = sqlx::query_scalar(
            "INSERT INTO report_versions (debate_id, number, state, created_at, created_by) \
             VALUES ($1, $2, 'draft', $3, $4) RETURNING id",
        )
        .bind(debate_id)
        .bind(number + 1)
        .bind(t)
        .bind(by)
        .fetch_one(&mut *self.tx)
        .await?;
        sqlx::query(
            "INSERT INTO report_sections (version_id, key, kind, position, title, body, updated_at, updated_by) \
             SELECT $2, key, kind, position, title, body, updated_at, updated_by \
             FROM report_sections WHERE version_id = $1",
        )
        .bind(old)
        .bind(new)
        .execute(&mut *self.tx)
        .await?;
        sqlx::query(
            "INSERT INTO report_section_links (section_id, finding_key) \
             SELECT ns.id, l.finding_key FROM report_section_links l \
             JOIN report_sections os ON os.id = l.section_id \
             JOIN report_sections ns ON ns.key = os.key AND ns.version_id = $2 \
             WHERE os.version_id = $1",
        )
        .bind(old)
        .bind(new)
        .execute(&mut *self.tx)
        .await?;
        sqlx::query(
            "INSERT INTO report_citations (section_id, kind, contribution_id, run_id, theme, \
             event_id, excerpt, label, figures, created_at, created_by) \
             SELECT ns.id, c.kind, c.contribution_id, c.run_id, c.theme, c.event_id, c.excerpt, \
             c.label, c.figures, c.created_at, c.created_by FROM report_citations c \
             JOIN report_sections os ON os.id = c.section_id \
             JOIN report_sections ns ON ns.key = os.key AND ns.version_id = $2 \
             WHERE os.version_id = $1 ORDER BY c.id",
        )
        .bind(old)
        .bind(new)
        .execute(&mut *self.tx)
        .await?;
        Ok(number)
    }

    pub async fn mark_not_retained(
        &mut self,
        debate_id: i64,
        contribution_id: i64,
        reason: &str,
        by: Option<i64>,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO report_not_retained (contribution_id, debate_id, reason, marked_by, marked_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (contribution_id) DO UPDATE \
             SET reason = excluded.reason, marked_by = excluded.marked_by, marked_at = excluded.marked_at",
        )
        .bind(contribution_id)
        .bind(debate_id)
        .bind(reason)
        .bind(by)
        .bind(now())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub async fn unmark_not_retained(&mut self, contribution_id: i64) -> Result<()> {
        sqlx::query("DELETE FROM report_not_retained WHERE contribution_id = $1")
            .bind(contribution_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }
}

/// A guarantor's sign-off of a section.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SignOffRow {
    pub section_id: i64,
    pub section_key: i64,
    pub user_id: i64,
    pub name: String,
    pub note: String,
    pub signed_at: i64,
    /// The section changed after it was signed: the sign-off no longer holds.
    pub stale: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OpinionRow {
    pub id: i64,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    pub body: String,
    pub published_at: Option<i64>,
    pub updated_at: i64,
}

impl Store {
    /// The sign-offs of a version's sections.
    pub async fn report_signoffs(&self, version_id: i64) -> Result<Vec<SignOffRow>> {
        Ok(sqlx::query_as(
            "SELECT g.section_id, s.key AS section_key, g.user_id, u.display_name AS name, g.note, \
             g.signed_at, CASE WHEN s.updated_at > g.signed_at THEN 1 ELSE 0 END AS stale \
             FROM report_signoffs g JOIN report_sections s ON s.id = g.section_id \
             JOIN users u ON u.id = g.user_id WHERE s.version_id = $1 ORDER BY g.signed_at, g.user_id",
        )
        .bind(version_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The guarantors' opinions on a debate's report (published ones only, or all).
    pub async fn report_opinions(
        &self,
        debate_id: i64,
        published_only: bool,
    ) -> Result<Vec<OpinionRow>> {
        Ok(sqlx::query_as(
            "SELECT o.id, o.author_id, u.display_name AS author_name, o.body, o.published_at, \
             o.updated_at FROM report_opinions o LEFT JOIN users u ON u.id = o.author_id \
             WHERE o.debate_id = $1 AND ($2 = 0 OR o.published_at IS NOT NULL) ORDER BY o.id",
        )
        .bind(debate_id)
        .bind(i64::from(published_only))
        .fetch_all(&self.pool)
        .await?)
    }
}

impl Tx<'_> {
    pub async fn sign_off_section(
        &mut self,
        section_id: i64,
        user_id: i64,
        note: &str,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO report_signoffs (section_id, user_id, note, signed_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (section_id, user_id) DO UPDATE SET note = excluded.note, signed_at = excluded.signed_at",
        )
        .bind(section_id)
        .bind(user_id)
        .bind(note)
        .bind(now())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Writes this guarantor's opinion on the debate's report (one per guarantor), published
    /// now or kept as a draft; returns its id.
    pub async fn save_opinion(
        &mut self,
        debate_id: i64,
        author_id: i64,
        body: &str,
        publish: bool,
    ) -> Result<i64> {
        let t = now();
        let existing: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM report_opinions WHERE debate_id = $1 AND author_id = $2",
        )
        .bind(debate_id)
        .bind(author_id)
        .fetch_optional(&mut *self.tx)
        .await?;
        let published = publish.then_some(t);
        match existing {
            Some(id) => {
                sqlx::query(
                    "UPDATE report_opinions SET body = $2, updated_at = $3, \
                     published_at = CASE WHEN $4 = 1 THEN $3 ELSE published_at END WHERE id = $1",
                )
                .bind(id)
                .bind(body)
                .bind(t)
                .bind(i64::from(publish))
                .execute(&mut *self.tx)
                .await?;
                Ok(id)
            }
            None => Ok(sqlx::query_scalar(
                "INSERT INTO report_opinions (debate_id, author_id, body, published_at, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
            )
            .bind(debate_id)
            .bind(author_id)
            .bind(body)
            .bind(published)
            .bind(t)
            .fetch_one(&mut *self.tx)
            .await?),
        }
    }
}
