//! "Download my data": everything the platform holds about the person, at once, as a standard
//! ZIP (deflate, opened by every system's own tools) holding `index.html`, readable in any
//! browser without a network, and `data.json`, for a machine. Decidim's archive was a 7z named
//! `.zip` (decidim #13037): this one is written by the `zip` crate and tested by `unzip`.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use domain::Action;
use std::io::Write;
use storage::Section;
use webkit::ctx::Ctx;
use webkit::error::{AppError, AppResult};
use webkit::i18n::Tr;
use webkit::state::AppState;
use webkit::view::{Layout, render};

#[derive(Template)]
#[template(path = "mydata.html")]
pub struct MyDataView {
    pub l: Layout,
}

pub async fn page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    ctx.require(Action::EditOwnProfile)?;
    Ok(render(&MyDataView {
        l: ctx.layout(&state, ctx.tr.t("mydata-title")),
    }))
}

pub struct SectionView {
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The archive's readable page: standalone (its style inline, no link out).
#[derive(Template)]
#[template(path = "mydata_index.html")]
pub struct IndexView {
    pub lang: &'static str,
    pub title: String,
    pub intro: String,
    pub empty: String,
    pub sections: Vec<SectionView>,
}

fn cell(tr: &Tr, tz: &jiff::tz::TimeZone, column: &str, v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::Number(n) if column.ends_with("_at") => n
            .as_i64()
            .map(|t| tr.datetime(t, tz))
            .unwrap_or_else(|| n.to_string()),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn index_html(state: &AppState, tr: &Tr, sections: &[Section]) -> AppResult<String> {
    let views = sections
        .iter()
        .map(|s| {
            let columns: Vec<String> = s
                .rows
                .first()
                .map(|r| r.keys().cloned().collect())
                .unwrap_or_default();
            SectionView {
                title: tr.t(&format!("mydata-section-{}", s.name)),
                rows: s
                    .rows
                    .iter()
                    .map(|r| {
                        columns
                            .iter()
                            .map(|c| {
                                cell(
                                    tr,
                                    &state.tz,
                                    c,
                                    r.get(c).unwrap_or(&serde_json::Value::Null),
                                )
                            })
                            .collect()
                    })
                    .collect(),
                columns,
            }
        })
        .collect();
    Ok(IndexView {
        lang: tr.lang.code(),
        title: tr.t1(
            "mydata-archive-title",
            "instance",
            &state.settings.instance_name,
        ),
        intro: tr.t1(
            "mydata-archive-intro",
            "date",
            tr.datetime(storage::now(), &state.tz),
        ),
        empty: tr.t("mydata-empty"),
        sections: views,
    }
    .render()?)
}

fn zip(index: &str, data: &serde_json::Value) -> Result<Vec<u8>, AppError> {
    let fail = |e: &dyn std::fmt::Display| AppError::Internal(format!("zip: {e}"));
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    w.start_file("index.html", opts).map_err(|e| fail(&e))?;
    w.write_all(index.as_bytes()).map_err(|e| fail(&e))?;
    w.start_file("data.json", opts).map_err(|e| fail(&e))?;
    let json = serde_json::to_vec_pretty(data).map_err(|e| fail(&e))?;
    w.write_all(&json).map_err(|e| fail(&e))?;
    Ok(w.finish().map_err(|e| fail(&e))?.into_inner())
}

pub async fn download(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    ctx.require(Action::EditOwnProfile)?;
    let user_id = ctx.user_id().ok_or(AppError::LoginRequired)?;
    let sections = app::account::my_data(&state.store, user_id).await?;
    let index = index_html(&state, &ctx.tr, &sections)?;
    let document = app::account::data_document(&state.settings.public_url, &sections);
    let bytes = zip(&index, &document)?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"mes-donnees.zip\""),
    );
    Ok(res)
}
