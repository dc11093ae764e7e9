//! What became of the report's recommendations: the city's answers, its commitments and their
//! milestones, the links from a recommendation to the findings it rests on, and the chain from a
//! contribution to the commitments that come from it.

use crate::{Result, Store, StoreError, Tx, now};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AnswerRow {
    pub section_key: i64,
    pub answer: String,
    pub reasons: String,
    pub answered_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CommitmentRow {
    pub id: i64,
    pub debate_id: i64,
    pub section_key: i64,
    pub title: String,
    pub description: String,
    pub department: String,
    pub budget_euros: Option<i64>,
    pub quartier_id: Option<i64>,
    pub quartier: Option<String>,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    pub status: String,
    pub progress: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MilestoneRow {
    pub id: i64,
    pub commitment_id: i64,
    pub at: i64,
    pub title: String,
    pub evidence: String,
}

/// A commitment's fields, checked (see `report::followup`).
#[derive(Debug, Clone, Default)]
pub struct CommitmentFields {
    pub title: String,
    pub description: String,
    pub department: String,
    pub budget_euros: Option<i64>,
    pub quartier_id: Option<i64>,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    pub status: String,
    pub progress: i64,
}

const COMMITMENT_COLUMNS: &str = "SELECT k.id, k.debate_id, k.section_key, k.title, k.description, \
     k.department, k.budget_euros, k.quartier_id, qu.name AS quartier, k.starts_at, k.ends_at, \
     k.status, k.progress, k.updated_at FROM commitments k \
     LEFT JOIN quartiers qu ON qu.id = k.quartier_id";

impl Store {
    pub async fn report_answers(&self, debate_id: i64) -> Result<Vec<AnswerRow>> {
        Ok(sqlx::query_as(
            "SELECT section_key, answer, reasons, answered_at FROM report_answers WHERE debate_id = $1",
        )
        .bind(debate_id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn commitments(&self, debate_id: i64) -> Result<Vec<CommitmentRow>> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{COMMITMENT_COLUMNS} WHERE k.debate_id = $1 ORDER BY k.section_key, k.id"
        )))
        .bind(debate_id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn commitment(&self, id: i64) -> Result<Option<CommitmentRow>> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{COMMITMENT_COLUMNS} WHERE k.id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The milestones of a debate's commitments, in date order.
    pub async fn milestones(&self, debate_id: i64) -> Result<Vec<MilestoneRow>> {
        Ok(sqlx::query_as(
            "SELECT m.id, m.commitment_id, m.at, m.title, m.evidence FROM commitment_milestones m \
             JOIN commitments k ON k.id = m.commitment_id WHERE k.debate_id = $1 ORDER BY m.at, m.id",
        )
        .bind(debate_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The findings (keys) each section of a version rests on: (section key, finding key).
    pub async fn section_links(&self, version_id: i64) -> Result<Vec<(i64, i64)>> {
        Ok(sqlx::query_as(
            "SELECT s.key, l.finding_key FROM report_section_links l \
             JOIN report_sections s ON s.id = l.section_id WHERE s.version_id = $1 \
             ORDER BY s.key, l.finding_key",
        )
        .bind(version_id)
        .fetch_all(&self.pool)
        .await?)
    }
}

impl Tx<'_> {
    pub async fn set_section_links(&mut self, section_id: i64, findings: &[i64]) -> Result<()> {
        sqlx::query("DELETE FROM report_section_links WHERE section_id = $1")
            .bind(section_id)
            .execute(&mut *self.tx)
            .await?;
        for f in findings {
            sqlx::query(
                "INSERT INTO report_section_links (section_id, finding_key) VALUES ($1, $2) \
                 ON CONFLICT (section_id, finding_key) DO NOTHING",
            )
            .bind(section_id)
            .bind(*f)
            .execute(&mut *self.tx)
            .await?;
        }
        Ok(())
    }

    pub async fn save_answer(
        &mut self,
        debate_id: i64,
        section_key: i64,
        answer: &str,
        reasons: &str,
        by: Option<i64>,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO report_answers (debate_id, section_key, answer, reasons, answered_by, answered_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (debate_id, section_key) DO UPDATE SET \
             answer = excluded.answer, reasons = excluded.reasons, answered_by = excluded.answered_by, \
             answered_at = excluded.answered_at",
        )
        .bind(debate_id)
        .bind(section_key)
        .bind(answer)
        .bind(reasons)
        .bind(by)
        .bind(now())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub async fn insert_commitment(
        &mut self,
        debate_id: i64,
        section_key: i64,
        f: &CommitmentFields,
    ) -> Result<i64> {
        let t = now();
        Ok(sqlx::query_scalar(
            "INSERT INTO commitments (debate_id, section_key, title, description, department, \
             budget_euros, quartier_id, starts_at, ends_at, status, progress, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
        )
        .bind(debate_id)
        .bind(section_key)
        .bind(f.title.as_str())
        .bind(f.description.as_str())
        .bind(f.department.as_str())
        .bind(f.budget_euros)
        .bind(f.quartier_id)
        .bind(f.starts_at)
        .bind(f.ends_at)
        .bind(f.status.as_str())
        .bind(f.progress)
        .bind(t)
        .fetch_one(&mut *self.tx)
        .await?)
    }

    pub async fn update_commitment(&mut self, id: i64, f: &CommitmentFields) -> Result<()> {
        let n = sqlx::query(
            "UPDATE commitments SET title = $2, description = $3, department = $4, budget_euros = $5, \
             quartier_id = $6, starts_at = $7, ends_at = $8, status = $9, progress = $10, updated_at = $11 \
             WHERE id = $1",
        )
        .bind(id)
        .bind(f.title.as_str())
        .bind(f.description.as_str())
        .bind(f.department.as_str())
        .bind(f.budget_euros)
        .bind(f.quartier_id)
        .bind(f.starts_at)
        .bind(f.ends_at)
        .bind(f.status.as_str())
        .bind(f.progress)
        .bind(now())
        .execute(&mut *self.tx)
        .await?;
        if n.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    pub async fn insert_milestone(
        &mut self,
        commitment_id: i64,
        at: i64,
        title: &str,
        evidence: &str,
    ) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO commitment_milestones (commitment_id, at, title, evidence, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(commitment_id)
        .bind(at)
        .bind(title)
        .bind(evidence)
        .bind(now())
        .fetch_one(&mut *self.tx)
        .await?)
    }
}

impl Store {
    /// Whether this person wrote a contribution that a finding the recommendation rests on cites
    /// (in the latest published version): the people a recommendation's follow-up concerns.
    pub async fn concerned_by(
        &self,
        debate_id: i64,
        section_key: i64,
        user_id: i64,
    ) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM report_section_links l \
             JOIN report_sections r ON r.id = l.section_id \
             JOIN report_versions v ON v.id = r.version_id \
             JOIN report_sections f ON f.version_id = v.id AND f.key = l.finding_key \
             JOIN report_citations rc ON rc.section_id = f.id \
             JOIN contributions c ON c.id = rc.contribution_id \
             WHERE v.debate_id = $1 AND r.key = $2 AND c.author_id = $3 AND v.state = 'published' \
             AND v.number = (SELECT MAX(number) FROM report_versions WHERE debate_id = $1 AND state = 'published')",
        )
        .bind(debate_id)
        .bind(section_key)
        .bind(user_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    /// The recommendations (keys) of a debate this person follows.
    pub async fn subscriptions(&self, debate_id: i64, user_id: i64) -> Result<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT section_key FROM report_subscriptions WHERE debate_id = $1 AND user_id = $2",
        )
        .bind(debate_id)
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Who follows a recommendation, with where and in which language to write to them.
    pub async fn subscribers(
        &self,
        debate_id: i64,
        section_key: i64,
    ) -> Result<Vec<crate::Recipient>> {
        Ok(sqlx::query_as(
            "SELECT u.id AS user_id, u.email, u.lang FROM report_subscriptions s \
             JOIN users u ON u.id = s.user_id \
             WHERE s.debate_id = $1 AND s.section_key = $2 AND u.blocked_at IS NULL ORDER BY u.id",
        )
        .bind(debate_id)
        .bind(section_key)
        .fetch_all(&self.pool)
        .await?)
    }
}

impl Tx<'_> {
    pub async fn set_subscription(
        &mut self,
        debate_id: i64,
        section_key: i64,
        user_id: i64,
        on: bool,
    ) -> Result<()> {
        if on {
            sqlx::query(
                "INSERT INTO report_subscriptions (debate_id, section_key, user_id, created_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (debate_id, section_key, user_id) DO NOTHING",
            )
            .bind(debate_id)
            .bind(section_key)
            .bind(user_id)
            .bind(now())
            .execute(&mut *self.tx)
            .await?;
        } else {
            sqlx::query(
                "DELETE FROM report_subscriptions WHERE debate_id = $1 AND section_key = $2 AND user_id = $3",
            )
            .bind(debate_id)
            .bind(section_key)
            .bind(user_id)
            .execute(&mut *self.tx)
            .await?;
        }
        Ok(())
    }
}

/// A review comment on a section (staff only).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReviewComment {
    pub section_key: i64,
    pub author_name: Option<String>,
    pub body: String,
    pub created_at: i64,
}

impl Store {
    pub async fn review_comments(&self, debate_id: i64) -> Result<Vec<ReviewComment>> {
        Ok(sqlx::query_as(
            "SELECT c.section_key, u.display_name AS author_name, c.body, c.created_at \
             FROM report_comments c LEFT JOIN users u ON u.id = c.author_id \
             WHERE c.debate_id = $1 ORDER BY c.section_key, c.id",
        )
        .bind(debate_id)
        .fetch_all(&self.pool)
        .await?)
    }
}

impl Tx<'_> {
    pub async fn add_review_comment(
        &mut self,
        debate_id: i64,
        section_key: i64,
        author_id: Option<i64>,
        body: &str,
    ) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO report_comments (debate_id, section_key, author_id, body, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(debate_id)
        .bind(section_key)
        .bind(author_id)
        .bind(body)
        .bind(now())
        .fetch_one(&mut *self.tx)
        .await?)
    }
}
