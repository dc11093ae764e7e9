//! `TestApp`: a running instance with its own database, an HTTP client with cookies, and helpers
//! to read forms, log in and read the mail outbox.

use concorde::{Running, open_store, start};
use domain::Role;
use reqwest::StatusCode;
use reqwest::redirect::Policy;
use std::path::PathBuf;
use web::Settings;

pub const PASSWORD: &str = "un mot de passe solide";

pub struct TestApp {
    pub running: Running,
    pub base: String,
    pub client: reqwest::Client,
    pub data_dir: PathBuf,
    pub database_url: String,
    /// Dropped with the last instance on it (`sibling` shares it).
    pub db: std::sync::Arc<TestDb>,
}

pub struct Page {
    pub status: StatusCode,
    pub body: String,
    pub headers: reqwest::header::HeaderMap,
}

impl Page {
    pub fn location(&self) -> String {
        self.headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }

    #[track_caller]
    pub fn assert_contains(&self, needle: &str) -> &Self {
        assert!(
            self.body.contains(needle),
            "expected {needle:?} in a {} page:\n{}",
            self.status,
            &self.body[..self.body.len().min(6000)]
        );
        self
    }
}

fn unique(prefix: &str) -> String {
    use rand::Rng;
    format!(
        "{prefix}{}_{}",
        std::process::id(),
        rand::rng().random::<u32>()
    )
}

/// A fresh database for one test, dropped (with its data folder) when the last instance using
/// it goes: a PostgreSQL database copied from a migrated template when the environment names a
/// server, else a copy of a migrated SQLite file. Migrating once and copying keeps each test's
/// start short; the template's name carries a hash of the migrations, so a new migration makes
/// a new template.
pub struct TestDb {
    pub url: String,
    pub data_dir: PathBuf,
    /// `(server URL, database name)` on PostgreSQL.
    postgres: Option<(String, String)>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.data_dir);
        let Some((admin, name)) = self.postgres.take() else {
            return;
        };
        // Drop runs inside the test's runtime: do the async work on a thread of its own.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build();
            if let Ok(rt) = rt {
                rt.block_on(async {
                    use sqlx::Connection;
                    if let Ok(mut conn) = sqlx::AnyConnection::connect(&admin).await {
                        let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                        )))
                        .execute(&mut conn)
                        .await;
                    }
                });
            }
        })
        .join();
    }
}

/// A hash of the migration files, naming the templates they produce.
fn migrations_hash(backend: &str) -> String {
    use sha2::{Digest, Sha256};
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../storage/migrations")
        .join(backend);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("migrations folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let mut h = Sha256::new();
    for f in files {
        h.update(
            f.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        );
        h.update(std::fs::read(&f).unwrap_or_default());
    }
    h.finalize()
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn admin_url() -> Option<String> {
    std::env::var("CONCORDE_TEST_DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres"))
}

fn with_database(admin: &str, name: &str) -> String {
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(admin);
    format!("{base}/{name}")
}

/// A fresh PostgreSQL database copied from the migrated template, when the tests have a server.
pub async fn postgres_database() -> Option<TestDb> {
    use sqlx::Connection;
    let admin = admin_url()?;
    sqlx::any::install_default_drivers();
    let template = format!("concorde_tpl_{}", migrations_hash("postgres"));
    let mut conn = sqlx::AnyConnection::connect(&admin)
        .await
        .expect("connect to the PostgreSQL server named by CONCORDE_TEST_DATABASE_URL");
    let exists: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pg_database WHERE datname = $1")
        .bind(&template)
        .fetch_one(&mut conn)
        .await
        .unwrap_or(0);
    if exists == 0 {
        // Migrated under a name of its own, then renamed: other tests never copy a template
        // that is still being migrated, and two tests building it at once both succeed.
        let building = unique("concorde_tpl_build_");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {building}")))
            .execute(&mut conn)
            .await
            .expect("create a template database");
        let store = storage::Store::connect(&with_database(&admin, &building))
            .await
            .expect("open the template");
        store.migrate().await.expect("migrate the template");
        store.close().await;
        let renamed = sqlx::query(sqlx::AssertSqlSafe(format!(
            "ALTER DATABASE {building} RENAME TO {template}"
        )))
        .execute(&mut conn)
        .await;
        if renamed.is_err() {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {building} WITH (FORCE)"
            )))
            .execute(&mut conn)
            .await;
        }
    }
    let name = unique("concorde_t_");
    let mut tries = 0;
    loop {
        // Copying fails while another session is connected to the template (a rename racing):
        // wait a moment and try again.
        match sqlx::query(sqlx::AssertSqlSafe(format!(
            "CREATE DATABASE {name} TEMPLATE {template}"
        )))
        .execute(&mut conn)
        .await
        {
            Ok(_) => break,
            Err(e) if tries < 50 => {
                tries += 1;
                let _ = e;
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            Err(e) => panic!("copy the template database: {e}"),
        }
    }
    let _ = conn.close().await;
    let data_dir = std::env::temp_dir().join(unique("concorde-test-"));
    std::fs::create_dir_all(&data_dir).expect("temp dir");
    Some(TestDb {
        url: with_database(&admin, &name),
        data_dir,
        postgres: Some((admin, name)),
    })
}

