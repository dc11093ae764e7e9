//! Surveys: the list, a survey's questionnaire, its published results (the weighted panel with
//! its interval, the raw panel, the online answers), and answering with a token (the same use
//! case and rules as the pages: conditions, mandatory questions, one response per account).

use crate::auth::Caller;
use crate::problem::{ApiResult, Problem};
use crate::{ApiState, json_read};
use app::surveys::{Respondent, SurveyError};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::On;
use serde::{Deserialize, Serialize};
use storage::SurveyRow;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct SurveyOut {
    pub slug: String,
    pub debate: String,
    pub title: String,
    pub title_en: String,
    pub intro_markdown: String,
    /// draft, open or closed
    pub status: String,
    /// Answerable without an account (on the pages; the API needs a token).
    pub anonymous: bool,
    pub results_public: bool,
    /// The questionnaire: sections of questions with their codes, kinds, options and display
    /// conditions (see docs/survey.md).
    #[schema(value_type = Object)]
    pub definition: serde_json::Value,
    pub url: String,
}

#[derive(Serialize, ToSchema)]
pub struct SurveyList {
    pub items: Vec<SurveyOut>,
}

fn out(state: &ApiState, s: &SurveyRow) -> SurveyOut {
    SurveyOut {
        slug: s.slug.clone(),
        debate: s.debate_slug.clone(),
        title: s.title.clone(),
        title_en: s.title_en.clone(),
        intro_markdown: s.intro.clone(),
        status: s.status.clone(),
        anonymous: s.is_anonymous(),
        results_public: s.results_are_public(),
        definition: serde_json::from_str(&s.definition).unwrap_or_default(),
        url: state.url(&format!("/enquetes/{}", s.slug)),
    }
}

fn problem(e: SurveyError) -> Problem {
    match e {
        SurveyError::NotFound => Problem::not_found(),
        SurveyError::Forbidden => Problem::forbidden("Not allowed for this survey."),
        SurveyError::LoginRequired => Problem::unauthorized(""),
        SurveyError::NotOpen => Problem::conflict("survey-not-open", "The survey is not open."),
        SurveyError::AlreadyAnswered => Problem::conflict(
            "already-answered",
            "This account has already answered the survey.",
        ),
        SurveyError::Invalid(fe) => {
            let mut p = Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                "Invalid answers",
                "Some answers are wrong; nothing was stored.",
            );
            for f in fe.0 {
                p = p.field(&format!("/answers/{}", f.field), f.key);
            }
            p
        }
        SurveyError::File(m) => Problem::invalid("/", m),
        SurveyError::Rejected(r) => Problem::invalid("/", format!("{} rows rejected", r.len())),
        SurveyError::Store(e) => e.into(),
    }
}

/// The surveys a visitor (or the token's owner) may see, drafts excepted.
#[utoipa::path(get, path = "/surveys", tag = "surveys",
    responses((status = 200, body = SurveyList), (status = 401, body = Problem)),
    security((), ("token" = [])))]
pub async fn list(
    State(state): State<ApiState>,
    caller: Caller,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let items = state
        .store
        .surveys(0)
        .await?
        .iter()
        .filter(|s| {
            s.status != "draft" && caller.subject.may_on(On::Read, app::surveys::resource(s))
        })
        .map(|s| out(&state, s))
        .collect();
    Ok(json_read(&headers, &SurveyList { items }))
}

/// A survey and its questionnaire.
#[utoipa::path(get, path = "/surveys/{slug}", tag = "surveys",
    params(("slug" = String, Path, description = "The survey's slug")),
    responses((status = 200, body = SurveyOut), (status = 401, body = Problem), (status = 404, body = Problem)),
    security((), ("token" = [])))]
pub async fn show(
    State(state): State<ApiState>,
    caller: Caller,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> ApiResult<Response> {
    let s = app::surveys::visible(&state.store, &caller.subject, &slug)
        .await
        .map_err(problem)?;
    Ok(json_read(&headers, &out(&state, &s)))
}

#[derive(Serialize, ToSchema)]
pub struct ResultsOut {
    pub survey: String,
    pub online_responses: usize,
    pub panel_respondents: usize,
    /// Kish's effective sample size of the weighted panel, if it is weighted.
    pub effective_sample_size: Option<f64>,
    pub design_effect: Option<f64>,
    /// Per question: the online answers, the raw panel, and the weighted panel (shares with
    /// the linearised standard error of the raked estimator and a 95 % interval).
    #[schema(value_type = Object)]
    pub online: serde_json::Value,
    #[schema(value_type = Object)]
    pub panel: serde_json::Value,
    #[schema(value_type = Object)]
    pub weighted: serde_json::Value,
}

/// A survey's results, for those who may read them (everyone once they are public).
#[utoipa::path(get, path = "/surveys/{slug}/results", tag = "surveys",
    params(("slug" = String, Path, description = "The survey's slug")),
    responses((status = 200, body = ResultsOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)),
    security((), ("token" = [])))]
pub async fn results(
    State(state): State<ApiState>,
    caller: Caller,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> ApiResult<Response> {
    let s = app::surveys::visible(&state.store, &caller.subject, &slug)
        .await
        .map_err(problem)?;
    let r = app::surveys::results(&state.store, &caller.subject, &s)
        .await
        .map_err(problem)?;
    // NaN (a mean rank nobody gave) is not JSON: serde_json writes it as null.
    let to = |v: &Vec<survey::results::QuestionResult>| serde_json::to_value(v).unwrap_or_default();
    let body = ResultsOut {
        survey: s.slug.clone(),
        online_responses: r.online_count,
        panel_respondents: r.panel_count,
        effective_sample_size: r.diagnostics.as_ref().map(|d| d.effective_sample_size),
        design_effect: r.diagnostics.as_ref().map(|d| d.design_effect),
        online: to(&r.online),
        panel: to(&r.panel),
        weighted: r
            .weighted
            .as_ref()
            .map(to)
            .unwrap_or(serde_json::Value::Null),
    };
    Ok(json_read(&headers, &body))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewResponse {
    /// Question code → answer: a code (single choice), codes (multiple choice; a ranking in
    /// order), a number (scale, number), a text, or an object row → code (grid).
    #[schema(value_type = Object)]
    pub answers: survey::Answers,
}

#[derive(Serialize, ToSchema)]
pub struct Answered {
    pub survey: String,
    pub results: String,
}

/// Answers the survey as the token's owner (write scope), all at once: checked with the same
/// rules as the pages (options, ranges, display conditions, mandatory questions).
#[utoipa::path(post, path = "/surveys/{slug}/responses", tag = "surveys",
    params(("slug" = String, Path, description = "The survey's slug")),
    request_body = NewResponse,
    responses((status = 201, body = Answered), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)),
    security(("token" = [])))]
pub async fn answer(
    State(state): State<ApiState>,
    caller: Caller,
    Path(slug): Path<String>,
    crate::body::Body(input): crate::body::Body<NewResponse>,
) -> ApiResult<Response> {
    caller.writer()?;
    let s = app::surveys::visible(&state.store, &caller.subject, &slug)
        .await
        .map_err(problem)?;
    let who = Respondent::of(&caller.subject, None).ok_or_else(|| Problem::unauthorized(""))?;
    app::surveys::answer_all(&state.store, &caller.subject, &s, &who, &input.answers)
        .await
        .map_err(problem)?;
    Ok((
        StatusCode::CREATED,
        axum::Json(Answered {
            survey: s.slug.clone(),
            results: state.url(&format!("/enquetes/{}/resultats", s.slug)),
        }),
    )
        .into_response())
}
