//! Answering: page by page (or whole, from the API), resumed where the respondent stopped.

#[allow(unused_imports)]
use super::*;

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
