//! The durable job queue: mail never sent inside a request, jobs that survive their worker's
//! death, retries that end `failed` with the reason without holding up the others, several
//! instances sharing the queue, and the administrators' page.

use crate::helpers::{TestApp, sign_in};
use domain::Role;
use jobs::MailJob;
use reqwest::StatusCode;

fn mail(to: &str, n: usize) -> storage::NewJob<'static> {
    MailJob {
        to: to.to_string(),
        subject: format!("Message {n}"),
        body: format!("Corps du message {n}"),
        reply_to: None,
    }
    .job()
}

fn outbox_files(app: &TestApp) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(app.data_dir.join("outbox"))
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".eml"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// An SMTP server that accepts connections and never says a word.
async fn silent_smtp() -> (String, tokio::task::JoinHandle<()>) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = l.local_addr().expect("addr");
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = l.accept().await {
            held.push(s);
        }
    });
    (format!("smtp://{addr}"), task)
}

#[tokio::test]
async fn sign_up_answers_at_once_when_the_smtp_server_never_answers() {
    let (url, _server) = silent_smtp().await;
    let app = TestApp::with(|s| s.smtp_url = url).await;
    let started = std::time::Instant::now();
    let page = app
        .post(
            "/inscription",
            &[
                ("display_name", "Anne"),
                ("email", "anne@example.org"),
                ("password", crate::helpers::PASSWORD),
            ],
        )
        .await;
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "sign-up took {:?}",
        started.elapsed()
    );
    assert!(
        page.status.is_success() || page.status.is_redirection(),
        "{}",
        page.status
    );
    // The confirmation waits in the queue instead.
    let c = app.store().job_counts().await.expect("counts");
    assert!(c.queued + c.running >= 1, "{c:?}");
}

#[tokio::test]
async fn jobs_of_a_dead_worker_are_sent_after_restart_once_each() {
    // The first instance runs no jobs: it only queues them, then "dies" holding some.
    let first = TestApp::with(|s| s.run_jobs = false).await;
    for i in 0..30 {
        first
            .store()
            .enqueue(mail(&format!("p{i}@example.org"), i))
            .await
            .expect("enqueue");
    }
    let now = storage::now();
    // A worker claims ten of them and is killed before finishing: their lease runs out.
    let claimed = first
        .store()
        .claim_jobs("dead-worker", now, -10, 10)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 10);
    // Half of those had already written their mail when the process died.
    let mailer = jobs::Mailer::new(&first.running.state.settings.mail_config());
    for j in claimed.iter().take(5) {
        jobs::mail::run(&mailer, j)
            .await
            .expect("sent before the crash");
    }
    assert_eq!(outbox_files(&first).len(), 5);

    // The restarted instance sends everything, and nothing twice.
    let second = first.sibling().await;
    second.drain_jobs().await;
    let files = outbox_files(&second);
    assert_eq!(files.len(), 30, "{files:?}");
    let c = second.store().job_counts().await.expect("counts");
    assert_eq!((c.done, c.queued, c.running, c.failed), (30, 0, 0, 0));
    for i in 0..30 {
        assert_eq!(second.mails_to(&format!("p{i}@example.org")).await, 1);
    }
}

#[tokio::test]
async fn a_failing_job_ends_failed_with_its_reason_and_others_go_on() {
    // Port 9 on loopback: nothing listens, the connection is refused at once.
    let app = TestApp::with(|s| {
        s.smtp_url = "smtp://127.0.0.1:9".into();
        s.job_attempts = 3;
        s.run_jobs = false;
    })
    .await;
    let mut job = mail("loin@example.org", 1);
    job.max_attempts = 3;
    app.store().enqueue(job).await.expect("enqueue");
    // A job of another kind that succeeds meanwhile (a reset request for an unknown address).
    app.store()
        .enqueue(web::tasks::job(
            web::tasks::PASSWORD_RESET,
            &web::tasks::PasswordReset {
                email: "personne@example.org".into(),
            },
        ))
        .await
        .expect("enqueue");
    let worker = &app.running.worker;
    let t = storage::now();
    assert_eq!(worker.run_due(t).await.expect("run"), 2);
    let failed_once = app
        .store()
        .jobs_in_state("queued", None, 10)
        .await
        .expect("q");
    assert_eq!(failed_once.len(), 1, "the mail waits for its retry");
    assert!(failed_once[0].run_at > t, "retried later, not at once");
    assert!(
        failed_once[0].last_error.contains("SMTP"),
        "{}",
        failed_once[0].last_error
    );
    // Not due yet: nothing runs now.
    assert_eq!(worker.run_due(t).await.expect("run"), 0);
    // Later attempts, each after its back-off, until it fails for good.
    assert_eq!(worker.run_due(t + 3_600).await.expect("run"), 1);
    assert_eq!(worker.run_due(t + 7_200).await.expect("run"), 1);
    assert_eq!(worker.run_due(t + 10_800).await.expect("run"), 0);
    let failed = app
        .store()
        .jobs_in_state("failed", None, 10)
        .await
        .expect("f");
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].attempts, 3);
    assert!(
        failed[0].last_error.contains("SMTP"),
        "{}",
        failed[0].last_error
    );
    let c = app.store().job_counts().await.expect("counts");
    assert_eq!((c.done, c.failed), (1, 1));
}

