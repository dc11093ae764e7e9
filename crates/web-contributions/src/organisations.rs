//! Organisations and collective contributions ("cahiers d'acteur"): a participant creates an
//! organisation and invites members by e-mail; any member files a collective contribution on its
//! behalf — a longer text, a summary and attachments (PDF, images) checked by their content.

use super::contributions::{contribution_text, quartier_field, question_field, window_text};
use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::contribution::{Window, window};
use domain::limits::{Count, Rule};
use domain::validate::{self, FieldErrors};
use domain::{Action, Channel, Debate};
use serde::Deserialize;
use webkit::access::visible_debate;
use webkit::choices::{self, Choice};
use webkit::ctx::Ctx;
use webkit::error::{AppError, AppResult};
use webkit::state::AppState;
use webkit::upload::{self, FileKind};
use webkit::view::{Errors, Layout, render, render_invalid};

/// Kinds of organisation, as stored.
pub const KINDS: [&str; 6] = [
    "association",
    "collective",
    "company",
    "social-work",
    "institution",
    "research",
];
/// Longest collective contribution, in characters.
pub const MAX_COLLECTIVE_BODY: usize = 10_000;
const MAX_SUMMARY: usize = 600;
const MAX_DESCRIPTION: usize = 2_000;
/// Invitations an organisation may send in 24 hours.
pub const MAX_INVITATIONS_PER_DAY: i64 = 50;
/// Attachment fields of the collective form.
const ATTACHMENTS: [&str; 3] = ["attachment1", "attachment2", "attachment3"];

fn kind_choices(ctx: &Ctx, current: &str) -> Vec<Choice> {
    KINDS
        .iter()
        .map(|k| Choice::new(k, ctx.tr.t(&format!("org-kind-{k}")), current))
        .collect()
}

