//! Debates, their guiding questions, phases, and the categories and quartiers they address.

use crate::{Result, Store, StoreError, conflict_as, now};
use domain::{Debate, DebateStatus, Phase, PhaseKind};
use sqlx::Row;
use sqlx::any::AnyRow;

pub struct DebateFields {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body_md: String,
    pub status: DebateStatus,
    pub image_alt: String,
}

pub struct PhaseFields {
    pub kind: PhaseKind,
    pub title: String,
    pub description: String,
    pub starts_at: i64,
    pub ends_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Question {
    pub id: i64,
    pub debate_id: i64,
    pub position: i64,
    pub text: String,
    /// What explains the question (an imported Decidim debate's description), plain text.
    pub help: String,
}

const DEBATE_COLUMNS: &str =
    "id, slug, title, summary, body_md, status, image_file_id, image_alt, created_at, updated_at";

fn debate_from_row(r: &AnyRow) -> Result<Debate> {
    let status: String = r.try_get("status")?;
    Ok(Debate {
        id: r.try_get("id")?,
        slug: r.try_get("slug")?,
        title: r.try_get("title")?,
        summary: r.try_get("summary")?,
        body_md: r.try_get("body_md")?,
        status: DebateStatus::parse(&status).unwrap_or(DebateStatus::Draft),
        image_file_id: r.try_get("image_file_id")?,
        image_alt: r.try_get("image_alt")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn phase_from_row(r: &AnyRow) -> Result<Phase> {
    let kind: String = r.try_get("kind")?;
    Ok(Phase {
        id: r.try_get("id")?,
        debate_id: r.try_get("debate_id")?,
        kind: PhaseKind::parse(&kind).unwrap_or(PhaseKind::Other),
        title: r.try_get("title")?,
        description: r.try_get("description")?,
        starts_at: r.try_get("starts_at")?,
        ends_at: r.try_get("ends_at")?,
    })
}

impl Store {
    pub async fn create_debate(&self, f: &DebateFields) -> Result<i64> {
        let _forget = self.forget_after();
        let t = now();
        sqlx::query_scalar(
            "INSERT INTO debates (slug, title, summary, body_md, status, image_alt, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
        )
        .bind(&f.slug)
        .bind(&f.title)
        .bind(&f.summary)
        .bind(&f.body_md)
        .bind(f.status.as_str())
        .bind(&f.image_alt)
        .bind(t)
        .fetch_one(&self.pool)
        .await
        .map_err(conflict_as("slug"))
    }

    pub async fn update_debate(&self, id: i64, f: &DebateFields) -> Result<()> {
        let _forget = self.forget_after();
        let r = sqlx::query(
            "UPDATE debates SET slug = $1, title = $2, summary = $3, body_md = $4, status = $5, \
             image_alt = $6, updated_at = $7 WHERE id = $8",
        )
        .bind(&f.slug)
        .bind(&f.title)
        .bind(&f.summary)
        .bind(&f.body_md)
        .bind(f.status.as_str())
        .bind(&f.image_alt)
        .bind(now())
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(conflict_as("slug"))?;
        if r.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Puts a new header image (and its description) on a debate, dropping the old file, in one
    /// transaction that touches nothing else of the debate.
    pub async fn set_debate_image(
        &self,
        id: i64,
        file_id: Option<i64>,
        image_alt: &str,
    ) -> Result<()> {
        let _forget = self.forget_after();
        let mut tx = self.pool.begin().await?;
        let old: Option<Option<i64>> =
            sqlx::query_scalar("SELECT image_file_id FROM debates WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        sqlx::query(
            "UPDATE debates SET image_file_id = $1, image_alt = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(file_id)
        .bind(image_alt)
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if let Some(Some(old)) = old
            && Some(old) != file_id
        {
            sqlx::query("DELETE FROM files WHERE id = $1")
                .bind(old)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn debate_by_slug(&self, slug: &str) -> Result<Option<Debate>> {
        if let Some(d) = self.cached(|c| c.debates.get(slug).cloned()) {
            return Ok(d);
        }
        let q = format!("SELECT {DEBATE_COLUMNS} FROM debates WHERE slug = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(q))
            .bind(slug)
            .fetch_optional(&self.pool)
            .await?;
        let d = row.as_ref().map(debate_from_row).transpose()?;
        self.cache_put(|c| {
            c.debates.insert(slug.to_string(), d.clone());
        });
        Ok(d)
    }

    pub async fn debate_by_id(&self, id: i64) -> Result<Option<Debate>> {
        let q = format!("SELECT {DEBATE_COLUMNS} FROM debates WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(q))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(debate_from_row).transpose()
    }

    /// Every debate (drafts included when `with_drafts`), newest first.
    pub async fn debates(&self, with_drafts: bool) -> Result<Vec<Debate>> {
        let q = format!(
            "SELECT {DEBATE_COLUMNS} FROM debates WHERE status = 'published' OR $1 = 1 \
             ORDER BY created_at DESC, id DESC"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(q))
            .bind(i64::from(with_drafts))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(debate_from_row).collect()
    }

    pub async fn questions(&self, debate_id: i64) -> Result<Vec<Question>> {
        if let Some(q) = self.cached(|c| c.questions.get(&debate_id).cloned()) {
            return Ok(q);
        }
        let q: Vec<Question> = sqlx::query_as(
            "SELECT id, debate_id, position, text, help FROM debate_questions WHERE debate_id = $1 \
             ORDER BY position, id",
        )
        .bind(debate_id)
        .fetch_all(&self.pool)
        .await?;
        self.cache_put(|c| {
            c.questions.insert(debate_id, q.clone());
        });
        Ok(q)
    }

    /// Applies the question editor's rows in one transaction: `(Some(id), text, position)` updates,
    /// `(None, …)` adds, ids in `delete` go away.
    pub async fn save_questions(
        &self,
        debate_id: i64,
        rows: &[(Option<i64>, String, i64)],
        delete: &[i64],
    ) -> Result<()> {
        let _forget = self.forget_after();
        let mut tx = self.pool.begin().await?;
        for id in delete {
            sqlx::query("DELETE FROM debate_questions WHERE id = $1 AND debate_id = $2")
                .bind(id)
                .bind(debate_id)
                .execute(&mut *tx)
                .await
                .map_err(|e| match &e {
                    sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
                        StoreError::Conflict("question")
                    }
                    _ => StoreError::Db(e),
                })?;
        }
        for (id, text, position) in rows {
            match id {
                Some(id) => {
                    sqlx::query(
                        "UPDATE debate_questions SET text = $1, position = $2 WHERE id = $3 AND debate_id = $4",
                    )
                    .bind(text)
                    .bind(position)
                    .bind(id)
                    .bind(debate_id)
                    .execute(&mut *tx)
                    .await?;
                }
                None => {
                    sqlx::query(
                        "INSERT INTO debate_questions (debate_id, position, text) VALUES ($1, $2, $3)",
                    )
                    .bind(debate_id)
                    .bind(position)
                    .bind(text)
                    .execute(&mut *tx)
                    .await?;
                }
            }
        }
        sqlx::query("UPDATE debates SET updated_at = $1 WHERE id = $2")
            .bind(now())
            .bind(debate_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn phases(&self, debate_id: i64) -> Result<Vec<Phase>> {
        if let Some(p) = self.cached(|c| c.phases.get(&debate_id).cloned()) {
            return Ok(p);
        }
        let rows = sqlx::query(
            "SELECT id, debate_id, kind, title, description, starts_at, ends_at FROM phases \
             WHERE debate_id = $1 ORDER BY starts_at, id",
        )
        .bind(debate_id)
        .fetch_all(&self.pool)
        .await?;
        let p: Vec<Phase> = rows.iter().map(phase_from_row).collect::<Result<_>>()?;
        self.cache_put(|c| {
            c.phases.insert(debate_id, p.clone());
        });
        Ok(p)
    }

    /// Like `save_questions`, for phases.
    pub async fn save_phases(
        &self,
        debate_id: i64,
        rows: &[(Option<i64>, PhaseFields)],
        delete: &[i64],
    ) -> Result<()> {
        let _forget = self.forget_after();
        let mut tx = self.pool.begin().await?;
        for id in delete {
            sqlx::query("DELETE FROM phases WHERE id = $1 AND debate_id = $2")
                .bind(id)
                .bind(debate_id)
                .execute(&mut *tx)
                .await?;
        }
        for (id, p) in rows {
            let q = match id {
                Some(_) => {
                    "UPDATE phases SET kind = $1, title = $2, description = $3, starts_at = $4, \
                     ends_at = $5 WHERE id = $6 AND debate_id = $7"
                }
                None => {
                    "INSERT INTO phases (kind, title, description, starts_at, ends_at, debate_id) \
                     VALUES ($1, $2, $3, $4, $5, $6)"
                }
            };
            let mut query = sqlx::query(q)
                .bind(p.kind.as_str())
                .bind(&p.title)
                .bind(&p.description)
                .bind(p.starts_at)
                .bind(p.ends_at);
            if let Some(id) = id {
                query = query.bind(*id);
            }
            query.bind(debate_id).execute(&mut *tx).await?;
        }
        sqlx::query("UPDATE debates SET updated_at = $1 WHERE id = $2")
            .bind(now())
            .bind(debate_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn debate_category_ids(&self, debate_id: i64) -> Result<Vec<i64>> {
        Ok(self.audience(debate_id).await?.0)
    }

    pub async fn debate_quartier_ids(&self, debate_id: i64) -> Result<Vec<i64>> {
        Ok(self.audience(debate_id).await?.1)
    }

    /// The participant categories and quartiers a debate names, in the lists' order: what its
    /// page and the API show (an unticked list shows nothing).
    pub async fn debate_lists(
        &self,
        debate_id: i64,
    ) -> Result<(Vec<crate::Category>, Vec<crate::Quartier>)> {
        let (cat_ids, q_ids) = self.audience(debate_id).await?;
        let mut categories = self.categories().await?;
        categories.retain(|c| cat_ids.contains(&c.id));
        let mut quartiers = self.quartiers().await?;
        quartiers.retain(|q| q_ids.contains(&q.id));
        Ok((categories, quartiers))
    }

    /// The categories and quartiers a debate addresses.
    async fn audience(&self, debate_id: i64) -> Result<(Vec<i64>, Vec<i64>)> {
        if let Some(a) = self.cached(|c| c.audience.get(&debate_id).cloned()) {
            return Ok(a);
        }
        let categories: Vec<i64> = sqlx::query_scalar(
            "SELECT category_id FROM debate_categories WHERE debate_id = $1 ORDER BY category_id",
        )
        .bind(debate_id)
        .fetch_all(&self.pool)
        .await?;
        let quartiers: Vec<i64> = sqlx::query_scalar(
            "SELECT quartier_id FROM debate_quartiers WHERE debate_id = $1 ORDER BY quartier_id",
        )
        .bind(debate_id)
        .fetch_all(&self.pool)
        .await?;
        let a = (categories, quartiers);
        self.cache_put(|c| {
            c.audience.insert(debate_id, a.clone());
        });
        Ok(a)
    }

    pub async fn set_debate_audience(
        &self,
        debate_id: i64,
        category_ids: &[i64],
        quartier_ids: &[i64],
    ) -> Result<()> {
        let _forget = self.forget_after();
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM debate_categories WHERE debate_id = $1")
            .bind(debate_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM debate_quartiers WHERE debate_id = $1")
            .bind(debate_id)
            .execute(&mut *tx)
            .await?;
        for c in category_ids {
            sqlx::query(
                "INSERT INTO debate_categories (debate_id, category_id) \
                 SELECT $1, id FROM categories WHERE id = $2",
            )
            .bind(debate_id)
            .bind(c)
            .execute(&mut *tx)
            .await?;
        }
        for q in quartier_ids {
            sqlx::query(
                "INSERT INTO debate_quartiers (debate_id, quartier_id) \
                 SELECT $1, id FROM quartiers WHERE id = $2",
            )
            .bind(debate_id)
            .bind(q)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
