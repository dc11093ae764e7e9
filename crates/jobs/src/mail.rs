//! Outgoing mail, always sent by a job (kind `mail`): SMTP when configured, otherwise one `.eml`
//! file per job in the outbox folder, which an administrator can open and the tests read.
//!
//! Idempotent by job: the outbox file is named after the job (`000000000042.eml`, so that names
//! sort in the order mail was queued) and written once; over SMTP the `Message-ID` is derived from
//! the job, so a send cut off after the server took it repeats at most once, with the same id.

use crate::JobError;
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::Duration;

/// The payload of a `mail` job.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MailJob {
    pub to: String,
    pub subject: String,
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
}

pub const KIND: &str = "mail";

impl MailJob {
    pub fn job(&self) -> storage::NewJob<'static> {
        storage::NewJob::now(
            KIND,
            serde_json::to_string(self).unwrap_or_else(|_| String::from("{}")),
        )
    }
}

#[derive(Debug, Clone, Default)]
pub struct MailConfig {
    /// Empty: the outbox folder.
    pub smtp_url: String,
    pub from: String,
    /// Where replies go (e.g. the team that handles appeals), if not to the sender.
    pub reply_to: String,
    pub outbox_dir: PathBuf,
    /// Host part of the `Message-ID`s (the public address's host).
    pub domain: String,
}

pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Outbox(PathBuf),
}

pub struct Mailer {
    transport: Transport,
    from: Mailbox,
    reply_to: Option<Mailbox>,
    domain: String,
}

/// Checks the mail settings, so that a typo stops the program instead of losing mail.
pub fn check(c: &MailConfig) -> Result<(), String> {
    c.from
        .parse::<Mailbox>()
        .map_err(|e| format!("mail_from is not a valid address ({e}): {:?}", c.from))?;
    if !c.reply_to.is_empty() {
        c.reply_to.parse::<Mailbox>().map_err(|e| {
            format!(
                "mail_reply_to is not a valid address ({e}): {:?}",
                c.reply_to
            )
        })?;
    }
    if !c.smtp_url.is_empty() {
        AsyncSmtpTransport::<Tokio1Executor>::from_url(&c.smtp_url)
            .map_err(|e| format!("smtp_url is not valid ({e})"))?;
    }
    Ok(())
}

fn fallback_from() -> Mailbox {
    Mailbox::new(
        Some("Concorde".into()),
        lettre::Address::new("no-reply", "localhost").unwrap_or_else(|_| unreachable!()),
    )
}

impl Mailer {
    pub fn new(c: &MailConfig) -> Mailer {
        let from: Mailbox = c.from.parse().unwrap_or_else(|e| {
            tracing::warn!(error = %e, value = %c.from, "mail_from is not a valid address");
            fallback_from()
        });
        let reply_to = (!c.reply_to.is_empty())
            .then(|| c.reply_to.parse().ok())
            .flatten();
        let domain = if c.domain.is_empty() {
            "concorde.invalid".to_string()
        } else {
            c.domain.clone()
        };
        if !c.smtp_url.is_empty() {
            match AsyncSmtpTransport::<Tokio1Executor>::from_url(&c.smtp_url) {
                // A server that accepts connections and never answers must not hold a job
                // (and its worker slot) forever.
                Ok(b) => {
                    return Mailer {
                        transport: Transport::Smtp(
                            b.timeout(Some(Duration::from_secs(30))).build(),
                        ),
                        from,
                        reply_to,
                        domain,
                    };
                }
                Err(e) => {
                    tracing::error!(error = %e, "invalid smtp_url; writing mail to the outbox")
                }
            }
        }
        if let Err(e) = std::fs::create_dir_all(&c.outbox_dir) {
            tracing::error!(error = %e, dir = %c.outbox_dir.display(), "cannot create the mail outbox");
        }
        Mailer {
            transport: Transport::Outbox(c.outbox_dir.clone()),
            from,
            reply_to,
            domain,
        }
    }

    pub fn outbox(&self) -> Option<&std::path::Path> {
        match &self.transport {
            Transport::Outbox(dir) => Some(dir),
            Transport::Smtp(_) => None,
        }
    }

    /// Sends the mail of job `job_id`.
    pub async fn send(&self, job_id: i64, m: &MailJob) -> Result<(), JobError> {
        let to: Mailbox =
            m.to.parse()
                .map_err(|_| JobError::permanent("invalid recipient address"))?;
        let mut b = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.clone())
            .message_id(Some(format!("<job-{job_id}@{}>", self.domain)))
            .header(ContentType::TEXT_PLAIN);
        let reply_to = m
            .reply_to
            .as_deref()
            .and_then(|r| r.parse::<Mailbox>().ok())
            .or_else(|| self.reply_to.clone());
        if let Some(r) = reply_to {
            b = b.reply_to(r);
        }
        let msg = b
            .body(m.body.clone())
            .map_err(|e| JobError::permanent(format!("mail not built: {e}")))?;
        match &self.transport {
            Transport::Smtp(t) => t
                .send(msg)
                .await
                .map(|_| ())
                .map_err(|e| JobError::retry(format!("SMTP: {e}"))),
            Transport::Outbox(dir) => write_once(dir, job_id, &msg.formatted()).await,
        }
    }
}

/// Writes the outbox file of a job unless it is already there; through a temporary name, so a
/// reader never sees half a message and a repeated job never writes a second one.
async fn write_once(dir: &std::path::Path, job_id: i64, bytes: &[u8]) -> Result<(), JobError> {
    let path = dir.join(format!("{job_id:012}.eml"));
    if tokio::fs::try_exists(&path).await.unwrap_or(false) {
        return Ok(());
    }
    let tmp = dir.join(format!(".{job_id:012}.eml.tmp"));
    tokio::fs::write(&tmp, bytes)
        .await
        .map_err(|e| JobError::retry(format!("outbox: {e}")))?;
    tokio::fs::rename(&tmp, &path)
        .await
        .map_err(|e| JobError::retry(format!("outbox: {e}")))
}

/// The handler of `mail` jobs.
pub async fn run(mailer: &Mailer, job: &storage::Job) -> Result<(), JobError> {
    let m: MailJob = serde_json::from_str(&job.payload)
        .map_err(|e| JobError::permanent(format!("malformed mail job: {e}")))?;
    mailer.send(job.id, &m).await
}
