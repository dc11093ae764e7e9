//! The survey's use cases: staff build the questionnaire and open it; residents answer it page
//! by page (signed in, or anonymously where allowed: one response per browser token) and may
//! stop and resume; staff import the polling firm's panel and weight it to the population's
//! margins; everyone allowed reads the results, computed once per revision of the survey.

use domain::validate::FieldErrors;
use domain::{Action, On, Resource, Subject};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use storage::{
    PanelResponse, ResponseRow, Store, StoreError, SurveyFields, SurveyRow, WeightingRow,
};
use survey::answers::{self, Answers};
use survey::definition::{self, Definition, Kind, Question, Section, Text};
use survey::results::{self, Group, QuestionResult, Weighted};
use survey::{Source, Status};

#[derive(Debug, thiserror::Error)]
pub enum SurveyError {
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("sign in first")]
    LoginRequired,
    /// Not taking answers (a draft, closed, or a debate not public).
    #[error("the survey is not open")]
    NotOpen,
    /// This account or browser already sent its response.
    #[error("already answered")]
    AlreadyAnswered,
    /// The panel's file or the margins cannot be used: every problem, for the page.
    #[error("{0}")]
    File(String),
    /// Rows of the panel's file refused (nothing imported).
    #[error("{} rows rejected", .0.len())]
    Rejected(Vec<survey::panel::Rejected>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn invalid(field: &str, key: &'static str) -> SurveyError {
    let mut e = FieldErrors::default();
    e.add(field, key);
    SurveyError::Invalid(e)
}

/// The survey's facts for the policy.
pub fn resource(s: &SurveyRow) -> Resource {
    let status = Status::parse(&s.status);
    Resource::Survey {
        debate_published: s.debate_status == "published",
        published: status != Status::Draft,
        open: status == Status::Open,
        anonymous: s.is_anonymous(),
        results_public: s.results_are_public(),
    }
}

/// The questionnaire (an unreadable one reads as empty, and staff see it so).
pub fn definition(s: &SurveyRow) -> Definition {
    serde_json::from_str(&s.definition).unwrap_or_default()
}

fn answers_of(r: &ResponseRow) -> Answers {
    serde_json::from_str(&r.answers).unwrap_or_default()
}

fn profile_of(r: &ResponseRow) -> BTreeMap<String, String> {
    serde_json::from_str(&r.profile).unwrap_or_default()
}

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "{}".into())
}

/// The survey, if this subject may know it exists.
pub async fn visible(
    store: &Store,
    subject: &Subject,
    slug: &str,
) -> Result<SurveyRow, SurveyError> {
    let s = store
        .survey_by_slug(slug)
        .await?
        .ok_or(SurveyError::NotFound)?;
    if !subject.may_on(On::Read, resource(&s)) {
        return Err(SurveyError::NotFound);
    }
    Ok(s)
}

fn refuse(subject: &Subject) -> SurveyError {
    if subject.account.is_none() {
        SurveyError::LoginRequired
    } else {
        SurveyError::Forbidden
    }
}

async fn managed(store: &Store, subject: &Subject, id: i64) -> Result<SurveyRow, SurveyError> {
    let s = store.survey(id).await?.ok_or(SurveyError::NotFound)?;
    if !subject.may_on(On::Manage, resource(&s)) {
        return Err(if subject.may_on(On::Read, resource(&s)) {
            refuse(subject)
        } else {
            SurveyError::NotFound
        });
    }
    Ok(s)
}

// ---------------------------------------------------------------- the builder

/// The survey's own fields as staff type them.
#[derive(Debug, Clone, Default)]
pub struct SurveyDraft {
    pub debate_id: i64,
    pub slug: String,
    pub title: String,
    pub title_en: String,
    pub intro: String,
    pub anonymous: bool,
    pub results_public: bool,
}

fn fields(d: &SurveyDraft) -> Result<SurveyFields, SurveyError> {
    let mut e = FieldErrors::default();
    let title = e.check("title", domain::validate::title(&d.title));
    let title_en = e.check(
        "title_en",
        domain::validate::optional_text(&d.title_en, 200),
    );
    let slug_src = if d.slug.trim().is_empty() {
        domain::validate::slugify(&d.title)
    } else {
        d.slug.clone()
    };
    let slug = e.check("slug", domain::validate::slug(&slug_src));
    let intro = e.check("intro", domain::validate::optional_text(&d.intro, 5000));
    match (title, title_en, slug, intro) {
        (Some(title), Some(title_en), Some(slug), Some(intro)) if e.is_empty() => {
            Ok(SurveyFields {
                debate_id: d.debate_id,
                slug,
                title,
                title_en,
                intro,
                anonymous: d.anonymous,
                results_public: d.results_public,
            })
        }
        _ => Err(SurveyError::Invalid(e)),
    }
}

