//! An event's page: what, when, where and how to get there, places left, the registration form
//! (signed in: one button; otherwise name and e-mail or phone), "what was said here"; and the
//! page of one's registration, reached by the link of every mail, where it can be cancelled.

use crate::{Card, app_error, ics_event, ics_response, local};
use app::events::{EventError, Registration};
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::On;
use serde::Deserialize;
use storage::{EventRow, Placed};
use webkit::choices::{self, Choice};
use webkit::ctx::Ctx;
use webkit::error::{AppError, AppResult};
use webkit::state::AppState;
use webkit::view::{Errors, Layout, render, render_invalid};

pub struct Said {
    pub id: i64,
    pub title: String,
    pub question: String,
}

#[derive(Template)]
#[template(path = "event.html")]
pub struct EventView {
    pub l: Layout,
    pub c: Card,
    pub description_html: String,
    pub access_notes: String,
    pub accessibility: Vec<String>,
    pub online_link: String,
    pub question: String,
    pub facilitators: Vec<String>,
    /// Why registering is not possible now (translated), if it is not.
    pub refusal: String,
    pub signed_in: bool,
    /// The signed-in person's registration: its page and its state.
    pub mine: Option<(String, String)>,
    pub form: RegisterForm,
    pub errs: Errors,
    pub categories: Vec<Choice>,
    pub quartiers: Vec<Choice>,
    pub said: Vec<Said>,
    pub minutes_html: String,
    pub programme: Option<(String, String)>,
    pub can_manage: bool,
    pub can_sheet: bool,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct RegisterForm {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub category: String,
    pub quartier: String,
}

async fn view(
    state: &AppState,
    ctx: &Ctx,
    e: &EventRow,
    facilitator: bool,
    form: RegisterForm,
    errs: Errors,
) -> AppResult<EventView> {
    let tr = &ctx.tr;
    let now = storage::now();
    let refusal = app::events::registration_refusal(e, now)
        .map(|k| tr.t(k))
        .unwrap_or_default();
    let mine = match ctx.user_id() {
        Some(u) => state.store.registration_of_user(e.id, u).await?.map(|r| {
            let token = app::events::registration_token(&state.csrf_key, r.id);
            (
                format!("/inscriptions/{token}"),
                tr.t(&format!("registration-state-{}", r.state)),
            )
        }),
        None => None,
    };
    let ids = state.store.event_contribution_ids(e.id).await?;
    let said = state
        .store
        .contributions_by_ids(&ids)
        .await?
        .into_iter()
        .map(|c| Said {
            id: c.id,
            title: c.title,
            question: c.question,
        })
        .collect();
    let r = app::events::resource(e, facilitator, now);
    let programme = match e.programme_id {
        Some(p) => state
            .store
            .programme(p)
            .await?
            .map(|p| (format!("/programmes/{}", p.slug), p.title)),
        None => None,
    };
    let accessibility = events::Accessibility::parse(&e.accessibility)
        .unwrap_or_default()
        .offered()
        .iter()
        .map(|code| tr.t(&format!("event-access-{code}")))
        .collect();
    Ok(EventView {
        l: ctx.layout(state, e.title.clone()),
        c: Card::new(tr, &state.tz, e),
        description_html: webkit::markdown::render(&e.description),
        access_notes: e.access_notes.clone(),
        accessibility,
        online_link: e.online_link.clone(),
        question: e.question.clone().unwrap_or_default(),
        facilitators: state
            .store
            .event_facilitators(e.id)
            .await?
            .into_iter()
            .map(|(_, n)| n)
            .collect(),
        refusal,
        signed_in: ctx.user.is_some(),
        mine,
        categories: choices::categories(state, tr, &form.category).await?,
        quartiers: choices::quartiers(state, &form.quartier).await?,
        form,
        errs,
        said,
        minutes_html: webkit::markdown::render(&e.minutes),
        programme,
        can_manage: ctx.subject.may_on(On::Manage, r),
        can_sheet: ctx.subject.may_on(On::TakeAttendance, r),
    })
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let (e, facilitator) = app::events::visible(&state.store, &ctx.subject, id)
        .await
        .map_err(app_error)?;
    let form = RegisterForm::default();
    Ok(render(
        &view(&state, &ctx, &e, facilitator, form, Errors::none()).await?,
    ))
}

pub async fn register(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<RegisterForm>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let r = Registration {
        contact: events::ContactDraft {
            name: form.name.clone(),
            email: form.email.clone(),
            phone: form.phone.clone(),
        },
        category_id: crate::id_of(&form.category),
        quartier_id: crate::id_of(&form.quartier),
        on_behalf: false,
    };
    let outcome = app::events::register(&state.store, &ctx.subject, &state.csrf_key, id, &r).await;
    let errs = match outcome {
        Ok(done) => {
            let ok = match done.placed {
                Placed::Confirmed => "confirmed",
                Placed::Waiting(_) => "waiting",
            };
            return Ok(
                Redirect::to(&format!("/inscriptions/{}?inscrit={ok}", done.token)).into_response(),
            );
        }
        Err(EventError::Invalid(fe)) => Errors::from(&ctx.tr, &fe),
        Err(EventError::AlreadyRegistered) => {
            let mut fe = domain::FieldErrors::default();
            fe.add(
                if ctx.user.is_some() {
                    "register"
                } else {
                    "email"
                },
                "registration-error-already",
            );
            Errors::from(&ctx.tr, &fe)
        }
        Err(EventError::Refused(key)) => {
            let mut fe = domain::FieldErrors::default();
            fe.add("register", key);
            Errors::from(&ctx.tr, &fe)
        }
        Err(e) => return Err(app_error(e)),
    };
    let (e, facilitator) = app::events::visible(&state.store, &ctx.subject, id)
        .await
        .map_err(app_error)?;
    let mut page = view(&state, &ctx, &e, facilitator, form, errs).await?;
    page.l.has_errors = true;
    Ok(render_invalid(&page))
}

#[derive(Template)]
#[template(path = "registration.html")]
pub struct RegistrationView {
    pub l: Layout,
    pub c: Card,
    pub name: String,
    pub state: String,
    pub state_code: String,
    pub position: Option<i64>,
    pub token: String,
    pub just: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct JustQuery {
    pub inscrit: String,
}

async fn by_token(
    state: &AppState,
    token: &str,
) -> AppResult<(storage::RegistrationRow, EventRow)> {
    // A guessed or mistyped link finds nothing, and says only that.
    let r = state
        .store
        .registration_by_token(token)
        .await?
        .ok_or(AppError::NotFound)?;
    let e = state
        .store
        .event(r.event_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((r, e))
}

pub async fn registration(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    axum::extract::Query(q): axum::extract::Query<JustQuery>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let (r, e) = by_token(&state, &token).await?;
    let position = state.store.waiting_position(r.id).await?;
    let just = match q.inscrit.as_str() {
        "confirmed" => ctx.tr.t("registration-just-confirmed"),
        "waiting" => ctx.tr.t("registration-just-waiting"),
        "cancelled" => ctx.tr.t("registration-just-cancelled"),
        _ => String::new(),
    };
    let view = RegistrationView {
        l: ctx.layout(&state, ctx.tr.t("registration-title")),
        c: Card::new(&ctx.tr, &state.tz, &e),
        name: r.name.clone(),
        state: ctx.tr.t(&format!("registration-state-{}", r.state)),
        state_code: r.state.clone(),
        position,
        token,
        just,
    };
    Ok(render(&view))
}

pub async fn cancel(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let (r, _) = by_token(&state, &token).await?;
    match app::events::cancel_registration(&state.store, &ctx.subject, &r).await {
        Ok(_) | Err(EventError::NotFound) => {}
        Err(e) => return Err(app_error(e)),
    }
    Ok(Redirect::to(&format!("/inscriptions/{token}?inscrit=cancelled")).into_response())
}

pub async fn ics(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (e, _) = app::events::visible(&state.store, &ctx.subject, id)
        .await
        .map_err(app_error)?;
    let body = events::ics::event_file(&ics_event(&state, &e), &state.tz, jiff::Timestamp::now());
    Ok(ics_response(body, &format!("evenement-{id}.ics")))
}

pub async fn registration_ics(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let (_, e) = by_token(&state, &token).await?;
    let body = events::ics::event_file(&ics_event(&state, &e), &state.tz, jiff::Timestamp::now());
    Ok(ics_response(body, &format!("evenement-{}.ics", e.id)))
}
