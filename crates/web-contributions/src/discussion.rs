//! A contribution's page and what happens around it: threaded comments, following it, reporting
//! it or a comment, its author's edits (history kept) and withdrawal, and the moderators' hide and
//! restore buttons. Hidden and withdrawn items leave a placeholder in public and stay readable to
//! moderators and guarantors.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::Action;
use domain::contribution::{Window, window};
use domain::validate::{self, FieldErrors};
use serde::Deserialize;
use storage::{CommentRow, ContributionRow, MAX_COMMENT_DEPTH, Target};
use webkit::access::visible_debate_by_id;
use webkit::ctx::Ctx;
use webkit::error::{AppError, AppResult};
use webkit::i18n::Tr;
use webkit::state::AppState;
use webkit::view::{Errors, Layout, render, render_invalid};

/// Longest comment, in characters.
pub const MAX_COMMENT: usize = 2_000;
/// Longest free text of a report or a moderation reason.
/// At most this many comments per person in `FLOOD_WINDOW`, and reports per person per hour: a
/// person writes far fewer; a script or a flood is slowed down.
pub const MAX_COMMENTS_PER_WINDOW: i64 = 20;
pub const FLOOD_WINDOW: i64 = 10 * 60;
pub const MAX_REPORTS_PER_HOUR: i64 = 30;
/// Why someone reports: the choices of the report form.
pub const REPORT_REASONS: [&str; 5] = ["spam", "abuse", "personal-data", "off-topic", "other"];

