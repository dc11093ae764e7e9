//! The audit log as guarantors and administrators read it: newest first, filtered by action,
//! actor and dates, and exported as CSV (with each entry's link in the hash chain, so that a
//! copy kept elsewhere can be compared with the database later).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use domain::Action;
use domain::validate::{self, FieldErrors};
use serde::{Deserialize, Serialize};
use storage::{AuditEntry, AuditFilter};
use webkit::ctx::Ctx;
use webkit::error::AppResult;
use webkit::state::AppState;
use webkit::view::{Errors, Layout, render, render_invalid};

const PAGE: i64 = 100;
/// Rows read per query while exporting.
const EXPORT_BATCH: i64 = 1_000;

pub struct AuditRow {
    pub at: String,
    pub actor: String,
    /// The action in words ("Contribution saisie hors ligne"), and its code for filters.
    pub action_label: String,
    pub action: String,
    /// The object, and its page when it has one.
    pub target: String,
    pub target_href: Option<String>,
    pub detail: String,
}

/// The page of an audited object, for those who read the log.
fn target_href(target: &str) -> Option<String> {
    let (kind, id) = target.split_once(':')?;
    let id: i64 = id.trim().parse().ok()?;
    Some(match kind {
        "contribution" => format!("/contributions/{id}"),
        "event" => format!("/evenements/{id}"),
        "debate" => format!("/admin/debats/{id}"),
        "job" => "/admin/taches".to_string(),
        _ => return None,
    })
}

/// "contribution:731" → "contribution n° 731", in the reader's language.
fn target_text(ctx: &Ctx, target: &str) -> String {
    match target.split_once(':') {
        Some((kind, id)) => match ctx.tr.try_t(&format!("audit-target-{kind}")) {
            Some(label) if label.ends_with('#') => format!("{label}{id}"),
            Some(label) => format!("{label} {id}"),
            None => target.to_string(),
        },
        None => target.to_string(),
    }
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
pub struct AuditView {
    pub l: Layout,
    pub q: JournalQuery,
    pub errs: Errors,
    pub rows: Vec<AuditRow>,
    /// The link to the next (older) page, with the same filters.
    pub next: Option<String>,
    /// The link to the CSV of everything the filters select.
    pub csv_href: String,
}

/// The filter form; every field is text so that a bad value is explained, never a bare 400.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct JournalQuery {
    pub action: String,
    pub qui: String,
    /// First day, `YYYY-MM-DD`, in the instance's time zone.
    pub du: String,
    /// Last day, included.
    pub au: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub avant: String,
    #[serde(skip_serializing)]
    pub format: String,
}

impl JournalQuery {
    fn href(&self, path: &str, extra: &[(&str, &str)]) -> String {
        let mut pairs: Vec<(&str, &str)> = [
            ("action", self.action.as_str()),
            ("qui", self.qui.as_str()),
            ("du", self.du.as_str()),
            ("au", self.au.as_str()),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect();
        pairs.extend_from_slice(extra);
        match serde_urlencoded::to_string(&pairs) {
            Ok(q) if !q.is_empty() => format!("{path}?{q}"),
            _ => path.to_string(),
        }
    }
}

/// The filter the form asks for, or the field errors.
fn parse(q: &JournalQuery, tz: &jiff::tz::TimeZone) -> Result<AuditFilter, FieldErrors> {
    let mut fe = FieldErrors::default();
    let day = |s: &str| -> Result<Option<i64>, &'static str> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(None);
        }
        if s.len() != 10 {
            return Err("error-day");
        }
        validate::local_datetime(s, tz)
            .map(Some)
            .map_err(|_| "error-day")
    };
    let from = fe.check("du", day(&q.du));
    // The last day is included: the range ends at the next midnight.
    let until = fe.check("au", day(&q.au)).map(|t| t.map(|t| t + 86_400));
    if let (Some(Some(f)), Some(Some(u))) = (from, until)
        && u <= f
    {
        fe.add("au", "error-end-before-start");
    }
    if !fe.is_empty() {
        return Err(fe);
    }
    Ok(AuditFilter {
        action: q.action.trim().to_string(),
        actor: q.qui.trim().to_string(),
        from: from.flatten(),
        until: until.flatten(),
        target: String::new(),
    })
}

