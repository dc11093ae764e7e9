//! Answering: the list of surveys, a survey's first page (what it is about, how long, whether
//! an account is needed), its pages one by one, and the thanks.

use crate::{app_error, local};
use app::surveys::{self, Move, Outcome, Respondent, SurveyError};
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use domain::On;
use storage::SurveyRow;
use survey::answers::{self, Answers, Value};
use survey::{Kind, Status};
use webkit::ctx::Ctx;
use webkit::error::{AppError, AppResult};
use webkit::state::AppState;
use webkit::view::{Errors, Layout, render, render_invalid};

/// The browser token's cookie of one survey (anonymous answering).
pub fn cookie_name(survey_id: i64) -> String {
    format!("cc_sv{survey_id}")
}

pub struct Item {
    pub slug: String,
    pub title: String,
    pub debate_title: String,
    pub status: String,
    pub open: bool,
    pub results: bool,
}

#[derive(Template)]
#[template(path = "list.html")]
pub struct ListView {
    pub l: Layout,
    pub items: Vec<Item>,
}

pub fn title_of(s: &SurveyRow, lang: &str) -> String {
    if lang == "en" && !s.title_en.is_empty() {
        s.title_en.clone()
    } else {
        s.title.clone()
    }
}

pub async fn list(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let ctx = local(ctx);
    let lang = ctx.tr.code();
    let items = state
        .store
        .surveys(0)
        .await?
        .into_iter()
        .filter(|s| {
            let r = surveys::resource(s);
            // The list is the public one: drafts are in the staff area.
            s.status != Status::Draft.as_str() && ctx.subject.may_on(On::Read, r)
        })
        .map(|s| {
            let r = surveys::resource(&s);
            Item {
                title: title_of(&s, lang),
                slug: s.slug.clone(),
                debate_title: s.debate_title.clone(),
                status: ctx.tr.t(&format!("survey-status-{}", s.status)),
                open: s.status == Status::Open.as_str(),
                results: ctx.subject.may_on(On::ReadResults, r),
            }
        })
        .collect();
    Ok(render(&ListView {
        l: ctx.layout(&state, ctx.tr.t("survey-list-title")),
        items,
    }))
}

#[derive(Template)]
#[template(path = "intro.html")]
pub struct IntroView {
    pub l: Layout,
    pub slug: String,
    pub title: String,
    pub debate_slug: String,
    pub debate_title: String,
    pub intro_html: String,
    pub pages: usize,
    pub questions: usize,
    /// Why answering is not possible (translated), if it is not.
    pub refusal: String,
    pub login_needed: bool,
    pub anonymous: bool,
    pub resume: Option<usize>,
    pub first: usize,
    pub results: bool,
    pub manage: Option<i64>,
}

fn browser_token<'h>(headers: &'h HeaderMap, s: &SurveyRow) -> Option<&'h str> {
    webkit::ctx::cookie(headers, &cookie_name(s.id))
}

pub async fn intro(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let s = surveys::visible(&state.store, &ctx.subject, &slug)
        .await
        .map_err(app_error)?;
    let def = surveys::definition(&s);
    let who = Respondent::of(&ctx.subject, browser_token(&headers, &s));
    let (mut refusal, mut login_needed, mut resume, mut first) = (String::new(), false, None, 0);
    match surveys::resume(&state.store, &ctx.subject, &s, who.as_ref()).await {
        Ok((page, _, started)) => {
            first = page;
            resume = started.then_some(page);
        }
        Err(SurveyError::LoginRequired) => login_needed = true,
        Err(SurveyError::AlreadyAnswered) => refusal = ctx.tr.t("survey-already-answered"),
        Err(SurveyError::NotOpen) => {
            refusal = ctx.tr.t(if s.status == Status::Closed.as_str() {
                "survey-closed"
            } else {
                "survey-not-open"
            })
        }
        Err(SurveyError::Forbidden) => refusal = ctx.tr.t("survey-not-for-you"),
        Err(e) => return Err(app_error(e)),
    }
    let r = surveys::resource(&s);
    let lang = ctx.tr.code();
    Ok(render(&IntroView {
        l: ctx.layout(&state, title_of(&s, lang)),
        title: title_of(&s, lang),
        slug: s.slug.clone(),
        debate_slug: s.debate_slug.clone(),
        debate_title: s.debate_title.clone(),
        intro_html: webkit::markdown::render(&s.intro),
        pages: def.sections.len(),
        questions: def.questions().count(),
        refusal,
        login_needed,
        anonymous: s.is_anonymous(),
        resume,
        first,
        results: ctx.subject.may_on(On::ReadResults, r),
        manage: ctx.subject.may_on(On::Manage, r).then_some(s.id),
    }))
}

