//! The instance's settings: one typed struct, read by the binary from a TOML file and `CONCORDE_*`
//! variables (see the README for every key). Defaults give a working instance with no file at all.

use serde::Deserialize;
use std::path::PathBuf;

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Address and port to listen on.
    pub listen: String,
    /// Folder for the embedded database and the mail outbox.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; empty means SQLite in `data_dir`.
    pub database_url: String,
    /// The public address of the instance, used in e-mail links; `https://…` makes cookies Secure.
    pub public_url: String,
    /// Name shown in the header and in e-mails.
    pub instance_name: String,
    /// Time zone in which dates are shown and typed.
    pub timezone: String,
    /// Language in which the debates' own texts are written (marked up for screen readers).
    pub content_language: String,
    /// SMTP server URL (`smtps://user:pass@host:465`, `smtp://host:25?tls=required`); empty writes
    /// mail to `data_dir/outbox` as `.eml` files.
    pub smtp_url: String,
    /// Sender address of the instance's e-mails.
    pub mail_from: String,
    /// Where replies to the instance's e-mails go (e.g. the team that answers appeals); empty:
    /// to the sender.
    pub mail_reply_to: String,
    /// Attempts of a job (a mail, a notice) before it is marked failed.
    pub job_attempts: i64,
    /// Whether this instance runs queued jobs (mail, notices, analyses). With several instances,
    /// any number of them may; each job is claimed by one.
    pub run_jobs: bool,
    /// Seconds a job is leased to the worker that claimed it; a job whose worker died is taken
    /// back by another after this.
    pub job_lease_secs: i64,
    /// How long a sign-in lasts, in days.
    pub session_days: i64,
    /// Largest accepted header image, in megabytes.
    pub max_image_mb: usize,
    /// Largest accepted document, in megabytes.
    pub max_document_mb: usize,
    /// Longest body of an individual contribution, in characters.
    pub contribution_max_chars: usize,
    /// Failed logins allowed per account and per address in 15 minutes before a pause.
    pub login_attempts: i64,
    /// Behind a reverse proxy: take the visitor's address from the last `X-Forwarded-For` entry
    /// (for the login throttle). Only set it when every request comes through that proxy.
    pub trust_forwarded_for: bool,
    /// Whether pages use the in-memory caches (debates and lists, counts, list pages, search
    /// results). Leave it on; off serves every page from the database, to measure the cold path.
    pub caches: bool,
    /// Who publishes the instance (legal notice).
    pub publisher: String,
    /// Contact address for personal-data and accessibility requests.
    pub contact_email: String,
    /// The bearer token that `GET /metrics` asks for (`Authorization: Bearer …`); empty, and
    /// `/metrics` answers 404.
    pub metrics_token: String,
    /// Limits on abuse that differ from the defaults, by rule: `"contribution.account" = "20/h"`
    /// (see the README for every rule and its default). Environment: `CONCORDE_RATE_LIMITS`,
    /// `rule=N/period` pairs separated by commas.
    pub rate_limits: std::collections::BTreeMap<String, String>,
    /// Roles whose accounts must sign in with a second factor (TOTP): `admin`, `moderator`,
    /// `analyst`, `guarantor`, `jury`, `facilitator`. Environment: comma-separated.
    pub second_factor_roles: Vec<String>,
    /// Minutes during which a password or code typed proves who is there, before granting
    /// roles or deleting a debate asks again.
    pub reauth_minutes: i64,
    /// Days without a sign-in after which an account is warned by mail, then deleted (its
    /// contributions kept anonymised) 30 days later if still unused. Staff accounts are warned
    /// only.
    pub inactive_account_days: i64,
    /// Days after the end of an event when the registrations of people without an account go.
    pub registration_retention_days: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            listen: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("./concorde-data"),
            database_url: String::new(),
            public_url: "http://127.0.0.1:8080".into(),
            instance_name: "Concorde".into(),
            timezone: "Europe/Paris".into(),
            content_language: "fr".into(),
            smtp_url: String::new(),
            mail_from: "Concorde <no-reply@localhost>".into(),
            mail_reply_to: String::new(),
            job_attempts: storage::DEFAULT_ATTEMPTS,
            run_jobs: true,
            job_lease_secs: 300,
            session_days: 30,
            max_image_mb: 5,
            max_document_mb: 20,
            contribution_max_chars: domain::contribution::DEFAULT_MAX_BODY,
            login_attempts: 5,
            trust_forwarded_for: false,
            caches: true,
            publisher: "La collectivité qui héberge cette instance".into(),
            contact_email: "contact@localhost".into(),
            metrics_token: String::new(),
            rate_limits: Default::default(),
            second_factor_roles: vec!["admin".into()],
            reauth_minutes: 10,
            inactive_account_days: 730,
            registration_retention_days: 183,
        }
    }
}

impl Settings {
    /// Whether an account with these roles must sign in with a second factor.
    pub fn needs_second_factor(&self, roles: &[domain::Role]) -> bool {
        roles
            .iter()
            .any(|r| self.second_factor_roles.iter().any(|s| s == r.as_str()))
    }

    /// The limits on abuse: the defaults with `rate_limits` over them. The binary refuses bad
    /// overrides at start-up (`limits_checked`); here a bad one would just keep its default.
    pub fn limits(&self) -> domain::limits::Limits {
        self.limits_checked().unwrap_or_default()
    }

    pub fn limits_checked(&self) -> Result<domain::limits::Limits, String> {
        domain::limits::Limits::from_overrides(
            self.rate_limits
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str())),
        )
    }

    /// What the mailer needs of these settings.
    pub fn mail_config(&self) -> jobs::MailConfig {
        let domain = self
            .public_url
            .split("://")
            .nth(1)
            .unwrap_or("")
            .split(['/', ':'])
            .next()
            .unwrap_or("")
            .to_string();
        jobs::MailConfig {
            smtp_url: self.smtp_url.clone(),
            from: self.mail_from.clone(),
            reply_to: self.mail_reply_to.clone(),
            outbox_dir: self.outbox_dir(),
            domain,
        }
    }

    pub fn outbox_dir(&self) -> PathBuf {
        self.data_dir.join("outbox")
    }

    pub fn effective_database_url(&self) -> String {
        if self.database_url.is_empty() {
            format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("concorde.db").display()
            )
        } else {
            self.database_url.clone()
        }
    }

    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    pub fn time_zone(&self) -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::get(&self.timezone).unwrap_or(jiff::tz::TimeZone::UTC)
    }
}