fn actor(ctx: &Ctx, e: &AuditEntry) -> String {
    e.actor_name.clone().unwrap_or_else(|| {
        e.actor_id
            .map(|i| format!("#{i}"))
            .unwrap_or_else(|| ctx.tr.t("audit-system"))
    })
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<JournalQuery>,
) -> AppResult<Response> {
    ctx.require(Action::ViewAuditLog)?;
    let filter = match parse(&q, &state.tz) {
        Ok(f) => f,
        Err(fe) => {
            let mut l = ctx.layout(&state, ctx.tr.t("admin-audit"));
            l.has_errors = true;
            return Ok(render_invalid(&AuditView {
                l,
                errs: Errors::from(&ctx.tr, &fe),
                csv_href: String::new(),
                q,
                rows: Vec::new(),
                next: None,
            }));
        }
    };
    if q.format == "csv" {
        return export(&state, &ctx, &filter).await;
    }
    let before = q.avant.trim().parse::<i64>().ok();
    let entries = state.store.audit_search(&filter, before, PAGE).await?;
    let next = (entries.len() as i64 == PAGE)
        .then(|| entries.last().map(|e| e.id))
        .flatten()
        .map(|id| q.href("/admin/journal", &[("avant", &id.to_string())]));
    let rows = entries
        .iter()
        .map(|e| AuditRow {
            at: ctx.tr.datetime(e.at, &state.tz),
            actor: actor(&ctx, e),
            action_label: ctx
                .tr
                .try_t(&format!(
                    "audit-action-{}",
                    e.action.replace(['.', '_'], "-")
                ))
                .unwrap_or_else(|| e.action.clone()),
            action: e.action.clone(),
            target: target_text(&ctx, &e.target),
            target_href: target_href(&e.target),
            detail: e.detail.clone(),
        })
        .collect();
    Ok(render(&AuditView {
        l: ctx.layout(&state, ctx.tr.t("admin-audit")),
        csv_href: q.href("/admin/journal", &[("format", "csv")]),
        q,
        errs: Errors::none(),
        rows,
        next,
    }))
}

/// Every entry the filter selects, newest first, as CSV. The export is itself audited: the log
/// names people.
async fn export(state: &AppState, ctx: &Ctx, filter: &AuditFilter) -> AppResult<Response> {
    let mut out = String::from('\u{feff}');
    out.push_str(&webkit::csv::line(&[
        "id", "at", "actor_id", "actor", "action", "target", "detail", "hash",
    ]));
    let mut before = None;
    loop {
        let entries = state
            .store
            .audit_search(filter, before, EXPORT_BATCH)
            .await?;
        for e in &entries {
            let at = jiff::Timestamp::from_second(e.at)
                .map(|t| {
                    t.to_zoned(state.tz.clone())
                        .strftime("%Y-%m-%dT%H:%M:%S%:z")
                        .to_string()
                })
                .unwrap_or_default();
            out.push_str(&webkit::csv::line(&[
                e.id.to_string(),
                at,
                e.actor_id.map(|i| i.to_string()).unwrap_or_default(),
                actor(ctx, e),
                e.action.clone(),
                e.target.clone(),
                e.detail.clone(),
                e.hash.clone().unwrap_or_default(),
            ]));
        }
        if (entries.len() as i64) < EXPORT_BATCH {
            break;
        }
        before = entries.last().map(|e| e.id);
    }
    state
        .store
        .audit(ctx.user_id(), "audit.export", "audit_log", "")
        .await?;
    let mut res = out.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"journal.csv\""),
    );
    Ok(res)
}
