//! What became of what people said. For the city (administrators): each recommendation of the
//! published report gets an answer and commitments, commitments get progress and milestones.
//! For everyone: the follow-up page "ce qu'est devenu ce que vous avez dit", per debate and per
//! quartier, with progress bars and a timeline, and a commitment's page showing the findings and
//! contributions it comes from.

use crate::{app_error, debate, id_of, local};
use app::report::ReportError;
use app::report_followup::{self as fu, day_text};
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::{FieldErrors, On};
use report::followup::{Answer, CommitmentDraft, Status};
use std::collections::HashMap;
use webkit::choices::Choice;
use webkit::ctx::Ctx;
use webkit::error::{AppError, AppResult};
use webkit::form::FormMap;
use webkit::state::AppState;
use webkit::view::{Errors, Layout, render, render_invalid};

#[derive(Default, Clone)]
pub struct CommitmentForm {
    pub title: String,
    pub description: String,
    pub department: String,
    pub budget: String,
    pub starts_on: String,
    pub ends_on: String,
    pub status: String,
    pub progress: String,
    pub quartier: String,
}

impl CommitmentForm {
    fn from(f: &FormMap) -> CommitmentForm {
        CommitmentForm {
            title: f.get("title").into(),
            description: f.get("description").into(),
            department: f.get("department").into(),
            budget: f.get("budget").into(),
            starts_on: f.get("starts_on").into(),
            ends_on: f.get("ends_on").into(),
            status: f.get("status").into(),
            progress: f.get("progress").into(),
            quartier: f.get("quartier").into(),
        }
    }

    fn draft(&self) -> CommitmentDraft {
        CommitmentDraft {
            title: self.title.clone(),
            description: self.description.clone(),
            department: self.department.clone(),
            budget: self.budget.clone(),
            starts_on: self.starts_on.clone(),
            ends_on: self.ends_on.clone(),
            status: self.status.clone(),
            progress: self.progress.clone(),
        }
    }
}

pub struct MilestoneView {
    pub date: String,
    pub date_iso: String,
    pub title: String,
    pub evidence: String,
}

pub struct CommitmentView {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub status_label: String,
    pub status: String,
    pub progress: i64,
    pub meta: String,
    pub milestones: Vec<MilestoneView>,
    pub form: CommitmentForm,
    pub statuses: Vec<Choice>,
    pub quartiers: Vec<Choice>,
    pub errs: Errors,
    pub ms_errs: Errors,
    pub ms_on: String,
    pub ms_title: String,
    pub ms_evidence: String,
}

pub struct RecView {
    pub key: i64,
    pub title: String,
    pub html: String,
    pub findings: Vec<(i64, String)>,
    pub answer: String,
    pub answer_label: String,
    pub reasons: String,
    pub answered_on: String,
    pub answers: Vec<Choice>,
    pub answer_errs: Errors,
    pub commitments: Vec<CommitmentView>,
    pub new: CommitmentForm,
    pub new_statuses: Vec<Choice>,
    pub new_quartiers: Vec<Choice>,
    pub new_errs: Errors,
    /// A participant whose contribution it rests on may follow it and is told of changes.
    pub can_follow: bool,
    pub following: bool,
}

/// A form that failed, to show again with its errors and what was typed.
#[derive(Default)]
struct Failed {
    form: String,
    errs: Option<FieldErrors>,
    values: HashMap<String, String>,
    commitment: Option<CommitmentForm>,
}

fn statuses(tr: &webkit::i18n::Tr, current: &str) -> Vec<Choice> {
    Status::ALL
        .into_iter()
        .map(|s| {
            Choice::new(
                s.as_str(),
                tr.t(&format!("followup-status-{}", s.as_str())),
                current,
            )
        })
        .collect()
}

fn money(tr: &webkit::i18n::Tr, euros: i64) -> String {
    let digits = euros.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    tr.t1("followup-budget", "amount", out)
}

