//! Public pages: home, a debate with its timeline and documents, files, and the legal pages.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::debate::{current_phase, participation_target};
use domain::{Action, DebateStatus, PhaseState};
use webkit::access::{human_size, visible_debate};
use webkit::ctx::Ctx;
use webkit::error::{AppError, AppResult};
use webkit::markdown;
use webkit::state::AppState;
use webkit::view::{Layout, render};

pub struct DebateCard {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub image_url: Option<String>,
    pub image_alt: String,
    pub phase_label: Option<String>,
    pub open: bool,
    pub draft: bool,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomeView {
    pub l: Layout,
    pub debates: Vec<DebateCard>,
}

pub async fn home(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let now = storage::now();
    let with_drafts = ctx.subject.may(Action::ViewDraftDebates);
    let mut debates = Vec::new();
    for d in state.store.debates(with_drafts).await? {
        let phases = state.store.phases(d.id).await?;
        let current = current_phase(&phases, now);
        debates.push(DebateCard {
            image_url: d.image_file_id.map(|id| format!("/fichiers/{id}")),
            image_alt: d.image_alt,
            phase_label: current.map(|p| {
                format!(
                    "{} — {}",
                    p.title,
                    ctx.tr
                        .t1("phase-until", "date", ctx.tr.date(p.ends_at - 1, &state.tz))
                )
            }),
            open: current.is_some(),
            draft: d.status == DebateStatus::Draft,
            slug: d.slug,
            title: d.title,
            summary: d.summary,
        });
    }
    // The debate open today comes first; the order is otherwise newest first.
    debates.sort_by_key(|d| !d.open);
    Ok(render(&HomeView {
        l: ctx.layout(&state, ctx.tr.t("home-title")),
        debates,
    }))
}

pub struct PhaseRow {
    pub id: i64,
    pub title: String,
    pub kind_label: String,
    pub description_html: String,
    pub dates: String,
    pub state: &'static str,
    pub state_label: String,
}

pub struct DocRow {
    pub url: String,
    pub title: String,
    pub meta: String,
}

#[derive(Template)]
#[template(path = "debate.html")]
pub struct DebateView {
    pub l: Layout,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body_html: String,
    pub draft: bool,
    pub image_url: Option<String>,
    pub image_alt: String,
    /// Each question with its help text (an imported Decidim debate's description), maybe empty.
    pub questions: Vec<(String, String)>,
    pub phases: Vec<PhaseRow>,
    pub current: Option<String>,
    pub cta: Option<(String, String)>,
    pub contributions_link: Option<(String, String)>,
    pub categories: Vec<String>,
    pub quartiers: Vec<String>,
    pub documents: Vec<DocRow>,
    pub can_edit: Option<i64>,
    pub can_enter_offline: bool,
    /// "4 ateliers et rencontres à venir · 8 personnes venues à 1 événement".
    pub events_line: String,
}

pub async fn debate(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let d = visible_debate(&state, &ctx, &slug).await?;
    let now = storage::now();
    let phases = state.store.phases(d.id).await?;
    let tr = ctx.tr;
    let questions = state
        .store
        .questions(d.id)
        .await?
        .into_iter()
        .map(|q| (q.text, q.help))
        .collect();
    let (categories, quartiers) = state.store.debate_lists(d.id).await?;
    let categories = categories
        .into_iter()
        .map(|c| match tr.lang {
            domain::Lang::En if !c.name_en.is_empty() => c.name_en,
            _ => c.name,
        })
        .collect();
    let quartiers = quartiers.into_iter().map(|q| q.name).collect();
    let documents = state
        .store
        .debate_files(d.id, "document")
        .await?
        .into_iter()
        .map(|f| DocRow {
            url: format!("/fichiers/{}/{}", f.id, f.filename),
            meta: format!(
                "{}, {}",
                f.filename
                    .rsplit_once('.')
                    .map(|(_, e)| e.to_uppercase())
                    .unwrap_or_default(),
                human_size(&tr, f.size)
            ),
            title: if f.title.is_empty() {
                f.filename
            } else {
                f.title
            },
        })
        .collect();
    let current = current_phase(&phases, now).map(|p| p.title.clone());
    let contributions_open = matches!(
        domain::contribution::window(&phases, now),
        domain::contribution::Window::Open { .. }
    );
    let cta = if contributions_open {
        Some((
            format!("/debats/{}/contribuer", d.slug),
            tr.t("debate-participate"),
        ))
    } else {
        participation_target(&phases, now).map(|p| {
            let label = if p.state_at(now) == PhaseState::Current {
                tr.t("debate-participate")
            } else {
                tr.t("debate-see-next-phase")
            };
            (format!("#phase-{}", p.id), label)
        })
    };
    let filter = storage::ContributionFilter {
        debate_id: d.id,
        ..Default::default()
    };
    let contributions = state.store.count_contributions(&filter).await?;
    let contributions_link = (contributions > 0 || contributions_open).then(|| {
        (
            format!("/debats/{}/contributions", d.slug),
            tr.count("contrib-read-count", contributions),
        )
    });
    let phases = phases
        .iter()
        .map(|p| {
            let state_ = p.state_at(now);
            PhaseRow {
                id: p.id,
                title: p.title.clone(),
                kind_label: tr.t(&format!("phase-kind-{}", p.kind.as_str())),
                description_html: markdown::render(&p.description),
                dates: format!(
                    "{} – {}",
                    tr.date(p.starts_at, &state.tz),
                    tr.date(p.ends_at - 1, &state.tz)
                ),
                state: state_.as_str(),
                state_label: tr.t(&format!("phase-state-{}", state_.as_str())),
            }
        })
        .collect();
    let (upcoming, ended, people) = state.store.debate_event_figures(d.id, now).await?;
    let mut events_line = vec![tr.count("debate-events-upcoming", upcoming)];
    if ended > 0 {
        events_line.push(tr.tn(
            "debate-events-attended",
            &[("people", people.into()), ("events", ended.into())],
        ));
    }
    let view = DebateView {
        l: ctx.layout(&state, d.title.clone()),
        slug: d.slug,
        title: d.title,
        summary: d.summary,
        body_html: markdown::render(&d.body_md),
        draft: d.status == DebateStatus::Draft,
        image_url: d.image_file_id.map(|id| format!("/fichiers/{id}")),
        image_alt: d.image_alt,
        questions,
        phases,
        current,
        cta,
        contributions_link,
        categories,
        quartiers,
        documents,
        can_edit: ctx.subject.may(Action::ManageDebates).then_some(d.id),
        can_enter_offline: ctx.subject.may(Action::EnterOfflineContributions)
            && d.status == DebateStatus::Published,
        events_line: events_line.join(" · "),
    };
    Ok(render(&view))
}

/// Downloads a debate's image or document. Files of draft debates are for staff only.
pub async fn file(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    serve_file(&state, &ctx, &id).await
}

/// The same, with the file name in the URL so that downloads get a readable name.
pub async fn file_named(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, _name)): Path<(String, String)>,
) -> AppResult<Response> {
    serve_file(&state, &ctx, &id).await
}