/// What a form sent back with an error shows again.
#[derive(Default)]
pub struct Notice {
    /// Translation key of a confirmation (`?ok=` after a redirect).
    pub ok: String,
    pub support_error: String,
    /// The comment form that failed: its parent (0 = the contribution), text and error key.
    pub comment: Option<(i64, String, &'static str)>,
    /// The report form that failed: its target and error key.
    pub report: Option<(Target, &'static str)>,
    /// The moderation form that failed: its target and error key.
    pub moderation: Option<(Target, &'static str)>,
    /// The scan upload that failed: its error key.
    pub scan_error: String,
}

pub struct CommentView {
    pub id: i64,
    pub depth: i64,
    pub author: String,
    pub when: String,
    /// An imported comment's stance (for, against, neutral), translated; empty otherwise.
    pub alignment: String,
    /// The text, or empty when only a placeholder is shown.
    pub body: String,
    /// "Masqué par la modération : …" / "Retiré par son auteur", for everyone.
    pub placeholder: String,
    /// Staff see the text of hidden comments, marked so.
    pub hidden_badge: String,
    pub hidden: bool,
    pub can_reply: bool,
    pub reply_error: String,
    pub reply_draft: String,
    pub reply_open: bool,
    pub report_error: String,
    pub moderation_error: String,
    /// Nobody reports their own comment.
    pub can_report: bool,
}

/// (href, label).
pub type Link = (String, String);

#[derive(Template)]
#[template(path = "contribution.html")]
pub struct ShowView {
    pub l: Layout,
    pub slug: String,
    pub debate_title: String,
    pub id: i64,
    pub title: String,
    pub body: String,
    pub question: String,
    pub meta: String,
    pub collective: bool,
    pub provenance: Option<String>,
    /// Said at this event (its id and title): its minutes became this contribution.
    pub said_at: Option<(i64, String)>,
    pub ok: String,
    /// Shown instead of the text to the public when hidden or withdrawn.
    pub placeholder: String,
    /// Staff see the text anyway, under this badge.
    pub staff_badge: String,
    pub status: String,
    pub supports_label: String,
    pub supported: bool,
    pub can_support: bool,
    pub can_follow: bool,
    pub signed_in: bool,
    pub support_error: String,
    pub comments: Vec<CommentView>,
    pub comments_label: String,
    pub can_comment: bool,
    pub comment_error: String,
    pub comment_draft: String,
    pub max_comment: usize,
    pub following: bool,
    pub can_report: bool,
    pub can_report_contribution: bool,
    /// "Modifiée le 3 mars 2027", when its author edited it.
    pub edited: Option<String>,
    pub report_error: String,
    pub reasons: Vec<(String, String)>,
    pub is_author: bool,
    pub can_edit: bool,
    pub can_moderate: bool,
    pub moderation_error: String,
    pub can_see_history: bool,
    pub versions: usize,
    pub organisation: Option<(i64, String)>,
    pub summary: String,
    /// (href, label) of attachments and scans.
    pub files: Vec<(String, String)>,
    pub can_add_scan: bool,
    /// Scans not yet published (staff only): (file id, name).
    pub private_scans: Vec<(i64, String)>,
    pub scan_error: String,
    /// An analyst assigned to this debate's report may cite it ("cite in the report").
    pub can_cite: bool,
    /// Where the published report uses it: (link, "cited in finding …", and what follows from
    /// it: the recommendations and commitments, as links).
    pub cited_in: Vec<(String, String, Vec<Link>)>,
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    #[serde(default)]
    pub ok: String,
}

/// Confirmations a redirect may ask the page to show.
const OK_KEYS: [&str; 9] = [
    "published",
    "edited",
    "withdrawn",
    "commented",
    "reported",
    "followed",
    "unfollowed",
    "hidden",
    "restored",
];

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<ShowQuery>,
) -> AppResult<Response> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let ok = if OK_KEYS.contains(&q.ok.as_str()) {
        format!("notice-{}", q.ok)
    } else {
        String::new()
    };
    show_page(
        &state,
        &ctx,
        id,
        Notice {
            ok,
            ..Notice::default()
        },
    )
    .await
}

fn placeholder(tr: &Tr, status: &str, reason: &str) -> String {
    match status {
        "hidden" if reason.is_empty() => tr.t("placeholder-hidden"),
        "hidden" => tr.t1("placeholder-hidden-reason", "reason", reason),
        "withdrawn" => tr.t("placeholder-withdrawn"),
        _ => String::new(),
    }
}

/// Comments in reading order: each followed by its replies, oldest first at every level.
fn threads(comments: Vec<CommentRow>) -> Vec<CommentRow> {
    use std::collections::HashMap;
    let mut children: HashMap<Option<i64>, Vec<CommentRow>> = HashMap::new();
    for c in comments {
        children.entry(c.parent_id).or_default().push(c);
    }
    let mut out = Vec::new();
    let mut stack: Vec<CommentRow> = children.remove(&None).unwrap_or_default();
    stack.reverse();
    while let Some(c) = stack.pop() {
        if let Some(mut replies) = children.remove(&Some(c.id)) {
            replies.reverse();
            stack.extend(replies);
        }
        out.push(c);
    }
    out
}

/// The contribution's page, showing again a form that failed when there is one.
pub async fn show_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    notice: Notice,
) -> AppResult<Response> {
    let (c, d) = visible_contribution(state, ctx, id).await?;
    let tr = &ctx.tr;
    let staff = ctx.subject.may(Action::ViewHidden);
    let published = c.status == "published";
    let is_author = c.author_id.is_some() && c.author_id == ctx.user_id();
    let may_contribute = ctx.subject.may(Action::Contribute);
    let (supports, supported) = state.store.supports(c.id, ctx.user_id()).await?;
    let following = match ctx.user_id() {
        Some(u) => state.store.follows(c.id, u).await?,
        None => false,
    };
    let open = matches!(
        window(&state.store.phases(d.id).await?, storage::now()),
        Window::Open { .. }
    );
    let error_for = |slot: &Option<(Target, &'static str)>, t: Target| -> String {
        match slot {
            Some((target, key)) if *target == t => tr.t(key),
            _ => String::new(),
        }
    };
    let comment_rows = if published || staff {
        threads(state.store.comments(c.id).await?)
    } else {
        Vec::new()
    };
    let visible_comments = comment_rows
        .iter()
        .filter(|m| m.status == "published")
        .count() as i64;
    let comments = comment_rows
        .into_iter()
        .map(|m| {
            let shown = m.status == "published" || staff;
            let (reply_error, reply_draft, reply_open) = match &notice.comment {
                Some((parent, draft, key)) if *parent == m.id => (tr.t(key), draft.clone(), true),
                _ => (String::new(), String::new(), false),
            };
            CommentView {
                id: m.id,
                depth: m.depth.clamp(0, MAX_COMMENT_DEPTH),
                author: m.author_name.clone().unwrap_or_else(|| {
                    if !m.group_name.is_empty() {
                        m.group_name.clone()
                    } else if !m.alignment.is_empty() {
                        tr.t("author-imported")
                    } else {
                        tr.t("author-deleted")
                    }
                }),
                alignment: match m.alignment.as_str() {
                    "for" | "against" | "neutral" => tr.t(&format!("alignment-{}", m.alignment)),
                    _ => String::new(),
                },
                when: tr.datetime(m.created_at, &state.tz),
                body: if shown { m.body.clone() } else { String::new() },
                placeholder: placeholder(tr, &m.status, &m.moderation_reason),
                hidden_badge: if staff && m.status != "published" {
                    tr.t(&format!("status-{}", m.status))
                } else {
                    String::new()
                },
                hidden: m.status == "hidden",
                can_reply: published
                    && may_contribute
                    && m.status == "published"
                    && m.depth < MAX_COMMENT_DEPTH,
                reply_error,
                reply_draft,
                reply_open,
                report_error: error_for(&notice.report, Target::Comment(m.id)),
                moderation_error: error_for(&notice.moderation, Target::Comment(m.id)),
                can_report: m.author_id.is_none() || m.author_id != ctx.user_id(),
            }
        })
        .collect();
    let (comment_error, comment_draft) = match &notice.comment {
        Some((0, draft, key)) => (tr.t(key), draft.clone()),
        _ => (String::new(), String::new()),
    };
    let versions = if staff {
        state.store.versions(c.id).await?.len()
    } else {
        0
    };
    let shown = published || staff;
    let files = if shown {
        state
            .store
            .contribution_files(c.id)
            .await?
            .into_iter()
            .filter(|f| f.purpose != "scan" || ctx.subject.may(Action::EnterOfflineContributions))
            .map(|f| {
                let label = format!(
                    "{} ({}, {})",
                    f.filename,
                    tr.t(&format!("file-purpose-{}", f.purpose)),
                    webkit::access::human_size(tr, f.size)
                );
                (format!("/fichiers/{}/{}", f.id, f.filename), label)
            })
            .collect()
    } else {
        Vec::new()
    };
    let resource = webkit::access::item_resource(&c.status, c.author_id, &d);
    let assigned = app::report::assigned(&state.store, &ctx.subject, d.id).await?;
    let can_cite = published
        && ctx.subject.may_on(
            domain::On::WriteReport,
            app::report::resource(&d, assigned, false),
        );
    // The chain: cited in a finding → the recommendations resting on it → their commitments.
    let cited_in = app::report_followup::chain_of_contribution(&state.store, d.id, c.id)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|link| {
            let (key, kind, title) = link.section;
            let mut next = Vec::new();
            for (rkey, rtitle, commitments) in link.recommendations {
                next.push((
                    format!("/debats/{}/rapport#k-{rkey}", d.slug),
                    tr.t1("contribution-chain-recommendation", "title", rtitle),
                ));
                for (id, ktitle, status) in commitments {
                    next.push((
                        format!("/engagements/{id}"),
                        tr.t2(
                            "contribution-chain-commitment",
                            ("title", ktitle),
                            ("status", tr.t(&format!("commitment-status-{status}"))),
                        ),
                    ));
                }
            }
            (
                format!("/debats/{}/rapport#k-{key}", d.slug),
                tr.t1(&format!("contribution-cited-in-{kind}"), "title", title),
                next,
            )
        })
        .collect();
    let title = if shown {
        c.title.clone()
    } else {
        tr.t(&format!("placeholder-title-{}", c.status))
    };
    Ok(render(&ShowView {
        l: ctx.layout(state, title.clone()),
        slug: d.slug,
        debate_title: d.title,
        id: c.id,
        title,
        body: if shown { c.body.clone() } else { String::new() },
        question: c.question.clone(),
        meta: super::contributions::meta_line(ctx, state, &c),
        collective: c.kind == "collective",
        provenance: super::contributions::provenance(ctx, state, &c),
        said_at: c.event_id.zip(c.event_title.clone()),
        ok: if notice.ok.is_empty() {
            String::new()
        } else {
            tr.t(&notice.ok)
        },
        placeholder: placeholder(tr, &c.status, &c.moderation_reason),
        staff_badge: if staff && !published {
            tr.t(&format!("status-{}", c.status))
        } else {
            String::new()
        },
        status: c.status.clone(),
        supports_label: match c.imported_supports {
            Some(n) => format!(
                "{} {}",
                tr.count("support-count", supports),
                tr.count("support-imported", n)
            ),
            None => tr.count("support-count", supports),
        },
        supported,
        // The policy says who may support: nobody their own contribution.
        can_support: ctx.subject.may_on(domain::On::Support, resource),
        can_follow: may_contribute && published,
        signed_in: ctx.user.is_some(),
        support_error: if notice.support_error.is_empty() {
            String::new()
        } else {
            tr.t(&notice.support_error)
        },
        comments,
        comments_label: tr.count("comment-count", visible_comments),
        can_comment: may_contribute && published,
        comment_error,
        comment_draft,
        max_comment: MAX_COMMENT,
        following,
        can_report: ctx.user.is_some() && !ctx.subject.may(Action::Moderate),
        can_report_contribution: !ctx.subject.may(Action::Moderate)
            && ctx.subject.may_on(domain::On::Report, resource),
        edited: c
            .edited_at
            .map(|t| tr.t1("contrib-edited-on", "date", tr.date(t, &state.tz))),
        report_error: error_for(&notice.report, Target::Contribution(c.id)),
        reasons: REPORT_REASONS
            .iter()
            .map(|r| (r.to_string(), tr.t(&format!("report-reason-{r}"))))
            .collect(),
        can_edit: is_author && published && open && may_contribute,
        is_author: is_author && published,
        can_moderate: ctx.subject.may(Action::Moderate),
        moderation_error: error_for(&notice.moderation, Target::Contribution(c.id)),
        can_see_history: staff,
        versions,
        organisation: c.organisation_id.zip(c.organisation_name.clone()),
        summary: if shown {
            c.summary.clone()
        } else {
            String::new()
        },
        files,
        private_scans: if ctx.subject.may(Action::EnterOfflineContributions) {
            state
                .store
                .contribution_files(c.id)
                .await?
                .into_iter()
                .filter(|f| f.purpose == "scan")
                .map(|f| (f.id, f.filename))
                .collect()
        } else {
            Vec::new()
        },
        can_add_scan: ctx.subject.may(Action::EnterOfflineContributions)
            && c.channel != domain::Channel::Online.as_str(),
        scan_error: if notice.scan_error.is_empty() {
            String::new()
        } else {
            tr.t(&notice.scan_error)
        },
        can_cite,
        cited_in,
    }))
}

