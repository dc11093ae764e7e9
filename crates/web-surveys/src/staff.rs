//! The builder: staff create a survey for a debate, write its sections and questions (one
//! form per question: its kind, wording in French and English, options one per line, display
//! conditions), arrange them, and open or close the survey.

use crate::{app_error, local};
use app::surveys::{self, Arrange, QuestionDraft, SurveyDraft, SurveyError};
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::{Action, FieldErrors};
use serde::Deserialize;
use storage::SurveyRow;
use survey::{Kind, Status, Text};
use webkit::choices::Choice;
use webkit::ctx::Ctx;
use webkit::error::{AppError, AppResult};
use webkit::state::AppState;
use webkit::view::{Errors, Layout, render, render_invalid};

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct SurveyForm {
    pub debate: String,
    pub slug: String,
    pub title: String,
    pub title_en: String,
    pub intro: String,
    pub anonymous: String,
    pub results_public: String,
}

impl SurveyForm {
    fn draft(&self) -> SurveyDraft {
        SurveyDraft {
            debate_id: self.debate.trim().parse().unwrap_or(0),
            slug: self.slug.clone(),
            title: self.title.clone(),
            title_en: self.title_en.clone(),
            intro: self.intro.clone(),
            anonymous: !self.anonymous.is_empty(),
            results_public: !self.results_public.is_empty(),
        }
    }

    fn of(s: &SurveyRow) -> SurveyForm {
        SurveyForm {
            debate: s.debate_id.to_string(),
            slug: s.slug.clone(),
            title: s.title.clone(),
            title_en: s.title_en.clone(),
            intro: s.intro.clone(),
            anonymous: if s.is_anonymous() {
                "1".into()
            } else {
                String::new()
            },
            results_public: if s.results_are_public() {
                "1".into()
            } else {
                String::new()
            },
        }
    }
}

pub struct Line {
    pub id: i64,
    pub title: String,
    pub debate: String,
    pub status: String,
    pub online: i64,
    pub panel: i64,
}

#[derive(Template)]
#[template(path = "staff_list.html")]
pub struct ListView {
    pub l: Layout,
    pub lines: Vec<Line>,
    pub debates: Vec<Choice>,
    pub form: SurveyForm,
    pub errs: Errors,
}

async fn list_view(
    state: &AppState,
    ctx: &Ctx,
    form: SurveyForm,
    errs: Errors,
) -> AppResult<ListView> {
    let mut lines = Vec::new();
    for s in state.store.surveys(0).await? {
        let (online, _, panel) = state.store.survey_counts(s.id).await?;
        lines.push(Line {
            id: s.id,
            title: s.title.clone(),
            debate: s.debate_title.clone(),
            status: ctx.tr.t(&format!("survey-status-{}", s.status)),
            online,
            panel,
        });
    }
    let debates = state
        .store
        .debates(true)
        .await?
        .into_iter()
        .map(|d| Choice {
            selected: d.id.to_string() == form.debate,
            value: d.id.to_string(),
            label: d.title,
        })
        .collect();
    Ok(ListView {
        l: ctx.layout(state, ctx.tr.t("survey-staff-title")),
        lines,
        debates,
        form,
        errs,
    })
}

pub async fn list(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let ctx = local(ctx);
    ctx.require(Action::ManageSurveys)?;
    Ok(render(
        &list_view(&state, &ctx, SurveyForm::default(), Errors::none()).await?,
    ))
}

fn invalid_or(e: SurveyError) -> Result<FieldErrors, AppError> {
    match e {
        SurveyError::Invalid(fe) => Ok(fe),
        e => Err(app_error(e)),
    }
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<SurveyForm>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    ctx.require(Action::ManageSurveys)?;
    match surveys::create(&state.store, &ctx.subject, &form.draft()).await {
        Ok(id) => Ok(Redirect::to(&format!("/admin/enquetes/{id}?ok=created")).into_response()),
        Err(e) => {
            let fe = invalid_or(e)?;
            let mut v = list_view(&state, &ctx, form, Errors::from(&ctx.tr, &fe)).await?;
            v.l.has_errors = true;
            Ok(render_invalid(&v))
        }
    }
}

