//! What became of the recommendations: the city's answer to each (accepted, partly, not
//! retained, with its reasons), and its commitments — department, budget, dates, status,
//! progress — with dated milestones. Forms are checked here; storage and pages build on it.

use domain::FieldErrors;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Accepted,
    Partly,
    NotRetained,
}

impl Answer {
    pub const ALL: [Answer; 3] = [Answer::Accepted, Answer::Partly, Answer::NotRetained];

    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Accepted => "accepted",
            Answer::Partly => "partly",
            Answer::NotRetained => "not_retained",
        }
    }

    pub fn parse(s: &str) -> Option<Answer> {
        Answer::ALL.into_iter().find(|a| a.as_str() == s.trim())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Planned,
    InProgress,
    Done,
    Abandoned,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Planned,
        Status::InProgress,
        Status::Done,
        Status::Abandoned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Planned => "planned",
            Status::InProgress => "in_progress",
            Status::Done => "done",
            Status::Abandoned => "abandoned",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|a| a.as_str() == s.trim())
    }
}

pub const MAX_REASONS: usize = 5_000;

/// The reasons of an answer: required unless the recommendation is accepted as it is.
pub fn answer(kind: &str, reasons: &str) -> Result<(Answer, String), FieldErrors> {
    let mut e = FieldErrors::default();
    let a = Answer::parse(kind);
    if a.is_none() {
        e.add("answer", "followup-error-answer");
    }
    let r = reasons.trim().replace("\r\n", "\n");
    if r.chars().count() > MAX_REASONS {
        e.add("reasons", "followup-error-reasons-long");
    } else if r.is_empty() && a.is_some_and(|a| a != Answer::Accepted) {
        e.add("reasons", "followup-error-reasons-empty");
    }
    match a {
        Some(a) if e.is_empty() => Ok((a, r)),
        _ => Err(e),
    }
}

/// A commitment form as typed. Dates are `YYYY-MM-DD`.
#[derive(Debug, Clone, Default)]
pub struct CommitmentDraft {
    pub title: String,
    pub description: String,
    pub department: String,
    pub budget: String,
    pub starts_on: String,
    pub ends_on: String,
    pub status: String,
    pub progress: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitmentInput {
    pub title: String,
    pub description: String,
    pub department: String,
    /// Whole euros.
    pub budget: Option<i64>,
    pub starts_on: Option<jiff::civil::Date>,
    pub ends_on: Option<jiff::civil::Date>,
    pub status: Status,
    /// 0 to 100.
    pub progress: i64,
}

fn date(s: &str) -> Result<Option<jiff::civil::Date>, ()> {
    match s.trim() {
        "" => Ok(None),
        t => t.parse::<jiff::civil::Date>().map(Some).map_err(|_| ()),
    }
}

/// Euros as people type them: "12 000", "12000", "12 000 €"; cents refused.
fn euros(s: &str) -> Result<Option<i64>, ()> {
    let t: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '€' && *c != '\u{202f}')
        .collect();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<i64>()
        .ok()
        .filter(|n| (0..=100_000_000_000).contains(n))
        .map(Some)
        .ok_or(())
}

