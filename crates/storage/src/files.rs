//! Uploaded files (debate images, documents), kept in the database itself so that every app
//! instance serves the same files without a shared disk.

use crate::{Result, Store, now};

pub struct NewFile<'a> {
    pub debate_id: Option<i64>,
    pub purpose: &'a str,
    pub title: &'a str,
    pub filename: &'a str,
    pub content_type: &'a str,
    pub data: &'a [u8],
    pub uploaded_by: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FileMeta {
    pub id: i64,
    pub debate_id: Option<i64>,
    pub purpose: String,
    pub title: String,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub created_at: i64,
}

#[derive(Debug, Clone)]
pub struct StoredFile {
    pub meta: FileMeta,
    pub data: Vec<u8>,
}

const META: &str =
    "id, debate_id, purpose, title, filename, content_type, size, sha256, created_at";

impl Store {
    pub async fn insert_file(&self, f: NewFile<'_>) -> Result<i64> {
        let _forget = self.forget_after();
        let sha = {
            use sha2::{Digest, Sha256};
            Sha256::digest(f.data)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        };
        Ok(sqlx::query_scalar(
            "INSERT INTO files (debate_id, purpose, title, filename, content_type, size, sha256, \
             data, uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(f.debate_id)
        .bind(f.purpose)
        .bind(f.title)
        .bind(f.filename)
        .bind(f.content_type)
        .bind(f.data.len() as i64)
        .bind(sha)
        .bind(f.data.to_vec())
        .bind(f.uploaded_by)
        .bind(now())
        .fetch_one(&self.pool)
        .await?)
    }

    pub async fn file(&self, id: i64) -> Result<Option<StoredFile>> {
        use sqlx::{FromRow, Row};
        let q = format!("SELECT {META}, data FROM files WHERE id = $1");
        let Some(row) = sqlx::query(sqlx::AssertSqlSafe(q))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(StoredFile {
            meta: FileMeta::from_row(&row)?,
            data: row.try_get("data")?,
        }))
    }

    pub async fn file_meta(&self, id: i64) -> Result<Option<FileMeta>> {
        let q = format!("SELECT {META} FROM files WHERE id = $1");
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(q))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    pub async fn debate_files(&self, debate_id: i64, purpose: &str) -> Result<Vec<FileMeta>> {
        let key = (debate_id, purpose.to_string());
        if let Some(f) = self.cached(|c| c.files.get(&key).cloned()) {
            return Ok(f);
        }
        let q =
            format!("SELECT {META} FROM files WHERE debate_id = $1 AND purpose = $2 ORDER BY id");
        let files: Vec<FileMeta> = sqlx::query_as(sqlx::AssertSqlSafe(q))
            .bind(debate_id)
            .bind(purpose)
            .fetch_all(&self.pool)
            .await?;
        self.cache_put(|c| {
            c.files.insert(key, files.clone());
        });
        Ok(files)
    }

    /// Changes what a file is for (a scan checked and published becomes "scan-published").
    pub async fn set_file_purpose(&self, id: i64, purpose: &str) -> Result<()> {
        let _forget = self.forget_after();
        sqlx::query("UPDATE files SET purpose = $1 WHERE id = $2")
            .bind(purpose)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn delete_file(&self, id: i64) -> Result<()> {
        let _forget = self.forget_after();
        sqlx::query("DELETE FROM files WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