async fn serve_file(state: &AppState, ctx: &Ctx, id: &str) -> AppResult<Response> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let f = state.store.file(id).await?.ok_or(AppError::NotFound)?;
    // Files of drafts are private; public ones may be cached briefly (deletions show soon).
    let mut cache = "public, max-age=300";
    if let Some(debate_id) = f.meta.debate_id {
        let d = state
            .store
            .debate_by_id(debate_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if d.status == DebateStatus::Draft {
            if !ctx.subject.may(Action::ViewDraftDebates) {
                return Err(AppError::NotFound);
            }
            cache = "private, no-store";
        }
    }
    // Attachments and scans follow their contribution: hidden or withdrawn, staff only.
    if matches!(
        f.meta.purpose.as_str(),
        "attachment" | "scan" | "scan-published"
    ) && let Some((_, status)) = state.store.file_contribution(f.meta.id).await?
        && status != "published"
    {
        if !ctx.subject.may(Action::ViewHidden) {
            return Err(AppError::NotFound);
        }
        cache = "private, no-store";
    }
    // A polling firm's file waiting for its import: survey staff only.
    if f.meta.purpose == "survey-panel" {
        if !ctx.subject.may(Action::ManageSurveys) {
            return Err(AppError::NotFound);
        }
        cache = "private, no-store";
    }
    // Scans of paper forms carry names and addresses: staff only until a facilitator publishes
    // them after checking (purpose "scan-published").
    if f.meta.purpose == "scan" {
        if !ctx.subject.may(Action::EnterOfflineContributions) {
            return Err(AppError::NotFound);
        }
        cache = "private, no-store";
    }
    let disposition = if f.meta.purpose != "image" {
        format!(
            "attachment; filename*=UTF-8''{}",
            percent_encode(&f.meta.filename)
        )
    } else {
        "inline".to_string()
    };
    Ok((
        [
            (header::CONTENT_TYPE, f.meta.content_type.clone()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, cache.to_string()),
            (header::ETAG, format!("\"{}\"", f.meta.sha256)),
        ],
        f.data,
    )
        .into_response())
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "legal.html")]
pub struct LegalView {
    pub l: Layout,
    pub page: &'static str,
    pub publisher: String,
    pub contact: String,
    /// How long what is kept, from the settings (the privacy page).
    pub keep: Vec<String>,
}

async fn legal_page(state: AppState, ctx: Ctx, page: &'static str) -> Response {
    let s = &state.settings;
    let keep = vec![
        ctx.tr.tn(
            "privacy-keep-accounts",
            &[
                ("days", s.inactive_account_days.into()),
                ("months", (s.inactive_account_days / 30).into()),
                ("warning", app::retention::WARNING_DAYS.into()),
            ],
        ),
        ctx.tr.t1(
            "privacy-keep-registrations",
            "days",
            s.registration_retention_days,
        ),
        ctx.tr.t1("privacy-keep-sessions", "days", s.session_days),
    ];
    render(&LegalView {
        l: ctx.layout(&state, ctx.tr.t(&format!("{page}-title"))),
        page,
        publisher: state.settings.publisher.clone(),
        contact: state.settings.contact_email.clone(),
        keep,
    })
}

pub async fn legal(State(state): State<AppState>, ctx: Ctx) -> Response {
    legal_page(state, ctx, "legal").await
}

pub async fn privacy(State(state): State<AppState>, ctx: Ctx) -> Response {
    legal_page(state, ctx, "privacy").await
}

pub async fn accessibility(State(state): State<AppState>, ctx: Ctx) -> Response {
    legal_page(state, ctx, "accessibility").await
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}