impl CommitmentDraft {
    pub fn validate(&self) -> Result<CommitmentInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let title = self.title.trim();
        if title.is_empty() {
            e.add("title", "followup-error-title");
        } else if title.chars().count() > 200 {
            e.add("title", "report-error-title-long");
        }
        if self.description.chars().count() > MAX_REASONS {
            e.add("description", "followup-error-reasons-long");
        }
        if self.department.trim().chars().count() > 200 {
            e.add("department", "followup-error-department");
        }
        let budget = euros(&self.budget).unwrap_or_else(|_| {
            e.add("budget", "followup-error-budget");
            None
        });
        let starts = date(&self.starts_on).unwrap_or_else(|_| {
            e.add("starts_on", "followup-error-date");
            None
        });
        let ends = date(&self.ends_on).unwrap_or_else(|_| {
            e.add("ends_on", "followup-error-date");
            None
        });
        if let (Some(s), Some(x)) = (starts, ends)
            && x < s
        {
            e.add("ends_on", "followup-error-ends-before");
        }
        let status = Status::parse(&self.status);
        if status.is_none() {
            e.add("status", "followup-error-status");
        }
        let progress = match self.progress.trim().trim_end_matches('%').trim() {
            "" => Some(0),
            t => t.parse::<i64>().ok().filter(|p| (0..=100).contains(p)),
        };
        if progress.is_none() {
            e.add("progress", "followup-error-progress");
        }
        match (status, progress) {
            (Some(status), Some(progress)) if e.is_empty() => Ok(CommitmentInput {
                title: title.to_string(),
                description: self.description.trim().replace("\r\n", "\n"),
                department: self.department.trim().to_string(),
                budget,
                starts_on: starts,
                ends_on: ends,
                status,
                // Done means done.
                progress: if status == Status::Done {
                    100
                } else {
                    progress
                },
            }),
            _ => Err(e),
        }
    }
}

/// A milestone: a date, what happened, and where to see it (a document or photo link).
pub fn milestone(
    on: &str,
    title: &str,
    evidence: &str,
) -> Result<(jiff::civil::Date, String, String), FieldErrors> {
    let mut e = FieldErrors::default();
    let d = match date(on) {
        Ok(Some(d)) => Some(d),
        _ => {
            e.add("milestone_on", "followup-error-date");
            None
        }
    };
    let t = title.trim();
    if t.is_empty() || t.chars().count() > 300 {
        e.add("milestone_title", "followup-error-title");
    }
    let ev = evidence.trim();
    let web = ev.starts_with("https://") || ev.starts_with("http://") || ev.starts_with('/');
    if !ev.is_empty() && !web {
        e.add("milestone_evidence", "followup-error-evidence");
    }
    match d {
        Some(d) if e.is_empty() => Ok((d, t.to_string(), ev.to_string())),
        _ => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_need_reasons_unless_accepted() {
        assert!(answer("accepted", "").is_ok());
        assert_eq!(
            answer("partly", " ").unwrap_err().get("reasons"),
            Some("followup-error-reasons-empty")
        );
        assert_eq!(
            answer("maybe", "x").unwrap_err().get("answer"),
            Some("followup-error-answer")
        );
        assert_eq!(
            answer("not_retained", "Trop cher").unwrap().0,
            Answer::NotRetained
        );
    }

    #[test]
    fn commitments_are_checked_field_by_field() {
        let bad = CommitmentDraft {
            title: " ".into(),
            budget: "12,50".into(),
            starts_on: "2027-05-01".into(),
            ends_on: "2027-04-01".into(),
            status: "soon".into(),
            progress: "140".into(),
            ..Default::default()
        };
        let e = bad.validate().unwrap_err();
        for f in ["title", "budget", "ends_on", "status", "progress"] {
            assert!(e.get(f).is_some(), "{f}");
        }
        let ok = CommitmentDraft {
            title: "Ouvrir un lieu".into(),
            budget: "120 000 €".into(),
            starts_on: "2027-01-01".into(),
            ends_on: "".into(),
            status: "done".into(),
            progress: "40 %".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(ok.budget, Some(120_000));
        assert_eq!(ok.progress, 100);
        assert!(ok.ends_on.is_none());
    }

    #[test]
    fn milestones_need_a_date_a_title_and_a_web_link() {
        assert!(milestone("2027-03-02", "Premier comité", "https://nantes.fr/cr.pdf").is_ok());
        let e = milestone("demain", "", "javascript:alert(1)").unwrap_err();
        for f in ["milestone_on", "milestone_title", "milestone_evidence"] {
            assert!(e.get(f).is_some(), "{f}");
        }
    }
}