/// One option of a question as the page shows it.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub checked: bool,
    pub id: String,
}

/// A matrix row or a ranking's option: its own field, with its choices.
pub struct Line {
    pub label: String,
    pub field: String,
    pub id: String,
    pub opts: Vec<Opt>,
}

/// A question as the page shows it.
pub struct QView {
    pub field: String,
    pub id: String,
    pub kind: &'static str,
    pub label: String,
    pub help: String,
    pub mandatory: bool,
    pub error: String,
    pub opts: Vec<Opt>,
    pub lines: Vec<Line>,
    pub value: String,
    pub min: String,
    pub max: String,
    pub max_choices: u32,
}

fn qview(
    q: &survey::Question,
    a: &Answers,
    lang: &str,
    errs: &Errors,
    raw: Option<&[(String, String)]>,
) -> QView {
    let field = answers::field(q);
    let id = format!("f-{field}");
    let current = a.get(&q.code);
    let opt = |value: &str, label: &str, checked: bool, suffix: &str| Opt {
        value: value.to_string(),
        label: label.to_string(),
        checked,
        id: format!("{id}-{suffix}"),
    };
    let mut v = QView {
        error: errs.get(&field),
        id: id.clone(),
        field: field.clone(),
        kind: q.kind.as_str(),
        label: q.label.get(lang).to_string(),
        help: q.help.get(lang).to_string(),
        mandatory: q.mandatory,
        opts: Vec::new(),
        lines: Vec::new(),
        value: String::new(),
        min: q.min.map(answers::format_number).unwrap_or_default(),
        max: q.max.map(answers::format_number).unwrap_or_default(),
        max_choices: q.max_choices.unwrap_or(0),
    };
    match q.kind {
        Kind::Single | Kind::Multiple => {
            v.opts = q
                .options
                .iter()
                .map(|o| {
                    opt(
                        &o.code,
                        o.label.get(lang),
                        current.is_some_and(|c| c.holds(&o.code)),
                        &o.code,
                    )
                })
                .collect();
        }
        Kind::Scale => {
            v.opts = q
                .scale_points()
                .into_iter()
                .map(|p| {
                    let s = p.to_string();
                    opt(
                        &s,
                        &s,
                        current.and_then(Value::as_number) == Some(p as f64),
                        &s,
                    )
                })
                .collect();
        }
        Kind::Number | Kind::ShortText | Kind::LongText => {
            v.value = match current {
                Some(Value::Number(n)) => answers::format_number(*n),
                Some(Value::Str(s)) => s.clone(),
                _ => String::new(),
            };
        }
        Kind::Matrix => {
            let map = match current {
                Some(Value::Map(m)) => m.clone(),
                _ => Default::default(),
            };
            v.lines = q
                .rows
                .iter()
                .map(|r| {
                    let f = answers::item_field(q, &r.code);
                    Line {
                        label: r.label.get(lang).to_string(),
                        id: format!("f-{f}"),
                        opts: q
                            .options
                            .iter()
                            .map(|o| Opt {
                                value: o.code.clone(),
                                label: o.label.get(lang).to_string(),
                                checked: map.get(&r.code) == Some(&o.code),
                                id: format!("f-{f}-{}", o.code),
                            })
                            .collect(),
                        field: f,
                    }
                })
                .collect();
            v.opts = q
                .options
                .iter()
                .map(|o| opt(&o.code, o.label.get(lang), false, &o.code))
                .collect();
        }
        Kind::Ranking => {
            let order: Vec<String> = current.map(|c| c.as_list().to_vec()).unwrap_or_default();
            // (the typed ranks, when refused, are put back below)
            let n = q.options.len();
            v.lines = q
                .options
                .iter()
                .map(|o| {
                    let f = answers::item_field(q, &o.code);
                    let rank = order.iter().position(|c| *c == o.code).map(|p| p + 1);
                    Line {
                        label: o.label.get(lang).to_string(),
                        id: format!("f-{f}"),
                        opts: (1..=n)
                            .map(|k| Opt {
                                value: k.to_string(),
                                label: k.to_string(),
                                checked: rank == Some(k),
                                id: String::new(),
                            })
                            .collect(),
                        field: f,
                    }
                })
                .collect();
        }
    }
    // A refused answer is shown as it was typed, so that nothing is lost.
    if let Some(raw) = raw.filter(|_| !v.error.is_empty()) {
        let sent = |name: &str, value: &str| raw.iter().any(|(k, x)| k == name && x == value);
        let first = |name: &str| {
            raw.iter()
                .find(|(k, _)| k == name)
                .map(|(_, x)| x.clone())
                .unwrap_or_default()
        };
        for o in &mut v.opts {
            o.checked = sent(&field, &o.value);
        }
        if matches!(q.kind, Kind::Number | Kind::ShortText | Kind::LongText) {
            v.value = first(&field);
        }
        for line in &mut v.lines {
            for o in &mut line.opts {
                o.checked = sent(&line.field, &o.value);
            }
        }
    }
    v
}