async fn recommendations(
    state: &AppState,
    ctx: &Ctx,
    debate_id: i64,
    quartier: Option<i64>,
    failed: &Failed,
) -> AppResult<Vec<RecView>> {
    let tr = &ctx.tr;
    let followed = fu::followup(&state.store, debate_id, quartier)
        .await
        .map_err(app_error)?;
    let quartier_list = state.store.quartiers().await?;
    let qchoices = |current: &str| -> Vec<Choice> {
        quartier_list
            .iter()
            .map(|q| Choice::new(q.id, q.name.clone(), current))
            .collect()
    };
    let errs_for = |form: &str| match (&failed.errs, failed.form == form) {
        (Some(fe), true) => Errors::from(tr, fe),
        _ => Errors::none(),
    };
    let value = |form: &str, k: &str, default: String| {
        if failed.form == form {
            failed.values.get(k).cloned().unwrap_or_default()
        } else {
            default
        }
    };
    let mut out = Vec::new();
    for r in followed {
        let (answer, reasons, answered_on) = match &r.answer {
            Some((a, reasons, at)) => (
                a.as_str().to_string(),
                reasons.clone(),
                tr.date(*at, &state.tz),
            ),
            None => (String::new(), String::new(), String::new()),
        };
        let af = format!("answer-{}", r.key);
        let answer = value(&af, "answer", answer);
        let nf = format!("new-{}", r.key);
        let new = if failed.form == nf {
            failed.commitment.clone().unwrap_or_default()
        } else {
            CommitmentForm {
                status: "planned".into(),
                progress: "0".into(),
                ..Default::default()
            }
        };
        let commitments = r
            .commitments
            .iter()
            .map(|(k, ms)| {
                let ef = format!("edit-{}", k.id);
                let mf = format!("milestone-{}", k.id);
                let form = if failed.form == ef {
                    failed.commitment.clone().unwrap_or_default()
                } else {
                    CommitmentForm {
                        title: k.title.clone(),
                        description: k.description.clone(),
                        department: k.department.clone(),
                        budget: k.budget_euros.map(|b| b.to_string()).unwrap_or_default(),
                        starts_on: k.starts_at.map(day_text).unwrap_or_default(),
                        ends_on: k.ends_at.map(day_text).unwrap_or_default(),
                        status: k.status.clone(),
                        progress: k.progress.to_string(),
                        quartier: k.quartier_id.map(|q| q.to_string()).unwrap_or_default(),
                    }
                };
                let mut meta = Vec::new();
                if !k.department.is_empty() {
                    meta.push(k.department.clone());
                }
                if let Some(b) = k.budget_euros {
                    meta.push(money(tr, b));
                }
                match (k.starts_at, k.ends_at) {
                    (Some(s), Some(e)) => meta.push(tr.t2(
                        "followup-dates",
                        ("from", tr.date(s, &state.tz)),
                        ("to", tr.date(e, &state.tz)),
                    )),
                    (Some(s), None) => {
                        meta.push(tr.t1("followup-from", "from", tr.date(s, &state.tz)))
                    }
                    (None, Some(e)) => {
                        meta.push(tr.t1("followup-until", "to", tr.date(e, &state.tz)))
                    }
                    (None, None) => {}
                }
                if let Some(q) = &k.quartier {
                    meta.push(q.clone());
                }
                CommitmentView {
                    id: k.id,
                    title: k.title.clone(),
                    description: k.description.clone(),
                    status_label: tr.t(&format!("followup-status-{}", k.status)),
                    status: k.status.clone(),
                    progress: k.progress.clamp(0, 100),
                    meta: meta.join(" · "),
                    milestones: ms
                        .iter()
                        .map(|m| MilestoneView {
                            date: tr.date(m.at, &state.tz),
                            date_iso: day_text(m.at),
                            title: m.title.clone(),
                            evidence: m.evidence.clone(),
                        })
                        .collect(),
                    statuses: statuses(tr, &form.status),
                    quartiers: qchoices(&form.quartier),
                    form,
                    errs: errs_for(&ef),
                    ms_errs: errs_for(&mf),
                    ms_on: value(&mf, "milestone_on", String::new()),
                    ms_title: value(&mf, "milestone_title", String::new()),
                    ms_evidence: value(&mf, "milestone_evidence", String::new()),
                }
            })
            .collect();
        out.push(RecView {
            key: r.key,
            title: r.title,
            html: report::markdown::render(&r.body),
            findings: r.findings,
            answer_label: Answer::parse(&answer)
                .map(|a| tr.t(&format!("followup-answer-{}", a.as_str())))
                .unwrap_or_default(),
            answers: Answer::ALL
                .into_iter()
                .map(|a| {
                    Choice::new(
                        a.as_str(),
                        tr.t(&format!("followup-answer-{}", a.as_str())),
                        &answer,
                    )
                })
                .collect(),
            answer,
            reasons: value(&af, "reasons", reasons),
            answered_on,
            answer_errs: errs_for(&af),
            new_statuses: statuses(tr, &new.status),
            new_quartiers: qchoices(&new.quartier),
            new,
            new_errs: errs_for(&nf),
            can_follow: false,
            following: false,
            commitments,
        });
    }
    Ok(out)
}

#[derive(Template)]
#[template(path = "followup_staff.html")]
pub struct StaffView {
    pub l: Layout,
    pub slug: String,
    pub debate_title: String,
    pub can_answer: bool,
    pub recs: Vec<RecView>,
}