/// A contribution (in any status) of a debate this visitor may see, with its debate.
async fn visible_contribution(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
) -> AppResult<(ContributionRow, domain::Debate)> {
    let c = state
        .store
        .contribution(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let d = visible_debate_by_id(state, ctx, c.debate_id).await?;
    Ok((c, d))
}

/// A published contribution of a visible debate, for the forms below.
async fn published(state: &AppState, ctx: &Ctx, id: i64) -> AppResult<ContributionRow> {
    let (c, _) = visible_contribution(state, ctx, id).await?;
    if c.status != "published" {
        return Err(AppError::Conflict("error-not-published"));
    }
    Ok(c)
}

fn with_status(mut res: Response, status: StatusCode) -> Response {
    *res.status_mut() = status;
    res
}

// ---- comments ----

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CommentForm {
    pub parent_id: String,
    pub body: String,
}

pub async fn comment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<CommentForm>,
) -> AppResult<Response> {
    ctx.require(Action::Contribute)?;
    let parent = match form.parent_id.trim() {
        "" | "0" => None,
        p => Some(
            p.parse::<i64>()
                .map_err(|_| AppError::BadRequest("error-malformed-form"))?,
        ),
    };
    let failed = |at: i64, key: &'static str| Notice {
        comment: Some((at, form.body.clone(), key)),
        ..Notice::default()
    };
    use app::CommentError as E;
    let comment_id =
        match app::discussion::comment(&state.store, &ctx.subject, id, parent, &form.body).await {
            Ok(cid) => cid,
            Err(E::LoginRequired) => return Err(AppError::LoginRequired),
            Err(E::NotFound) | Err(E::UnknownParent) => return Err(AppError::NotFound),
            Err(E::Forbidden) => return Err(AppError::Forbidden),
            Err(E::NotPublished) => return Err(AppError::Conflict("error-not-published")),
            Err(E::Empty) => {
                return render_invalid_page(
                    &state,
                    &ctx,
                    id,
                    failed(parent.unwrap_or(0), "error-required"),
                )
                .await;
            }
            Err(E::TooLong) => {
                return render_invalid_page(
                    &state,
                    &ctx,
                    id,
                    failed(parent.unwrap_or(0), "error-comment-too-long"),
                )
                .await;
            }
            // The deepest comments have no reply form: the main one shows the message and text.
            Err(E::TooDeep) => {
                return render_invalid_page(&state, &ctx, id, failed(0, "error-comment-depth"))
                    .await;
            }
            Err(E::Flood) => {
                return Ok(with_status(
                    show_page(
                        &state,
                        &ctx,
                        id,
                        failed(parent.unwrap_or(0), "error-comment-flood"),
                    )
                    .await?,
                    StatusCode::TOO_MANY_REQUESTS,
                ));
            }
            Err(E::Store(e)) => return Err(e.into()),
        };
    Ok(Redirect::to(&format!(
        "/contributions/{id}?ok=commented#commentaire-{comment_id}"
    ))
    .into_response())
}