#[derive(Template)]
#[template(path = "page.html")]
pub struct PageView {
    pub l: Layout,
    pub slug: String,
    pub title: String,
    pub section_title: String,
    pub section_intro: String,
    pub page: usize,
    pub at: usize,
    pub of: usize,
    pub questions: Vec<QView>,
    pub errs: Errors,
    pub has_back: bool,
    pub last: bool,
    pub saved: bool,
    pub signed_in: bool,
}

#[allow(clippy::too_many_arguments)]
fn page_view(
    state: &AppState,
    ctx: &Ctx,
    s: &SurveyRow,
    page: usize,
    a: &Answers,
    errs: Errors,
    saved: bool,
    raw: Option<&[(String, String)]>,
) -> PageView {
    let def = surveys::definition(s);
    let lang = ctx.tr.code();
    let sec = &def.sections[page];
    let (at, of) = answers::progress(&def, page, a);
    let questions = sec
        .questions
        .iter()
        .filter(|q| answers::visible(q, a))
        .map(|q| qview(q, a, lang, &errs, raw))
        .collect();
    let title = title_of(s, lang);
    PageView {
        l: ctx.layout(state, format!("{} — {}", sec.title.get(lang), title)),
        slug: s.slug.clone(),
        title,
        section_title: sec.title.get(lang).to_string(),
        section_intro: sec.intro.get(lang).to_string(),
        page,
        at,
        of,
        questions,
        errs,
        has_back: answers::previous_page(&def, page, a).is_some(),
        last: answers::next_page(&def, Some(page), a).is_none(),
        saved,
        signed_in: ctx.user.is_some(),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct PageQuery {
    pub ok: String,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path((slug, n)): Path<(String, usize)>,
    axum::extract::Query(q): axum::extract::Query<PageQuery>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let s = surveys::visible(&state.store, &ctx.subject, &slug)
        .await
        .map_err(app_error)?;
    let def = surveys::definition(&s);
    let who = Respondent::of(&ctx.subject, browser_token(&headers, &s));
    let (at, a, _) = match surveys::resume(&state.store, &ctx.subject, &s, who.as_ref()).await {
        Ok(r) => r,
        Err(SurveyError::AlreadyAnswered) => {
            return Ok(Redirect::to(&format!("/enquetes/{slug}/merci")).into_response());
        }
        Err(SurveyError::NotOpen | SurveyError::Forbidden | SurveyError::LoginRequired) => {
            return Ok(Redirect::to(&format!("/enquetes/{slug}")).into_response());
        }
        Err(e) => return Err(app_error(e)),
    };
    if n >= def.sections.len() {
        return Err(AppError::NotFound);
    }
    // A page the answers so far skip (or a page further than reached) leads back to where the
    // respondent is.
    if !answers::section_shown(&def, n, &a) || n > at {
        return Ok(Redirect::to(&format!("/enquetes/{slug}/page/{at}")).into_response());
    }
    Ok(render(&page_view(
        &state,
        &ctx,
        &s,
        n,
        &a,
        Errors::none(),
        q.ok == "saved",
        None,
    )))
}

pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path((slug, n)): Path<(String, usize)>,
    Form(form): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let s = surveys::visible(&state.store, &ctx.subject, &slug)
        .await
        .map_err(app_error)?;
    let how = match form
        .iter()
        .find(|(k, _)| k == "move")
        .map(|(_, v)| v.as_str())
    {
        Some("back") => Move::Back,
        Some("save") => Move::Save,
        _ => Move::Next,
    };
    // A visitor answering anonymously gets a token for this survey the first time, counted
    // against the limit of responses per address.
    let mut new_cookie = None;
    let who = match Respondent::of(&ctx.subject, browser_token(&headers, &s)) {
        Some(w) => w,
        None => {
            if !ctx.subject.may_on(On::Answer, surveys::resource(&s)) {
                return Err(if s.status == Status::Open.as_str() {
                    AppError::LoginRequired
                } else {
                    AppError::Conflict("survey-not-open")
                });
            }
            let counts = [domain::limits::Count::ip(
                domain::limits::Rule::SurveyIp,
                &ctx.client_ip,
            )];
            if let Some(wait) = webkit::limits::take(&state, &ctx, &counts).await? {
                let mut fe = domain::FieldErrors::default();
                fe.add_n(
                    "survey",
                    "error-rate-limited",
                    domain::limits::minutes(wait),
                );
                let mut v = page_view(
                    &state,
                    &ctx,
                    &s,
                    n.min(surveys::definition(&s).sections.len().saturating_sub(1)),
                    &Answers::new(),
                    Errors::from(&ctx.tr, &fe),
                    false,
                    Some(&form),
                );
                v.l.has_errors = true;
                return Ok(render_invalid(&v));
            }
            let (token, _) = storage::new_token();
            new_cookie = Some(token.clone());
            Respondent::Browser(storage::hash_token(&token))
        }
    };
    let outcome = surveys::answer_page(&state.store, &ctx.subject, &s, &who, n, &form, how).await;
    let mut response = match outcome {
        Ok(Outcome::Page(p)) => Redirect::to(&format!("/enquetes/{slug}/page/{p}")).into_response(),
        Ok(Outcome::Saved(p)) => {
            Redirect::to(&format!("/enquetes/{slug}/page/{p}?ok=saved")).into_response()
        }
        Ok(Outcome::Submitted) => {
            Redirect::to(&format!("/enquetes/{slug}/merci?ok=sent")).into_response()
        }
        Ok(Outcome::Invalid(fe, a)) => {
            let mut v = page_view(
                &state,
                &ctx,
                &s,
                n,
                &a,
                Errors::from(&ctx.tr, &fe),
                false,
                Some(&form),
            );
            v.l.has_errors = true;
            render_invalid(&v)
        }
        Err(SurveyError::AlreadyAnswered) => {
            Redirect::to(&format!("/enquetes/{slug}/merci")).into_response()
        }
        Err(e) => return Err(app_error(e)),
    };
    if let Some(token) = new_cookie {
        // Kept for 60 days: long enough to resume, not forever.
        let c = webkit::ctx::set_cookie(&state, &cookie_name(s.id), &token, 60 * 86_400);
        response.headers_mut().append(header::SET_COOKIE, c);
    }
    Ok(response)
}

#[derive(Template)]
#[template(path = "thanks.html")]
pub struct ThanksView {
    pub l: Layout,
    pub slug: String,
    pub title: String,
    pub just_sent: bool,
    pub results: bool,
    pub debate_slug: String,
    pub debate_title: String,
}

pub async fn thanks(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    axum::extract::Query(q): axum::extract::Query<PageQuery>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let s = surveys::visible(&state.store, &ctx.subject, &slug)
        .await
        .map_err(app_error)?;
    let lang = ctx.tr.code();
    Ok(render(&ThanksView {
        l: ctx.layout(&state, ctx.tr.t("survey-thanks-title")),
        slug: s.slug.clone(),
        title: title_of(&s, lang),
        just_sent: q.ok == "sent",
        results: ctx.subject.may_on(On::ReadResults, surveys::resource(&s)),
        debate_slug: s.debate_slug.clone(),
        debate_title: s.debate_title.clone(),
    }))
}
