//! The jobs this front queues and how they run: mail, the fan-out of a new comment to the
//! contribution's followers, and password-reset requests (looked up in a job, so that neither the
//! page nor its timing tells whether an address has an account), and the nightly retention run.

use domain::Lang;
use jobs::{JobError, MailJob, Worker};
use serde::Deserialize;
use webkit::i18n::Tr;
use webkit::state::AppState;

pub use app::jobs::{
    ANALYSIS_RUN, AnalysisRun, NOTIFY_FOLLOWERS, NotifyFollowers, PASSWORD_RESET, PasswordReset,
    job,
};

fn parse<T: for<'de> Deserialize<'de>>(job: &storage::Job) -> Result<T, JobError> {
    serde_json::from_str(&job.payload)
        .map_err(|e| JobError::permanent(format!("malformed {} job: {e}", job.kind)))
}

/// The worker of this instance, with a handler for every kind of job the platform queues.
pub fn worker(state: &AppState, config: jobs::WorkerConfig) -> Worker {
    let mail = state.clone();
    let notify = state.clone();
    let reset = state.clone();
    let analyse = state.clone();
    let moderated = state.clone();
    let retention = state.clone();
    let followed = state.clone();
    let (registered, promoted, changed, reminded) =
        (state.clone(), state.clone(), state.clone(), state.clone());
    Worker::builder(state.store.clone())
        .config(config)
        .handle(jobs::mail::KIND, move |job| {
            let s = mail.clone();
            async move { jobs::mail::run(&s.mailer, &job).await }
        })
        .handle(NOTIFY_FOLLOWERS, move |job| {
            let s = notify.clone();
            async move { notify_followers(&s, parse(&job)?).await }
        })
        .handle(PASSWORD_RESET, move |job| {
            let s = reset.clone();
            async move { password_reset(&s, parse(&job)?).await }
        })
        .handle(app::moderation::MODERATION_NOTICE, move |job| {
            let s = moderated.clone();
            async move { crate::moderation_mail::notice(&s, job.id, parse(&job)?).await }
        })
        .handle(app::events::EVENT_REGISTERED, move |job| {
            let s = registered.clone();
            async move { crate::event_mail::registration(&s, job.id, parse(&job)?, false).await }
        })
        .handle(app::events::EVENT_PROMOTED, move |job| {
            let s = promoted.clone();
            async move { crate::event_mail::registration(&s, job.id, parse(&job)?, true).await }
        })
        .handle(app::events::EVENT_CHANGED, move |job| {
            let s = changed.clone();
            async move { crate::event_mail::notice(&s, job.id, parse(&job)?, false).await }
        })
        .handle(app::events::EVENT_REMINDER, move |job| {
            let s = reminded.clone();
            async move { crate::event_mail::notice(&s, job.id, parse(&job)?, true).await }
        })
        .handle(app::report_followup::COMMITMENT_CHANGED, move |job| {
            let s = followed.clone();
            async move { commitment_changed(&s, parse(&job)?).await }
        })
        .handle(app::retention::RETENTION, move |job| {
            let s = retention.clone();
            async move { retention_run(&s, parse(&job)?).await }
        })
        .handle(ANALYSIS_RUN, move |job| {
            let s = analyse.clone();
            async move {
                let r: AnalysisRun = parse(&job)?;
                // The outcome (result or error) is stored with the run itself.
                if let Err(e) =
                    app::synthesis::execute(&s.store, r.run, r.debate_id, r.settings).await
                {
                    tracing::warn!(run = r.run, error = %e, "analysis run failed");
                }
                Ok(())
            }
        })
        .build()
}