async fn render_invalid_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    notice: Notice,
) -> AppResult<Response> {
    Ok(with_status(
        show_page(state, ctx, id, notice).await?,
        StatusCode::BAD_REQUEST,
    ))
}

// ---- following ----

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FollowForm {
    pub action: String,
}

pub async fn follow(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<FollowForm>,
) -> AppResult<Response> {
    let user_id = ctx.user_id().ok_or(AppError::LoginRequired)?;
    ctx.require(Action::Contribute)?;
    let c = published(&state, &ctx, id).await?;
    let ok = match form.action.as_str() {
        "follow" => {
            state.store.follow(c.id, user_id).await?;
            "followed"
        }
        "unfollow" => {
            state.store.unfollow(c.id, user_id).await?;
            "unfollowed"
        }
        _ => return Err(AppError::BadRequest("error-malformed-form")),
    };
    Ok(Redirect::to(&format!("/contributions/{id}?ok={ok}")).into_response())
}

// ---- reports ----

/// The contribution or comment a form names: 400 for nonsense, 404 if it does not exist.
async fn target_item(state: &AppState, kind: &str, id: &str) -> AppResult<(Target, storage::Item)> {
    let target = id
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|id| Target::parse(kind, id))
        .ok_or(AppError::BadRequest("error-malformed-form"))?;
    let item = state
        .store
        .moderation_item(target)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((target, item))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReportForm {
    pub kind: String,
    pub id: String,
    pub reason: String,
    pub details: String,
}