pub struct QLine {
    pub code: String,
    pub label: String,
    pub kind: String,
    pub mandatory: bool,
    pub conditional: bool,
}

pub struct SLine {
    pub index: usize,
    pub title_fr: String,
    pub title_en: String,
    pub intro_fr: String,
    pub questions: Vec<QLine>,
}

#[derive(Template)]
#[template(path = "builder.html")]
pub struct BuilderView {
    pub l: Layout,
    pub id: i64,
    pub slug: String,
    pub status: String,
    pub status_code: String,
    pub form: SurveyForm,
    pub errs: Errors,
    pub sections: Vec<SLine>,
    pub online: i64,
    pub writing: i64,
    pub panel: i64,
    pub problems: Vec<String>,
}

use crate::staff_survey as load;

async fn builder_view(
    state: &AppState,
    ctx: &Ctx,
    s: &SurveyRow,
    form: SurveyForm,
    errs: Errors,
) -> AppResult<BuilderView> {
    let def = surveys::definition(s);
    let (online, writing, panel) = state.store.survey_counts(s.id).await?;
    let problems = match def.validate() {
        Ok(()) => Vec::new(),
        Err(p) => p
            .into_iter()
            .map(|(code, key)| format!("{code}: {}", ctx.tr.t(key)))
            .collect(),
    };
    Ok(BuilderView {
        l: ctx.layout(
            state,
            format!("{} — {}", ctx.tr.t("survey-builder-title"), s.title),
        ),
        id: s.id,
        slug: s.slug.clone(),
        status: ctx.tr.t(&format!("survey-status-{}", s.status)),
        status_code: s.status.clone(),
        form,
        errs,
        sections: def
            .sections
            .iter()
            .enumerate()
            .map(|(i, sec)| SLine {
                index: i,
                title_fr: sec.title.fr.clone(),
                title_en: sec.title.en.clone(),
                intro_fr: sec.intro.fr.clone(),
                questions: sec
                    .questions
                    .iter()
                    .map(|q| QLine {
                        code: q.code.clone(),
                        label: q.label.fr.clone(),
                        kind: ctx.tr.t(&format!("survey-kind-{}", q.kind.as_str())),
                        mandatory: q.mandatory,
                        conditional: !q.conditions.is_empty(),
                    })
                    .collect(),
            })
            .collect(),
        online,
        writing,
        panel,
        problems,
    })
}

pub async fn builder(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let s = load(&state, &ctx, id).await?;
    Ok(render(
        &builder_view(&state, &ctx, &s, SurveyForm::of(&s), Errors::none()).await?,
    ))
}

async fn builder_invalid(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    form: Option<SurveyForm>,
    fe: &FieldErrors,
) -> AppResult<Response> {
    let s = load(state, ctx, id).await?;
    let form = form.unwrap_or_else(|| SurveyForm::of(&s));
    let mut v = builder_view(state, ctx, &s, form, Errors::from(&ctx.tr, fe)).await?;
    v.l.has_errors = true;
    Ok(render_invalid(&v))
}

pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<SurveyForm>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    load(&state, &ctx, id).await?;
    match surveys::update(&state.store, &ctx.subject, id, &form.draft()).await {
        Ok(()) => Ok(Redirect::to(&format!("/admin/enquetes/{id}?ok=saved")).into_response()),
        Err(e) => builder_invalid(&state, &ctx, id, Some(form), &invalid_or(e)?).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    pub status: String,
}

pub async fn status(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<StatusForm>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    load(&state, &ctx, id).await?;
    let status = match form.status.as_str() {
        "open" => Status::Open,
        "closed" => Status::Closed,
        "draft" => Status::Draft,
        _ => return Err(AppError::BadRequest("error-malformed-form")),
    };
    match surveys::set_status(&state.store, &ctx.subject, id, status).await {
        Ok(()) => Ok(Redirect::to(&format!("/admin/enquetes/{id}?ok=saved")).into_response()),
        Err(e) => builder_invalid(&state, &ctx, id, None, &invalid_or(e)?).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SectionForm {
    pub section_title: String,
    pub section_title_en: String,
    pub section_intro: String,
    pub delete: String,
}

pub async fn add_section(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<SectionForm>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    load(&state, &ctx, id).await?;
    let title = Text::new(&form.section_title, &form.section_title_en);
    let intro = Text::new(&form.section_intro, "");
    match surveys::put_section(&state.store, &ctx.subject, id, None, &title, &intro).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/admin/enquetes/{id}?ok=saved#sections")).into_response())
        }
        Err(e) => builder_invalid(&state, &ctx, id, None, &invalid_or(e)?).await,
    }
}

