//! Limits on abuse: how many times an account, an address of origin or a target mailbox may do
//! one thing in a window of time. One table of rules with their defaults, each overridable by a
//! setting written `N/period` (`20/h`, `3/d`, `200/d` for megabytes a day); the store counts
//! events in the database so that the limits hold across instances.

use std::collections::BTreeMap;

/// At most `count` (events, or megabytes for `upload_mb`) in `per` seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub count: i64,
    pub per: i64,
}

const MIN: i64 = 60;
const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

/// What is limited, and who is counted: the account, the address of origin (`ip`), or the
/// address a mail goes to (`target`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    SignupIp,
    /// Sign-up confirmations, "account exists" notices and reset links to one mailbox.
    MailTarget,
    /// Reset links asked from one address of origin.
    ResetIp,
    ContributionAccount,
    ContributionIp,
    CollectiveAccount,
    CollectiveIp,
    UploadAccount,
    UploadIp,
    /// Megabytes uploaded by one account in a window (a volume, not a count).
    UploadMbAccount,
    OrganisationAccount,
    OrganisationIp,
    InvitationAccount,
    InvitationTarget,
    ApiTokenAccount,
    /// Anonymous survey responses started from one address of origin.
    SurveyIp,
}

impl Rule {
    pub const ALL: [Rule; 16] = [
        Rule::SignupIp,
        Rule::MailTarget,
        Rule::ResetIp,
        Rule::ContributionAccount,
        Rule::ContributionIp,
        Rule::CollectiveAccount,
        Rule::CollectiveIp,
        Rule::UploadAccount,
        Rule::UploadIp,
        Rule::UploadMbAccount,
        Rule::OrganisationAccount,
        Rule::OrganisationIp,
        Rule::InvitationAccount,
        Rule::InvitationTarget,
        Rule::ApiTokenAccount,
        Rule::SurveyIp,
    ];

    /// The name of the rule in the settings and of its bucket in the database.
    pub fn name(self) -> &'static str {
        match self {
            Rule::SignupIp => "signup.ip",
            Rule::MailTarget => "mail.target",
            Rule::ResetIp => "reset.ip",
            Rule::ContributionAccount => "contribution.account",
            Rule::ContributionIp => "contribution.ip",
            Rule::CollectiveAccount => "collective.account",
            Rule::CollectiveIp => "collective.ip",
            Rule::UploadAccount => "upload.account",
            Rule::UploadIp => "upload.ip",
            Rule::UploadMbAccount => "upload_mb.account",
            Rule::OrganisationAccount => "organisation.account",
            Rule::OrganisationIp => "organisation.ip",
            Rule::InvitationAccount => "invitation.account",
            Rule::InvitationTarget => "invitation.target",
            Rule::ApiTokenAccount => "api_token.account",
            Rule::SurveyIp => "survey.ip",
        }
    }

    pub fn parse(name: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.name() == name)
    }

    /// Defaults meant to never bother a real person and to stop a script within minutes.
    pub fn default_limit(self) -> Limit {
        let (count, per) = match self {
            Rule::SignupIp => (10, HOUR),
            Rule::MailTarget => (3, HOUR),
            Rule::ResetIp => (10, HOUR),
            Rule::ContributionAccount => (20, HOUR),
            Rule::ContributionIp => (60, HOUR),
            Rule::CollectiveAccount => (10, HOUR),
            Rule::CollectiveIp => (30, HOUR),
            Rule::UploadAccount => (30, HOUR),
            Rule::UploadIp => (90, HOUR),
            Rule::UploadMbAccount => (200, DAY),
            Rule::OrganisationAccount => (3, DAY),
            Rule::OrganisationIp => (10, DAY),
            Rule::InvitationAccount => (30, DAY),
            Rule::InvitationTarget => (3, DAY),
            Rule::ApiTokenAccount => (10, DAY),
            // A household or a community centre's computer answers several times.
            Rule::SurveyIp => (30, HOUR),
        };
        Limit { count, per }
    }
}

/// `N/period`, the period being `s`, `min`, `h` or `d`, optionally with a number (`5/15min`).
pub fn parse_limit(s: &str) -> Result<Limit, String> {
    let bad = || format!("a limit is written N/period (20/h, 3/d, 5/15min), got {s:?}");
    let (n, period) = s.trim().split_once('/').ok_or_else(bad)?;
    let count: i64 = n.trim().parse().ok().filter(|n| *n > 0).ok_or_else(bad)?;
    let period = period.trim();
    let digits = period.chars().take_while(char::is_ascii_digit).count();
    let times: i64 = if digits == 0 {
        1
    } else {
        period[..digits]
            .parse()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(bad)?
    };
    let unit = match &period[digits..] {
        "s" => 1,
        "min" | "m" => MIN,
        "h" => HOUR,
        "d" => DAY,
        _ => return Err(bad()),
    };
    Ok(Limit {
        count,
        per: times * unit,
    })
}

