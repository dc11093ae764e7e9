//! The builder: a survey's own fields, its questions and pages, and its state.

#[allow(unused_imports)]
use super::*;

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