/// A fresh SQLite file copied from the migrated template file.
pub async fn sqlite_database() -> TestDb {
    let data_dir = std::env::temp_dir().join(unique("concorde-test-"));
    std::fs::create_dir_all(&data_dir).expect("temp dir");
    let template = std::env::temp_dir().join(format!(
        "concorde-template-{}.db",
        migrations_hash("sqlite")
    ));
    if !template.exists() {
        let building =
            std::env::temp_dir().join(format!("{}.db", unique("concorde-template-build-")));
        let url = format!("sqlite://{}?mode=rwc", building.display());
        let store = storage::Store::connect(&url)
            .await
            .expect("open the template");
        store.migrate().await.expect("migrate the template");
        // One self-contained file: no WAL left beside it.
        let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(store.pool())
            .await;
        let _ = sqlx::query("PRAGMA journal_mode = DELETE")
            .execute(store.pool())
            .await;
        store.close().await;
        let _ = std::fs::rename(&building, &template);
        let _ = std::fs::remove_file(&building);
    }
    let db = data_dir.join("test.db");
    std::fs::copy(&template, &db).expect("copy the template database");
    TestDb {
        url: format!("sqlite://{}?mode=rwc", db.display()),
        data_dir,
        postgres: None,
    }
}

pub async fn fresh_database() -> TestDb {
    match postgres_database().await {
        Some(db) => db,
        None => sqlite_database().await,
    }
}

impl TestApp {
    pub async fn new() -> TestApp {
        Self::with(|_| {}).await
    }

    /// An instance whose settings `f` adjusts (SMTP, attempts, no job worker…).
    pub async fn with(f: impl FnOnce(&mut Settings)) -> TestApp {
        let db = std::sync::Arc::new(fresh_database().await);
        Self::on(db, f).await
    }

    /// An instance on this database (e.g. SQLite in the PostgreSQL pass, to compare both).
    pub async fn on_database(db: TestDb) -> TestApp {
        Self::on(std::sync::Arc::new(db), |_| {}).await
    }

    /// A second instance on the same database (what a load balancer would have behind it).
    pub async fn sibling(&self) -> TestApp {
        Self::on(self.db.clone(), |_| {}).await
    }

    /// A second instance on the same database with adjusted settings.
    pub async fn sibling_with(&self, f: impl FnOnce(&mut Settings)) -> TestApp {
        Self::on(self.db.clone(), f).await
    }

    async fn on(db: std::sync::Arc<TestDb>, f: impl FnOnce(&mut Settings)) -> TestApp {
        let data_dir = db.data_dir.clone();
        let database_url = db.url.clone();
        let mut settings = Settings {
            listen: "127.0.0.1:0".into(),
            data_dir: data_dir.clone(),
            database_url: database_url.clone(),
            public_url: "http://concorde.test".into(),
            // Staff accounts sign in with the password alone in tests, but for those of the
            // second factor (`security`), which ask for it.
            second_factor_roles: Vec::new(),
            ..Settings::default()
        };
        f(&mut settings);
        let store = open_store(&settings).await.expect("open the test database");
        let running = start(settings, store).await.expect("start the app");
        // The nightly retention run that `start` queues would be due in some tests' hours and
        // counted among their jobs: the tests of retention (`privacy`) queue their own.
        sqlx::query("DELETE FROM jobs WHERE kind = 'retention' AND state = 'queued'")
            .execute(running.state.store.pool())
            .await
            .expect("unqueue the retention run");
        let base = format!("http://{}", running.addr);
        TestApp {
            running,
            base,
            client: new_client(),
            data_dir,
            database_url,
            db,
        }
    }

    pub fn store(&self) -> &storage::Store {
        &self.running.state.store
    }

