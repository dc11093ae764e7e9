//! The one authorization policy. Every handler asks `Subject::may(action)` for what depends on
//! roles alone, and `Subject::may_on(action, resource)` for what depends on the object too (the
//! debate's visibility, the contribution's state, its author, a membership); nothing else in the
//! code base decides who may do what, so the table tests below are the whole truth.

use crate::user::Role;

/// Something a person may want to do on the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Edit one's own profile, download one's data.
    EditOwnProfile,
    /// Write contributions, comments, supports; register for events.
    Contribute,
    /// Create, edit and publish debates, their phases, questions and documents.
    ManageDebates,
    /// See debates still in draft.
    ViewDraftDebates,
    /// Grant and revoke roles, block accounts from the admin area.
    ManageRoles,
    /// Edit the instance's lists (participant categories, quartiers).
    ManageSettings,
    /// Read the audit log.
    ViewAuditLog,
    /// Handle reports, hide and restore contributions.
    Moderate,
    /// Read hidden items.
    ViewHidden,
    /// Type in paper forms and workshop notes; record attendance.
    EnterOfflineContributions,
    /// Run the analysis, code contributions.
    RunAnalysis,
    /// Read the analysis runs and their themes.
    ReadAnalyses,
    /// Write the final report.
    WriteReport,
    /// Publish the guarantor's opinion.
    PublishOpinion,
    /// Score call-for-projects applications.
    ScoreApplications,
    /// Enter the staff area (any role at all).
    EnterStaffArea,
    /// Create, edit, publish and cancel events and programmes; register people by phone.
    ManageEvents,
    /// Export registrations (names and contacts: personal data).
    ExportRegistrations,
    /// Build, publish and close surveys; import and weight the polling firm's panel; export
    /// responses.
    ManageSurveys,
}

/// An action on one object: allowed or not by `Subject::may_on`, given the object's facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum On {
    /// See the object at all (its page, its row in a list, the API, an export, a file).
    Read,
    /// Read the text of a contribution or comment hidden by moderation, and its earlier versions.
    ReadHidden,
    /// Support a contribution.
    Support,
    /// Report a contribution or a comment to the moderators.
    Report,
    /// Comment on a contribution.
    Comment,
    /// Edit or withdraw one's own contribution.
    EditOwn,
    /// Hide, restore or keep (moderation decisions).
    Moderate,
    /// Attach a scan to a contribution entered from paper.
    AttachScan,
    /// Write a contribution in a debate.
    Contribute,
    /// Enter contributions received offline in a debate.
    EnterOffline,
    /// List, run or read analyses of a debate.
    Analyse,
    /// File a collective contribution on behalf of an organisation.
    FileForOrganisation,
    /// Ask for a place at an event (with an account or without).
    Register,
    /// Tick attendance and add walk-ins on an event's sheet.
    TakeAttendance,
    /// Write an event's minutes and enter what was said there as contributions.
    WriteMinutes,
    /// Edit, publish, cancel an event; see and export its registrations.
    Manage,
    /// Answer a survey (with an account, or anonymously where the survey allows it).
    Answer,
    /// Read a survey's results.
    ReadResults,
    /// Read a report's draft, its frozen versions and the coverage audit (staff).
    ReadReportDraft,
    /// Write the report's draft: sections, citations, "read, not retained", freezing versions.
    WriteReport,
    /// Sign off a section and publish the guarantors' opinion.
    SignOff,
    /// Assign the analysts who write a debate's report.
    AssignAnalysts,
    /// Answer the recommendations in the city's name and follow its commitments.
    AnswerRecommendations,
}

/// What a contribution's state is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContributionState {
    Published,
    Hidden,
    Withdrawn,
}

impl ContributionState {
    pub fn as_str(self) -> &'static str {
        match self {
            ContributionState::Published => "published",
            ContributionState::Hidden => "hidden",
            ContributionState::Withdrawn => "withdrawn",
        }
    }

    /// The database's value; anything unknown counts as hidden (shown to nobody but staff).
    pub fn parse(s: &str) -> ContributionState {
        match s {
            "published" => ContributionState::Published,
            "withdrawn" => ContributionState::Withdrawn,
            _ => ContributionState::Hidden,
        }
    }
}

