//! The final report's use cases: analysts assigned to a debate write its draft (sections in
//! Markdown, evidence cited from contributions, themes of a synthesis run and events), mark what
//! they read and did not retain, save versions and publish one; publication freezes a dated
//! snapshot. Each write is one transaction with its audit entry. The public reading of a
//! published version (with contributions hidden since shown as withdrawn) is here too, so that
//! pages, API and command line read it the same way.

use domain::validate::FieldErrors;
use domain::{Debate, DebateStatus, On, Resource, Subject};
use report::{
    CitationDraft, CitationKind, CitedContribution, CitedEvent, CitedTheme, Figures,
    FrozenCitation, FrozenSection, SectionDraft, SectionKind, Snapshot, VersionState,
};
use std::collections::HashMap;
use storage::{CitationRow, NewCitation, SectionRow, Store, StoreError, VersionRow};

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("sign in first")]
    LoginRequired,
    /// The version is saved or published: it is read, never edited.
    #[error("this version is frozen")]
    Frozen,
    /// The action is refused in this state; the key of the message that says why.
    #[error("refused: {0}")]
    Refused(&'static str),
    /// Publication is blocked: (section title, key of the reason) for each problem.
    #[error("publication blocked")]
    Blocked(Vec<(String, &'static str)>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn invalid(field: &str, key: &'static str) -> ReportError {
    let mut e = FieldErrors::default();
    e.add(field, key);
    ReportError::Invalid(e)
}

/// The report's facts for the policy.
pub fn resource(d: &Debate, assigned: bool, frozen: bool) -> Resource {
    Resource::Report {
        debate_published: d.status == DebateStatus::Published,
        assigned,
        frozen,
    }
}

/// Whether the subject is one of the analysts assigned to the debate's report.
pub async fn assigned(
    store: &Store,
    subject: &Subject,
    debate_id: i64,
) -> Result<bool, StoreError> {
    match subject.account.as_ref() {
        Some(a) => store.is_report_analyst(debate_id, a.user_id).await,
        None => Ok(false),
    }
}

/// The debate if the subject may do `action` on its report (`frozen`: on a frozen version).
pub async fn authorize(
    store: &Store,
    subject: &Subject,
    debate_id: i64,
    action: On,
    frozen: bool,
) -> Result<(Debate, bool), ReportError> {
    let d = store
        .debate_by_id(debate_id)
        .await?
        .ok_or(ReportError::NotFound)?;
    let a = assigned(store, subject, debate_id).await?;
    if !subject.may_on(On::Read, resource(&d, a, frozen)) {
        return Err(ReportError::NotFound);
    }
    if !subject.may_on(action, resource(&d, a, frozen)) {
        // An analyst of another debate, a guarantor trying to write: plainly refused.
        return Err(if subject.account.is_none() {
            ReportError::LoginRequired
        } else if action == On::WriteReport && subject.may_on(action, resource(&d, a, false)) {
            ReportError::Frozen
        } else {
            ReportError::Forbidden
        });
    }
    Ok((d, a))
}

fn actor(subject: &Subject) -> Option<i64> {
    subject.account.as_ref().map(|a| a.user_id)
}

/// Assigns an analyst (by e-mail) to the debate's report (administrators).
pub async fn assign_analyst(
    store: &Store,
    subject: &Subject,
    debate_id: i64,
    email: &str,
) -> Result<i64, ReportError> {
    authorize(store, subject, debate_id, On::AssignAnalysts, false).await?;
    let user = store
        .user_by_email(email.trim())
        .await?
        .ok_or_else(|| invalid("email", "report-error-analyst-unknown"))?;
    if !store
        .roles_of(user.id)
        .await?
        .contains(&domain::Role::Analyst)
    {
        return Err(invalid("email", "report-error-not-analyst"));
    }
    let mut tx = store.begin().await?;
    tx.add_report_analyst(debate_id, user.id).await?;
    tx.audit(
        actor(subject),
        "report.analyst.assign",
        &format!("debate:{debate_id}"),
        &format!("user:{}", user.id),
    )
    .await?;
    tx.commit().await?;
    Ok(user.id)
}

/// A section of the draft, with the debate, if the subject may write it; a section of a frozen
/// version is refused as such.
async fn writable_section(
    store: &Store,
    subject: &Subject,
    section_id: i64,
) -> Result<SectionRow, ReportError> {
    let s = store
        .report_section(section_id)
        .await?
        .ok_or(ReportError::NotFound)?;
    let frozen = VersionState::parse(&s.version_state).is_frozen();
    authorize(store, subject, s.debate_id, On::WriteReport, frozen).await?;
    Ok(s)
}

/// Adds a section at the end of the draft (created if the report has none yet).
pub async fn add_section(
    store: &Store,
    subject: &Subject,
    debate_id: i64,
    draft: &SectionDraft,
) -> Result<i64, ReportError> {
    authorize(store, subject, debate_id, On::WriteReport, false).await?;
    let input = draft.validate().map_err(ReportError::Invalid)?;
    let mut tx = store.begin().await?;
    let version = tx.ensure_report_draft(debate_id, actor(subject)).await?;
    let id = tx
        .insert_report_section(
            version,
            input.kind.as_str(),
            &input.title,
            &input.body,
            actor(subject),
        )
        .await?;
    tx.audit(
        actor(subject),
        "report.section.add",
        &format!("report_section:{id}"),
        &input.title,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update_section(
    store: &Store,
    subject: &Subject,
    section_id: i64,
    draft: &SectionDraft,
) -> Result<(), ReportError> {
    writable_section(store, subject, section_id).await?;
    let input = draft.validate().map_err(ReportError::Invalid)?;
    let mut tx = store.begin().await?;
    match tx
        .update_report_section(
            section_id,
            input.kind.as_str(),
            &input.title,
            &input.body,
            actor(subject),
        )
        .await
    {
        // Frozen between the check and the write (a publication in between).
        Err(StoreError::NotFound) => return Err(ReportError::Frozen),
        r => r?,
    }
    tx.audit(
        actor(subject),
        "report.section.edit",
        &format!("report_section:{section_id}"),
        &input.title,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete_section(
    store: &Store,
    subject: &Subject,
    section_id: i64,
) -> Result<i64, ReportError> {
    let s = writable_section(store, subject, section_id).await?;
    let mut tx = store.begin().await?;
    tx.delete_report_section(section_id).await?;
    tx.audit(
        actor(subject),
        "report.section.delete",
        &format!("report_section:{section_id}"),
        &s.title,
    )
    .await?;
    tx.commit().await?;
    Ok(s.debate_id)
}

/// Cites a contribution of the debate in a section, with the excerpt the analyst chose (which
/// must come from its text). A hidden or withdrawn contribution is refused.
pub async fn cite_contribution(
    store: &Store,
    subject: &Subject,
    section_id: i64,
    contribution_id: i64,
    draft: &CitationDraft,
) -> Result<i64, ReportError> {
    let s = writable_section(store, subject, section_id).await?;
    let c = store
        .contribution(contribution_id)
        .await?
        .filter(|c| c.debate_id == s.debate_id)
        .ok_or_else(|| invalid("contribution", "report-error-contribution-unknown"))?;
    if c.status != "published" {
        return Err(ReportError::Refused("report-refused-not-published"));
    }
    let excerpt = draft
        .excerpt(&format!("{}\n{}", c.title, c.body))
        .map_err(ReportError::Invalid)?;
    let mut tx = store.begin().await?;
    let id = tx
        .insert_report_citation(
            &NewCitation {
                section_id,
                kind: CitationKind::Contribution.as_str().into(),
                contribution_id: Some(c.id),
                excerpt,
                ..NewCitation::default()
            },
            actor(subject),
        )
        .await?;
    tx.audit(
        actor(subject),
        "report.cite.contribution",
        &format!("report_section:{section_id}"),
        &format!("contribution:{}", c.id),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

fn counts(m: &std::collections::BTreeMap<String, usize>) -> Vec<(String, i64)> {
    let mut v: Vec<(String, i64)> = m.iter().map(|(k, n)| (k.clone(), *n as i64)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

/// Cites a theme of a finished run of the debate, with its size and breakdowns; its members are
/// copied once for the coverage audit.
pub async fn cite_theme(
    store: &Store,
    subject: &Subject,
    section_id: i64,
    run_id: i64,
    theme: i64,
) -> Result<i64, ReportError> {
    let s = writable_section(store, subject, section_id).await?;
    let (summary, json) = store
        .run(run_id)
        .await?
        .filter(|(r, _)| r.debate_id == s.debate_id && r.status == "done")
        .ok_or_else(|| invalid("run", "report-error-run-unknown"))?;
    let a: analysis::Analysis =
        serde_json::from_str(&json).map_err(|_| invalid("run", "report-error-run-unknown"))?;
    let t = usize::try_from(theme)
        .ok()
        .and_then(|i| a.themes.get(i))
        .ok_or_else(|| invalid("theme", "report-error-theme-unknown"))?;
    let figures = Figures {
        channel: counts(&t.breakdown.channel),
        question: counts(&t.breakdown.question),
        category: counts(&t.breakdown.category),
        quartier: counts(&t.breakdown.quartier),
    };
    let members: Vec<i64> = if store.theme_members_known(run_id, theme).await? {
        Vec::new()
    } else {
        a.documents
            .ids
            .iter()
            .zip(&a.documents.theme)
            .filter(|(_, th)| i64::from(**th) == theme)
            .filter_map(|(id, _)| id.parse().ok())
            .collect()
    };
    let mut tx = store.begin().await?;
    tx.insert_theme_members(summary.id, theme, &members).await?;
    let id = tx
        .insert_report_citation(
            &NewCitation {
                section_id,
                kind: CitationKind::Theme.as_str().into(),
                run_id: Some(summary.id),
                theme: Some(theme),
                label: format!("{}\u{1f}{}", t.label, t.size),
                figures: serde_json::to_string(&figures).unwrap_or_default(),
                ..NewCitation::default()
            },
            actor(subject),
        )
        .await?;
    tx.audit(
        actor(subject),
        "report.cite.theme",
        &format!("report_section:{section_id}"),
        &format!("run:{run_id} theme:{theme}"),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A cited theme's label and size, as copied when it was cited.
pub fn theme_label(c: &CitationRow) -> (String, i64) {
    match c.label.split_once('\u{1f}') {
        Some((l, n)) => (l.to_string(), n.parse().unwrap_or(0)),
        None => (c.label.clone(), 0),
    }
}

/// Cites an event of the debate: its minutes and attendance.
pub async fn cite_event(
    store: &Store,
    subject: &Subject,
    section_id: i64,
    event_id: i64,
) -> Result<i64, ReportError> {
    let s = writable_section(store, subject, section_id).await?;
    let e = store
        .event(event_id)
        .await?
        .filter(|e| e.debate_id == s.debate_id)
        .ok_or_else(|| invalid("event", "report-error-event-unknown"))?;
    let mut tx = store.begin().await?;
    let id = tx
        .insert_report_citation(
            &NewCitation {
                section_id,
                kind: CitationKind::Event.as_str().into(),
                event_id: Some(e.id),
                ..NewCitation::default()
            },
            actor(subject),
        )
        .await?;
    tx.audit(
        actor(subject),
        "report.cite.event",
        &format!("report_section:{section_id}"),
        &format!("event:{}", e.id),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn remove_citation(
    store: &Store,
    subject: &Subject,
    citation_id: i64,
) -> Result<i64, ReportError> {
    let c = store
        .report_citation(citation_id)
        .await?
        .ok_or(ReportError::NotFound)?;
    let s = writable_section(store, subject, c.section_id).await?;
    let mut tx = store.begin().await?;
    tx.delete_report_citation(citation_id).await?;
    tx.audit(
        actor(subject),
        "report.cite.remove",
        &format!("report_section:{}", c.section_id),
        &format!("citation:{citation_id}"),
    )
    .await?;
    tx.commit().await?;
    Ok(s.debate_id)
}

/// Marks a published contribution "read, not retained" with a reason (an empty reason clears
/// the mark when `clear` is set).
pub async fn mark_not_retained(
    store: &Store,
    subject: &Subject,
    contribution_id: i64,
    reason: &str,
    clear: bool,
) -> Result<i64, ReportError> {
    let c = store
        .contribution(contribution_id)
        .await?
        .ok_or(ReportError::NotFound)?;
    authorize(store, subject, c.debate_id, On::WriteReport, false).await?;
    let mut tx = store.begin().await?;
    if clear {
        tx.unmark_not_retained(c.id).await?;
        tx.audit(
            actor(subject),
            "report.not_retained.clear",
            &format!("contribution:{}", c.id),
            "",
        )
        .await?;
    } else {
        let reason = report::draft::reason(reason).map_err(|k| invalid("reason", k))?;
        tx.mark_not_retained(c.debate_id, c.id, &reason, actor(subject))
            .await?;
        tx.audit(
            actor(subject),
            "report.not_retained.mark",
            &format!("contribution:{}", c.id),
            &reason,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(c.debate_id)
}

/// A version's sections and citations as a snapshot, read now (what freezing stores).
pub async fn build_snapshot(
    store: &Store,
    version: &VersionRow,
    state: VersionState,
) -> Result<Snapshot, ReportError> {
    let sections = store.report_sections(version.id).await?;
    let citations = store.report_citations(version.id).await?;
    let mut by_section: HashMap<i64, Vec<&CitationRow>> = HashMap::new();
    for c in &citations {
        by_section.entry(c.section_id).or_default().push(c);
    }
    let mut attendance: HashMap<i64, (i64, i64)> = HashMap::new();
    for id in citations.iter().filter_map(|c| c.event_id) {
        if let std::collections::hash_map::Entry::Vacant(v) = attendance.entry(id) {
            let a = store.attendance(id).await?;
            v.insert((a.registered_present, a.walk_ins));
        }
    }
    let mut out = Vec::new();
    for s in &sections {
        let mut frozen = Vec::new();
        for c in by_section.get(&s.id).into_iter().flatten() {
            let f = match CitationKind::parse(&c.kind) {
                Some(CitationKind::Contribution) => c.contribution_id.map(|id| {
                    FrozenCitation::Contribution(CitedContribution {
                        id,
                        title: c.contribution_title.clone().unwrap_or_default(),
                        excerpt: c.excerpt.clone(),
                        channel: c.channel.clone().unwrap_or_default(),
                        question: c.question.clone().unwrap_or_default(),
                        category: c.category.clone(),
                        quartier: c.quartier.clone(),
                    })
                }),
                Some(CitationKind::Theme) => {
                    let (label, size) = theme_label(c);
                    Some(FrozenCitation::Theme(CitedTheme {
                        run_id: c.run_id.unwrap_or(0),
                        theme: c.theme.unwrap_or(0),
                        label,
                        size,
                        figures: serde_json::from_str(&c.figures).unwrap_or_default(),
                    }))
                }
                Some(CitationKind::Event) => c.event_id.map(|id| {
                    let (present, walk_ins) = attendance.get(&id).copied().unwrap_or_default();
                    FrozenCitation::Event(CitedEvent {
                        id,
                        title: c.event_title.clone().unwrap_or_default(),
                        starts_at: c.event_starts_at.unwrap_or(0),
                        quartier: c.event_quartier.clone(),
                        minutes: c.event_minutes.clone().unwrap_or_default(),
                        present,
                        walk_ins,
                    })
                }),
                None => None,
            };
            frozen.extend(f);
        }
        out.push(FrozenSection {
            key: s.key,
            kind: SectionKind::parse(&s.kind).unwrap_or(SectionKind::Finding),
            title: s.title.clone(),
            body: s.body.clone(),
            citations: frozen,
        });
    }
    Ok(Snapshot {
        number: version.number,
        state,
        frozen_at: version.frozen_at.unwrap_or_else(storage::now),
        sections: out,
    })
}

/// What stops the draft from being published: contributions hidden or withdrawn since they were
/// cited, runs deleted since their theme was cited, a report with no section.
async fn publication_problems(
    store: &Store,
    sections: &[SectionRow],
    citations: &[CitationRow],
) -> Result<Vec<(String, &'static str)>, ReportError> {
    let mut problems = Vec::new();
    if sections.is_empty() {
        problems.push((String::new(), "report-blocked-empty"));
    }
    let title_of = |id: i64| {
        sections
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.title.clone())
            .unwrap_or_default()
    };
    for c in citations {
        match CitationKind::parse(&c.kind) {
            Some(CitationKind::Contribution)
                if c.contribution_status.as_deref() != Some("published") =>
            {
                problems.push((title_of(c.section_id), "report-blocked-contribution-hidden"));
            }
            Some(CitationKind::Theme) if !store.run_is_done(c.run_id.unwrap_or(0)).await? => {
                problems.push((title_of(c.section_id), "report-blocked-run-deleted"));
            }
            Some(CitationKind::Event) if c.event_title.is_none() => {
                problems.push((title_of(c.section_id), "report-blocked-event-deleted"));
            }
            _ => {}
        }
    }
    Ok(problems)
}

/// Freezes the draft: `publish` makes it the published report, otherwise a saved version.
/// Returns the frozen version's number.
pub async fn freeze(
    store: &Store,
    subject: &Subject,
    debate_id: i64,
    publish: bool,
    note: &str,
) -> Result<i64, ReportError> {
    authorize(store, subject, debate_id, On::WriteReport, false).await?;
    let draft = store
        .report_draft(debate_id)
        .await?
        .ok_or(ReportError::Refused("report-refused-no-draft"))?;
    let state = if publish {
        VersionState::Published
    } else {
        VersionState::Saved
    };
    if publish {
        let sections = store.report_sections(draft.id).await?;
        let citations = store.report_citations(draft.id).await?;
        let problems = publication_problems(store, &sections, &citations).await?;
        if !problems.is_empty() {
            return Err(ReportError::Blocked(problems));
        }
    }
    let mut snap = build_snapshot(store, &draft, state).await?;
    snap.frozen_at = storage::now();
    let note: String = note.trim().chars().take(500).collect();
    let mut tx = store.begin().await?;
    let number = tx
        .freeze_report_draft(
            debate_id,
            state.as_str(),
            &snap.to_json(),
            &note,
            actor(subject),
        )
        .await?;
    tx.audit(
        actor(subject),
        if publish {
            "report.publish"
        } else {
            "report.save_version"
        },
        &format!("debate:{debate_id}"),
        &format!("version {number}"),
    )
    .await?;
    tx.commit().await?;
    Ok(number)
}

/// How a cited contribution shows in a published version now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Visible,
    /// Hidden by moderation since: "withdrawn by moderation", never its text.
    Moderated,
    /// Withdrawn by its author, or deleted.
    Withdrawn,
}

/// A published version as the public reads it: its snapshot, and for each cited contribution
/// whether it may still be shown. `number: None` is the latest published version.
pub async fn published(
    store: &Store,
    subject: &Subject,
    debate: &Debate,
    number: Option<i64>,
) -> Result<(VersionRow, Snapshot, HashMap<i64, Shown>), ReportError> {
    if !subject.may_on(On::Read, resource(debate, false, true)) {
        return Err(ReportError::NotFound);
    }
    let number = match number {
        Some(n) => n,
        None => store
            .latest_published(debate.id)
            .await?
            .ok_or(ReportError::NotFound)?,
    };
    let (v, json) = store
        .report_version(debate.id, number)
        .await?
        .filter(|(v, _)| v.state == "published")
        .ok_or(ReportError::NotFound)?;
    let snap = Snapshot::from_json(&json).map_err(|_| ReportError::NotFound)?;
    let shown = cited_states(store, &snap).await?;
    Ok((v, snap, shown))
}

/// For each contribution a snapshot cites: may it be shown now?
pub async fn cited_states(
    store: &Store,
    snap: &Snapshot,
) -> Result<HashMap<i64, Shown>, ReportError> {
    let ids = snap.cited_contributions();
    let mut shown: HashMap<i64, Shown> = ids.iter().map(|id| (*id, Shown::Withdrawn)).collect();
    for chunk in ids.chunks(500) {
        for c in store.contributions_by_ids(chunk).await? {
            shown.insert(
                c.id,
                match c.status.as_str() {
                    "published" => Shown::Visible,
                    "hidden" => Shown::Moderated,
                    _ => Shown::Withdrawn,
                },
            );
        }
    }
    Ok(shown)
}