    /// A fresh visitor (own cookies) on the same app.
    pub fn new_visitor(&mut self) {
        self.client = new_client();
    }

    pub async fn get(&self, path: &str) -> Page {
        let res = self
            .client
            .get(format!("{}{}", self.base, path))
            .send()
            .await
            .expect("GET");
        to_page(res).await
    }

    pub async fn get_with(&self, path: &str, header: (&str, &str)) -> Page {
        let res = self
            .client
            .get(format!("{}{}", self.base, path))
            .header(header.0, header.1)
            .send()
            .await
            .expect("GET");
        to_page(res).await
    }

    /// The CSRF token of this visitor, read from a form.
    pub async fn csrf(&self) -> String {
        let page = self.get("/connexion").await;
        extract_csrf(&page.body)
    }

    /// Posts a form with this visitor's CSRF token.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// Posts a form with this visitor's CSRF token and one more header (`X-Forwarded-For`…).
    pub async fn post_with_header(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        header: (&str, &str),
    ) -> Page {
        let token = self.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        let res = self
            .client
            .post(format!("{}{}", self.base, path))
            .header(header.0, header.1)
            .form(&all)
            .send()
            .await
            .expect("POST");
        to_page(res).await
    }

    /// Posts a form exactly as given (no token added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let res = self
            .client
            .post(format!("{}{}", self.base, path))
            .form(fields)
            .send()
            .await
            .expect("POST");
        to_page(res).await
    }

    pub async fn post_body(&self, path: &str, content_type: &str, body: Vec<u8>) -> Page {
        let res = self
            .client
            .post(format!("{}{}", self.base, path))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("POST");
        to_page(res).await
    }

    pub async fn post_multipart(&self, path: &str, form: reqwest::multipart::Form) -> Page {
        let res = self
            .client
            .post(format!("{}{}", self.base, path))
            .multipart(form)
            .send()
            .await
            .expect("POST multipart");
        to_page(res).await
    }

    /// Creates a confirmed account with these roles, straight in the store.
    pub async fn create_user(&self, email: &str, roles: &[Role]) -> i64 {
        let hash = web::hash_password(PASSWORD);
        let id = self
            .store()
            .create_user(storage::NewUser {
                email,
                password_hash: &hash,
                display_name: email.split('@').next().unwrap_or("x"),
                lang: "fr",
                confirmed: true,
            })
            .await
            .expect("create user");
        for r in roles {
            self.store().grant_role(id, *r, None).await.expect("grant");
        }
        id
    }

    pub async fn login(&self, email: &str, password: &str) -> Page {
        self.post(
            "/connexion",
            &[("email", email), ("password", password), ("next", "/")],
        )
        .await
    }

    /// A new visitor, signed in with an account holding these roles.
    pub async fn as_role(&mut self, roles: &[Role]) -> i64 {
        self.new_visitor();
        let email = format!("{}@example.org", unique("u"));
        let id = self.create_user(&email, roles).await;
        let page = self.login(&email, PASSWORD).await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "login failed: {}",
            page.body
        );
        id
    }

    /// Runs every job due now (mail, fan-out) on this instance's worker, as the background
    /// worker would a moment later.
    pub async fn drain_jobs(&self) -> usize {
        let mut ran = 0;
        // The instance's own background worker may hold some of them: wait until nothing due
        // is queued or running.
        for _ in 0..500 {
            ran += self
                .running
                .worker
                .drain()
                .await
                .expect("run the queued jobs");
            let busy: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM jobs WHERE state = 'running' OR (state = 'queued' AND run_at <= $1)",
            )
            .bind(storage::now())
            .fetch_one(self.store().pool())
            .await
            .expect("jobs");
            if busy == 0 {
                return ran;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("jobs still running after 10 s");
    }

    /// The outbox's mails to this recipient, in the order they were queued (files are named by
    /// job), after the queue has run.
    pub async fn mails(&self, to: &str) -> Vec<String> {
        self.drain_jobs().await;
        let dir = self.data_dir.join("outbox");
        let mut mails: Vec<(String, String)> = std::fs::read_dir(&dir)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                    .filter_map(|e| {
                        let text = std::fs::read_to_string(e.path()).ok()?;
                        let name = e.file_name().to_string_lossy().into_owned();
                        text.contains(to).then_some((name, text))
                    })
                    .collect()
            })
            .unwrap_or_default();
        mails.sort();
        mails.into_iter().map(|(_, t)| decode_mail(&t)).collect()
    }

    /// The last mail written to the outbox for this recipient.
    pub async fn last_mail_to(&self, to: &str) -> Option<String> {
        self.mails(to).await.pop()
    }

    pub async fn mails_to(&self, to: &str) -> usize {
        self.mails(to).await.len()
    }
}