/// The limits of an instance: the defaults with the settings' overrides.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Limits(BTreeMap<Rule, Limit>);

impl Limits {
    /// From the settings' `rule = "N/period"` pairs; an unknown rule or a bad limit is an error
    /// that names it.
    pub fn from_overrides<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Limits, String> {
        let mut m = BTreeMap::new();
        for (name, value) in pairs {
            let rule = Rule::parse(name.trim()).ok_or_else(|| {
                let known: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
                format!("unknown rate limit {name:?} (known: {})", known.join(", "))
            })?;
            m.insert(
                rule,
                parse_limit(value).map_err(|e| format!("{name}: {e}"))?,
            );
        }
        Ok(Limits(m))
    }

    pub fn get(&self, rule: Rule) -> Limit {
        self.0
            .get(&rule)
            .copied()
            .unwrap_or_else(|| rule.default_limit())
    }

    /// The longest window: older events can be forgotten.
    pub fn longest_window(&self) -> i64 {
        Rule::ALL
            .iter()
            .map(|r| self.get(*r).per)
            .max()
            .unwrap_or(DAY)
    }
}

/// One count against one rule: who is counted (`user:12`, `ip:203.0.113.4`,
/// `to:someone@example.org`) and how much (1 for an action, bytes for a volume).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    pub rule: Rule,
    pub key: String,
    pub amount: i64,
}

impl Count {
    pub fn account(rule: Rule, user_id: i64) -> Count {
        Count {
            rule,
            key: format!("user:{user_id}"),
            amount: 1,
        }
    }

    pub fn ip(rule: Rule, ip: &str) -> Count {
        Count {
            rule,
            key: format!("ip:{ip}"),
            amount: 1,
        }
    }

    /// A mailbox, compared without case.
    pub fn target(rule: Rule, email: &str) -> Count {
        Count {
            rule,
            key: format!("to:{}", email.trim().to_lowercase()),
            amount: 1,
        }
    }

    pub fn amount(mut self, n: i64) -> Count {
        self.amount = n;
        self
    }
}

/// The usual pair: the account (when signed in) and the address of origin.
pub fn of(user_id: Option<i64>, ip: &str, account: Rule, origin: Rule) -> Vec<Count> {
    let mut v = Vec::with_capacity(2);
    if let Some(id) = user_id {
        v.push(Count::account(account, id));
    }
    v.push(Count::ip(origin, ip));
    v
}

/// The most a count may sum to in its window: a volume rule is set in megabytes and counted
/// in bytes.
pub fn max_amount(rule: Rule, limit: Limit) -> i64 {
    if rule == Rule::UploadMbAccount {
        limit.count.saturating_mul(1_048_576)
    } else {
        limit.count
    }
}

/// The visitor's address: the TCP peer, or — behind a proxy the settings trust — the last
/// address that proxy appended to `X-Forwarded-For`.
pub fn origin(trust_forwarded_for: bool, peer: &str, forwarded_for: Option<&str>) -> String {
    if !trust_forwarded_for {
        return peer.to_string();
    }
    forwarded_for
        .and_then(|v| v.rsplit(',').next())
        .map(|v| v.trim().to_string())
        .filter(|v| v.parse::<std::net::IpAddr>().is_ok())
        .unwrap_or_else(|| peer.to_string())
}

/// Minutes to wait, rounded up, for a message ("retry in N minutes").
pub fn minutes(retry_after_secs: i64) -> i64 {
    ((retry_after_secs.max(1) + 59) / 60).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_parse() {
        let cases = [
            ("20/h", Some((20, 3600))),
            (" 3 / d ", Some((3, 86_400))),
            ("5/15min", Some((5, 900))),
            ("1/30s", Some((1, 30))),
            ("0/h", None),
            ("-1/h", None),
            ("20", None),
            ("20/week", None),
            ("20/0h", None),
        ];
        for (s, want) in cases {
            let got = parse_limit(s).ok().map(|l| (l.count, l.per));
            assert_eq!(got, want, "{s:?}");
        }
    }

    #[test]
    fn overrides_replace_defaults_and_name_errors() {
        let l = Limits::from_overrides([("mail.target", "1/d")]).expect("parse");
        assert_eq!(
            l.get(Rule::MailTarget),
            Limit {
                count: 1,
                per: 86_400
            }
        );
        assert_eq!(l.get(Rule::SignupIp), Rule::SignupIp.default_limit());
        let e = Limits::from_overrides([("mail.nobody", "1/d")]).unwrap_err();
        assert!(e.contains("mail.nobody"), "{e}");
        for r in Rule::ALL {
            assert_eq!(Rule::parse(r.name()), Some(r));
        }
        assert_eq!(minutes(1), 1);
        assert_eq!(minutes(61), 2);
    }
}