/// The facts about an object that the rules need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    Debate {
        published: bool,
    },
    Contribution {
        debate_published: bool,
        state: ContributionState,
        author_id: Option<i64>,
    },
    Organisation {
        /// The subject is a member (or an administrator) of it.
        member: bool,
    },
    Event {
        debate_published: bool,
        published: bool,
        cancelled: bool,
        /// Registration is open now (between its opening and closing, before the start).
        registration_open: bool,
        /// The subject is one of the event's facilitators.
        facilitator: bool,
    },
    Survey {
        debate_published: bool,
        /// Published (open or closed), not a draft.
        published: bool,
        /// Taking answers now.
        open: bool,
        /// Answerable without an account.
        anonymous: bool,
        /// Its results are shown to everyone.
        results_public: bool,
    },
    /// A debate's report (its draft, or one of its frozen versions).
    Report {
        debate_published: bool,
        /// The subject is one of the analysts assigned to this debate's report.
        assigned: bool,
        /// The version is saved or published: nobody edits it any more.
        frozen: bool,
    },
}

impl Action {
    pub const ALL: [Action; 19] = [
        Action::EditOwnProfile,
        Action::Contribute,
        Action::ManageDebates,
        Action::ViewDraftDebates,
        Action::ManageRoles,
        Action::ManageSettings,
        Action::ViewAuditLog,
        Action::Moderate,
        Action::ViewHidden,
        Action::EnterOfflineContributions,
        Action::RunAnalysis,
        Action::ReadAnalyses,
        Action::WriteReport,
        Action::PublishOpinion,
        Action::ScoreApplications,
        Action::EnterStaffArea,
        Action::ManageEvents,
        Action::ExportRegistrations,
        Action::ManageSurveys,
    ];
}

/// Who is asking: a visitor (no account) or a signed-in person with their roles.
#[derive(Debug, Clone, Default)]
pub struct Subject {
    pub account: Option<Account>,
}

#[derive(Debug, Clone)]
pub struct Account {
    pub user_id: i64,
    pub roles: Vec<Role>,
    pub confirmed: bool,
    pub blocked: bool,
}

impl Subject {
    pub fn visitor() -> Self {
        Subject { account: None }
    }

    pub fn has(&self, role: Role) -> bool {
        self.account
            .as_ref()
            .is_some_and(|a| a.roles.contains(&role))
    }

    pub fn may(&self, action: Action) -> bool {
        let Some(acc) = &self.account else {
            return false;
        };
        // A blocked account keeps only its own profile (to download or delete its data).
        if acc.blocked {
            return action == Action::EditOwnProfile;
        }
        let has = |r: Role| acc.roles.contains(&r);
        match action {
            Action::EditOwnProfile => true,
            // Independence: the guarantor watches the debate and takes no side in it.
            Action::Contribute => acc.confirmed && !has(Role::Guarantor),
            Action::ManageDebates | Action::ManageRoles | Action::ManageSettings => {
                has(Role::Admin)
            }
            // The guarantor reads everything, including drafts, hidden items and the log.
            Action::ViewDraftDebates | Action::ViewAuditLog => {
                has(Role::Admin) || has(Role::Guarantor)
            }
            Action::Moderate => has(Role::Moderator) || has(Role::Admin),
            Action::ViewHidden => has(Role::Moderator) || has(Role::Admin) || has(Role::Guarantor),
            Action::EnterOfflineContributions => has(Role::Facilitator) || has(Role::Admin),
            Action::RunAnalysis => has(Role::Analyst) || has(Role::Admin),
            // The guarantor checks the machine's work.
            Action::ReadAnalyses => has(Role::Analyst) || has(Role::Admin) || has(Role::Guarantor),
            Action::WriteReport => has(Role::Analyst),
            // Independence: only the guarantor speaks as the guarantor, only the jury scores.
            Action::PublishOpinion => has(Role::Guarantor),
            Action::ScoreApplications => has(Role::Jury),
            Action::EnterStaffArea => !acc.roles.is_empty(),
            Action::ManageEvents | Action::ExportRegistrations | Action::ManageSurveys => {
                has(Role::Admin)
            }
        }
    }

