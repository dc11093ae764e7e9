//! The instance's lists: participant categories and quartiers. Debates pick from them.

use crate::{Result, Store};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Category {
    pub id: i64,
    pub name: String,
    pub name_en: String,
    pub position: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Quartier {
    pub id: i64,
    pub name: String,
    pub population: Option<i64>,
    pub area_km2: Option<f64>,
    pub position: i64,
}

/// One change of the lists editor; `save_lists` applies them all or none.
#[derive(Debug, Clone)]
pub enum ListChange {
    AddCategory {
        name: String,
        name_en: String,
    },
    UpdateCategory {
        id: i64,
        name: String,
        name_en: String,
    },
    DeleteCategory(i64),
    AddQuartier(String),
    UpdateQuartier {
        id: i64,
        name: String,
    },
    DeleteQuartier(i64),
}

impl Store {
    /// Applies the lists editor's changes in one transaction: deletions first, then renames
    /// (through temporary names, so that two quartiers can swap names), then additions.
    pub async fn save_lists(&self, changes: &[ListChange]) -> Result<()> {
        let _forget = self.forget_after();
        use ListChange::*;
        let mut tx = self.pool.begin().await?;
        for c in changes {
            match c {
                DeleteCategory(id) => {
                    sqlx::query("DELETE FROM categories WHERE id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                DeleteQuartier(id) => {
                    sqlx::query("DELETE FROM quartiers WHERE id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                _ => {}
            }
        }
        for c in changes {
            if let UpdateQuartier { id, .. } = c {
                sqlx::query("UPDATE quartiers SET name = $1 WHERE id = $2")
                    .bind(format!("\u{1}renaming {id}"))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        for c in changes {
            match c {
                UpdateCategory { id, name, name_en } => {
                    sqlx::query("UPDATE categories SET name = $1, name_en = $2 WHERE id = $3")
                        .bind(name)
                        .bind(name_en)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                UpdateQuartier { id, name } => {
                    sqlx::query("UPDATE quartiers SET name = $1 WHERE id = $2")
                        .bind(name)
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(crate::conflict_as("name"))?;
                }
                AddCategory { name, name_en } => {
                    sqlx::query(
                        "INSERT INTO categories (name, name_en, position) \
                         VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM categories))",
                    )
                    .bind(name)
                    .bind(name_en)
                    .execute(&mut *tx)
                    .await?;
                }
                AddQuartier(name) => {
                    sqlx::query(
                        "INSERT INTO quartiers (name, position) \
                         VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM quartiers))",
                    )
                    .bind(name)
                    .execute(&mut *tx)
                    .await
                    .map_err(crate::conflict_as("name"))?;
                }
                DeleteCategory(_) | DeleteQuartier(_) => {}
            }
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn categories(&self) -> Result<Vec<Category>> {
        if let Some(v) = self.cached(|c| c.categories.clone()) {
            return Ok(v);
        }
        let v: Vec<Category> = sqlx::query_as(
            "SELECT id, name, name_en, position FROM categories ORDER BY position, id",
        )
        .fetch_all(&self.pool)
        .await?;
        self.cache_put(|c| c.categories = Some(v.clone()));
        Ok(v)
    }

    pub async fn quartiers(&self) -> Result<Vec<Quartier>> {
        if let Some(v) = self.cached(|c| c.quartiers.clone()) {
            return Ok(v);
        }
        let v: Vec<Quartier> = sqlx::query_as(
            "SELECT id, name, population, area_km2, position FROM quartiers ORDER BY position, id",
        )
        .fetch_all(&self.pool)
        .await?;
        self.cache_put(|c| c.quartiers = Some(v.clone()));
        Ok(v)
    }

    pub async fn add_category(&self, name: &str, name_en: &str) -> Result<i64> {
        let _forget = self.forget_after();
        Ok(sqlx::query_scalar(
            "INSERT INTO categories (name, name_en, position) \
             VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM categories)) RETURNING id",
        )
        .bind(name)
        .bind(name_en)
        .fetch_one(&self.pool)
        .await?)
    }

    pub async fn update_category(&self, id: i64, name: &str, name_en: &str) -> Result<()> {
        let _forget = self.forget_after();
        sqlx::query("UPDATE categories SET name = $1, name_en = $2 WHERE id = $3")
            .bind(name)
            .bind(name_en)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn delete_category(&self, id: i64) -> Result<()> {
        let _forget = self.forget_after();
        sqlx::query("DELETE FROM categories WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn add_quartier(
        &self,
        name: &str,
        population: Option<i64>,
        area_km2: Option<f64>,
    ) -> Result<i64> {
        let _forget = self.forget_after();
        sqlx::query_scalar(
            "INSERT INTO quartiers (name, population, area_km2, position) \
             VALUES ($1, $2, $3, (SELECT COALESCE(MAX(position), 0) + 1 FROM quartiers)) RETURNING id",
        )
        .bind(name)
        .bind(population)
        .bind(area_km2)
        .fetch_one(&self.pool)
        .await
        .map_err(crate::conflict_as("name"))
    }

    pub async fn update_quartier(&self, id: i64, name: &str) -> Result<()> {
        let _forget = self.forget_after();
        sqlx::query("UPDATE quartiers SET name = $1 WHERE id = $2")
            .bind(name)
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(crate::conflict_as("name"))?;
        Ok(())
    }

    pub async fn delete_quartier(&self, id: i64) -> Result<()> {
        let _forget = self.forget_after();
        sqlx::query("DELETE FROM quartiers WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
