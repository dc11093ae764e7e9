//! Writing contributions: online by their author, or typed in by a facilitator from paper,
//! workshops, mediation, mail or phone (one at a time or a pile at once).

use domain::contribution::{Window, window};
use domain::validate::{self, FieldErrors};
use domain::{Action, Channel, Debate, DebateStatus, On, Resource, Subject};
use storage::{NewContribution, Store, StoreError};

/// Channels a facilitator types in (online ones are written by their authors, imports come from
/// the command line).
pub const OFFLINE_CHANNELS: [Channel; 5] = [
    Channel::Paper,
    Channel::Workshop,
    Channel::Mediation,
    Channel::Email,
    Channel::Phone,
];

/// A title for a text that came without one: its first line, without the bullets and dashes
/// people write in front, cut on a word near 80 characters.
pub fn title_from_text(body: &str) -> String {
    let first = body
        .lines()
        .map(|l| {
            l.trim()
                .trim_start_matches(|c: char| "•·-–—*>○●▪◦".contains(c) || c.is_whitespace())
        })
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let mut out = String::new();
    for word in first.split_whitespace() {
        if out.chars().count() + word.chars().count() > 80 {
            out.push('…');
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        out = first.chars().take(80).collect();
    }
    out
}

/// Most contributions a facilitator may send in one bulk entry.
pub const MAX_BULK: usize = 500;

#[derive(Debug, thiserror::Error)]
pub enum ContributeError {
    #[error("sign in to contribute")]
    LoginRequired,
    #[error("no such debate")]
    NotFound,
    #[error("not allowed to contribute")]
    Forbidden,
    #[error("contributions are not open")]
    Closed(Window),
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a person writes online. Ids as typed: they are checked here.
#[derive(Debug, Clone, Default)]
pub struct OnlineInput {
    pub question_id: Option<i64>,
    pub title: String,
    pub body: String,
    pub quartier_id: Option<i64>,
}

/// What a facilitator types in from a contribution received offline.
#[derive(Debug, Clone, Default)]
pub struct OfflineInput {
    pub question_id: Option<i64>,
    pub channel: String,
    pub place: String,
    /// Unix seconds.
    pub received_at: Option<i64>,
    pub quartier_id: Option<i64>,
    pub category_id: Option<i64>,
    /// individual or collective
    pub kind: String,
    pub title: String,
    pub body: String,
}

/// A contribution's text: required, at most `max` characters, line ends normalised.
pub fn text(s: &str, max: usize) -> Result<String, &'static str> {
    let t = s.trim();
    if t.is_empty() {
        Err("error-required")
    } else if t.chars().count() > max {
        Err("error-contribution-too-long")
    } else {
        Ok(t.replace("\r\n", "\n"))
    }
}

fn debate_resource(d: &Debate) -> Resource {
    Resource::Debate {
        published: d.status == DebateStatus::Published,
    }
}

async fn check_question(
    store: &Store,
    debate_id: i64,
    id: Option<i64>,
    fe: &mut FieldErrors,
) -> Result<Option<i64>, StoreError> {
    let ids: Vec<i64> = store
        .questions(debate_id)
        .await?
        .iter()
        .map(|q| q.id)
        .collect();
    Ok(match id {
        None => {
            fe.add("question_id", "error-required");
            None
        }
        Some(q) if ids.contains(&q) => Some(q),
        Some(_) => {
            fe.add("question_id", "error-question-other-debate");
            None
        }
    })
}

async fn check_listed(
    ids: impl std::future::Future<Output = Result<Vec<i64>, StoreError>>,
    field: &str,
    id: Option<i64>,
    fe: &mut FieldErrors,
) -> Result<Option<i64>, StoreError> {
    let Some(id) = id else { return Ok(None) };
    if ids.await?.contains(&id) {
        Ok(Some(id))
    } else {
        fe.add(field, "error-invalid");
        Ok(None)
    }
}

/// Writes a participant's contribution while the contributions phase is open; its audit entry
/// and the author's follow go in the same transaction. Returns its id.
pub async fn contribute(
    store: &Store,
    subject: &Subject,
    debate: &Debate,
    input: &OnlineInput,
    max_chars: usize,
) -> Result<i64, ContributeError> {
    let user_id = subject
        .account
        .as_ref()
        .map(|a| a.user_id)
        .ok_or(ContributeError::LoginRequired)?;
    let r = debate_resource(debate);
    if !subject.may_on(On::Read, r) {
        return Err(ContributeError::NotFound);
    }
    if !subject.may_on(On::Contribute, r) {
        return Err(ContributeError::Forbidden);
    }
    let phases = store.phases(debate.id).await?;
    let w = window(&phases, crate::now());
    if !matches!(w, Window::Open { .. }) {
        return Err(ContributeError::Closed(w));
    }
    let mut fe = FieldErrors::default();
    let question_id = check_question(store, debate.id, input.question_id, &mut fe).await?;
    let title = fe.check("title", validate::title(&input.title));
    let body = fe.check("body", text(&input.body, max_chars));
    let quartiers = async { Ok(store.quartiers().await?.iter().map(|q| q.id).collect()) };
    let quartier_id = check_listed(quartiers, "quartier_id", input.quartier_id, &mut fe).await?;
    let (Some(question_id), Some(title), Some(body)) = (question_id, title, body) else {
        return Err(ContributeError::Invalid(fe));
    };
    if !fe.is_empty() {
        return Err(ContributeError::Invalid(fe));
    }
    // The category the author declared at the time is kept with what they wrote.
    let category_id = store.user_by_id(user_id).await?.and_then(|u| u.category_id);
    let mut tx = store.begin().await?;
    let id = tx
        .insert_contribution(&NewContribution {
            debate_id: debate.id,
            question_id,
            author_id: Some(user_id),
            kind: "individual",
            channel: Channel::Online.as_str(),
            title: &title,
            body: &body,
            category_id,
            quartier_id,
            ..Default::default()
        })
        .await?;
    tx.audit(
        Some(user_id),
        "contribution.create",
        &format!("contribution:{id}"),
        "",
    )
    .await?;
    // Authors are told of comments on what they wrote.
    tx.follow(id, user_id).await?;
    tx.commit().await?;
    Ok(id)
}

struct Checked {
    question_id: i64,
    channel: Channel,
    place: String,
    received_at: Option<i64>,
    quartier_id: Option<i64>,
    category_id: Option<i64>,
    kind: String,
    title: String,
    body: String,
}

async fn check_offline(
    store: &Store,
    debate: &Debate,
    input: &OfflineInput,
    max_chars: usize,
    fe: &mut FieldErrors,
) -> Result<Option<Checked>, StoreError> {
    let question_id = check_question(store, debate.id, input.question_id, fe).await?;
    let channel = fe.check(
        "channel",
        Channel::parse(&input.channel)
            .filter(|c| OFFLINE_CHANNELS.contains(c))
            .ok_or("error-invalid"),
    );
    let place = fe.check("place", validate::optional_text(&input.place, 200));
    let received_at = fe.check(
        "received_on",
        match input.received_at {
            Some(ts) if ts > crate::now() + 86_400 => Err("error-date-future"),
            other => Ok(other),
        },
    );
    let quartiers = async { Ok(store.quartiers().await?.iter().map(|q| q.id).collect()) };
    let quartier_id = check_listed(quartiers, "quartier_id", input.quartier_id, fe).await?;
    let categories = async { Ok(store.categories().await?.iter().map(|c| c.id).collect()) };
    let category_id = check_listed(categories, "category_id", input.category_id, fe).await?;
    let kind = fe.check(
        "kind",
        match input.kind.as_str() {
            "individual" | "collective" => Ok(input.kind.clone()),
            _ => Err("error-invalid"),
        },
    );
    // A paper form often has no title: one is made from the start of its text.
    let title = if input.title.trim().is_empty() && !input.body.trim().is_empty() {
        Some(title_from_text(&input.body))
    } else {
        fe.check("title", validate::title(&input.title))
    };
    // Paper texts are typed as written: they may be as long as a collective contribution.
    let body = fe.check("body", text(&input.body, 10 * max_chars));
    if !fe.is_empty() {
        return Ok(None);
    }
    Ok(
        match (question_id, channel, place, received_at, kind, title, body) {
            (
                Some(question_id),
                Some(channel),
                Some(place),
                Some(received_at),
                Some(kind),
                Some(title),
                Some(body),
            ) => Some(Checked {
                question_id,
                channel,
                place,
                received_at,
                quartier_id,
                category_id,
                kind,
                title,
                body,
            }),
            _ => None,
        },
    )
}

fn may_enter(subject: &Subject, debate: &Debate) -> Result<i64, ContributeError> {
    let user_id = subject
        .account
        .as_ref()
        .map(|a| a.user_id)
        .ok_or(ContributeError::LoginRequired)?;
    let r = debate_resource(debate);
    if !subject.may_on(On::Read, r) {
        return Err(ContributeError::NotFound);
    }
    if !subject.may(Action::EnterOfflineContributions) {
        return Err(ContributeError::Forbidden);
    }
    if !subject.may_on(On::EnterOffline, r) {
        // A draft debate: seen by administrators, but nothing is entered before it is public.
        return Err(ContributeError::Forbidden);
    }
    Ok(user_id)
}

/// Enters contributions received offline, all or none: each is checked first (errors carry the
/// item's index, `3.body`), then all are stored with their audit entries in one transaction.
/// Returns their ids in order.
pub async fn enter_offline(
    store: &Store,
    subject: &Subject,
    debate: &Debate,
    items: &[OfflineInput],
    max_chars: usize,
) -> Result<Vec<i64>, ContributeError> {
    let user_id = may_enter(subject, debate)?;
    if items.is_empty() {
        let mut fe = FieldErrors::default();
        fe.add("items", "error-required");
        return Err(ContributeError::Invalid(fe));
    }
    if items.len() > MAX_BULK {
        let mut fe = FieldErrors::default();
        fe.add("items", "error-too-many-items");
        return Err(ContributeError::Invalid(fe));
    }
    let single = items.len() == 1;
    let mut all = FieldErrors::default();
    let mut checked = Vec::with_capacity(items.len());
    for (i, input) in items.iter().enumerate() {
        let mut fe = FieldErrors::default();
        match check_offline(store, debate, input, max_chars, &mut fe).await? {
            Some(c) if fe.is_empty() => checked.push(c),
            _ => {
                for e in fe.0 {
                    let field = if single {
                        e.field
                    } else {
                        format!("{i}.{}", e.field)
                    };
                    all.add(field, e.key);
                }
            }
        }
    }
    if !all.is_empty() {
        return Err(ContributeError::Invalid(all));
    }
    let mut tx = store.begin().await?;
    let mut ids = Vec::with_capacity(checked.len());
    for c in &checked {
        let id = tx
            .insert_contribution(&NewContribution {
                debate_id: debate.id,
                question_id: c.question_id,
                author_id: None,
                kind: &c.kind,
                channel: c.channel.as_str(),
                title: &c.title,
                body: &c.body,
                category_id: c.category_id,
                quartier_id: c.quartier_id,
                place: &c.place,
                received_at: c.received_at,
                entered_by: Some(user_id),
                ..Default::default()
            })
            .await?;
        tx.audit(
            Some(user_id),
            "contribution.enter_offline",
            &format!("contribution:{id}"),
            c.channel.as_str(),
        )
        .await?;
        ids.push(id);
    }
    tx.commit().await?;
    Ok(ids)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_title_is_made_from_the_text_without_its_bullets() {
        assert_eq!(
            super::title_from_text("\n • • • Il faudrait un banc\nprès de l'arrêt"),
            "Il faudrait un banc"
        );
        let long = "mot ".repeat(40);
        let t = super::title_from_text(&long);
        assert!(t.ends_with('…') && t.chars().count() <= 81, "{t}");
        assert_eq!(super::title_from_text("- — * Oui"), "Oui");
    }
}