#[tokio::test]
async fn administrators_see_failed_jobs_and_retry_them() {
    let mut app = TestApp::with(|s| {
        s.smtp_url = "smtp://127.0.0.1:9".into();
        s.run_jobs = false;
    })
    .await;
    let mut job = mail("loin@example.org", 1);
    job.max_attempts = 1;
    app.store().enqueue(job).await.expect("enqueue");
    app.running
        .worker
        .run_due(storage::now())
        .await
        .expect("run");
    let failed = app
        .store()
        .jobs_in_state("failed", None, 10)
        .await
        .expect("f");
    assert_eq!(failed.len(), 1);
    let id = failed[0].id;

    // Only administrators.
    sign_in(&mut app, "mod@example.org", &[Role::Moderator]).await;
    assert_eq!(app.get("/admin/taches").await.status, StatusCode::FORBIDDEN);
    let refused = app.post(&format!("/admin/taches/{id}/relancer"), &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    sign_in(&mut app, "admin@example.org", &[Role::Admin]).await;
    let page = app.get("/admin/taches").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Tâches en échec")
        .assert_contains(&format!("/admin/taches/{id}/relancer"))
        .assert_contains("SMTP");
    let retried = app.post(&format!("/admin/taches/{id}/relancer"), &[]).await;
    assert_eq!(retried.status, StatusCode::SEE_OTHER, "{}", retried.body);
    let j = app.store().job(id).await.expect("db").expect("job");
    assert_eq!((j.state.as_str(), j.attempts), ("queued", 0));
    // Retrying what is not failed: a clear refusal.
    let again = app.post(&format!("/admin/taches/{id}/relancer"), &[]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let log = app.store().audit_page(None, 10).await.expect("audit");
    assert!(
        log.iter()
            .any(|e| e.action == "job.retry" && e.target == format!("job:{id}"))
    );
}

#[tokio::test]
async fn two_instances_share_the_queue_and_run_each_job_once() {
    let a = TestApp::with(|s| s.run_jobs = false).await;
    let b = a.sibling_with(|s| s.run_jobs = false).await;
    for i in 0..200 {
        a.store()
            .enqueue(mail(&format!("q{i}@example.org"), i))
            .await
            .expect("enqueue");
    }
    let (na, nb) = tokio::join!(a.running.worker.drain(), b.running.worker.drain());
    let (na, nb) = (na.expect("a"), nb.expect("b"));
    assert_eq!(na + nb, 200, "every job claimed exactly once ({na} + {nb})");
    let done = a
        .store()
        .jobs_in_state("done", None, 500)
        .await
        .expect("done");
    assert_eq!(done.len(), 200);
    assert!(done.iter().all(|j| j.attempts == 1), "a job ran twice");
    assert_eq!(outbox_files(&a).len(), 200);
}

#[tokio::test]
async fn password_reset_asks_the_same_of_known_and_unknown_addresses() {
    let app = TestApp::with(|s| s.run_jobs = false).await;
    app.create_user("connu@example.org", &[]).await;
    let known = app
        .post("/mot-de-passe-oublie", &[("email", "connu@example.org")])
        .await;
    let unknown = app
        .post("/mot-de-passe-oublie", &[("email", "inconnu@example.org")])
        .await;
    assert_eq!(known.status, unknown.status);
    // Same page, and the same single write: one job each, whatever the address.
    let strip = |b: &str| {
        let mut b = b.to_string();
        while let Some(i) = b.find("name=\"csrf\" value=\"") {
            let start = i + 20;
            let end = b[start..].find('"').map(|e| e + start).unwrap_or(start);
            b.replace_range(i..end, "");
        }
        b
    };
    assert_eq!(strip(&known.body), strip(&unknown.body));
    let queued = app
        .store()
        .jobs_in_state("queued", None, 10)
        .await
        .expect("q");
    assert_eq!(queued.len(), 2);
    assert!(queued.iter().all(|j| j.kind == web::tasks::PASSWORD_RESET));
    app.drain_jobs().await;
    assert_eq!(app.mails_to("connu@example.org").await, 1);
    assert_eq!(app.mails_to("inconnu@example.org").await, 0);
}

#[tokio::test]
async fn a_mail_job_keeps_one_message_id_and_one_outbox_file_when_repeated() {
    let app = TestApp::with(|s| s.run_jobs = false).await;
    app.store()
        .enqueue(mail("deux@example.org", 1))
        .await
        .expect("enqueue");
    let now = storage::now();
    let j = app
        .store()
        .claim_jobs("w1", now, 300, 1)
        .await
        .expect("claim")
        .remove(0);
    let mailer = jobs::Mailer::new(&app.running.state.settings.mail_config());
    jobs::mail::run(&mailer, &j).await.expect("first send");
    jobs::mail::run(&mailer, &j).await.expect("repeated send");
    let files = outbox_files(&app);
    assert_eq!(files, vec![format!("{:012}.eml", j.id)]);
    let text = std::fs::read_to_string(app.data_dir.join("outbox").join(&files[0])).expect("read");
    assert!(
        text.contains(&format!("Message-ID: <job-{}@concorde.test>", j.id)),
        "{text}"
    );
}

/// A real process killed with SIGKILL while it sends: after a restart every mail is in the
/// outbox, and none twice.
#[tokio::test]
async fn kill_9_while_mails_are_sent_loses_none_and_doubles_none() {
    let app = TestApp::with(|s| s.run_jobs = false).await;
    let n = 3_000;
    let mut tx = app.store().begin().await.expect("tx");
    for i in 0..n {
        tx.enqueue(mail(&format!("k{i}@example.org"), i))
            .await
            .expect("enqueue");
    }
    tx.commit().await.expect("commit");
    let (data_dir, database_url) = (app.data_dir.clone(), app.database_url.clone());
    let spawn = move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_concorde"))
            .arg("--data")
            .arg(&data_dir)
            .args(["jobs", "run"])
            .env("DATABASE_URL", &database_url)
            .env("CONCORDE_JOB_LEASE_SECS", "1")
            .env_remove("CONCORDE_DATABASE_URL")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start concorde jobs run")
    };
    let mut child = spawn();
    // Killed once it has sent some and before it has sent all.
    let started = std::time::Instant::now();
    loop {
        let sent = outbox_files(&app).len();
        if sent >= 50 || started.elapsed() > std::time::Duration::from_secs(60) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    child.kill().expect("kill -9");
    let _ = child.wait();
    let after_kill = outbox_files(&app).len();
    assert!(
        after_kill > 0 && after_kill < n,
        "killed too late or too early: {after_kill}"
    );
    // The leases of the jobs it held run out (1 s, counted in whole seconds: up to 2 s); a new
    // process takes them back.
    tokio::time::sleep(std::time::Duration::from_millis(2_200)).await;
    let again = spawn.clone();
    let status = tokio::task::spawn_blocking(move || again().wait())
        .await
        .expect("join")
        .expect("second run");
    assert!(status.success());
    let files = outbox_files(&app);
    assert_eq!(files.len(), n, "every mail sent");
    let mut unique = files.clone();
    unique.dedup();
    assert_eq!(unique.len(), n, "none twice");
    // `serve` queued the nightly retention run once, though it started twice; it is not due.
    let retention = sqlx::query("DELETE FROM jobs WHERE kind = 'retention' AND state = 'queued'")
        .execute(app.store().pool())
        .await
        .expect("retention run");
    assert_eq!(retention.rows_affected(), 1);
    let c = app.store().job_counts().await.expect("counts");
    assert_eq!((c.done, c.queued, c.running, c.failed), (n as i64, 0, 0, 0));
}