    fn user_id(&self) -> Option<i64> {
        self.account.as_ref().map(|a| a.user_id)
    }

    /// May this subject do `action` to this object? Roles first, then the object's own rules:
    /// nothing of a draft debate exists for those who may not see drafts; only published
    /// contributions take supports, reports and comments; nobody supports or reports their own.
    pub fn may_on(&self, action: On, resource: Resource) -> bool {
        let drafts = self.may(Action::ViewDraftDebates);
        match resource {
            Resource::Debate { published } => {
                let visible = published || drafts;
                match action {
                    On::Read => visible,
                    // Writing needs the debate public: nobody contributes to a draft.
                    On::Contribute => published && self.may(Action::Contribute),
                    On::EnterOffline => published && self.may(Action::EnterOfflineContributions),
                    On::Analyse => {
                        visible && (self.may(Action::ReadAnalyses) || self.may(Action::RunAnalysis))
                    }
                    _ => false,
                }
            }
            Resource::Contribution {
                debate_published,
                state,
                author_id,
            } => {
                if !(debate_published || drafts) {
                    return false;
                }
                let own = author_id.is_some() && author_id == self.user_id();
                let live = debate_published && state == ContributionState::Published;
                match action {
                    // The page exists for every state: hidden and withdrawn ones say so.
                    On::Read => true,
                    On::ReadHidden => self.may(Action::ViewHidden),
                    On::Support => live && !own && self.may(Action::Contribute),
                    On::Report => live && !own && self.account.as_ref().is_some_and(|a| !a.blocked),
                    On::Comment => live && self.may(Action::Contribute),
                    On::EditOwn => live && own && self.may(Action::EditOwnProfile),
                    On::Moderate => debate_published && self.may(Action::Moderate),
                    On::AttachScan => live && self.may(Action::EnterOfflineContributions),
                    _ => false,
                }
            }
            Resource::Organisation { member } => match action {
                On::Read => true,
                On::FileForOrganisation => member && self.may(Action::Contribute),
                _ => false,
            },
            Resource::Event {
                debate_published,
                published,
                cancelled,
                registration_open,
                facilitator,
            } => {
                let manager = self.may(Action::ManageEvents);
                let public = published && debate_published;
                let visible = public || manager || drafts || facilitator;
                let not_blocked = self.account.as_ref().is_none_or(|a| !a.blocked);
                // The event's own facilitators, or an administrator, on an event that is public.
                let on_the_day = public
                    && (manager || (facilitator && self.may(Action::EnterOfflineContributions)));
                match action {
                    On::Read => visible,
                    // Registration needs no account: many residents have none.
                    On::Register => public && !cancelled && registration_open && not_blocked,
                    On::TakeAttendance => on_the_day && !cancelled,
                    On::WriteMinutes => on_the_day && !cancelled,
                    On::Manage => manager,
                    _ => false,
                }
            }
            Resource::Survey {
                debate_published,
                published,
                open,
                anonymous,
                results_public,
            } => {
                let manager = self.may(Action::ManageSurveys);
                let public = published && debate_published;
                let visible = public || manager || drafts;
                match action {
                    On::Read => visible,
                    // Without an account where allowed; with one, an account that may take part
                    // (a guarantor does not answer the survey it watches).
                    On::Answer => {
                        public
                            && open
                            && match &self.account {
                                None => anonymous,
                                Some(_) => self.may(Action::Contribute),
                            }
                    }
                    On::ReadResults => {
                        manager
                            || (visible && self.may(Action::ReadAnalyses))
                            || (public && results_public)
                    }
                    On::Manage => manager,
                    _ => false,
                }
            }
            Resource::Report {
                debate_published,
                assigned,
                frozen,
            } => {
                // Analysts write the report of the debates they are assigned to, and only those;
                // the guarantor and the administrator read everything and write none of it.
                let writer = assigned && self.may(Action::WriteReport);
                let overseer = self.may(Action::PublishOpinion) || self.may(Action::ManageDebates);
                match action {
                    On::Read => debate_published || drafts,
                    On::ReadReportDraft => writer || overseer,
                    On::WriteReport => writer && !frozen,
                    On::SignOff => self.may(Action::PublishOpinion),
                    On::AssignAnalysts | On::AnswerRecommendations => {
                        self.may(Action::ManageDebates)
                    }
                    _ => false,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subject(roles: &[Role]) -> Subject {
        Subject {
            account: Some(Account {
                user_id: 1,
                roles: roles.to_vec(),
                confirmed: true,
                blocked: false,
            }),
        }
    }

    /// Rows: actions. Columns: visitor, participant, admin, moderator, analyst, facilitator,
    /// guarantor, jury. Every cell is checked.
    #[test]
    fn role_action_matrix() {
        use Action::*;
        let table: [(Action, [u8; 8]); 19] = [
            (EditOwnProfile, [0, 1, 1, 1, 1, 1, 1, 1]),
            (Contribute, [0, 1, 1, 1, 1, 1, 0, 1]),
            (ManageDebates, [0, 0, 1, 0, 0, 0, 0, 0]),
            (ViewDraftDebates, [0, 0, 1, 0, 0, 0, 1, 0]),
            (ManageRoles, [0, 0, 1, 0, 0, 0, 0, 0]),
            (ManageSettings, [0, 0, 1, 0, 0, 0, 0, 0]),
            (ViewAuditLog, [0, 0, 1, 0, 0, 0, 1, 0]),
            (Moderate, [0, 0, 1, 1, 0, 0, 0, 0]),
            (ViewHidden, [0, 0, 1, 1, 0, 0, 1, 0]),
            (EnterOfflineContributions, [0, 0, 1, 0, 0, 1, 0, 0]),
            (RunAnalysis, [0, 0, 1, 0, 1, 0, 0, 0]),
            (ReadAnalyses, [0, 0, 1, 0, 1, 0, 1, 0]),
            (WriteReport, [0, 0, 0, 0, 1, 0, 0, 0]),
            (PublishOpinion, [0, 0, 0, 0, 0, 0, 1, 0]),
            (ScoreApplications, [0, 0, 0, 0, 0, 0, 0, 1]),
            (EnterStaffArea, [0, 0, 1, 1, 1, 1, 1, 1]),
            (ManageEvents, [0, 0, 1, 0, 0, 0, 0, 0]),
            (ExportRegistrations, [0, 0, 1, 0, 0, 0, 0, 0]),
            (ManageSurveys, [0, 0, 1, 0, 0, 0, 0, 0]),
        ];
        assert_eq!(table.len(), Action::ALL.len());
        let subjects: Vec<(&str, Subject)> = vec![
            ("visitor", Subject::visitor()),
            ("participant", subject(&[])),
            ("admin", subject(&[Role::Admin])),
            ("moderator", subject(&[Role::Moderator])),
            ("analyst", subject(&[Role::Analyst])),
            ("facilitator", subject(&[Role::Facilitator])),
            ("guarantor", subject(&[Role::Guarantor])),
            ("jury", subject(&[Role::Jury])),
        ];
        for (action, row) in table {
            for ((name, s), expected) in subjects.iter().zip(row) {
                assert_eq!(s.may(action), expected == 1, "{name} × {action:?}");
            }
        }
    }

    #[test]
    fn unconfirmed_cannot_contribute_and_blocked_keeps_only_profile() {
        let mut s = subject(&[Role::Admin]);
        if let Some(a) = s.account.as_mut() {
            a.confirmed = false;
        }
        assert!(!s.may(Action::Contribute));
        if let Some(a) = s.account.as_mut() {
            a.blocked = true;
        }
        for action in Action::ALL {
            assert_eq!(
                s.may(action),
                action == Action::EditOwnProfile,
                "{action:?}"
            );
        }
    }

    /// Rows: (action, resource state). Columns: visitor, participant, author, admin, moderator,
    /// analyst, facilitator, guarantor. Every cell is checked.
    #[test]
    fn object_rules_matrix() {
        use ContributionState::*;
        use On::*;
        const AUTHOR: i64 = 7;
        let contribution =
            |debate_published: bool, state: ContributionState| Resource::Contribution {
                debate_published,
                state,
                author_id: Some(AUTHOR),
            };
        let subjects: Vec<(&str, Subject)> = vec![
            ("visitor", Subject::visitor()),
            ("participant", subject(&[])),
            ("author", {
                let mut s = subject(&[]);
                if let Some(a) = s.account.as_mut() {
                    a.user_id = AUTHOR;
                }
                s
            }),
            ("admin", subject(&[Role::Admin])),
            ("moderator", subject(&[Role::Moderator])),
            ("analyst", subject(&[Role::Analyst])),
            ("facilitator", subject(&[Role::Facilitator])),
            ("guarantor", subject(&[Role::Guarantor])),
        ];
        let draft = Resource::Debate { published: false };
        let public = Resource::Debate { published: true };
        let table: Vec<(On, Resource, [u8; 8])> = vec![
            (Read, draft, [0, 0, 0, 1, 0, 0, 0, 1]),
            (Read, public, [1, 1, 1, 1, 1, 1, 1, 1]),
            (Contribute, draft, [0, 0, 0, 0, 0, 0, 0, 0]),
            (Contribute, public, [0, 1, 1, 1, 1, 1, 1, 0]),
            (EnterOffline, draft, [0, 0, 0, 0, 0, 0, 0, 0]),
            (EnterOffline, public, [0, 0, 0, 1, 0, 0, 1, 0]),
            (Analyse, draft, [0, 0, 0, 1, 0, 0, 0, 1]),
            (Analyse, public, [0, 0, 0, 1, 0, 1, 0, 1]),
            // Contributions of a draft debate exist only for those who see drafts.
            (
                Read,
                contribution(false, Published),
                [0, 0, 0, 1, 0, 0, 0, 1],
            ),
            (Read, contribution(true, Hidden), [1, 1, 1, 1, 1, 1, 1, 1]),
            (
                ReadHidden,
                contribution(true, Hidden),
                [0, 0, 0, 1, 1, 0, 0, 1],
            ),
            (
                ReadHidden,
                contribution(false, Hidden),
                [0, 0, 0, 1, 0, 0, 0, 1],
            ),
            (
                Support,
                contribution(true, Published),
                [0, 1, 0, 1, 1, 1, 1, 0],
            ),
            (
                Support,
                contribution(false, Published),
                [0, 0, 0, 0, 0, 0, 0, 0],
            ),
            (
                Support,
                contribution(true, Hidden),
                [0, 0, 0, 0, 0, 0, 0, 0],
            ),
            (
                Support,
                contribution(true, Withdrawn),
                [0, 0, 0, 0, 0, 0, 0, 0],
            ),
            (
                Report,
                contribution(true, Published),
                [0, 1, 0, 1, 1, 1, 1, 1],
            ),
            (
                Report,
                contribution(false, Published),
                [0, 0, 0, 0, 0, 0, 0, 0],
            ),
            (
                Report,
                contribution(true, Withdrawn),
                [0, 0, 0, 0, 0, 0, 0, 0],
            ),
            (
                Comment,
                contribution(true, Published),
                [0, 1, 1, 1, 1, 1, 1, 0],
            ),
            (
                Comment,
                contribution(true, Hidden),
                [0, 0, 0, 0, 0, 0, 0, 0],
            ),
            (
                Comment,
                contribution(false, Published),
                [0, 0, 0, 0, 0, 0, 0, 0],
            ),
            (
                EditOwn,
                contribution(true, Published),
                [0, 0, 1, 0, 0, 0, 0, 0],
            ),
            (
                EditOwn,
                contribution(true, Withdrawn),
                [0, 0, 0, 0, 0, 0, 0, 0],
            ),
            (
                Moderate,
                contribution(true, Published),
                [0, 0, 0, 1, 1, 0, 0, 0],
            ),
            (
                Moderate,
                contribution(true, Hidden),
                [0, 0, 0, 1, 1, 0, 0, 0],
            ),
            (
                Moderate,
                contribution(false, Published),
                [0, 0, 0, 0, 0, 0, 0, 0],
            ),
            (
                AttachScan,
                contribution(true, Published),
                [0, 0, 0, 1, 0, 0, 1, 0],
            ),
            (
                AttachScan,
                contribution(false, Published),
                [0, 0, 0, 0, 0, 0, 0, 0],
            ),
            (
                FileForOrganisation,
                Resource::Organisation { member: true },
                [0, 1, 1, 1, 1, 1, 1, 0],
            ),
            (
                FileForOrganisation,
                Resource::Organisation { member: false },
                [0, 0, 0, 0, 0, 0, 0, 0],
            ),
        ];
        for (action, resource, row) in table {
            for ((name, s), expected) in subjects.iter().zip(row) {
                assert_eq!(
                    s.may_on(action, resource),
                    expected == 1,
                    "{name} × {action:?} × {resource:?}"
                );
            }
        }
    }

    /// Rows: (action, event facts). Columns: visitor, participant, admin, the event's
    /// facilitator, another facilitator, guarantor. Every cell is checked.
    #[test]
    fn event_rules_matrix() {
        use On::*;
        let event = |debate_published, published, cancelled, registration_open| {
            move |facilitator| Resource::Event {
                debate_published,
                published,
                cancelled,
                registration_open,
                facilitator,
            }
        };
        let open = event(true, true, false, true);
        let closed = event(true, true, false, false);
        let draft = event(true, false, false, true);
        let draft_debate = event(false, true, false, true);
        let cancelled = event(true, true, true, true);
        let table = [
            (Read, open, [1, 1, 1, 1, 1, 1]),
            (Read, draft, [0, 0, 1, 1, 0, 1]),
            (Read, draft_debate, [0, 0, 1, 1, 0, 1]),
            (Register, open, [1, 1, 1, 1, 1, 1]),
            (Register, closed, [0, 0, 0, 0, 0, 0]),
            (Register, draft, [0, 0, 0, 0, 0, 0]),
            (Register, draft_debate, [0, 0, 0, 0, 0, 0]),
            (Register, cancelled, [0, 0, 0, 0, 0, 0]),
            (TakeAttendance, open, [0, 0, 1, 1, 0, 0]),
            (TakeAttendance, closed, [0, 0, 1, 1, 0, 0]),
            (TakeAttendance, cancelled, [0, 0, 0, 0, 0, 0]),
            (TakeAttendance, draft, [0, 0, 0, 0, 0, 0]),
            (WriteMinutes, closed, [0, 0, 1, 1, 0, 0]),
            (WriteMinutes, draft_debate, [0, 0, 0, 0, 0, 0]),
            (Manage, open, [0, 0, 1, 0, 0, 0]),
            (Manage, draft, [0, 0, 1, 0, 0, 0]),
        ];
        let subjects = [
            (Subject::visitor(), false),
            (subject(&[]), false),
            (subject(&[Role::Admin]), false),
            (subject(&[Role::Facilitator]), true),
            (subject(&[Role::Facilitator]), false),
            (subject(&[Role::Guarantor]), false),
        ];
        for (i, (action, facts, row)) in table.iter().enumerate() {
            for (j, ((s, assigned), expected)) in subjects.iter().zip(row).enumerate() {
                assert_eq!(
                    s.may_on(*action, facts(*assigned)),
                    *expected == 1,
                    "row {i} ({action:?}), column {j}"
                );
            }
        }
        let mut blocked = subject(&[]);
        if let Some(a) = blocked.account.as_mut() {
            a.blocked = true;
        }
        assert!(!blocked.may_on(Register, open(false)));
    }

    /// Rows: (action, survey state). Columns: visitor, participant, admin, analyst, guarantor,
    /// blocked participant. Every cell is checked.
    #[test]
    fn survey_rules_matrix() {
        use On::*;
        let survey =
            |published: bool, open: bool, anonymous: bool, results_public: bool| Resource::Survey {
                debate_published: true,
                published,
                open,
                anonymous,
                results_public,
            };
        let blocked = {
            let mut s = subject(&[]);
            if let Some(a) = s.account.as_mut() {
                a.blocked = true;
            }
            s
        };
        let subjects = [
            Subject::visitor(),
            subject(&[]),
            subject(&[Role::Admin]),
            subject(&[Role::Analyst]),
            subject(&[Role::Guarantor]),
            blocked,
        ];
        let draft = survey(false, false, true, true);
        let open_anon = survey(true, true, true, false);
        let open_signed = survey(true, true, false, true);
        let closed = survey(true, false, true, true);
        let in_draft_debate = Resource::Survey {
            debate_published: false,
            published: true,
            open: true,
            anonymous: true,
            results_public: true,
        };
        let table: Vec<(On, Resource, [u8; 6])> = vec![
            (Read, draft, [0, 0, 1, 0, 1, 0]),
            (Read, open_anon, [1, 1, 1, 1, 1, 1]),
            (Read, in_draft_debate, [0, 0, 1, 0, 1, 0]),
            (Answer, draft, [0, 0, 0, 0, 0, 0]),
            (Answer, open_anon, [1, 1, 1, 1, 0, 0]),
            (Answer, open_signed, [0, 1, 1, 1, 0, 0]),
            (Answer, closed, [0, 0, 0, 0, 0, 0]),
            (Answer, in_draft_debate, [0, 0, 0, 0, 0, 0]),
            (ReadResults, draft, [0, 0, 1, 0, 1, 0]),
            (ReadResults, open_anon, [0, 0, 1, 1, 1, 0]),
            (ReadResults, open_signed, [1, 1, 1, 1, 1, 1]),
            (Manage, open_anon, [0, 0, 1, 0, 0, 0]),
        ];
        for (i, (action, resource, row)) in table.iter().enumerate() {
            for (j, (s, expected)) in subjects.iter().zip(row).enumerate() {
                assert_eq!(
                    s.may_on(*action, *resource),
                    *expected == 1,
                    "row {i} ({action:?}), subject {j}"
                );
            }
        }
    }

    /// Rows: (action, report facts). Columns: visitor, participant, admin, the assigned analyst,
    /// an analyst of another debate, guarantor, moderator. Every cell is checked.
    #[test]
    fn report_rules_matrix() {
        use On::*;
        let report = |debate_published, frozen| {
            move |assigned| Resource::Report {
                debate_published,
                assigned,
                frozen,
            }
        };
        let draft = report(true, false);
        let published = report(true, true);
        let hidden_debate = report(false, true);
        let table = [
            (Read, published, [1, 1, 1, 1, 1, 1, 1]),
            (Read, hidden_debate, [0, 0, 1, 0, 0, 1, 0]),
            (ReadReportDraft, draft, [0, 0, 1, 1, 0, 1, 0]),
            (ReadReportDraft, published, [0, 0, 1, 1, 0, 1, 0]),
            (WriteReport, draft, [0, 0, 0, 1, 0, 0, 0]),
            (WriteReport, published, [0, 0, 0, 0, 0, 0, 0]),
            (SignOff, draft, [0, 0, 0, 0, 0, 1, 0]),
            (SignOff, published, [0, 0, 0, 0, 0, 1, 0]),
            (AssignAnalysts, draft, [0, 0, 1, 0, 0, 0, 0]),
            (AnswerRecommendations, published, [0, 0, 1, 0, 0, 0, 0]),
            (Moderate, draft, [0, 0, 0, 0, 0, 0, 0]),
        ];
        let subjects = [
            (Subject::visitor(), false),
            (subject(&[]), false),
            (subject(&[Role::Admin]), false),
            (subject(&[Role::Analyst]), true),
            (subject(&[Role::Analyst]), false),
            (subject(&[Role::Guarantor]), false),
            (subject(&[Role::Moderator]), false),
        ];
        for (i, (action, facts, row)) in table.iter().enumerate() {
            for (j, ((s, assigned), expected)) in subjects.iter().zip(row).enumerate() {
                assert_eq!(
                    s.may_on(*action, facts(*assigned)),
                    *expected == 1,
                    "row {i} ({action:?}), column {j}"
                );
            }
        }
    }
}