/// One mail job per follower, queued together: each is then sent (and retried) on its own.
async fn notify_followers(state: &AppState, n: NotifyFollowers) -> Result<(), JobError> {
    let Some(c) = state.store.contribution(n.contribution_id).await? else {
        return Ok(());
    };
    let Some(comment) = state.store.comment(n.comment_id).await? else {
        return Ok(());
    };
    // Hidden in the meantime: nobody is told of it.
    if comment.status != "published" || c.status != "published" {
        return Ok(());
    }
    let link = format!(
        "{}/contributions/{}#commentaire-{}",
        state.settings.public_url.trim_end_matches('/'),
        c.id,
        comment.id
    );
    let followers = state.store.followers(c.id, n.author_id).await?;
    let mut tx = state.store.begin().await?;
    for r in followers {
        let tr = Tr::new(Lang::parse(&r.lang).unwrap_or(Lang::Fr));
        queue_mail(
            state,
            &mut tx,
            &r.email,
            tr.t1("mail-comment-subject", "title", &c.title),
            format!(
                "{}\n\n{}\n\n{}\n\n{}",
                tr.t1("mail-comment-intro", "title", &c.title),
                crate::view::excerpt(&comment.body, 600),
                link,
                tr.t("mail-comment-unfollow")
            ),
            None,
            format!("comment-{}-to-{}", comment.id, r.user_id),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// One mail per follower of the commitment's recommendation (final report, issue 12).
async fn commitment_changed(
    state: &AppState,
    n: app::report_followup::CommitmentChanged,
) -> Result<(), JobError> {
    let Some(k) = state.store.commitment(n.commitment_id).await? else {
        return Ok(());
    };
    let link = format!(
        "{}/engagements/{}",
        state.settings.public_url.trim_end_matches('/'),
        k.id
    );
    let followers = state.store.subscribers(k.debate_id, k.section_key).await?;
    let mut tx = state.store.begin().await?;
    for r in followers {
        let tr = Tr::new(Lang::parse(&r.lang).unwrap_or(Lang::Fr));
        let status = tr.t(&format!("commitment-status-{}", n.status));
        queue_mail(
            state,
            &mut tx,
            &r.email,
            tr.t1("mail-commitment-subject", "title", &k.title),
            format!(
                "{}\n\n{}\n\n{}",
                tr.tn(
                    "mail-commitment-intro",
                    &[
                        ("title", k.title.clone().into()),
                        ("status", status.into()),
                        ("progress", n.progress.into()),
                    ],
                ),
                link,
                tr.t("mail-commitment-unfollow")
            ),
            None,
            format!("commitment-{}-{}-to-{}", k.id, n.status, r.user_id),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn password_reset(state: &AppState, r: PasswordReset) -> Result<(), JobError> {
    let Some(u) = state.store.user_by_email(&r.email).await? else {
        return Ok(());
    };
    if u.blocked_at.is_some() {
        return Ok(());
    }
    let token = state
        .store
        .create_user_token(u.id, "reset", web_account::RESET_TTL)
        .await?;
    let link = format!(
        "{}/reinitialiser/{}",
        state.settings.public_url.trim_end_matches('/'),
        token
    );
    let tr = Tr::new(Lang::parse(&u.lang).unwrap_or_default());
    state
        .mail(
            &u.email,
            &tr.t("mail-reset-subject"),
            tr.t1("mail-reset-body", "link", &link),
        )
        .await?;
    Ok(())
}

/// At start-up: the jobs that queue themselves (the nightly retention run) are queued unless
/// one already waits.
pub async fn schedule(state: &AppState) -> Result<(), storage::StoreError> {
    app::retention::schedule(&state.store, &state.settings.time_zone()).await
}

/// The nightly retention run (`app::retention`), which then queues the next night's.
async fn retention_run(state: &AppState, r: app::retention::RetentionRun) -> Result<(), JobError> {
    let s = &state.settings;
    let delays = app::retention::Delays {
        inactive_days: s.inactive_account_days,
        registration_days: s.registration_retention_days,
    };
    let now = storage::now();
    let link = format!("{}/connexion", s.public_url.trim_end_matches('/'));
    let out = app::retention::run(&state.store, delays, now, |a| {
        let tr = Tr::new(Lang::parse(&a.lang).unwrap_or_default());
        let (subject, body) = if a.staff {
            ("mail-inactive-staff-subject", "mail-inactive-staff-body")
        } else {
            ("mail-inactive-subject", "mail-inactive-body")
        };
        let mut m = MailJob {
            to: a.email.clone(),
            subject: tr.t1(subject, "instance", &s.instance_name),
            body: tr.tn(
                body,
                &[
                    ("instance", s.instance_name.clone().into()),
                    ("months", (delays.inactive_days / 30).into()),
                    ("days", app::retention::WARNING_DAYS.into()),
                    ("link", link.clone().into()),
                ],
            ),
            reply_to: None,
        }
        .job();
        m.max_attempts = s.job_attempts;
        m
    })
    .await?;
    if out != app::retention::Outcome::default() {
        tracing::info!(
            warned = out.warned,
            deleted = out.deleted,
            registrations = out.registrations,
            "retention run"
        );
    }
    state
        .store
        .enqueue(app::retention::next_job(now, &s.time_zone(), Some(&r.day)))
        .await?;
    Ok(())
}

/// Queues one mail in the write `tx`, keyed by `dedup` so that a job run again after a crash
/// does not queue it twice.
pub(crate) async fn queue_mail(
    state: &AppState,
    tx: &mut storage::Tx<'_>,
    to: &str,
    subject: String,
    body: String,
    reply_to: Option<String>,
    dedup: String,
) -> Result<(), JobError> {
    let mut m = MailJob {
        to: to.to_string(),
        subject,
        body,
        reply_to,
    }
    .job();
    m.dedup_key = Some(dedup);
    m.max_attempts = state.settings.job_attempts;
    tx.enqueue(m).await?;
    Ok(())
}