pub async fn report(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<ReportForm>,
) -> AppResult<Response> {
    ctx.user_id().ok_or(AppError::LoginRequired)?;
    let target = form
        .id
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|id| Target::parse(&form.kind, id))
        .ok_or(AppError::BadRequest("error-malformed-form"))?;
    use app::ReportError as E;
    let result = app::discussion::report(
        &state.store,
        &ctx.subject,
        target,
        &form.reason,
        &form.details,
    )
    .await;
    let (key, status) = match result {
        Ok(contribution_id) => {
            return Ok(
                Redirect::to(&format!("/contributions/{contribution_id}?ok=reported"))
                    .into_response(),
            );
        }
        Err(E::LoginRequired) => return Err(AppError::LoginRequired),
        // Something that does not exist (any more), or not for this person: a clear 404.
        Err(E::NotFound) => return Err(AppError::NotFound),
        Err(E::Forbidden) => return Err(AppError::Forbidden),
        Err(E::Own) => return Err(AppError::Conflict("error-report-own")),
        Err(E::Store(e)) => return Err(e.into()),
        Err(E::Reason) => ("error-report-reason", StatusCode::BAD_REQUEST),
        Err(E::TooLong) => ("error-too-long", StatusCode::BAD_REQUEST),
        Err(E::Flood) => ("error-report-flood", StatusCode::TOO_MANY_REQUESTS),
        Err(E::Twice) => ("error-report-twice", StatusCode::CONFLICT),
    };
    let item = state
        .store
        .moderation_item(target)
        .await?
        .ok_or(AppError::NotFound)?;
    let notice = Notice {
        report: Some((target, key)),
        ..Notice::default()
    };
    Ok(with_status(
        show_page(&state, &ctx, item.contribution_id, notice).await?,
        status,
    ))
}

