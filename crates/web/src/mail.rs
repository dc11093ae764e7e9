//! Outgoing mail: SMTP when configured, otherwise `.eml` files in the data folder's outbox, which
//! an administrator can open and which the tests read.

use crate::settings::Settings;
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    Outbox {
        transport: AsyncFileTransport<Tokio1Executor>,
        dir: std::path::PathBuf,
        from: Mailbox,
    },
}

fn default_from() -> Mailbox {
    Mailbox::new(
        Some("Concorde".into()),
        lettre::Address::new("no-reply", "localhost").unwrap_or_else(|_| unreachable!()),
    )
}

/// Checks the mail settings, so that a typo stops the program instead of losing mail.
pub fn check_settings(s: &Settings) -> Result<(), String> {
    s.mail_from
        .parse::<Mailbox>()
        .map_err(|e| format!("mail_from is not a valid address ({e}): {:?}", s.mail_from))?;
    if !s.smtp_url.is_empty() {
        AsyncSmtpTransport::<Tokio1Executor>::from_url(&s.smtp_url)
            .map_err(|e| format!("smtp_url is not valid ({e})"))?;
    }
    Ok(())
}

impl Mailer {
    pub fn from_settings(s: &Settings) -> Mailer {
        let from: Mailbox = s.mail_from.parse().unwrap_or_else(|e| {
            tracing::warn!(error = %e, value = %s.mail_from, "mail_from is not a valid address");
            default_from()
        });
        if !s.smtp_url.is_empty() {
            match AsyncSmtpTransport::<Tokio1Executor>::from_url(&s.smtp_url) {
                Ok(b) => {
                    return Mailer::Smtp {
                        transport: b.build(),
                        from,
                    };
                }
                Err(e) => {
                    tracing::error!(error = %e, "invalid smtp_url; writing mail to the outbox")
                }
            }
        }
        let dir = s.outbox_dir();
        if let Err(e) = std::fs::create_dir_all(&dir) {
            tracing::error!(error = %e, dir = %dir.display(), "cannot create the mail outbox");
        }
        Mailer::Outbox {
            transport: AsyncFileTransport::new(&dir),
            dir,
            from,
        }
    }

    pub fn outbox(&self) -> Option<&std::path::Path> {
        match self {
            Mailer::Outbox { dir, .. } => Some(dir),
            Mailer::Smtp { .. } => None,
        }
    }

    /// Sends a plain-text message. Failures are logged, not shown: a visitor should not learn
    /// whether an address exists from a mail error.
    pub async fn send(&self, to: &str, subject: &str, body: String) -> bool {
        let from = match self {
            Mailer::Smtp { from, .. } | Mailer::Outbox { from, .. } => from.clone(),
        };
        let Ok(to) = to.parse::<Mailbox>() else {
            tracing::warn!("mail not sent: invalid recipient");
            return false;
        };
        let msg = match Message::builder()
            .from(from)
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
        {
            Ok(m) => m,
            Err(e) => {
                tracing::error!(error = %e, "mail not built");
                return false;
            }
        };
        let result = match self {
            Mailer::Smtp { transport, .. } => transport
                .send(msg)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Mailer::Outbox { transport, .. } => transport
                .send(msg)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
        };
        if let Err(e) = &result {
            tracing::error!(error = %e, "mail not sent");
        }
        result.is_ok()
    }
}