pub struct OrgLine {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub members: i64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OrgForm {
    pub name: String,
    pub kind: String,
    pub description: String,
}

#[derive(Template)]
#[template(path = "organisations.html")]
pub struct MineView {
    pub l: Layout,
    pub mine: Vec<OrgLine>,
    pub form: OrgForm,
    pub kinds: Vec<Choice>,
    pub errs: Errors,
}

async fn mine_view(
    state: &AppState,
    ctx: &Ctx,
    form: OrgForm,
    fe: &FieldErrors,
) -> AppResult<MineView> {
    let user = ctx.user_id().ok_or(AppError::LoginRequired)?;
    let mine = state
        .store
        .organisations_of(user)
        .await?
        .into_iter()
        .map(|o| OrgLine {
            kind: ctx.tr.t(&format!("org-kind-{}", o.kind)),
            id: o.id,
            name: o.name,
            members: o.members,
        })
        .collect();
    let mut l = ctx.layout(state, ctx.tr.t("org-mine-title"));
    l.has_errors = !fe.is_empty();
    Ok(MineView {
        l,
        mine,
        kinds: kind_choices(ctx, &form.kind),
        form,
        errs: Errors::from(&ctx.tr, fe),
    })
}

pub async fn mine(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    ctx.require(Action::Contribute)?;
    Ok(render(
        &mine_view(&state, &ctx, OrgForm::default(), &FieldErrors::default()).await?,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<OrgForm>,
) -> AppResult<Response> {
    ctx.require(Action::Contribute)?;
    let user = ctx.user_id().ok_or(AppError::LoginRequired)?;
    let mut fe = FieldErrors::default();
    let name = fe.check("name", validate::organisation_name(&form.name));
    let kind = fe.check(
        "kind",
        if KINDS.contains(&form.kind.as_str()) {
            Ok(form.kind.clone())
        } else if form.kind.is_empty() {
            Err("error-required")
        } else {
            Err("error-invalid")
        },
    );
    let description = fe.check(
        "description",
        validate::optional_text(&form.description, MAX_DESCRIPTION),
    );
    let counts = webkit::limits::mine(&ctx, Rule::OrganisationAccount, Rule::OrganisationIp);
    webkit::limits::form(&state, &ctx, &mut fe, "name", &counts).await?;
    let (Some(name), Some(kind), Some(description), true) =
        (name, kind, description, fe.is_empty())
    else {
        return Ok(render_invalid(&mine_view(&state, &ctx, form, &fe).await?));
    };
    let id = match state
        .store
        .create_organisation(&name, &kind, &description, user)
        .await
    {
        Ok(id) => id,
        Err(storage::StoreError::Conflict(_)) => {
            fe.add("name", "error-org-name-taken");
            return Ok(render_invalid(&mine_view(&state, &ctx, form, &fe).await?));
        }
        Err(e) => return Err(e.into()),
    };
    state
        .store
        .audit(
            Some(user),
            "organisation.create",
            &format!("organisation:{id}"),
            &name,
        )
        .await?;
    Ok(Redirect::to(&format!("/organisations/{id}")).into_response())
}

pub struct MemberLine {
    pub name: String,
    pub admin: bool,
}

pub struct CardLine {
    pub id: i64,
    pub title: String,
    pub summary: String,
}

#[derive(Template)]
#[template(path = "organisation.html")]
pub struct OrgView {
    pub l: Layout,
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub description: String,
    pub members_label: String,
    pub is_member: bool,
    pub is_admin: bool,
    pub members: Vec<MemberLine>,
    pub contributions: Vec<CardLine>,
    pub invite_email: String,
    pub errs: Errors,
    pub invited: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OrgQuery {
    pub ok: String,
}

async fn org_view(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    invite_email: String,
    fe: &FieldErrors,
    invited: bool,
) -> AppResult<OrgView> {
    let o = state
        .store
        .organisation(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let membership = match ctx.user_id() {
        Some(u) => state.store.membership(id, u).await?,
        None => None,
    };
    let members = if membership.is_some() {
        state
            .store
            .members(id)
            .await?
            .into_iter()
            .map(|m| MemberLine {
                name: m.display_name,
                admin: m.is_admin != 0,
            })
            .collect()
    } else {
        Vec::new()
    };
    let contributions = state
        .store
        .organisation_contributions(id, 100)
        .await?
        .into_iter()
        .map(|c| CardLine {
            id: c.id,
            summary: webkit::view::excerpt(
                if c.summary.is_empty() {
                    &c.body
                } else {
                    &c.summary
                },
                280,
            ),
            title: c.title,
        })
        .collect();
    let mut l = ctx.layout(state, o.name.clone());
    l.has_errors = !fe.is_empty();
    Ok(OrgView {
        l,
        id,
        kind: ctx.tr.t(&format!("org-kind-{}", o.kind)),
        description: o.description,
        members_label: ctx.tr.count("org-members", o.members),
        name: o.name,
        is_member: membership.is_some(),
        is_admin: membership == Some(true),
        members,
        contributions,
        invite_email,
        errs: Errors::from(&ctx.tr, fe),
        invited,
    })
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<OrgQuery>,
) -> AppResult<Response> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    Ok(render(
        &org_view(
            &state,
            &ctx,
            id,
            String::new(),
            &FieldErrors::default(),
            q.ok == "invited",
        )
        .await?,
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct InviteForm {
    pub email: String,
}

/// An organisation's admin invites someone by e-mail; the link makes whoever opens it, signed
/// in, a member.
pub async fn invite(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<InviteForm>,
) -> AppResult<Response> {
    ctx.require(Action::Contribute)?;
    let user = ctx.user_id().ok_or(AppError::LoginRequired)?;
    let o = state
        .store
        .organisation(id)
        .await?
        .ok_or(AppError::NotFound)?;
    if state.store.membership(id, user).await? != Some(true) {
        return Err(AppError::Forbidden);
    }
    let mut fe = FieldErrors::default();
    let Some(email) = fe.check("email", validate::email(&form.email)) else {
        return Ok(render_invalid(
            &org_view(&state, &ctx, id, form.email, &fe, false).await?,
        ));
    };
    // Each invitation is a mail sent in the platform's name: limited per organisation, per
    // account, per address of origin and per invited mailbox.
    if state
        .store
        .invitations_since(id, storage::now() - 24 * 3600)
        .await?
        >= MAX_INVITATIONS_PER_DAY
    {
        return Err(AppError::TooMany);
    }
    let counts = [
        Count::account(Rule::InvitationAccount, user),
        Count::target(Rule::InvitationTarget, &email),
    ];
    webkit::limits::form(&state, &ctx, &mut fe, "email", &counts).await?;
    if !fe.is_empty() {
        return Ok(render_invalid(
            &org_view(&state, &ctx, id, form.email, &fe, false).await?,
        ));
    }
    let token = state.store.invite(id, &email, user).await?;
    let link = format!(
        "{}/invitations/{token}",
        state.settings.public_url.trim_end_matches('/')
    );
    state
        .mail(
            &email,
            &ctx.tr.t1("mail-invite-subject", "name", &o.name),
            ctx.tr
                .t2("mail-invite-body", ("name", &o.name), ("link", &link)),
        )
        .await?;
    state
        .store
        .audit(
            Some(user),
            "organisation.invite",
            &format!("organisation:{id}"),
            "",
        )
        .await?;
    Ok(Redirect::to(&format!("/organisations/{id}?ok=invited")).into_response())
}

#[derive(Template)]
#[template(path = "invitation.html")]
pub struct InvitationView {
    pub l: Layout,
    pub token: String,
    pub name: String,
}

pub async fn invitation_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    ctx.require(Action::Contribute)?;
    let inv = state
        .store
        .invitation(&token)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(render(&InvitationView {
        l: ctx.layout(
            &state,
            ctx.tr
                .t1("org-invitation-title", "name", &inv.organisation_name),
        ),
        token,
        name: inv.organisation_name,
    }))
}

pub async fn accept(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    ctx.require(Action::Contribute)?;
    let user = ctx.user_id().ok_or(AppError::LoginRequired)?;
    let org = match state.store.accept_invitation(&token, user).await {
        Ok(org) => org,
        Err(storage::StoreError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    };
    state
        .store
        .audit(
            Some(user),
            "organisation.join",
            &format!("organisation:{org}"),
            "",
        )
        .await?;
    Ok(Redirect::to(&format!("/organisations/{org}")).into_response())
}

// ---- collective contributions ----

#[derive(Debug, Default)]
pub struct CollectiveForm {
    pub organisation_id: String,
    pub question_id: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub quartier_id: String,
}

#[derive(Template)]
#[template(path = "collective.html")]
pub struct CollectiveView {
    pub l: Layout,
    pub slug: String,
    pub debate_title: String,
    pub open: bool,
    pub window_text: String,
    pub organisations: Vec<Choice>,
    pub questions: Vec<Choice>,
    pub quartiers: Vec<Choice>,
    pub form: CollectiveForm,
    pub errs: Errors,
    pub max_body: usize,
    pub max_summary: usize,
    pub max_file_mb: usize,
    pub attachments: [&'static str; 3],
}

async fn collective_view(
    state: &AppState,
    ctx: &Ctx,
    d: &Debate,
    form: CollectiveForm,
    fe: &FieldErrors,
) -> AppResult<CollectiveView> {
    let user = ctx.user_id().ok_or(AppError::LoginRequired)?;
    let phases = state.store.phases(d.id).await?;
    let (open, window_text) = window_text(ctx, state, window(&phases, storage::now()));
    let organisations = state
        .store
        .organisations_of(user)
        .await?
        .into_iter()
        .map(|o| Choice::new(o.id, o.name, &form.organisation_id))
        .collect();
    let mut l = ctx.layout(state, ctx.tr.t1("collective-title", "title", &d.title));
    l.has_errors = !fe.is_empty();
    Ok(CollectiveView {
        l,
        slug: d.slug.clone(),
        debate_title: d.title.clone(),
        open,
        window_text,
        organisations,
        questions: choices::questions(state, d.id, &form.question_id).await?,
        quartiers: choices::quartiers(state, &form.quartier_id).await?,
        form,
        errs: Errors::from(&ctx.tr, fe),
        max_body: MAX_COLLECTIVE_BODY,
        max_summary: MAX_SUMMARY,
        max_file_mb: state.settings.max_document_mb,
        attachments: ATTACHMENTS,
    })
}

pub async fn collective_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let d = visible_debate(&state, &ctx, &slug).await?;
    ctx.require(Action::Contribute)?;
    Ok(render(
        &collective_view(
            &state,
            &ctx,
            &d,
            CollectiveForm::default(),
            &FieldErrors::default(),
        )
        .await?,
    ))
}

fn pdf_or_image(k: FileKind) -> bool {
    k == FileKind::Pdf || k.is_image()
}

/// Files a collective contribution. Not a member of the organisation: 403 with the message next
/// to the field; closed phase: 409 with the form explaining it; nothing stored either way.
pub async fn collective_create(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    mp: Multipart,
) -> AppResult<Response> {
    let d = visible_debate(&state, &ctx, &slug).await?;
    ctx.require(Action::Contribute)?;
    let user = ctx.user_id().ok_or(AppError::LoginRequired)?;
    let max_mb = state.settings.max_document_mb;
    let mp = upload::read(mp, max_mb * 1_000_000, &ctx.csrf).await?;
    let form = CollectiveForm {
        organisation_id: mp.text("organisation_id").to_string(),
        question_id: mp.text("question_id").to_string(),
        title: mp.text("title").to_string(),
        summary: mp.text("summary").to_string(),
        body: mp.text("body").to_string(),
        quartier_id: mp.text("quartier_id").to_string(),
    };
    let phases = state.store.phases(d.id).await?;
    if !matches!(window(&phases, storage::now()), Window::Open { .. }) {
        let view = collective_view(&state, &ctx, &d, form, &FieldErrors::default()).await?;
        let mut res = render(&view);
        *res.status_mut() = StatusCode::CONFLICT;
        return Ok(res);
    }
    let mut fe = FieldErrors::default();
    let mut status = StatusCode::BAD_REQUEST;
    let organisation_id = match form.organisation_id.parse::<i64>() {
        Err(_) => {
            fe.add("organisation_id", "error-required");
            None
        }
        Ok(id) => match state.store.membership(id, user).await? {
            Some(_) => Some(id),
            None => {
                fe.add("organisation_id", "error-not-member");
                status = StatusCode::FORBIDDEN;
                None
            }
        },
    };
    let question_id = fe.check(
        "question_id",
        question_field(&state, d.id, &form.question_id).await?,
    );
    let title = fe.check("title", validate::title(&form.title));
    let summary = fe.check("summary", {
        let s = form.summary.trim();
        if s.chars().count() > MAX_SUMMARY {
            Err("error-too-long")
        } else {
            contribution_text(s, MAX_SUMMARY)
        }
    });
    let body = fe.check("body", contribution_text(&form.body, MAX_COLLECTIVE_BODY));
    let quartier_id = fe.check(
        "quartier_id",
        quartier_field(&state, &form.quartier_id).await?,
    );
    let mut files = Vec::new();
    for field in ATTACHMENTS {
        match mp.file(field) {
            None => {}
            Some(up) if up.filename.is_empty() && !up.too_large => {}
            Some(up) => {
                if let Some(f) = fe.check(
                    field,
                    upload::check(Some(up), max_mb, pdf_or_image, "error-attachment-type"),
                ) {
                    files.push(f);
                }
            }
        }
    }
    let (
        Some(organisation_id),
        Some(question_id),
        Some(title),
        Some(summary),
        Some(body),
        Some(quartier_id),
    ) = (
        organisation_id,
        question_id,
        title,
        summary,
        body,
        quartier_id,
    )
    else {
        if status == StatusCode::FORBIDDEN && fe.0.len() > 1 {
            status = StatusCode::BAD_REQUEST;
        }
        let mut res = render(&collective_view(&state, &ctx, &d, form, &fe).await?);
        *res.status_mut() = status;
        return Ok(res);
    };
    // A collective contribution and its attachments count against the limits on abuse, both
    // in number and, for the files, in megabytes a day.
    let mut counts = webkit::limits::mine(&ctx, Rule::CollectiveAccount, Rule::CollectiveIp);
    if !files.is_empty() {
        let n = files.len() as i64;
        let bytes: usize = files.iter().map(|f| f.2.len()).sum();
        counts.extend(
            webkit::limits::mine(&ctx, Rule::UploadAccount, Rule::UploadIp)
                .into_iter()
                .map(|c| c.amount(n)),
        );
        counts.push(Count::account(Rule::UploadMbAccount, user).amount(bytes as i64));
    }
    webkit::limits::form(&state, &ctx, &mut fe, "title", &counts).await?;
    if !fe.is_empty() {
        return Ok(render_invalid(
            &collective_view(&state, &ctx, &d, form, &fe).await?,
        ));
    }
    let category_id = state
        .store
        .user_by_id(user)
        .await?
        .and_then(|u| u.category_id);
    let id = state
        .store
        .insert_contribution(&storage::NewContribution {
            debate_id: d.id,
            question_id,
            author_id: Some(user),
            kind: "collective",
            channel: Channel::Online.as_str(),
            title: &title,
            body: &body,
            category_id,
            quartier_id,
            organisation_id: Some(organisation_id),
            summary: &summary,
            ..Default::default()
        })
        .await?;
    let mut file_ids = Vec::new();
    for (filename, kind, data) in &files {
        file_ids.push(
            state
                .store
                .insert_file(storage::NewFile {
                    debate_id: Some(d.id),
                    purpose: "attachment",
                    title: filename,
                    filename,
                    content_type: kind.content_type(filename),
                    data,
                    uploaded_by: Some(user),
                })
                .await?,
        );
    }
    state.store.attach_files(id, &file_ids).await?;
    state.store.follow(id, user).await?;
    state
        .store
        .audit(
            Some(user),
            "contribution.create",
            &format!("contribution:{id}"),
            &format!("organisation:{organisation_id}"),
        )
        .await?;
    Ok(Redirect::to(&format!("/contributions/{id}?ok=published")).into_response())
}

/// A facilitator adds the scan of a paper contribution they typed in.
pub async fn add_scan(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    mp: Multipart,
) -> AppResult<Response> {
    ctx.require(Action::EnterOfflineContributions)?;
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
        domain::On::AttachScan,
    )
    .await?;
    if c.channel == Channel::Online.as_str() {
        return Err(AppError::BadRequest("error-scan-online"));
    }
    let max_mb = state.settings.max_document_mb;
    let mp = upload::read(mp, max_mb * 1_000_000, &ctx.csrf).await?;
    let (filename, kind, data) = match upload::check(
        mp.file("scan"),
        max_mb,
        pdf_or_image,
        "error-attachment-type",
    ) {
        Ok(f) => f,
        Err(key) => {
            let notice = super::discussion::Notice {
                scan_error: key.to_string(),
                ..Default::default()
            };
            let page = super::discussion::show_page(&state, &ctx, id, notice).await?;
            return Ok((StatusCode::BAD_REQUEST, page).into_response());
        }
    };
    let mut counts = webkit::limits::mine(&ctx, Rule::UploadAccount, Rule::UploadIp);
    if let Some(user) = ctx.user_id() {
        counts.push(Count::account(Rule::UploadMbAccount, user).amount(data.len() as i64));
    }
    if webkit::limits::take(&state, &ctx, &counts).await?.is_some() {
        return Err(AppError::TooMany);
    }
    let file = state
        .store
        .insert_file(storage::NewFile {
            debate_id: Some(c.debate_id),
            purpose: "scan",
            title: &filename,
            filename: &filename,
            content_type: kind.content_type(&filename),
            data: &data,
            uploaded_by: ctx.user_id(),
        })
        .await?;
    state.store.attach_files(id, &[file]).await?;
    state
        .store
        .audit(
            ctx.user_id(),
            "contribution.scan",
            &format!("contribution:{id}"),
            &filename,
        )
        .await?;
    Ok(Redirect::to(&format!("/contributions/{id}")).into_response())
}

/// A facilitator publishes a scan after checking it shows no names or addresses (audited).
pub async fn publish_scan(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, file)): Path<(i64, i64)>,
) -> AppResult<Response> {
    ctx.require(Action::EnterOfflineContributions)?;
    let attached = state.store.contribution_files(id).await?;
    let Some(f) = attached
        .iter()
        .find(|f| f.id == file && f.purpose == "scan")
    else {
        return Err(AppError::NotFound);
    };
    state.store.set_file_purpose(f.id, "scan-published").await?;
    state
        .store
        .audit(
            ctx.user_id(),
            "contribution.scan_publish",
            &format!("contribution:{id}"),
            &f.filename,
        )
        .await?;
    Ok(Redirect::to(&format!("/contributions/{id}")).into_response())
}