pub async fn edit_section(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, n)): Path<(i64, usize)>,
    Form(form): Form<SectionForm>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    load(&state, &ctx, id).await?;
    let r = if !form.delete.is_empty() {
        surveys::delete_section(&state.store, &ctx.subject, id, n).await
    } else {
        let title = Text::new(&form.section_title, &form.section_title_en);
        let intro = Text::new(&form.section_intro, "");
        surveys::put_section(&state.store, &ctx.subject, id, Some(n), &title, &intro).await
    };
    match r {
        Ok(()) => {
            Ok(Redirect::to(&format!("/admin/enquetes/{id}?ok=saved#sections")).into_response())
        }
        Err(e) => builder_invalid(&state, &ctx, id, None, &invalid_or(e)?).await,
    }
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct QuestionForm {
    pub section: String,
    pub code: String,
    pub kind: String,
    pub label_fr: String,
    pub label_en: String,
    pub help_fr: String,
    pub help_en: String,
    pub mandatory: String,
    pub options: String,
    pub rows: String,
    pub max_choices: String,
    pub min: String,
    pub max: String,
    pub conditions: String,
}

impl QuestionForm {
    fn draft(&self) -> QuestionDraft {
        QuestionDraft {
            code: self.code.clone(),
            kind: self.kind.clone(),
            label_fr: self.label_fr.clone(),
            label_en: self.label_en.clone(),
            help_fr: self.help_fr.clone(),
            help_en: self.help_en.clone(),
            mandatory: !self.mandatory.is_empty(),
            options: self.options.clone(),
            rows: self.rows.clone(),
            max_choices: self.max_choices.clone(),
            min: self.min.clone(),
            max: self.max.clone(),
            conditions: self.conditions.clone(),
        }
    }