/// Decodes the quoted-printable body (soft breaks, `=C3=A9`…), so that tests read the text.
fn decode_mail(raw: &str) -> String {
    let joined = raw.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The path of the first link in a mail that starts with `prefix` (e.g. "/confirmer/").
pub fn link_in(mail: &str, prefix: &str) -> String {
    let start = mail
        .find(prefix)
        .unwrap_or_else(|| panic!("no {prefix} link in:\n{mail}"));
    mail[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || "/-_".contains(*c))
        .collect()
}

pub fn extract_csrf(body: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = body
        .find(marker)
        .map(|i| i + marker.len())
        .expect("a form with a CSRF token");
    body[start..].chars().take_while(|c| *c != '"').collect()
}

fn new_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .expect("client")
}

async fn to_page(res: reqwest::Response) -> Page {
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.text().await.unwrap_or_default();
    Page {
        status,
        body,
        headers,
    }
}

/// An online, individual contribution with no author, category or quartier: tests change what
/// they need with `NewContribution { field, ..online(…) }`.
pub fn online<'a>(
    debate_id: i64,
    question_id: i64,
    title: &'a str,
    body: &'a str,
) -> storage::NewContribution<'a> {
    storage::NewContribution {
        debate_id,
        question_id,
        author_id: None,
        kind: "individual",
        channel: "online",
        title,
        body,
        category_id: None,
        quartier_id: None,
        place: "",
        received_at: None,
        entered_by: None,
        ..Default::default()
    }
}

/// The demo instance and its debate "solidarites" (contributions open): its id and questions.
pub async fn demo(app: &TestApp) -> (i64, Vec<storage::Question>) {
    concorde::demo::load(app.store(), storage::now())
        .await
        .expect("demo");
    let d = app
        .store()
        .debate_by_slug("solidarites")
        .await
        .expect("db")
        .expect("demo debate");
    let qs = app.store().questions(d.id).await.expect("db");
    (d.id, qs)
}

/// A new visitor signed in as this account, created with these roles if it does not exist.
pub async fn sign_in(app: &mut TestApp, email: &str, roles: &[Role]) -> i64 {
    app.new_visitor();
    let id = match app.store().user_by_email(email).await.expect("db") {
        Some(u) => u.id,
        None => app.create_user(email, roles).await,
    };
    let page = app.login(email, PASSWORD).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    id
}

/// The contribution ids of the cards on a list or results page, in order (a comment found by
/// search gives its contribution).
pub fn card_ids(body: &str) -> Vec<i64> {
    body.split("class=\"contribution-card\"")
        .skip(1)
        .filter_map(|card| {
            let i = card.find("href=\"/contributions/")? + "href=\"/contributions/".len();
            card[i..]
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect::<String>()
                .parse()
                .ok()
        })
        .collect()
}

/// Runs the `concorde` binary with `args` against this app's data folder and database.
pub async fn concorde(app: &TestApp, args: &[&str]) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_concorde"));
    cmd.arg("--data")
        .arg(&app.data_dir)
        .args(args)
        .env("DATABASE_URL", &app.database_url)
        .env_remove("CONCORDE_DATABASE_URL");
    tokio::task::spawn_blocking(move || cmd.output())
        .await
        .expect("join")
        .expect("run concorde")
}

/// The number of rows of every table that forms and imports write to.
pub async fn row_counts(app: &TestApp) -> Vec<(&'static str, i64)> {
    let mut counts = Vec::new();
    for table in [
        "users",
        "user_roles",
        "sessions",
        "user_tokens",
        "files",
        "debates",
        "debate_questions",
        "phases",
        "audit_log",
        "contributions",
        "analysis_runs",
        "supports",
        "contribution_versions",
        "comments",
        "follows",
        "reports",
        "organisations",
        "organisation_members",
        "organisation_invitations",
        "contribution_files",
        "jobs",
        "api_tokens",
        "events",
        "registrations",
        "event_walk_ins",
        "programmes",
        "speakers",
        "surveys",
        "survey_responses",
        "survey_weightings",
    ] {
        let n: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
                .fetch_one(app.store().pool())
                .await
                .expect("count");
        counts.push((table, n));
    }
    counts
}
