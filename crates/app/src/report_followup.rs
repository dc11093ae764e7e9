//! What became of what people said: the city answers each recommendation of the published
//! report and follows its commitments (department, budget, dates, status, progress, dated
//! milestones); analysts say which findings a recommendation rests on. The chain is read from
//! both ends: from a contribution (cited in a finding → recommendation → commitment) and from a
//! commitment (its recommendation, findings and the contributions they cite).
//!
//! Dates typed as days are kept as noon UTC of that day, so that they read the same day in any
//! European time zone.

use crate::report::{ReportError, authorize};
use domain::validate::FieldErrors;
use domain::{On, Subject};
use report::followup::{self, Answer, CommitmentDraft};
use report::{FrozenCitation, SectionKind, Snapshot};
use storage::{CommitmentFields, CommitmentRow, MilestoneRow, Store};

/// A commitment's status changed: its recommendation's followers are told (one mail each).
pub const COMMITMENT_CHANGED: &str = "commitment_changed";

#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct CommitmentChanged {
    pub commitment_id: i64,
    /// The status and progress the mail describes (a later change queues its own).
    pub status: String,
    pub progress: i64,
}

/// Follows (or stops following) a recommendation's follow-up: for the people whose contributions
/// a finding it rests on cites.
pub async fn subscribe(
    store: &Store,
    subject: &Subject,
    debate_id: i64,
    key: i64,
    on: bool,
) -> Result<(), ReportError> {
    let Some(user) = actor(subject) else {
        return Err(ReportError::LoginRequired);
    };
    authorize(store, subject, debate_id, On::Read, true).await?;
    if !recommendation_exists(store, debate_id, key).await? {
        return Err(ReportError::NotFound);
    }
    if on && !store.concerned_by(debate_id, key, user).await? {
        return Err(ReportError::Forbidden);
    }
    let mut tx = store.begin().await?;
    tx.set_subscription(debate_id, key, user, on).await?;
    tx.audit(
        Some(user),
        if on {
            "report.follow"
        } else {
            "report.unfollow"
        },
        &format!("debate:{debate_id}"),
        &format!("recommendation {key}"),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn actor(subject: &Subject) -> Option<i64> {
    subject.account.as_ref().map(|a| a.user_id)
}

/// Noon UTC of a day, in Unix seconds.
pub fn day(d: jiff::civil::Date) -> i64 {
    d.at(12, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp().as_second())
        .unwrap_or(0)
}

/// `YYYY-MM-DD` of a stored day.
pub fn day_text(s: i64) -> String {
    jiff::Timestamp::from_second(s)
        .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date().to_string())
        .unwrap_or_default()
}

/// The latest published version's snapshot and its row id.
pub async fn published_snapshot(
    store: &Store,
    debate_id: i64,
) -> Result<Option<(i64, Snapshot)>, ReportError> {
    let Some(n) = store.latest_published(debate_id).await? else {
        return Ok(None);
    };
    let Some((v, json)) = store.report_version(debate_id, n).await? else {
        return Ok(None);
    };
    Ok(Snapshot::from_json(&json).ok().map(|s| (v.id, s)))
}

async fn recommendation_exists(
    store: &Store,
    debate_id: i64,
    key: i64,
) -> Result<bool, ReportError> {
    Ok(published_snapshot(store, debate_id)
        .await?
        .is_some_and(|(_, s)| {
            s.sections
                .iter()
                .any(|x| x.key == key && x.kind == SectionKind::Recommendation)
        }))
}

fn invalid(field: &str, key: &'static str) -> ReportError {
    let mut e = FieldErrors::default();
    e.add(field, key);
    ReportError::Invalid(e)
}

/// The city's answer to a recommendation of the published report.
pub async fn answer(
    store: &Store,
    subject: &Subject,
    debate_id: i64,
    key: i64,
    kind: &str,
    reasons: &str,
) -> Result<(), ReportError> {
    authorize(store, subject, debate_id, On::AnswerRecommendations, true).await?;
    if !recommendation_exists(store, debate_id, key).await? {
        return Err(ReportError::NotFound);
    }
    let (a, reasons) = followup::answer(kind, reasons).map_err(ReportError::Invalid)?;
    let mut tx = store.begin().await?;
    tx.save_answer(debate_id, key, a.as_str(), &reasons, actor(subject))
        .await?;
    tx.audit(
        actor(subject),
        "report.answer",
        &format!("debate:{debate_id}"),
        &format!("recommendation {key}: {}", a.as_str()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn fields(
    draft: &CommitmentDraft,
    quartier_id: Option<i64>,
) -> Result<CommitmentFields, ReportError> {
    let i = draft.validate().map_err(ReportError::Invalid)?;
    Ok(CommitmentFields {
        title: i.title,
        description: i.description,
        department: i.department,
        budget_euros: i.budget,
        quartier_id,
        starts_at: i.starts_on.map(day),
        ends_at: i.ends_on.map(day),
        status: i.status.as_str().to_string(),
        progress: i.progress,
    })
}

async fn check_quartier(store: &Store, q: Option<i64>) -> Result<(), ReportError> {
    if let Some(q) = q
        && !store.quartiers().await?.iter().any(|x| x.id == q)
    {
        return Err(invalid("quartier", "followup-error-quartier"));
    }
    Ok(())
}

pub async fn add_commitment(
    store: &Store,
    subject: &Subject,
    debate_id: i64,
    key: i64,
    draft: &CommitmentDraft,
    quartier_id: Option<i64>,
) -> Result<i64, ReportError> {
    authorize(store, subject, debate_id, On::AnswerRecommendations, true).await?;
    if !recommendation_exists(store, debate_id, key).await? {
        return Err(ReportError::NotFound);
    }
    let f = fields(draft, quartier_id)?;
    check_quartier(store, quartier_id).await?;
    let mut tx = store.begin().await?;
    let id = tx.insert_commitment(debate_id, key, &f).await?;
    tx.audit(
        actor(subject),
        "commitment.create",
        &format!("commitment:{id}"),
        &f.title,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update_commitment(
    store: &Store,
    subject: &Subject,
    id: i64,
    draft: &CommitmentDraft,
    quartier_id: Option<i64>,
) -> Result<CommitmentRow, ReportError> {
    let k = store.commitment(id).await?.ok_or(ReportError::NotFound)?;
    authorize(store, subject, k.debate_id, On::AnswerRecommendations, true).await?;
    let f = fields(draft, quartier_id)?;
    check_quartier(store, quartier_id).await?;
    let mut tx = store.begin().await?;
    tx.update_commitment(id, &f).await?;
    if f.status != k.status {
        tx.enqueue(crate::jobs::job(
            COMMITMENT_CHANGED,
            &CommitmentChanged {
                commitment_id: id,
                status: f.status.clone(),
                progress: f.progress,
            },
        ))
        .await?;
    }
    tx.audit(
        actor(subject),
        "commitment.update",
        &format!("commitment:{id}"),
        &format!("{} {} %", f.status, f.progress),
    )
    .await?;
    tx.commit().await?;
    Ok(k)
}

pub async fn add_milestone(
    store: &Store,
    subject: &Subject,
    commitment_id: i64,
    on: &str,
    title: &str,
    evidence: &str,
) -> Result<CommitmentRow, ReportError> {
    let k = store
        .commitment(commitment_id)
        .await?
        .ok_or(ReportError::NotFound)?;
    authorize(store, subject, k.debate_id, On::AnswerRecommendations, true).await?;
    let (d, title, evidence) =
        followup::milestone(on, title, evidence).map_err(ReportError::Invalid)?;
    let mut tx = store.begin().await?;
    let id = tx
        .insert_milestone(commitment_id, day(d), &title, &evidence)
        .await?;
    tx.audit(
        actor(subject),
        "commitment.milestone",
        &format!("commitment:{commitment_id}"),
        &format!("milestone:{id}"),
    )
    .await?;
    tx.commit().await?;
    Ok(k)
}

/// Which findings (keys) a recommendation of the draft rests on.
pub async fn set_links(
    store: &Store,
    subject: &Subject,
    section_id: i64,
    findings: &[i64],
) -> Result<i64, ReportError> {
    let s = store
        .report_section(section_id)
        .await?
        .ok_or(ReportError::NotFound)?;
    let frozen = report::VersionState::parse(&s.version_state).is_frozen();
    authorize(store, subject, s.debate_id, On::WriteReport, frozen).await?;
    let keys: Vec<i64> = store
        .report_sections(s.version_id)
        .await?
        .into_iter()
        .filter(|x| x.kind == SectionKind::Finding.as_str())
        .map(|x| x.key)
        .collect();
    if findings.iter().any(|f| !keys.contains(f)) {
        return Err(invalid("findings", "followup-error-findings"));
    }
    let mut tx = store.begin().await?;
    tx.set_section_links(section_id, findings).await?;
    tx.audit(
        actor(subject),
        "report.section.links",
        &format!("report_section:{section_id}"),
        &format!("{findings:?}"),
    )
    .await?;
    tx.commit().await?;
    Ok(s.debate_id)
}

/// One recommendation of the published report with what became of it.
pub struct Followed {
    pub key: i64,
    pub title: String,
    pub body: String,
    /// (key, title) of the findings it rests on.
    pub findings: Vec<(i64, String)>,
    pub answer: Option<(Answer, String, i64)>,
    pub commitments: Vec<(CommitmentRow, Vec<MilestoneRow>)>,
}

/// The follow-up of a debate's published report, optionally of one quartier's commitments.
pub async fn followup(
    store: &Store,
    debate_id: i64,
    quartier: Option<i64>,
) -> Result<Vec<Followed>, ReportError> {
    let Some((vid, snap)) = published_snapshot(store, debate_id).await? else {
        return Ok(Vec::new());
    };
    let links = store.section_links(vid).await?;
    let answers = store.report_answers(debate_id).await?;
    let commitments = store.commitments(debate_id).await?;
    let milestones = store.milestones(debate_id).await?;
    let title_of = |k: i64| {
        snap.sections
            .iter()
            .find(|s| s.key == k)
            .map(|s| s.title.clone())
            .unwrap_or_default()
    };
    Ok(snap
        .ordered()
        .into_iter()
        .filter(|s| s.kind == SectionKind::Recommendation)
        .map(|s| Followed {
            key: s.key,
            title: s.title.clone(),
            body: s.body.clone(),
            findings: links
                .iter()
                .filter(|(r, _)| *r == s.key)
                .map(|(_, f)| (*f, title_of(*f)))
                .collect(),
            answer: answers
                .iter()
                .find(|a| a.section_key == s.key)
                .and_then(|a| {
                    Answer::parse(&a.answer).map(|x| (x, a.reasons.clone(), a.answered_at))
                }),
            commitments: commitments
                .iter()
                .filter(|k| k.section_key == s.key)
                .filter(|k| quartier.is_none() || k.quartier_id == quartier)
                .map(|k| {
                    let ms = milestones
                        .iter()
                        .filter(|m| m.commitment_id == k.id)
                        .cloned()
                        .collect();
                    (k.clone(), ms)
                })
                .collect(),
        })
        .collect())
}

/// From a contribution: each finding of the published report citing it (directly or through a
/// theme), the recommendations resting on that finding, and their commitments.
pub struct ChainLink {
    /// (key, kind, title) of the section citing the contribution.
    pub section: (i64, String, String),
    pub recommendations: Vec<(i64, String, Vec<CommitmentLink>)>,
}

/// (id, title, status) of a commitment.
pub type CommitmentLink = (i64, String, String);

/// (id, title) of a contribution.
pub type ContributionLink = (i64, String);

pub async fn chain_of_contribution(
    store: &Store,
    debate_id: i64,
    contribution_id: i64,
) -> Result<Vec<ChainLink>, ReportError> {
    let citing = store.report_sections_citing(contribution_id).await?;
    if citing.is_empty() {
        return Ok(Vec::new());
    }
    let Some((vid, snap)) = published_snapshot(store, debate_id).await? else {
        return Ok(Vec::new());
    };
    let links = store.section_links(vid).await?;
    let commitments = store.commitments(debate_id).await?;
    Ok(citing
        .into_iter()
        .map(|(_, key, kind, title)| ChainLink {
            section: (key, kind, title),
            recommendations: links
                .iter()
                .filter(|(_, f)| *f == key)
                .filter_map(|(r, _)| snap.sections.iter().find(|s| s.key == *r))
                .map(|r| {
                    (
                        r.key,
                        r.title.clone(),
                        commitments
                            .iter()
                            .filter(|k| k.section_key == r.key)
                            .map(|k| (k.id, k.title.clone(), k.status.clone()))
                            .collect(),
                    )
                })
                .collect(),
        })
        .collect())
}

/// From a commitment: its recommendation, the findings it rests on, and the contributions those
/// findings cite (id, title) in the published report.
pub struct Origin {
    pub recommendation: Option<(i64, String)>,
    pub findings: Vec<(i64, String, Vec<ContributionLink>)>,
}

pub async fn origin_of_commitment(store: &Store, k: &CommitmentRow) -> Result<Origin, ReportError> {
    let Some((vid, snap)) = published_snapshot(store, k.debate_id).await? else {
        return Ok(Origin {
            recommendation: None,
            findings: Vec::new(),
        });
    };
    let links = store.section_links(vid).await?;
    let recommendation = snap
        .sections
        .iter()
        .find(|s| s.key == k.section_key)
        .map(|s| (s.key, s.title.clone()));
    let shown = crate::report::cited_states(store, &snap).await?;
    let findings = links
        .iter()
        .filter(|(r, _)| *r == k.section_key)
        .filter_map(|(_, f)| snap.sections.iter().find(|s| s.key == *f))
        .map(|f| {
            let cited = f
                .citations
                .iter()
                .filter_map(|c| match c {
                    FrozenCitation::Contribution(c)
                        if shown.get(&c.id) == Some(&crate::report::Shown::Visible) =>
                    {
                        Some((c.id, c.title.clone()))
                    }
                    _ => None,
                })
                .collect();
            (f.key, f.title.clone(), cited)
        })
        .collect();
    Ok(Origin {
        recommendation,
        findings,
    })
}