// ---- the author's edits and withdrawal ----

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EditForm {
    pub title: String,
    pub body: String,
}

#[derive(Template)]
#[template(path = "contribution_edit.html")]
pub struct EditView {
    pub l: Layout,
    pub id: i64,
    pub form: EditForm,
    pub errs: Errors,
    pub max_body: usize,
}

/// The contribution if the signed-in person wrote it; edits also need the phase open.
async fn own(state: &AppState, ctx: &Ctx, id: i64, for_edit: bool) -> AppResult<ContributionRow> {
    ctx.require(Action::Contribute)?;
    let user_id = ctx.user_id().ok_or(AppError::LoginRequired)?;
    let c = published(state, ctx, id).await?;
    if c.author_id != Some(user_id) {
        return Err(AppError::Forbidden);
    }
    if for_edit
        && !matches!(
            window(&state.store.phases(c.debate_id).await?, storage::now()),
            Window::Open { .. }
        )
    {
        return Err(AppError::Conflict("error-edit-closed"));
    }
    Ok(c)
}

fn max_body(state: &AppState, c: &ContributionRow) -> usize {
    if c.kind == "collective" {
        state.settings.contribution_max_chars.max(10_000)
    } else {
        state.settings.contribution_max_chars
    }
}

pub async fn edit_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let c = own(&state, &ctx, id, true).await?;
    Ok(render(&EditView {
        l: ctx.layout(&state, ctx.tr.t("contrib-edit-title")),
        id,
        max_body: max_body(&state, &c),
        form: EditForm {
            title: c.title,
            body: c.body,
        },
        errs: Errors::none(),
    }))
}

pub async fn edit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<EditForm>,
) -> AppResult<Response> {
    let c = own(&state, &ctx, id, true).await?;
    let mut fe = FieldErrors::default();
    let title = fe.check("title", validate::title(&form.title));
    let max = max_body(&state, &c);
    let body = fe.check(
        "body",
        super::contributions::contribution_text(&form.body, max),
    );
    let (Some(title), Some(body)) = (title, body) else {
        let mut l = ctx.layout(&state, ctx.tr.t("contrib-edit-title"));
        l.has_errors = true;
        return Ok(render_invalid(&EditView {
            l,
            id,
            max_body: max,
            errs: Errors::from(&ctx.tr, &fe),
            form,
        }));
    };
    if title == c.title && body == c.body {
        return Ok(Redirect::to(&format!("/contributions/{id}")).into_response());
    }
    state.store.edit_contribution(id, &title, &body).await?;
    state
        .store
        .audit(
            ctx.user_id(),
            "contribution.edit",
            &format!("contribution:{id}"),
            "",
        )
        .await?;
    Ok(Redirect::to(&format!("/contributions/{id}?ok=edited")).into_response())
}