    fn of(d: &QuestionDraft, section: usize) -> QuestionForm {
        QuestionForm {
            section: section.to_string(),
            code: d.code.clone(),
            kind: d.kind.clone(),
            label_fr: d.label_fr.clone(),
            label_en: d.label_en.clone(),
            help_fr: d.help_fr.clone(),
            help_en: d.help_en.clone(),
            mandatory: if d.mandatory {
                "1".into()
            } else {
                String::new()
            },
            options: d.options.clone(),
            rows: d.rows.clone(),
            max_choices: d.max_choices.clone(),
            min: d.min.clone(),
            max: d.max.clone(),
            conditions: d.conditions.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "question.html")]
pub struct QuestionView {
    pub l: Layout,
    pub id: i64,
    pub survey_title: String,
    pub editing: Option<String>,
    pub answered: bool,
    pub form: QuestionForm,
    pub errs: Errors,
    pub kinds: Vec<Choice>,
    pub sections: Vec<Choice>,
    pub earlier: Vec<(String, String, String)>,
}

async fn question_view(
    state: &AppState,
    ctx: &Ctx,
    s: &SurveyRow,
    editing: Option<String>,
    form: QuestionForm,
    errs: Errors,
) -> AppResult<QuestionView> {
    let def = surveys::definition(s);
    let section: usize = form.section.parse().unwrap_or(0);
    let answered = match &editing {
        Some(code) => state.store.survey_question_answered(s.id, code).await?,
        None => false,
    };
    let earlier = def
        .before(section)
        .into_iter()
        .filter(|q| matches!(q.kind, Kind::Single | Kind::Multiple | Kind::Scale))
        .map(|q| {
            let values = if q.kind == Kind::Scale {
                q.scale_points()
                    .iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            } else {
                q.options
                    .iter()
                    .map(|o| format!("{} ({})", o.code, o.label.fr))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            (q.code.clone(), q.label.fr.clone(), values)
        })
        .collect();
    Ok(QuestionView {
        l: ctx.layout(
            state,
            ctx.tr.t(if editing.is_some() {
                "survey-question-edit"
            } else {
                "survey-question-new"
            }),
        ),
        id: s.id,
        survey_title: s.title.clone(),
        kinds: Kind::ALL
            .iter()
            .map(|k| Choice {
                value: k.as_str().into(),
                label: ctx.tr.t(&format!("survey-kind-{}", k.as_str())),
                selected: form.kind == k.as_str(),
            })
            .collect(),
        sections: def
            .sections
            .iter()
            .enumerate()
            .map(|(i, sec)| Choice {
                value: i.to_string(),
                label: format!("{}. {}", i + 1, sec.title.fr),
                selected: i == section,
            })
            .collect(),
        editing,
        answered,
        form,
        errs,
        earlier,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SectionQuery {
    pub section: String,
}

pub async fn new_question(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<SectionQuery>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let s = load(&state, &ctx, id).await?;
    let form = QuestionForm {
        section: if q.section.is_empty() {
            "0".into()
        } else {
            q.section
        },
        kind: "single".into(),
        ..Default::default()
    };
    Ok(render(
        &question_view(&state, &ctx, &s, None, form, Errors::none()).await?,
    ))
}

pub async fn create_question(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<QuestionForm>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let s = load(&state, &ctx, id).await?;
    let section: usize = form.section.parse().unwrap_or(usize::MAX);
    match surveys::put_question(&state.store, &ctx.subject, id, section, None, &form.draft()).await
    {
        Ok(()) => Ok(
            Redirect::to(&format!("/admin/enquetes/{id}?ok=created#s{section}")).into_response(),
        ),
        Err(e) => {
            let fe = invalid_or(e)?;
            let mut v =
                question_view(&state, &ctx, &s, None, form, Errors::from(&ctx.tr, &fe)).await?;
            v.l.has_errors = true;
            Ok(render_invalid(&v))
        }
    }
}

pub async fn edit_question(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, code)): Path<(i64, String)>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let s = load(&state, &ctx, id).await?;
    let def = surveys::definition(&s);
    let q = def.question(&code).ok_or(AppError::NotFound)?;
    let (section, _) = def.position(&code).unwrap_or((0, 0));
    let form = QuestionForm::of(&QuestionDraft::of(q), section);
    Ok(render(
        &question_view(&state, &ctx, &s, Some(code), form, Errors::none()).await?,
    ))
}

pub async fn update_question(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, code)): Path<(i64, String)>,
    Form(form): Form<QuestionForm>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let s = load(&state, &ctx, id).await?;
    let def = surveys::definition(&s);
    let (section, _) = def.position(&code).ok_or(AppError::NotFound)?;
    match surveys::put_question(
        &state.store,
        &ctx.subject,
        id,
        section,
        Some(&code),
        &form.draft(),
    )
    .await
    {
        Ok(()) => {
            Ok(Redirect::to(&format!("/admin/enquetes/{id}?ok=saved#s{section}")).into_response())
        }
        Err(e) => {
            let fe = invalid_or(e)?;
            let mut v = question_view(
                &state,
                &ctx,
                &s,
                Some(code),
                form,
                Errors::from(&ctx.tr, &fe),
            )
            .await?;
            v.l.has_errors = true;
            Ok(render_invalid(&v))
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ArrangeForm {
    pub action: String,
}

pub async fn arrange(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, code)): Path<(i64, String)>,
    Form(form): Form<ArrangeForm>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    load(&state, &ctx, id).await?;
    let how = match form.action.as_str() {
        "up" => Arrange::Up,
        "down" => Arrange::Down,
        "delete" => Arrange::Delete,
        _ => return Err(AppError::BadRequest("error-malformed-form")),
    };
    match surveys::arrange_question(&state.store, &ctx.subject, id, &code, how).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/admin/enquetes/{id}?ok=saved#sections")).into_response())
        }
        Err(e) => builder_invalid(&state, &ctx, id, None, &invalid_or(e)?).await,
    }
}