async fn staff_view(
    state: &AppState,
    ctx: &Ctx,
    slug: &str,
    failed: Failed,
) -> AppResult<StaffView> {
    let d = debate(state, slug).await?;
    let (_, assigned) =
        app::report::authorize(&state.store, &ctx.subject, d.id, On::ReadReportDraft, true)
            .await
            .map_err(app_error)?;
    let can_answer = ctx.subject.may_on(
        On::AnswerRecommendations,
        app::report::resource(&d, assigned, true),
    );
    let recs = recommendations(state, ctx, d.id, None, &failed).await?;
    let mut l = ctx.layout(state, ctx.tr.t1("followup-staff-title", "title", &d.title));
    l.has_errors = failed.errs.is_some();
    Ok(StaffView {
        l,
        slug: d.slug,
        debate_title: d.title,
        can_answer,
        recs,
    })
}

pub async fn staff(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    Ok(render(
        &staff_view(&state, &ctx, &slug, Failed::default()).await?,
    ))
}

async fn again(state: &AppState, ctx: &Ctx, slug: &str, failed: Failed) -> AppResult<Response> {
    Ok(render_invalid(&staff_view(state, ctx, slug, failed).await?))
}

fn back(slug: &str, anchor: &str) -> Response {
    Redirect::to(&format!("/admin/rapports/{slug}/suites?ok=saved#{anchor}")).into_response()
}

pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, key)): Path<(String, i64)>,
    Form(form): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let d = debate(&state, &slug).await?;
    let f = FormMap(form);
    match fu::answer(
        &state.store,
        &ctx.subject,
        d.id,
        key,
        f.get("answer"),
        f.get("reasons"),
    )
    .await
    {
        Ok(()) => Ok(back(&slug, &format!("r-{key}"))),
        Err(ReportError::Invalid(fe)) => {
            let values = [("answer", f.get("answer")), ("reasons", f.get("reasons"))]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            let failed = Failed {
                form: format!("answer-{key}"),
                errs: Some(fe),
                values,
                commitment: None,
            };
            again(&state, &ctx, &slug, failed).await
        }
        Err(e) => Err(app_error(e)),
    }
}

pub async fn add_commitment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, key)): Path<(String, i64)>,
    Form(form): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let d = debate(&state, &slug).await?;
    let f = FormMap(form);
    let typed = CommitmentForm::from(&f);
    let q = id_of(&typed.quartier);
    match fu::add_commitment(&state.store, &ctx.subject, d.id, key, &typed.draft(), q).await {
        Ok(id) => Ok(back(&slug, &format!("k-{id}"))),
        Err(ReportError::Invalid(fe)) => {
            let failed = Failed {
                form: format!("new-{key}"),
                errs: Some(fe),
                commitment: Some(typed),
                ..Failed::default()
            };
            again(&state, &ctx, &slug, failed).await
        }
        Err(e) => Err(app_error(e)),
    }
}

async fn slug_of(state: &AppState, debate_id: i64) -> AppResult<String> {
    Ok(state
        .store
        .debate_by_id(debate_id)
        .await?
        .ok_or(AppError::NotFound)?
        .slug)
}

pub async fn update_commitment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let f = FormMap(form);
    let typed = CommitmentForm::from(&f);
    let q = id_of(&typed.quartier);
    match fu::update_commitment(&state.store, &ctx.subject, id, &typed.draft(), q).await {
        Ok(k) => Ok(back(
            &slug_of(&state, k.debate_id).await?,
            &format!("k-{id}"),
        )),
        Err(ReportError::Invalid(fe)) => {
            let k = state
                .store
                .commitment(id)
                .await?
                .ok_or(AppError::NotFound)?;
            let slug = slug_of(&state, k.debate_id).await?;
            let failed = Failed {
                form: format!("edit-{id}"),
                errs: Some(fe),
                commitment: Some(typed),
                ..Failed::default()
            };
            again(&state, &ctx, &slug, failed).await
        }
        Err(e) => Err(app_error(e)),
    }
}

