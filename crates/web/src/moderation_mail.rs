//! The mails of a moderation decision: the author learns what was hidden or restored, why, with
//! the text concerned quoted and how to contest it; the people who reported it learn the outcome.

use app::moderation::ModerationNotice;
use domain::Lang;
use jobs::JobError;
use storage::Target;
use webkit::i18n::Tr;
use webkit::state::AppState;

pub async fn notice(state: &AppState, job_id: i64, n: ModerationNotice) -> Result<(), JobError> {
    let Some(target) = Target::parse(&n.kind, n.id) else {
        return Ok(());
    };
    let Some(item) = state.store.moderation_item(target).await? else {
        return Ok(());
    };
    let base = state.settings.public_url.trim_end_matches('/');
    let link = format!("{base}/contributions/{}", item.contribution_id);
    let comment = matches!(target, Target::Comment(_));
    let reply_to = (!state.settings.mail_reply_to.trim().is_empty())
        .then(|| state.settings.mail_reply_to.trim().to_string());
    let mut tx = state.store.begin().await?;
    if n.decision != "keep"
        && let Some(author) = item.author_id
        && let Some(r) = state.store.recipient(author).await?
    {
        let tr = Tr::new(Lang::parse(&r.lang).unwrap_or(Lang::Fr));
        let hidden = n.decision == "hide";
        let key = |what: &str| {
            format!(
                "mail-{what}-{}",
                if comment { "comment" } else { "contribution" }
            )
        };
        let subject = tr.t1(
            if hidden {
                "mail-hidden-subject"
            } else {
                "mail-restored-subject"
            },
            "title",
            &item.title,
        );
        let mut body = tr.t1(
            &key(if hidden { "hidden" } else { "restored" }),
            "title",
            &item.title,
        );
        if hidden {
            body.push_str(&format!(
                "\n\n{}\n\n> {}\n\n{}",
                tr.t1("mail-hidden-reason", "reason", &n.reason),
                webkit::view::excerpt(&item.body, 600).replace('\n', "\n> "),
                if reply_to.is_some() {
                    tr.t("mail-hidden-appeal")
                } else {
                    tr.t1(
                        "mail-hidden-appeal-contact",
                        "contact",
                        if state.settings.contact_email.is_empty() {
                            format!("{base}/mentions-legales")
                        } else {
                            state.settings.contact_email.clone()
                        },
                    )
                }
            ));
        }
        body.push_str(&format!("\n\n{link}"));
        crate::tasks::queue_mail(
            state,
            &mut tx,
            &r.email,
            subject,
            body,
            reply_to.clone(),
            format!("moderation-{job_id}-author"),
        )
        .await?;
    }
    // Those who reported it are told what became of their report.
    if n.decision != "restore" {
        for reporter in &n.reporters {
            let Some(r) = state.store.recipient(*reporter).await? else {
                continue;
            };
            let tr = Tr::new(Lang::parse(&r.lang).unwrap_or(Lang::Fr));
            let outcome = if n.decision == "hide" {
                "mail-report-outcome-hidden"
            } else {
                "mail-report-outcome-kept"
            };
            let body = format!("{}\n\n{link}", tr.t1(outcome, "title", &item.title));
            crate::tasks::queue_mail(
                state,
                &mut tx,
                &r.email,
                tr.t1("mail-report-outcome-subject", "title", &item.title),
                body,
                None,
                format!("moderation-{job_id}-reporter-{reporter}"),
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