pub async fn create(store: &Store, subject: &Subject, d: &SurveyDraft) -> Result<i64, SurveyError> {
    if !subject.may(Action::ManageSurveys) {
        return Err(refuse(subject));
    }
    let f = fields(d)?;
    if store.debate_by_id(d.debate_id).await?.is_none() {
        return Err(invalid("debate", "survey-error-debate"));
    }
    let mut tx = store.begin().await?;
    let id = match tx.insert_survey(&f, actor(subject)).await {
        Ok(id) => id,
        Err(StoreError::Conflict(_)) => return Err(invalid("slug", "error-slug-taken")),
        Err(e) => return Err(e.into()),
    };
    let first = Definition {
        sections: vec![Section {
            title: Text::new("Vous et la solidarité", "You and solidarity"),
            intro: Text::default(),
            questions: vec![],
        }],
    };
    tx.set_survey_definition(id, &json(&first)).await?;
    tx.audit(
        actor(subject),
        "survey.create",
        &format!("survey:{id}"),
        &f.title,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update(
    store: &Store,
    subject: &Subject,
    id: i64,
    d: &SurveyDraft,
) -> Result<(), SurveyError> {
    let s = managed(store, subject, id).await?;
    let mut f = fields(d)?;
    f.debate_id = s.debate_id;
    let mut tx = store.begin().await?;
    match tx.update_survey(id, &f).await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => return Err(invalid("slug", "error-slug-taken")),
        Err(e) => return Err(e.into()),
    }
    tx.bump_survey_revision(id).await?;
    tx.audit(
        actor(subject),
        "survey.update",
        &format!("survey:{id}"),
        &f.title,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The account acting; the command line and the demo act as a system subject (id 0), which
/// has no account row.
fn actor(subject: &Subject) -> Option<i64> {
    subject
        .account
        .as_ref()
        .map(|a| a.user_id)
        .filter(|id| *id > 0)
}

/// A question as the builder's form gives it.
#[derive(Debug, Clone, Default)]
pub struct QuestionDraft {
    pub code: String,
    pub kind: String,
    pub label_fr: String,
    pub label_en: String,
    pub help_fr: String,
    pub help_en: String,
    pub mandatory: bool,
    pub options: String,
    pub rows: String,
    pub max_choices: String,
    pub min: String,
    pub max: String,
    pub conditions: String,
}

impl QuestionDraft {
    pub fn of(q: &Question) -> QuestionDraft {
        let num = |n: Option<f64>| n.map(answers::format_number).unwrap_or_default();
        QuestionDraft {
            code: q.code.clone(),
            kind: q.kind.as_str().into(),
            label_fr: q.label.fr.clone(),
            label_en: q.label.en.clone(),
            help_fr: q.help.fr.clone(),
            help_en: q.help.en.clone(),
            mandatory: q.mandatory,
            options: definition::choices_text(&q.options),
            rows: definition::choices_text(&q.rows),
            max_choices: q.max_choices.map(|m| m.to_string()).unwrap_or_default(),
            min: num(q.min),
            max: num(q.max),
            conditions: definition::conditions_text(&q.conditions),
        }
    }

    /// The question, or the form's errors keyed by its fields.
    pub fn parse(&self) -> Result<Question, FieldErrors> {
        let mut e = FieldErrors::default();
        let kind = Kind::parse(&self.kind);
        if kind.is_none() {
            e.add("kind", "survey-error-kind");
        }
        let options = e.check("options", definition::parse_choices(&self.options));
        let rows = e.check("rows", definition::parse_choices(&self.rows));
        let conditions = e.check("conditions", definition::parse_conditions(&self.conditions));
        let number = |e: &mut FieldErrors, field: &str, s: &str| -> Option<f64> {
            if s.trim().is_empty() {
                return None;
            }
            let n = answers::parse_number(s);
            if n.is_none() {
                e.add(field, "survey-error-not-a-number");
            }
            n
        };
        let min = number(&mut e, "min", &self.min);
        let max = number(&mut e, "max", &self.max);
        let max_choices = match self.max_choices.trim() {
            "" => None,
            s => match s.parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    e.add("max_choices", "survey-error-max-choices");
                    None
                }
            },
        };
        let (Some(kind), Some(options), Some(rows), Some(conditions)) =
            (kind, options, rows, conditions)
        else {
            return Err(e);
        };
        if !e.is_empty() {
            return Err(e);
        }
        let kind_uses_bounds = matches!(kind, Kind::Scale | Kind::Number);
        Ok(Question {
            code: self.code.trim().to_string(),
            kind,
            label: Text::new(&self.label_fr, &self.label_en),
            help: Text::new(&self.help_fr, &self.help_en),
            mandatory: self.mandatory,
            options: if kind.has_options() {
                options
            } else {
                Vec::new()
            },
            rows: if kind == Kind::Matrix {
                rows
            } else {
                Vec::new()
            },
            max_choices: if kind == Kind::Multiple {
                max_choices
            } else {
                None
            },
            min: if kind_uses_bounds { min } else { None },
            max: if kind_uses_bounds { max } else { None },
            conditions,
        })
    }
}

/// Adds a question at the end of a section, or replaces the question `replacing` (its code).
/// A question that has answers keeps its kind, options and rows (new ones may be added).
pub async fn put_question(
    store: &Store,
    subject: &Subject,
    id: i64,
    section: usize,
    replacing: Option<&str>,
    draft: &QuestionDraft,
) -> Result<(), SurveyError> {
    let s = managed(store, subject, id).await?;
    let mut def = definition(&s);
    if section >= def.sections.len() {
        return Err(invalid("section", "survey-error-section"));
    }
    let q = draft.parse().map_err(SurveyError::Invalid)?;
    let old = match replacing {
        Some(code) => Some(def.question(code).cloned().ok_or(SurveyError::NotFound)?),
        None => None,
    };
    let (sec, pos) = match &old {
        Some(o) => def.position(&o.code).unwrap_or((section, 0)),
        None => (section, def.sections[section].questions.len()),
    };
    let before = def.before(sec);
    let others: Vec<&Question> = def
        .questions()
        .filter(|o| old.as_ref().is_none_or(|old| old.code != o.code))
        .collect();
    let e = Definition::check_question(&q, &before, &others);
    if !e.is_empty() {
        return Err(SurveyError::Invalid(e));
    }
    if let Some(o) = &old
        && store.survey_question_answered(id, &o.code).await?
        && let Err(key) = definition::compatible(o, &q)
    {
        let field = match key {
            "survey-error-answered-rows" => "rows",
            "survey-error-answered-options" | "survey-error-answered-scale" => "options",
            _ => "kind",
        };
        return Err(invalid(field, key));
    }
    // Questions that depend on this one must still make sense.
    if let Some(o) = &old
        && o.code != q.code
        && def
            .questions()
            .any(|x| x.conditions.iter().any(|c| c.question == o.code))
    {
        return Err(invalid("code", "survey-error-code-used-by-condition"));
    }
    match &old {
        Some(_) => def.sections[sec].questions[pos] = q.clone(),
        None => def.sections[sec].questions.push(q.clone()),
    }
    if let Err(problems) = def.validate() {
        // A question later in the survey depends on an option this change removed.
        let key = problems
            .first()
            .map(|p| p.1)
            .unwrap_or("survey-error-definition");
        return Err(invalid("options", key));
    }
    let mut tx = store.begin().await?;
    tx.set_survey_definition(id, &json(&def)).await?;
    tx.audit(
        actor(subject),
        if old.is_some() {
            "survey.question.update"
        } else {
            "survey.question.add"
        },
        &format!("survey:{id}"),
        &q.code,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Replaces the whole questionnaire (a definition written elsewhere, or reused from another
/// survey): checked as the builder checks each question, and refused where it would change what
/// existing answers mean.
pub async fn set_definition(
    store: &Store,
    subject: &Subject,
    id: i64,
    def: &Definition,
) -> Result<(), SurveyError> {
    let s = managed(store, subject, id).await?;
    if let Err(problems) = def.validate() {
        let mut e = FieldErrors::default();
        for (code, key) in problems {
            e.add(
                if code.is_empty() {
                    "definition".to_string()
                } else {
                    code
                },
                key,
            );
        }
        return Err(SurveyError::Invalid(e));
    }
    let old = definition(&s);
    for q in old.questions() {
        if !store.survey_question_answered(id, &q.code).await? {
            continue;
        }
        match def.question(&q.code) {
            None => return Err(invalid(&q.code, "survey-error-delete-answered")),
            Some(new) => {
                if let Err(key) = definition::compatible(q, new) {
                    return Err(invalid(&q.code, key));
                }
            }
        }
    }
    let mut tx = store.begin().await?;
    tx.set_survey_definition(id, &json(def)).await?;
    tx.audit(
        actor(subject),
        "survey.definition",
        &format!("survey:{id}"),
        &format!("{} questions", def.questions().count()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What the builder can do to a question or a section besides editing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrange {
    Up,
    Down,
    Delete,
}

pub async fn arrange_question(
    store: &Store,
    subject: &Subject,
    id: i64,
    code: &str,
    how: Arrange,
) -> Result<(), SurveyError> {
    let s = managed(store, subject, id).await?;
    let mut def = definition(&s);
    let (sec, pos) = def.position(code).ok_or(SurveyError::NotFound)?;
    match how {
        Arrange::Delete => {
            if store.survey_question_answered(id, code).await? {
                return Err(invalid("question", "survey-error-delete-answered"));
            }
            if def
                .questions()
                .any(|x| x.conditions.iter().any(|c| c.question == code))
            {
                return Err(invalid("question", "survey-error-code-used-by-condition"));
            }
            def.sections[sec].questions.remove(pos);
        }
        Arrange::Up | Arrange::Down => {
            let qs = &mut def.sections[sec].questions;
            let other = if how == Arrange::Up {
                pos.checked_sub(1)
            } else {
                (pos + 1 < qs.len()).then_some(pos + 1)
            };
            let Some(other) = other else { return Ok(()) };
            qs.swap(pos, other);
        }
    }
    if def.validate().is_err() {
        return Err(invalid("question", "survey-error-order-breaks-condition"));
    }
    let mut tx = store.begin().await?;
    tx.set_survey_definition(id, &json(&def)).await?;
    tx.audit(
        actor(subject),
        "survey.question.arrange",
        &format!("survey:{id}"),
        &format!("{code} {how:?}"),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a section (a page) at the end, or renames section `index`.
pub async fn put_section(
    store: &Store,
    subject: &Subject,
    id: i64,
    index: Option<usize>,
    title: &Text,
    intro: &Text,
) -> Result<(), SurveyError> {
    let s = managed(store, subject, id).await?;
    let mut def = definition(&s);
    if title.fr.is_empty() {
        return Err(invalid("section_title", "survey-error-section-title"));
    }
    if title.fr.chars().count() > 200 || intro.fr.chars().count() > 2000 {
        return Err(invalid("section_title", "survey-error-too-long"));
    }
    match index {
        Some(i) => {
            let sec = def.sections.get_mut(i).ok_or(SurveyError::NotFound)?;
            sec.title = title.clone();
            sec.intro = intro.clone();
        }
        None => def.sections.push(Section {
            title: title.clone(),
            intro: intro.clone(),
            questions: vec![],
        }),
    }
    let mut tx = store.begin().await?;
    tx.set_survey_definition(id, &json(&def)).await?;
    tx.audit(
        actor(subject),
        "survey.section",
        &format!("survey:{id}"),
        &title.fr,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes an empty section.
pub async fn delete_section(
    store: &Store,
    subject: &Subject,
    id: i64,
    index: usize,
) -> Result<(), SurveyError> {
    let s = managed(store, subject, id).await?;
    let mut def = definition(&s);
    let sec = def.sections.get(index).ok_or(SurveyError::NotFound)?;
    if !sec.questions.is_empty() {
        return Err(invalid("section", "survey-error-section-not-empty"));
    }
    if def.sections.len() == 1 {
        return Err(invalid("section", "survey-error-last-section"));
    }
    def.sections.remove(index);
    let mut tx = store.begin().await?;
    tx.set_survey_definition(id, &json(&def)).await?;
    tx.audit(
        actor(subject),
        "survey.section.delete",
        &format!("survey:{id}"),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Opens, closes or takes back to draft. Opening needs a questionnaire that can be answered;
/// going back to draft is refused once someone answered.
pub async fn set_status(
    store: &Store,
    subject: &Subject,
    id: i64,
    status: Status,
) -> Result<(), SurveyError> {
    let s = managed(store, subject, id).await?;
    let def = definition(&s);
    if status == Status::Open {
        if def.questions().next().is_none() {
            return Err(invalid("status", "survey-error-open-empty"));
        }
        if def.validate().is_err() {
            return Err(invalid("status", "survey-error-definition"));
        }
    }
    if status == Status::Draft {
        let (online, writing, _) = store.survey_counts(id).await?;
        if online + writing > 0 {
            return Err(invalid("status", "survey-error-draft-answered"));
        }
    }
    let mut tx = store.begin().await?;
    tx.set_survey_status(id, status.as_str()).await?;
    tx.audit(
        actor(subject),
        "survey.status",
        &format!("survey:{id}"),
        status.as_str(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------- answering

/// Who answers: an account, or a browser's token (its hash).
#[derive(Debug, Clone)]
pub enum Respondent {
    Account(i64),
    Browser(String),
}

impl Respondent {
    /// The signed-in account, else the browser token's hash (if the browser has one).
    pub fn of(subject: &Subject, token: Option<&str>) -> Option<Respondent> {
        match (&subject.account, token) {
            (Some(a), _) => Some(Respondent::Account(a.user_id)),
            (None, Some(t)) if !t.is_empty() => Some(Respondent::Browser(storage::hash_token(t))),
            _ => None,
        }
    }
}

/// The respondent's response to this survey, if they started one.
pub async fn response_of(
    store: &Store,
    survey_id: i64,
    who: &Respondent,
) -> Result<Option<ResponseRow>, SurveyError> {
    Ok(match who {
        Respondent::Account(u) => store.survey_response_of_user(survey_id, *u).await?,
        Respondent::Browser(h) => store.survey_response_of_token(survey_id, h).await?,
    })
}

/// What the respondent asked for with a page's buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// Check this page and go on (sending the response after the last page).
    Next,
    /// Keep what is typed (even incomplete) and go back one page.
    Back,
    /// Keep what is typed (even incomplete) to resume later.
    Save,
}

#[derive(Debug)]
pub enum Outcome {
    /// Show this page next.
    Page(usize),
    /// The response is sent.
    Submitted,
    /// Saved; resume at this page.
    Saved(usize),
    /// This page's errors, with the answers as typed (nothing lost).
    Invalid(FieldErrors, Answers),
}

/// The page a respondent is at (or the first), and their answers so far.
pub async fn resume(
    store: &Store,
    subject: &Subject,
    s: &SurveyRow,
    who: Option<&Respondent>,
) -> Result<(usize, Answers, bool), SurveyError> {
    if !subject.may_on(On::Answer, resource(s)) {
        return Err(match Status::parse(&s.status) {
            Status::Open if subject.account.is_none() => SurveyError::LoginRequired,
            Status::Open => SurveyError::Forbidden,
            _ => SurveyError::NotOpen,
        });
    }
    let def = definition(s);
    let first = answers::next_page(&def, None, &Answers::new()).unwrap_or(0);
    let Some(who) = who else {
        return Ok((first, Answers::new(), false));
    };
    match response_of(store, s.id, who).await? {
        Some(r) if r.submitted_at.is_some() => Err(SurveyError::AlreadyAnswered),
        Some(r) => {
            let a = answers_of(&r);
            let page = r.page.max(0) as usize;
            let page = if answers::section_shown(&def, page, &a) {
                page
            } else {
                answers::next_page(&def, None, &a).unwrap_or(first)
            };
            Ok((page, a, true))
        }
        None => Ok((first, Answers::new(), false)),
    }
}

/// Takes one page of answers. A respondent without a response gets one (a browser gets it under
/// its token; the caller gives the token and counts the rate limit before).
pub async fn answer_page(
    store: &Store,
    subject: &Subject,
    s: &SurveyRow,
    who: &Respondent,
    page: usize,
    form: &[(String, String)],
    how: Move,
) -> Result<Outcome, SurveyError> {
    let (_, mut a, started) = resume(store, subject, s, Some(who)).await?;
    let def = definition(s);
    if page >= def.sections.len() {
        return Err(SurveyError::NotFound);
    }
    let errors = answers::read_section(&def, page, form, &mut a, how == Move::Next);
    if !errors.is_empty() && how == Move::Next {
        return Ok(Outcome::Invalid(errors, a));
    }
    if !errors.is_empty() {
        // Saving keeps what is valid, and says what is not.
        save(store, s, who, started, &a, page as i64).await?;
        return Ok(Outcome::Invalid(errors, a));
    }
    match how {
        Move::Save => {
            save(store, s, who, started, &a, page as i64).await?;
            Ok(Outcome::Saved(page))
        }
        Move::Back => {
            let to = answers::previous_page(&def, page, &a).unwrap_or(page);
            save(store, s, who, started, &a, to as i64).await?;
            Ok(Outcome::Page(to))
        }
        Move::Next => match answers::next_page(&def, Some(page), &a) {
            Some(next) => {
                save(store, s, who, started, &a, next as i64).await?;
                Ok(Outcome::Page(next))
            }
            None => {
                if let Some((at, q)) = answers::first_missing(&def, &a) {
                    save(store, s, who, started, &a, at as i64).await?;
                    let mut e = FieldErrors::default();
                    e.add(answers::field(q), "survey-error-mandatory");
                    return Ok(if at == page {
                        Outcome::Invalid(e, a)
                    } else {
                        Outcome::Page(at)
                    });
                }
                submit(store, s, who, started, &a).await?;
                Ok(Outcome::Submitted)
            }
        },
    }
}

async fn response_id(
    tx: &mut storage::Tx<'_>,
    store: &Store,
    s: &SurveyRow,
    who: &Respondent,
    started: bool,
) -> Result<i64, SurveyError> {
    if started && let Some(r) = response_of(store, s.id, who).await? {
        return Ok(r.id);
    }
    let (user, token) = match who {
        Respondent::Account(u) => (Some(*u), None),
        Respondent::Browser(h) => (None, Some(h.as_str())),
    };
    match tx.insert_survey_response(s.id, user, token).await {
        Ok(id) => Ok(id),
        // Two tabs started at once: the other one's response is this respondent's.
        Err(StoreError::Conflict(_)) => Err(SurveyError::AlreadyAnswered),
        Err(e) => Err(e.into()),
    }
}

async fn save(
    store: &Store,
    s: &SurveyRow,
    who: &Respondent,
    started: bool,
    a: &Answers,
    page: i64,
) -> Result<(), SurveyError> {
    let mut tx = store.begin().await?;
    let id = response_id(&mut tx, store, s, who, started).await?;
    tx.save_survey_response(id, &json(a), page).await?;
    tx.commit().await?;
    Ok(())
}

async fn submit(
    store: &Store,
    s: &SurveyRow,
    who: &Respondent,
    started: bool,
    a: &Answers,
) -> Result<(), SurveyError> {
    // The account's category and quartier, as they are when the response is sent: the
    // profile the "who spoke" page compares.
    let mut profile = BTreeMap::new();
    if let Respondent::Account(u) = who
        && let Some(user) = store.user_by_id(*u).await?
    {
        if let Some(c) = user.category_id
            && let Some(k) = store.categories().await?.into_iter().find(|k| k.id == c)
        {
            profile.insert("categorie".to_string(), k.name);
        }
        if let Some(q) = user.quartier_id
            && let Some(k) = store.quartiers().await?.into_iter().find(|k| k.id == q)
        {
            profile.insert("quartier".to_string(), k.name);
        }
        if let Some(age) = user.age_bracket.filter(|a| !a.is_empty()) {
            profile.insert("age".to_string(), age);
        }
    }
    let mut tx = store.begin().await?;
    let id = response_id(&mut tx, store, s, who, started).await?;
    tx.submit_survey_response(id, &json(a), &json(&profile))
        .await?;
    tx.bump_survey_revision(s.id).await?;
    tx.audit(
        match who {
            Respondent::Account(u) => Some(*u),
            Respondent::Browser(_) => None,
        },
        "survey.response",
        &format!("survey:{}", s.id),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Answers sent whole (the API): checked with the same rules as the pages, then sent.
pub async fn answer_all(
    store: &Store,
    subject: &Subject,
    s: &SurveyRow,
    who: &Respondent,
    a: &Answers,
) -> Result<(), SurveyError> {
    let (_, _, started) = resume(store, subject, s, Some(who)).await?;
    let def = definition(s);
    let problems = answers::check(&def, a);
    if !problems.is_empty() {
        let mut e = FieldErrors::default();
        for (code, key) in problems {
            e.add(code, key);
        }
        return Err(SurveyError::Invalid(e));
    }
    submit(store, s, who, started, a).await
}

// ---------------------------------------------------------------- the panel

/// What a panel's file would import: the columns' roles, the questions no column answers, a
/// few rows, the rejected rows.
#[derive(Debug, Serialize)]
pub struct PanelPreview {
    pub encoding: String,
    pub rows: usize,
    pub mapping: survey::panel::Mapping,
    pub unmapped: Vec<String>,
    pub sample: Vec<Vec<String>>,
    pub rejected: Vec<survey::panel::Rejected>,
}

fn read_panel(
    def: &Definition,
    bytes: &[u8],
    id_column: &str,
) -> Result<(weighting::Table, survey::panel::Mapping), SurveyError> {
    let table =
        weighting::read_table(bytes, "the panel").map_err(|e| SurveyError::File(e.to_string()))?;
    let mapping = survey::panel::map_columns(def, &table, id_column);
    Ok((table, mapping))
}

/// Reads a panel's file without importing it.
pub async fn preview_panel(
    store: &Store,
    subject: &Subject,
    id: i64,
    bytes: &[u8],
    id_column: &str,
) -> Result<PanelPreview, SurveyError> {
    let s = managed(store, subject, id).await?;
    let def = definition(&s);
    let (table, mapping) = read_panel(&def, bytes, id_column)?;
    let (_, rejected) = survey::panel::read_rows(&def, &table, &mapping);
    Ok(PanelPreview {
        encoding: format!("{:?}", table.encoding),
        rows: table.len(),
        unmapped: mapping
            .unmapped(&def)
            .iter()
            .map(|q| q.code.clone())
            .collect(),
        sample: table
            .rows
            .iter()
            .take(5)
            .map(|r| r.iter().map(str::to_string).collect())
            .collect(),
        mapping,
        rejected,
    })
}

/// Imports a panel's file whole, replacing the survey's panel (and its weights): nothing when
/// a row is rejected.
pub async fn import_panel(
    store: &Store,
    subject: &Subject,
    id: i64,
    bytes: &[u8],
    id_column: &str,
) -> Result<usize, SurveyError> {
    let s = managed(store, subject, id).await?;
    let def = definition(&s);
    let (table, mapping) = read_panel(&def, bytes, id_column)?;
    if mapping.id_column().is_none() {
        return Err(SurveyError::File(format!(
            "no column {:?} for the respondents' identifiers (columns: {})",
            if id_column.is_empty() {
                "id"
            } else {
                id_column
            },
            table.headers.join(", ")
        )));
    }
    let (rows, rejected) = survey::panel::read_rows(&def, &table, &mapping);
    if !rejected.is_empty() {
        return Err(SurveyError::Rejected(rejected));
    }
    if rows.is_empty() {
        return Err(SurveyError::File("the file holds no respondent".into()));
    }
    let rows: Vec<PanelResponse> = rows
        .into_iter()
        .map(|r| PanelResponse {
            panel_ref: r.reference,
            answers: json(&r.answers),
            profile: json(&r.profile),
        })
        .collect();
    let mut tx = store.begin().await?;
    tx.replace_panel(id, &rows).await?;
    tx.bump_survey_revision(id).await?;
    tx.audit(
        actor(subject),
        "survey.panel.import",
        &format!("survey:{id}"),
        &format!("{} respondents", rows.len()),
    )
    .await?;
    tx.commit().await?;
    Ok(rows.len())
}

/// How to weight the panel.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct WeightingOptions {
    /// The raking variables: profile columns of the panel, each with margins.
    pub by: Vec<String>,
    /// Bounds on the weights relative to their mean, e.g. (0.3, 3).
    pub trim: Option<(f64, f64)>,
}

fn panel_table(profiles: &[BTreeMap<String, String>], by: &[String]) -> weighting::Table {
    weighting::Table {
        headers: by.to_vec(),
        rows: profiles
            .iter()
            .map(|p| {
                csv::StringRecord::from(
                    by.iter()
                        .map(|v| p.get(v).map(String::as_str).unwrap_or(""))
                        .collect::<Vec<_>>(),
                )
            })
            .collect(),
        lines: (0..profiles.len() as u64).map(|i| i + 2).collect(),
        encoding: weighting::table::Encoding::Utf8,
        delimiter: b';',
    }
}

/// Rakes the panel to the margins (a `variable;modalite;effectif` file); stores the weights
/// and the diagnostics.
pub async fn weigh(
    store: &Store,
    subject: &Subject,
    id: i64,
    margins_file: &[u8],
    opts: &WeightingOptions,
) -> Result<weighting::Diagnostics, SurveyError> {
    managed(store, subject, id).await?;
    let panel = store
        .submitted_responses(id, Source::Panel.as_str())
        .await?;
    if panel.is_empty() {
        return Err(SurveyError::File(
            "import the polling firm's panel first: there is nobody to weight".into(),
        ));
    }
    let profiles: Vec<BTreeMap<String, String>> = panel.iter().map(profile_of).collect();
    let (_, diagnostics, weights, margins_text) = rake(&profiles, margins_file, opts)?;
    let w = WeightingRow {
        id: 0,
        survey_id: id,
        by_variables: opts.by.join(","),
        margins: margins_text,
        options: json(opts),
        diagnostics: json(&diagnostics),
        created_at: 0,
    };
    let pairs: Vec<(i64, f64)> = panel.iter().map(|r| r.id).zip(weights).collect();
    let mut tx = store.begin().await?;
    tx.insert_weighting(&w, &pairs, actor(subject)).await?;
    tx.bump_survey_revision(id).await?;
    tx.audit(
        actor(subject),
        "survey.weighting",
        &format!("survey:{id}"),
        &format!(
            "by {}; neff {:.0}",
            opts.by.join(","),
            diagnostics.effective_sample_size
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(diagnostics)
}

type Raked = (weighting::Design, weighting::Diagnostics, Vec<f64>, String);

fn rake(
    panel: &[BTreeMap<String, String>],
    margins_file: &[u8],
    opts: &WeightingOptions,
) -> Result<Raked, SurveyError> {
    let file = |e: weighting::Error| SurveyError::File(e.to_string());
    if opts.by.is_empty() {
        return Err(SurveyError::File(
            "name at least one raking variable (sexe, age, quartier…)".into(),
        ));
    }
    let mtable = weighting::read_table(margins_file, "the margins").map_err(file)?;
    let margins = weighting::parse_margins(&mtable).map_err(file)?;
    let table = panel_table(panel, &opts.by);
    let by: Vec<&str> = opts.by.iter().map(String::as_str).collect();
    let design = weighting::bind(&table, &margins, &by).map_err(file)?;
    let ro = weighting::RakeOptions {
        trim: opts.trim,
        ..Default::default()
    };
    let raking = weighting::rake(&design, None, &ro).map_err(file)?;
    let diagnostics = weighting::diagnose(&design, &raking, &ro);
    let text = weighting::table::decode(margins_file).0;
    Ok((design, diagnostics, raking.weights, text))
}

// ---------------------------------------------------------------- results

/// Everything the results pages show, computed once per revision of the survey.
#[derive(Debug)]
pub struct SurveyResults {
    pub revision: i64,
    pub definition: Definition,
    pub online: Vec<QuestionResult>,
    pub panel: Vec<QuestionResult>,
    /// The panel's results weighted (when a weighting exists and still fits the panel).
    pub weighted: Option<Vec<QuestionResult>>,
    pub diagnostics: Option<weighting::Diagnostics>,
    /// Why the stored weighting could not be used, if it could not.
    pub weighting_problem: Option<String>,
    pub online_count: usize,
    pub panel_count: usize,
    /// The profile variables of the panel (sexe, age, quartier…) and of the online
    /// respondents (categorie, quartier, age), in order of first appearance.
    pub panel_variables: Vec<String>,
    pub online_variables: Vec<String>,
    /// The online respondents per value of each profile variable ("who spoke").
    pub online_profile: BTreeMap<String, BTreeMap<String, usize>>,
    /// The raking variables of the weighting, in order.
    pub by: Vec<String>,
}

type Cache = Mutex<HashMap<i64, Arc<SurveyResults>>>;

fn cache() -> &'static Cache {
    static CACHE: std::sync::OnceLock<Cache> = std::sync::OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The survey's results, if this subject may read them; from the cache while the survey's
/// revision is the same (a new response, panel or weighting raises it, in any instance).
pub async fn results(
    store: &Store,
    subject: &Subject,
    s: &SurveyRow,
) -> Result<Arc<SurveyResults>, SurveyError> {
    if !subject.may_on(On::ReadResults, resource(s)) {
        return Err(if subject.may_on(On::Read, resource(s)) {
            refuse(subject)
        } else {
            SurveyError::NotFound
        });
    }
    let revision = store
        .survey_revision(s.id)
        .await?
        .ok_or(SurveyError::NotFound)?;
    if let Some(r) = cache().lock().ok().and_then(|c| c.get(&s.id).cloned())
        && r.revision == revision
    {
        return Ok(r);
    }
    let online = store
        .response_figures(s.id, Source::Online.as_str())
        .await?;
    let panel = store.response_figures(s.id, Source::Panel.as_str()).await?;
    let weighting = store.latest_weighting(s.id).await?;
    let def = definition(s);
    let computed =
        tokio::task::spawn_blocking(move || compute(revision, def, online, panel, weighting))
            .await
            .map_err(|e| SurveyError::File(format!("results: {e}")))?;
    let r = Arc::new(computed);
    if let Ok(mut c) = cache().lock() {
        c.insert(s.id, r.clone());
    }
    Ok(r)
}

type Figures = Vec<(String, String, Option<f64>)>;

/// Parses rows on both cores: (answers, profile, weight).
fn parse(rows: Figures) -> Vec<(Answers, BTreeMap<String, String>, Option<f64>)> {
    let one = |rows: &[(String, String, Option<f64>)]| -> Vec<(Answers, BTreeMap<String, String>, Option<f64>)> {
        rows.iter()
            .map(|(a, p, w)| {
                (
                    serde_json::from_str(a).unwrap_or_default(),
                    serde_json::from_str(p).unwrap_or_default(),
                    *w,
                )
            })
            .collect()
    };
    if rows.len() < 20_000 {
        return one(&rows);
    }
    let (a, b) = rows.split_at(rows.len() / 2);
    std::thread::scope(|scope| {
        let second = scope.spawn(|| one(b));
        let mut first = one(a);
        first.extend(second.join().unwrap_or_default());
        first
    })
}

/// Every question's results, the questions shared between two threads when the group is large
/// (a weighted figure costs a projection over every respondent).
fn all_results(def: &Definition, g: &Group<'_>) -> Vec<QuestionResult> {
    let questions: Vec<&Question> = def.questions().collect();
    if g.len() < 20_000 || questions.len() < 2 {
        return questions.iter().map(|q| results::question(q, g)).collect();
    }
    let (a, b) = questions.split_at(questions.len() / 2);
    std::thread::scope(|scope| {
        let second = scope.spawn(|| {
            b.iter()
                .map(|q| results::question(q, g))
                .collect::<Vec<_>>()
        });
        let mut first: Vec<QuestionResult> = a.iter().map(|q| results::question(q, g)).collect();
        first.extend(second.join().unwrap_or_default());
        first
    })
}

fn compute(
    revision: i64,
    def: Definition,
    online: Figures,
    panel: Figures,
    weighting: Option<WeightingRow>,
) -> SurveyResults {
    let online_rows: Vec<(Answers, BTreeMap<String, String>)> =
        parse(online).into_iter().map(|(a, p, _)| (a, p)).collect();
    let panel_rows = parse(panel);
    fn group(rows: Vec<&Answers>) -> Group<'_> {
        Group {
            answers: rows,
            weighted: None,
        }
    }
    let online_results = all_results(&def, &group(online_rows.iter().map(|r| &r.0).collect()));
    let panel_results = all_results(&def, &group(panel_rows.iter().map(|r| &r.0).collect()));
    let mut weighted = None;
    let mut diagnostics = None;
    let mut problem = None;
    let mut by = Vec::new();
    if let Some(w) = weighting {
        let opts: WeightingOptions = serde_json::from_str(&w.options).unwrap_or_default();
        by = opts.by.clone();
        let weights: Option<Vec<f64>> = panel_rows.iter().map(|r| r.2).collect();
        match weights {
            None => problem = Some("the panel changed after its weighting: weight it again".into()),
            Some(weights) => {
                // The design is bound again from the stored margins, for the standard errors.
                let profiles: Vec<BTreeMap<String, String>> =
                    panel_rows.iter().map(|r| r.1.clone()).collect();
                match rake(&profiles, w.margins.as_bytes(), &opts) {
                    Ok((design, diag, _, _)) => {
                        let projector = weighting::estimate::Projector::new(&design);
                        let g = Group {
                            answers: panel_rows.iter().map(|r| &r.0).collect(),
                            weighted: Some(Weighted {
                                weights: &weights,
                                design: &design,
                                projector: projector.as_ref(),
                            }),
                        };
                        weighted = Some(all_results(&def, &g));
                        diagnostics = Some(diag);
                    }
                    Err(e) => problem = Some(e.to_string()),
                }
            }
        }
    }
    SurveyResults {
        revision,
        online: online_results,
        panel: panel_results,
        weighted,
        diagnostics,
        weighting_problem: problem,
        online_count: online_rows.len(),
        panel_count: panel_rows.len(),
        panel_variables: variables(panel_rows.iter().map(|r| &r.1)),
        online_variables: variables(online_rows.iter().map(|r| &r.1)),
        online_profile: {
            let mut m: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
            for (_, p) in &online_rows {
                for (k, v) in p {
                    *m.entry(k.clone())
                        .or_default()
                        .entry(v.clone())
                        .or_default() += 1;
                }
            }
            m
        },
        by,
        definition: def,
    }
}

/// The variables of these profiles, in order of first appearance.
fn variables<'a>(profiles: impl Iterator<Item = &'a BTreeMap<String, String>>) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for p in profiles {
        for k in p.keys() {
            if !v.contains(k) {
                v.push(k.clone());
            }
        }
    }
    v
}

/// One question's cross-tabulation by a profile variable, over the panel (weighted shares when
/// it is weighted) or the online respondents. Read from the database when asked (the results'
/// cache keeps figures, not responses).
pub async fn crosstab(
    store: &Store,
    subject: &Subject,
    s: &SurveyRow,
    code: &str,
    variable: &str,
    panel: bool,
) -> Result<Vec<(String, QuestionResult)>, SurveyError> {
    if !subject.may_on(On::ReadResults, resource(s)) {
        return Err(SurveyError::NotFound);
    }
    let def = definition(s);
    let Some(q) = def.question(code).cloned() else {
        return Ok(Vec::new());
    };
    let source = if panel { Source::Panel } else { Source::Online };
    let rows = store.submitted_responses(s.id, source.as_str()).await?;
    let variable = variable.to_string();
    tokio::task::spawn_blocking(move || {
        let parsed: Vec<(Answers, BTreeMap<String, String>, Option<f64>)> = rows
            .iter()
            .map(|r| (answers_of(r), profile_of(r), r.weight))
            .collect();
        let weights: Option<Vec<f64>> = parsed.iter().map(|r| r.2).collect();
        let answers: Vec<&Answers> = parsed.iter().map(|r| &r.0).collect();
        let profiles: Vec<&BTreeMap<String, String>> = parsed.iter().map(|r| &r.1).collect();
        // Weighted shares within a category need the weights only (no design).
        let plain;
        let g = match &weights {
            Some(w) if panel && !w.is_empty() => {
                plain = weighting::Design {
                    n: w.len(),
                    margins: vec![],
                    total: w.iter().sum(),
                    warnings: vec![],
                };
                Group {
                    answers,
                    weighted: Some(Weighted {
                        weights: w,
                        design: &plain,
                        projector: None,
                    }),
                }
            }
            _ => Group {
                answers,
                weighted: None,
            },
        };
        results::crosstab(&q, &g, &profiles, &variable)
    })
    .await
    .map_err(|e| SurveyError::File(format!("cross-tabulation: {e}")))
}