pub async fn withdraw(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    own(&state, &ctx, id, false).await?;
    state.store.withdraw_contribution(id).await?;
    state
        .store
        .audit(
            ctx.user_id(),
            "contribution.withdraw",
            &format!("contribution:{id}"),
            "",
        )
        .await?;
    Ok(Redirect::to(&format!("/contributions/{id}?ok=withdrawn")).into_response())
}

// ---- history, for moderators and guarantors ----

pub struct VersionView {
    pub label: String,
    pub title: String,
    pub body: String,
}

#[derive(Template)]
#[template(path = "contribution_history.html")]
pub struct HistoryView {
    pub l: Layout,
    pub id: i64,
    pub versions: Vec<VersionView>,
}

pub async fn history(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    ctx.require(Action::ViewHidden)?;
    let c = state
        .store
        .contribution(id)
        .await?
        .ok_or(AppError::NotFound)?;
    webkit::access::authorize_item_or_404(
        &state,
        &ctx,
        &c.status,
        c.author_id,
        c.debate_id,
        domain::On::ReadHidden,
    )
    .await?;
    let tr = &ctx.tr;
    let mut versions: Vec<VersionView> = state
        .store
        .versions(id)
        .await?
        .into_iter()
        .map(|v| VersionView {
            label: tr.t2(
                "history-version",
                ("from", tr.datetime(v.written_at, &state.tz)),
                ("to", tr.datetime(v.replaced_at, &state.tz)),
            ),
            title: v.title,
            body: v.body,
        })
        .collect();
    versions.push(VersionView {
        label: tr.t1(
            "history-current",
            "from",
            tr.datetime(c.updated_at, &state.tz),
        ),
        title: c.title.clone(),
        body: c.body.clone(),
    });
    versions.reverse();
    Ok(render(&HistoryView {
        l: ctx.layout(&state, tr.t1("history-title", "title", &c.title)),
        id,
        versions,
    }))
}

// ---- moderators' decisions on the page ----

pub use webkit::form::ModerationForm;

/// The message key and status of a refused moderation decision, for the field.
fn moderation_refusal(
    e: app::moderation::ModerationError,
) -> Result<(&'static str, StatusCode), AppError> {
    use app::moderation::ModerationError as E;
    if let Some((key, conflict)) = e.for_field() {
        let status = if conflict {
            StatusCode::CONFLICT
        } else {
            StatusCode::BAD_REQUEST
        };
        return Ok((key, status));
    }
    Err(match e {
        E::NotFound => AppError::NotFound,
        E::Forbidden => AppError::Forbidden,
        E::Store(e) => e.into(),
        _ => AppError::BadRequest("error-malformed-form"),
    })
}

/// Hides, restores or keeps (dismisses the reports of) a contribution or a comment, from its
/// page; the author and the reporters are told by mail. A refusal is said next to the field.
pub async fn moderate(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<ModerationForm>,
) -> AppResult<Response> {
    ctx.require(Action::Moderate)?;
    let (target, item) = target_item(&state, &form.kind, &form.id).await?;
    let reason = form.reason_text(&ctx.tr);
    match app::moderation::decide(&state.store, &ctx.subject, target, &form.decision, &reason).await
    {
        Ok(()) => {}
        Err(e) => {
            let (key, status) = moderation_refusal(e)?;
            if form.back == "queue" {
                return Err(AppError::BadRequest(key));
            }
            let page = show_page(
                &state,
                &ctx,
                item.contribution_id,
                Notice {
                    moderation: Some((target, key)),
                    ..Notice::default()
                },
            )
            .await?;
            return Ok(with_status(page, status));
        }
    }
    if form.back == "queue" {
        return Ok(Redirect::to("/admin/moderation?ok=1").into_response());
    }
    let ok = match form.decision.as_str() {
        "hide" => "hidden",
        "restore" => "restored",
        _ => "published",
    };
    Ok(Redirect::to(&format!("/contributions/{}?ok={ok}", item.contribution_id)).into_response())
}
