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

/// A fresh database: a new PostgreSQL database when the environment names a server, else a
/// SQLite file in a fresh folder.
async fn fresh_database(data_dir: &std::path::Path) -> String {
    match std::env::var("CONCORDE_TEST_DATABASE_URL") {
        Ok(admin_url) if admin_url.starts_with("postgres") => {
            use sqlx::Connection;
            sqlx::any::install_default_drivers();
            let name = unique("concorde_t_");
            let mut conn = sqlx::AnyConnection::connect(&admin_url)
                .await
                .expect("connect to the PostgreSQL server named by CONCORDE_TEST_DATABASE_URL");
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut conn)
                .await
                .expect("create a test database");
            let base = admin_url
                .rsplit_once('/')
                .map(|(b, _)| b)
                .unwrap_or(&admin_url);
            format!("{base}/{name}")
        }
        _ => format!("sqlite://{}?mode=rwc", data_dir.join("test.db").display()),
    }
}

impl TestApp {
    pub async fn new() -> TestApp {
        let data_dir = std::env::temp_dir().join(unique("concorde-test-"));
        std::fs::create_dir_all(&data_dir).expect("temp dir");
        let database_url = fresh_database(&data_dir).await;
        Self::on(data_dir, database_url).await
    }

    /// A second instance on the same database (what a load balancer would have behind it).
    pub async fn sibling(&self) -> TestApp {
        Self::on(self.data_dir.clone(), self.database_url.clone()).await
    }

    async fn on(data_dir: PathBuf, database_url: String) -> TestApp {
        let settings = Settings {
            listen: "127.0.0.1:0".into(),
            data_dir: data_dir.clone(),
            database_url: database_url.clone(),
            public_url: "http://concorde.test".into(),
            ..Settings::default()
        };
        let store = open_store(&settings).await.expect("open the test database");
        let running = start(settings, store).await.expect("start the app");
        let base = format!("http://{}", running.addr);
        TestApp {
            running,
            base,
            client: new_client(),
            data_dir,
            database_url,
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

    /// The last mail written to the outbox for this recipient.
    pub fn last_mail_to(&self, to: &str) -> Option<String> {
        let dir = self.data_dir.join("outbox");
        let mut mails: Vec<(std::time::SystemTime, String)> = std::fs::read_dir(&dir)
            .ok()?
            .filter_map(|e| e.ok())
            .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
            .filter_map(|e| {
                let text = std::fs::read_to_string(e.path()).ok()?;
                let when = e.metadata().ok()?.modified().ok()?;
                text.contains(to).then_some((when, text))
            })
            .collect();
        mails.sort_by_key(|(t, _)| *t);
        mails.pop().map(|(_, t)| decode_mail(&t))
    }

    pub fn mails_to(&self, to: &str) -> usize {
        let dir = self.data_dir.join("outbox");
        std::fs::read_dir(&dir)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                    .filter(|t| t.contains(to))
                    .count()
            })
            .unwrap_or(0)
    }
}

/// Undoes quoted-printable soft breaks and `=3D` so links can be read from the message.
fn decode_mail(raw: &str) -> String {
    raw.replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=")
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
