//! Surveys, their responses (online and the panel's) and the panel's weightings.
//!
//! A response's answers and profile are JSON objects kept as text: a response is read and
//! written whole, and the results read every submitted response of a survey in one scan.

use crate::{Result, Store, StoreError, Tx, now};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SurveyRow {
    pub id: i64,
    pub debate_id: i64,
    pub debate_slug: String,
    pub debate_title: String,
    pub debate_status: String,
    pub slug: String,
    pub title: String,
    pub title_en: String,
    pub intro: String,
    pub status: String,
    pub anonymous: i64,
    pub results_public: i64,
    pub definition: String,
    pub revision: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// What staff type in for a survey, already checked.
#[derive(Debug, Clone, Default)]
pub struct SurveyFields {
    pub debate_id: i64,
    pub slug: String,
    pub title: String,
    pub title_en: String,
    pub intro: String,
    pub anonymous: bool,
    pub results_public: bool,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ResponseRow {
    pub id: i64,
    pub survey_id: i64,
    pub source: String,
    pub user_id: Option<i64>,
    pub panel_ref: Option<String>,
    pub answers: String,
    pub profile: String,
    pub page: i64,
    pub weight: Option<f64>,
    pub submitted_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A panel's respondent to insert.
#[derive(Debug, Clone)]
pub struct PanelResponse {
    pub panel_ref: String,
    pub answers: String,
    pub profile: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WeightingRow {
    pub id: i64,
    pub survey_id: i64,
    pub by_variables: String,
    pub margins: String,
    pub options: String,
    pub diagnostics: String,
    pub created_at: i64,
}

/// Who contributed to a debate, by one of their facts: (value, contributions).
#[derive(Debug, Clone, Default)]
pub struct ContributorProfile {
    pub channel: Vec<(String, i64)>,
    pub category: Vec<(String, i64)>,
    pub quartier: Vec<(String, i64)>,
    pub age: Vec<(String, i64)>,
    pub total: i64,
}

const SURVEY: &str = "SELECT s.id, s.debate_id, d.slug AS debate_slug, d.title AS debate_title, \
     d.status AS debate_status, s.slug, s.title, s.title_en, s.intro, s.status, s.anonymous, \
     s.results_public, s.definition, s.revision, s.created_at, s.updated_at \
     FROM surveys s JOIN debates d ON d.id = s.debate_id";

const RESPONSE: &str = "SELECT id, survey_id, source, user_id, panel_ref, answers, profile, page, \
     weight, submitted_at, created_at, updated_at FROM survey_responses";

impl SurveyRow {
    pub fn is_anonymous(&self) -> bool {
        self.anonymous != 0
    }

    pub fn results_are_public(&self) -> bool {
        self.results_public != 0
    }
}

impl Store {
    pub async fn survey(&self, id: i64) -> Result<Option<SurveyRow>> {
        Ok(
            sqlx::query_as(sqlx::AssertSqlSafe(format!("{SURVEY} WHERE s.id = $1")))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    pub async fn survey_by_slug(&self, slug: &str) -> Result<Option<SurveyRow>> {
        Ok(
            sqlx::query_as(sqlx::AssertSqlSafe(format!("{SURVEY} WHERE s.slug = $1")))
                .bind(slug)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Every survey, or a debate's (`debate_id` ≠ 0), newest first.
    pub async fn surveys(&self, debate_id: i64) -> Result<Vec<SurveyRow>> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{SURVEY} WHERE ($1 = 0 OR s.debate_id = $1) ORDER BY s.id DESC"
        )))
        .bind(debate_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The survey's revision alone (what its cached results are keyed by).
    pub async fn survey_revision(&self, id: i64) -> Result<Option<i64>> {
        Ok(
            sqlx::query_scalar("SELECT revision FROM surveys WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    pub async fn survey_response(&self, id: i64) -> Result<Option<ResponseRow>> {
        Ok(
            sqlx::query_as(sqlx::AssertSqlSafe(format!("{RESPONSE} WHERE id = $1")))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    pub async fn survey_response_of_user(
        &self,
        survey_id: i64,
        user_id: i64,
    ) -> Result<Option<ResponseRow>> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{RESPONSE} WHERE survey_id = $1 AND user_id = $2"
        )))
        .bind(survey_id)
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn survey_response_of_token(
        &self,
        survey_id: i64,
        token_hash: &str,
    ) -> Result<Option<ResponseRow>> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{RESPONSE} WHERE survey_id = $1 AND token_hash = $2"
        )))
        .bind(survey_id)
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The submitted responses of one source ("online", "panel"), in id order.
    pub async fn submitted_responses(
        &self,
        survey_id: i64,
        source: &str,
    ) -> Result<Vec<ResponseRow>> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{RESPONSE} WHERE survey_id = $1 AND source = $2 AND submitted_at IS NOT NULL ORDER BY id"
        )))
        .bind(survey_id)
        .bind(source)
        .fetch_all(&self.pool)
        .await?)
    }

    /// A page of the submitted responses (both sources) after `after_id`, in id order: the
    /// exports stream them page by page.
    pub async fn responses_after(
        &self,
        survey_id: i64,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<ResponseRow>> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{RESPONSE} WHERE survey_id = $1 AND id > $2 AND submitted_at IS NOT NULL ORDER BY id LIMIT $3"
        )))
        .bind(survey_id)
        .bind(after_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// What the results read of each submitted response of one source: its answers, its
    /// profile and its weight (the rest of the row is not needed).
    pub async fn response_figures(
        &self,
        survey_id: i64,
        source: &str,
    ) -> Result<Vec<(String, String, Option<f64>)>> {
        Ok(sqlx::query_as(
            "SELECT answers, profile, weight FROM survey_responses \
             WHERE survey_id = $1 AND source = $2 AND submitted_at IS NOT NULL ORDER BY id",
        )
        .bind(survey_id)
        .bind(source)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The profiles of the panel's first respondents (the weighting page names their variables).
    pub async fn panel_profiles(&self, survey_id: i64, limit: i64) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT profile FROM survey_responses WHERE survey_id = $1 AND source = 'panel' \
             AND submitted_at IS NOT NULL ORDER BY id LIMIT $2",
        )
        .bind(survey_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// (online submitted, online being written, panel) responses.
    pub async fn survey_counts(&self, survey_id: i64) -> Result<(i64, i64, i64)> {
        let row: (i64, i64, i64) = sqlx::query_as(
            "SELECT \
             COALESCE(SUM(CASE WHEN source = 'online' AND submitted_at IS NOT NULL THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN source = 'online' AND submitted_at IS NULL THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN source = 'panel' THEN 1 ELSE 0 END), 0) \
             FROM survey_responses WHERE survey_id = $1",
        )
        .bind(survey_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(row)
    }

    /// Whether any response (being written or submitted, online or panel) answers `code`.
    pub async fn survey_question_answered(&self, survey_id: i64, code: &str) -> Result<bool> {
        let pattern = format!("%\"{code}\":%");
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM survey_responses WHERE survey_id = $1 AND answers LIKE $2",
        )
        .bind(survey_id)
        .bind(pattern)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    pub async fn latest_weighting(&self, survey_id: i64) -> Result<Option<WeightingRow>> {
        Ok(sqlx::query_as(
            "SELECT id, survey_id, by_variables, margins, options, diagnostics, created_at \
             FROM survey_weightings WHERE survey_id = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(survey_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Who contributed to the debate (published contributions), by channel, category, quartier
    /// and age band (that of the author's account, where known).
    pub async fn contributor_profile(&self, debate_id: i64) -> Result<ContributorProfile> {
        let group = |sql: &'static str| async move {
            let rows: Vec<(Option<String>, i64)> = sqlx::query_as(sql)
                .bind(debate_id)
                .fetch_all(&self.pool)
                .await?;
            Ok::<_, StoreError>(
                rows.into_iter()
                    .map(|(v, n)| (v.unwrap_or_default(), n))
                    .collect::<Vec<_>>(),
            )
        };
        let channel = group(
            "SELECT c.channel, COUNT(*) FROM contributions c \
             WHERE c.debate_id = $1 AND c.status = 'published' GROUP BY c.channel ORDER BY 2 DESC",
        )
        .await?;
        let category = group(
            "SELECT k.name, COUNT(*) FROM contributions c LEFT JOIN categories k ON k.id = c.category_id \
             WHERE c.debate_id = $1 AND c.status = 'published' GROUP BY k.name ORDER BY 2 DESC",
        )
        .await?;
        let quartier = group(
            "SELECT q.name, COUNT(*) FROM contributions c LEFT JOIN quartiers q ON q.id = c.quartier_id \
             WHERE c.debate_id = $1 AND c.status = 'published' GROUP BY q.name ORDER BY 2 DESC",
        )
        .await?;
        let age = group(
            "SELECT u.age_bracket, COUNT(*) FROM contributions c LEFT JOIN users u ON u.id = c.author_id \
             WHERE c.debate_id = $1 AND c.status = 'published' GROUP BY u.age_bracket ORDER BY 2 DESC",
        )
        .await?;
        let total = channel.iter().map(|(_, n)| n).sum();
        Ok(ContributorProfile {
            channel,
            category,
            quartier,
            age,
            total,
        })
    }
}

impl Tx<'_> {
    pub async fn insert_survey(
        &mut self,
        f: &SurveyFields,
        created_by: Option<i64>,
    ) -> Result<i64> {
        let t = now();
        let id = sqlx::query_scalar(
            "INSERT INTO surveys (debate_id, slug, title, title_en, intro, anonymous, results_public, \
             created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
             RETURNING id",
        )
        .bind(f.debate_id)
        .bind(f.slug.as_str())
        .bind(f.title.as_str())
        .bind(f.title_en.as_str())
        .bind(f.intro.as_str())
        .bind(f.anonymous as i64)
        .bind(f.results_public as i64)
        .bind(created_by)
        .bind(t)
        .fetch_one(&mut *self.tx)
        .await
        .map_err(crate::conflict_as("slug"))?;
        Ok(id)
    }

    pub async fn update_survey(&mut self, id: i64, f: &SurveyFields) -> Result<()> {
        let n = sqlx::query(
            "UPDATE surveys SET slug = $2, title = $3, title_en = $4, intro = $5, anonymous = $6, \
             results_public = $7, updated_at = $8 WHERE id = $1",
        )
        .bind(id)
        .bind(f.slug.as_str())
        .bind(f.title.as_str())
        .bind(f.title_en.as_str())
        .bind(f.intro.as_str())
        .bind(f.anonymous as i64)
        .bind(f.results_public as i64)
        .bind(now())
        .execute(&mut *self.tx)
        .await
        .map_err(crate::conflict_as("slug"))?;
        if n.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Rewrites the questionnaire; `expected_revision` guards against two editors at once.
    pub async fn set_survey_definition(&mut self, id: i64, definition: &str) -> Result<()> {
        sqlx::query(
            "UPDATE surveys SET definition = $2, revision = revision + 1, updated_at = $3 WHERE id = $1",
        )
        .bind(id)
        .bind(definition)
        .bind(now())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub async fn set_survey_status(&mut self, id: i64, status: &str) -> Result<()> {
        sqlx::query("UPDATE surveys SET status = $2, revision = revision + 1, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(status)
            .bind(now())
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Marks the survey's results as changed (their cache goes).
    pub async fn bump_survey_revision(&mut self, id: i64) -> Result<()> {
        sqlx::query("UPDATE surveys SET revision = revision + 1 WHERE id = $1")
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// A response being written, by an account or a browser token.
    pub async fn insert_survey_response(
        &mut self,
        survey_id: i64,
        user_id: Option<i64>,
        token_hash: Option<&str>,
    ) -> Result<i64> {
        let t = now();
        let id = sqlx::query_scalar(
            "INSERT INTO survey_responses (survey_id, source, user_id, token_hash, created_at, updated_at) \
             VALUES ($1, 'online', $2, $3, $4, $4) RETURNING id",
        )
        .bind(survey_id)
        .bind(user_id)
        .bind(token_hash)
        .bind(t)
        .fetch_one(&mut *self.tx)
        .await
        .map_err(crate::conflict_as("response"))?;
        Ok(id)
    }

    pub async fn save_survey_response(&mut self, id: i64, answers: &str, page: i64) -> Result<()> {
        sqlx::query(
            "UPDATE survey_responses SET answers = $2, page = $3, updated_at = $4 WHERE id = $1",
        )
        .bind(id)
        .bind(answers)
        .bind(page)
        .bind(now())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub async fn submit_survey_response(
        &mut self,
        id: i64,
        answers: &str,
        profile: &str,
    ) -> Result<()> {
        let t = now();
        sqlx::query(
            "UPDATE survey_responses SET answers = $2, profile = $3, submitted_at = $4, updated_at = $4 \
             WHERE id = $1 AND submitted_at IS NULL",
        )
        .bind(id)
        .bind(answers)
        .bind(profile)
        .bind(t)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Replaces the survey's panel with these respondents (a file is imported whole).
    pub async fn replace_panel(&mut self, survey_id: i64, rows: &[PanelResponse]) -> Result<()> {
        sqlx::query("DELETE FROM survey_responses WHERE survey_id = $1 AND source = 'panel'")
            .bind(survey_id)
            .execute(&mut *self.tx)
            .await?;
        let t = now();
        for chunk in rows.chunks(200) {
            let mut sql = String::from(
                "INSERT INTO survey_responses (survey_id, source, panel_ref, answers, profile, \
                 submitted_at, created_at, updated_at) VALUES ",
            );
            for i in 0..chunk.len() {
                let b = i * 3;
                if i > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!(
                    "($1, 'panel', ${}, ${}, ${}, $2, $2, $2)",
                    b + 3,
                    b + 4,
                    b + 5
                ));
            }
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(survey_id)
                .bind(t);
            for r in chunk {
                q = q
                    .bind(r.panel_ref.as_str())
                    .bind(r.answers.as_str())
                    .bind(r.profile.as_str());
            }
            q.execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    /// Records a weighting and puts its weights on the panel's responses (by id).
    pub async fn insert_weighting(
        &mut self,
        w: &WeightingRow,
        weights: &[(i64, f64)],
        created_by: Option<i64>,
    ) -> Result<i64> {
        let id = sqlx::query_scalar(
            "INSERT INTO survey_weightings (survey_id, by_variables, margins, options, diagnostics, \
             created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(w.survey_id)
        .bind(w.by_variables.as_str())
        .bind(w.margins.as_str())
        .bind(w.options.as_str())
        .bind(w.diagnostics.as_str())
        .bind(created_by)
        .bind(now())
        .fetch_one(&mut *self.tx)
        .await?;
        sqlx::query("UPDATE survey_responses SET weight = NULL WHERE survey_id = $1")
            .bind(w.survey_id)
            .execute(&mut *self.tx)
            .await?;
        for chunk in weights.chunks(300) {
            // One statement per chunk: UPDATE … FROM (VALUES …) is not portable; a CASE is.
            let mut sql = String::from("UPDATE survey_responses SET weight = CASE id");
            let mut ids = Vec::new();
            for (i, _) in chunk.iter().enumerate() {
                sql.push_str(&format!(" WHEN ${} THEN ${}", 2 * i + 1, 2 * i + 2));
                ids.push(format!("${}", 2 * i + 1));
            }
            sql.push_str(&format!(" END WHERE id IN ({})", ids.join(", ")));
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (rid, weight) in chunk {
                q = q.bind(*rid).bind(*weight);
            }
            q.execute(&mut *self.tx).await?;
        }
        Ok(id)
    }
}