pub async fn add_milestone(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let f = FormMap(form);
    let (on, title, evidence) = (
        f.get("milestone_on"),
        f.get("milestone_title"),
        f.get("milestone_evidence"),
    );
    match fu::add_milestone(&state.store, &ctx.subject, id, on, title, evidence).await {
        Ok(k) => Ok(back(
            &slug_of(&state, k.debate_id).await?,
            &format!("k-{id}"),
        )),
        Err(ReportError::Invalid(fe)) => {
            let k = state
                .store
                .commitment(id)
                .await?
                .ok_or(AppError::NotFound)?;
            let slug = slug_of(&state, k.debate_id).await?;
            let values = [
                ("milestone_on", on),
                ("milestone_title", title),
                ("milestone_evidence", evidence),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
            let failed = Failed {
                form: format!("milestone-{id}"),
                errs: Some(fe),
                values,
                commitment: None,
            };
            again(&state, &ctx, &slug, failed).await
        }
        Err(e) => Err(app_error(e)),
    }
}

#[derive(serde::Deserialize, Default)]
pub struct PublicQuery {
    #[serde(default)]
    pub quartier: String,
}

#[derive(Template)]
#[template(path = "followup.html")]
pub struct PublicView {
    pub l: Layout,
    pub slug: String,
    pub debate_title: String,
    pub recs: Vec<RecView>,
    pub quartiers: Vec<Choice>,
    pub quartier: String,
    /// Every milestone of the debate's commitments, in date order: (date, iso, commitment, title).
    pub timeline: Vec<(String, String, i64, String, String)>,
}

/// "Ce qu'est devenu ce que vous avez dit": public, per debate and per quartier.
pub async fn public(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PublicQuery>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let d = debate(&state, &slug).await?;
    if !ctx
        .subject
        .may_on(On::Read, app::report::resource(&d, false, true))
        || state.store.latest_published(d.id).await?.is_none()
    {
        return Err(AppError::NotFound);
    }
    let quartier = id_of(&q.quartier);
    let mut recs = recommendations(&state, &ctx, d.id, quartier, &Failed::default()).await?;
    if let Some(uid) = ctx.user_id() {
        let subs = state.store.subscriptions(d.id, uid).await?;
        for r in &mut recs {
            r.following = subs.contains(&r.key);
            r.can_follow = r.following || state.store.concerned_by(d.id, r.key, uid).await?;
        }
    }
    let mut timeline: Vec<(i64, String, String, i64, String, String)> = Vec::new();
    for r in &recs {
        for k in &r.commitments {
            for m in &k.milestones {
                timeline.push((
                    0,
                    m.date.clone(),
                    m.date_iso.clone(),
                    k.id,
                    k.title.clone(),
                    m.title.clone(),
                ));
            }
        }
    }
    timeline.sort_by(|a, b| a.2.cmp(&b.2));
    let tr = &ctx.tr;
    Ok(render(&PublicView {
        l: ctx.layout(&state, tr.t1("followup-title", "title", &d.title)),
        quartiers: state
            .store
            .quartiers()
            .await?
            .into_iter()
            .map(|x| Choice::new(x.id, x.name, &q.quartier))
            .collect(),
        quartier: q.quartier.clone(),
        timeline: timeline
            .into_iter()
            .map(|(_, d, iso, id, k, m)| (d, iso, id, format!("{k} — {m}"), String::new()))
            .collect(),
        recs,
        slug: d.slug,
        debate_title: d.title,
    }))
}

#[derive(Template)]
#[template(path = "commitment.html")]
pub struct CommitmentPage {
    pub l: Layout,
    pub slug: String,
    pub c: CommitmentView,
    pub recommendation: Option<(i64, String)>,
    pub findings: Vec<(i64, String, Vec<app::report_followup::ContributionLink>)>,
}

/// A commitment and where it comes from: its recommendation, findings and contributions.
pub async fn commitment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let k = state
        .store
        .commitment(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let d = state
        .store
        .debate_by_id(k.debate_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !ctx
        .subject
        .may_on(On::Read, app::report::resource(&d, false, true))
    {
        return Err(AppError::NotFound);
    }
    let recs = recommendations(&state, &ctx, d.id, None, &Failed::default()).await?;
    let c = recs
        .into_iter()
        .flat_map(|r| r.commitments)
        .find(|c| c.id == id)
        .ok_or(AppError::NotFound)?;
    let origin = fu::origin_of_commitment(&state.store, &k)
        .await
        .map_err(app_error)?;
    Ok(render(&CommitmentPage {
        l: ctx.layout(&state, c.title.clone()),
        slug: d.slug,
        c,
        recommendation: origin.recommendation,
        findings: origin.findings,
    }))
}

/// Which findings a recommendation of the draft rests on (checkboxes of the section's page).
pub async fn links(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let f = FormMap(form);
    let keys: Vec<i64> = f.all("finding").iter().filter_map(|s| id_of(s)).collect();
    let debate_id = fu::set_links(&state.store, &ctx.subject, id, &keys)
        .await
        .map_err(|e| match e {
            ReportError::Invalid(_) => AppError::BadRequest("error-malformed-form"),
            e => app_error(e),
        })?;
    let slug = slug_of(&state, debate_id).await?;
    Ok(Redirect::to(&format!("/admin/rapports/{slug}?ok=saved#s-{id}")).into_response())
}

/// Follow a recommendation's follow-up, or stop (a plain form on the public page).
pub async fn follow(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, key)): Path<(String, i64)>,
    Form(form): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let d = debate(&state, &slug).await?;
    let on = FormMap(form).get("on") == "1";
    fu::subscribe(&state.store, &ctx.subject, d.id, key, on)
        .await
        .map_err(app_error)?;
    Ok(Redirect::to(&format!("/debats/{slug}/suites?ok=saved#r-{key}")).into_response())
}
