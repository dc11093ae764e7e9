//! The one authorization policy. Every handler asks `Subject::may(action)`; nothing else in the
//! code base decides who may do what, so the table test below is the whole truth.

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
}

impl Action {
    pub const ALL: [Action; 16] = [
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
            Action::Contribute => acc.confirmed,
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
        let table: [(Action, [u8; 8]); 16] = [
            (EditOwnProfile, [0, 1, 1, 1, 1, 1, 1, 1]),
            (Contribute, [0, 1, 1, 1, 1, 1, 1, 1]),
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
}
