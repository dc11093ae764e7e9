//! `concorde import decidim DIR` (and `import contributions --format decidim`), run as a
//! separate process against the test app's database (SQLite or PostgreSQL), on the hand-written
//! exports of `tests/fixtures/decidim/` in two versions of Decidim's format: proposals with their
//! themes, states and votes, debates as questions, threaded comments with their alignment; bad
//! files, Excel's damage, missing parents, a second run.

use crate::helpers::{TestApp, concorde, demo};
use std::path::{Path, PathBuf};
use std::process::Output;

pub(crate) fn fixtures(version: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/decidim")
        .join(version)
}

async fn run(app: &TestApp, args: &[&str]) -> Output {
    let out = concorde(app, args).await;
    app.store().forget_cached();
    out
}

/// `concorde import decidim DIR --debate solidarites ARGS…`
pub(crate) async fn import_dir(app: &TestApp, dir: &Path, args: &[&str]) -> Output {
    let path = dir.to_str().expect("utf-8 path");
    let mut all = vec!["import", "decidim", path, "--debate", "solidarites"];
    all.extend_from_slice(args);
    run(app, &all).await
}

pub(crate) fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[track_caller]
pub(crate) fn assert_ok(o: &Output) {
    assert!(
        o.status.success(),
        "stdout:\n{}\nstderr:\n{}",
        stdout(o),
        stderr(o)
    );
}

async fn scalar(app: &TestApp, sql: &str, debate: i64) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .bind(debate)
        .fetch_one(app.store().pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn totals(app: &TestApp, debate: i64) -> (i64, i64, i64) {
    (
        scalar(
            app,
            "SELECT COUNT(*) FROM contributions WHERE debate_id = $1",
            debate,
        )
        .await,
        scalar(
            app,
            "SELECT COUNT(*) FROM comments m JOIN contributions c ON c.id = m.contribution_id \
             WHERE c.debate_id = $1",
            debate,
        )
        .await,
        scalar(
            app,
            "SELECT COUNT(*) FROM debate_questions WHERE debate_id = $1",
            debate,
        )
        .await,
    )
}

/// A fresh folder in the app's data folder, with these files.
pub(crate) fn folder(app: &TestApp, name: &str, files: &[(&str, Vec<u8>)]) -> PathBuf {
    let dir = app.data_dir.join(name);
    std::fs::create_dir_all(&dir).expect("mkdir");
    for (file, bytes) in files {
        std::fs::write(dir.join(file), bytes).expect("write");
    }
    dir
}

pub(crate) fn fixture(version: &str, file: &str) -> Vec<u8> {
    std::fs::read(fixtures(version).join(file)).expect("fixture")
}

#[derive(Debug, sqlx::FromRow)]
struct Imported {
    id: i64,
    question_id: i64,
    status: String,
    kind: String,
    title: String,
    body: String,
    theme: String,
    imported_supports: Option<i64>,
    source_state: String,
    source_answer: String,
    source_url: String,
    source_links: String,
    group_name: String,
    comments_count: i64,
    created_at: i64,
}

async fn imported(app: &TestApp, debate: i64, source_ref: &str) -> Imported {
    sqlx::query_as(
        "SELECT id, question_id, status, kind, title, body, theme, imported_supports, \
         source_state, source_answer, source_url, source_links, group_name, comments_count, \
         created_at FROM contributions WHERE debate_id = $1 AND source_ref = $2",
    )
    .bind(debate)
    .bind(source_ref)
    .fetch_one(app.store().pool())
    .await
    .unwrap_or_else(|e| panic!("contribution {source_ref}: {e}"))
}

#[derive(Debug, sqlx::FromRow)]
struct ImportedComment {
    id: i64,
    contribution_id: i64,
    parent_id: Option<i64>,
    depth: i64,
    body: String,
    alignment: String,
    group_name: String,
    author_id: Option<i64>,
}

async fn comment(app: &TestApp, source_ref: &str) -> ImportedComment {
    sqlx::query_as(
        "SELECT id, contribution_id, parent_id, depth, body, alignment, group_name, author_id \
         FROM comments WHERE source_ref = $1",
    )
    .bind(source_ref)
    .fetch_one(app.store().pool())
    .await
    .unwrap_or_else(|e| panic!("comment {source_ref}: {e}"))
}

pub(crate) async fn no_personal_data(app: &TestApp, debate: i64) {
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(app.store().pool())
        .await
        .expect("users");
    assert_eq!(users, 0, "authors are never imported as accounts");
    for name in ["Dupont", "Lefèvre", "Diallo", "Benali", "Martin"] {
        let like = format!("%{name}%");
        let n: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM contributions WHERE debate_id = $1 AND (title LIKE $2 \
             OR body LIKE $2 OR group_name LIKE $2 OR source_links LIKE $2)) + \
             (SELECT COUNT(*) FROM comments WHERE body LIKE $2 OR group_name LIKE $2)",
        )
        .bind(debate)
        .bind(&like)
        .fetch_one(app.store().pool())
        .await
        .expect("names");
        assert_eq!(n, 0, "{name} was imported");
    }
}

#[tokio::test]
async fn a_whole_process_arrives_with_its_themes_threads_states_and_provenance() {
    let app = TestApp::new().await;
    let (debate, qs) = demo(&app).await;
    let dir = fixtures("v027");

    let o = import_dir(&app, &dir, &["--question", "1"]).await;
    assert_ok(&o);
    let out = stdout(&o);
    for line in [
        "comments.csv: Decidim comments, 7 rows",
        "debates.json: Decidim debates, 2 rows",
        "meetings.csv: Decidim meetings, 2 rows",
        "proposals.csv: Decidim proposals, 4 rows (title/LANG, state and withdrawn",
        "proposals: 4 imported, 0 already present",
        "questions from debates: 2 imported, 0 already present",
        "contributions from debates' comments: 2 imported, 0 already present",
        "comments: 4 imported, 0 already present",
        "meetings (as events): 2 imported, 0 already present",
        "not imported: 1 comments on Decidim::Meetings::Meeting",
        "rejected: 0",
    ] {
        assert!(out.contains(line), "{line:?} missing in:\n{out}");
    }

    // Meetings: past events of the debate, held, with their attendance as walk-ins.
    let past = app.get("/debats/solidarites/agenda?quand=passes").await;
    past.assert_contains("Atelier mobilités")
        .assert_contains("Réunion de clôture");
    let events = app.store().debate_events(debate, true).await.expect("db");
    let mobility = events
        .iter()
        .find(|e| e.title == "Atelier mobilités")
        .expect("meeting 21");
    assert_eq!(mobility.status, "held");
    assert!(mobility.is_published());
    assert_eq!(mobility.description, "Un atelier ouvert à tous.");
    assert!(
        mobility.address.contains("Maison de quartier"),
        "{}",
        mobility.address
    );
    assert_eq!(
        app.store()
            .attendance(mobility.id)
            .await
            .expect("db")
            .walk_ins,
        35
    );

    // Proposals: under question 1, their category a theme, never a question.
    let questions = app.store().questions(debate).await.expect("db");
    let texts: Vec<&str> = questions.iter().map(|q| q.text.as_str()).collect();
    assert_eq!(texts.len(), qs.len() + 2, "{texts:?}");
    assert!(!texts.contains(&"Mobilité"), "a category is not a question");
    let p101 = imported(&app, debate, "101").await;
    assert_eq!(p101.question_id, qs[0].id);
    assert_eq!(p101.theme, "Mobilité");
    assert_eq!(p101.title, "Des pistes cyclables continues");
    assert_eq!(p101.imported_supports, Some(42));
    assert_eq!(
        (p101.status.as_str(), p101.source_state.as_str()),
        ("published", "accepted")
    );
    assert_eq!(p101.source_answer, "Étudiée par le service voirie.");
    assert_eq!(
        p101.source_url,
        "https://participer.example.org/processes/solidarites-2023/f/31/proposals/101"
    );
    assert!(p101.source_links.ends_with("/meetings/21"), "{p101:?}");
    assert_eq!(p101.created_at, 1_683_187_200, "2023-05-04 10:00:00 +0200");
    let p102 = imported(&app, debate, "102").await;
    assert_eq!(
        (
            p102.status.as_str(),
            p102.source_state.as_str(),
            p102.theme.as_str()
        ),
        ("withdrawn", "withdrawn", "")
    );
    assert_eq!(
        p102.body,
        "Un jardin partagé; des bacs; un composteur.\nLe bailleur est d'accord."
    );
    let p103 = imported(&app, debate, "103").await;
    assert_eq!(
        (p103.status.as_str(), p103.source_state.as_str()),
        ("published", "rejected"),
        "rejected there: published here with its state"
    );
    let p104 = imported(&app, debate, "104").await;
    assert_eq!(p104.imported_supports, None, "votes hidden at the source");
    assert_eq!(p104.source_state, "evaluating");

    // Debates: questions with their help text; their comments are the answers.
    let q11 = questions
        .iter()
        .find(|q| q.text == "Comment rompre l'isolement des personnes âgées ?")
        .expect("debate 11 as a question");
    assert_eq!(
        q11.help,
        "Visites, lieux de rencontre, téléphone : dites-nous ce qui marche."
    );
    let a404 = imported(&app, debate, "comment:404").await;
    assert_eq!(a404.question_id, q11.id);
    assert_eq!(
        (a404.kind.as_str(), a404.group_name.as_str()),
        ("collective", "Les Petits Frères de Doulon")
    );
    assert_eq!(
        a404.body,
        "Nos bénévoles appellent chaque semaine 80 personnes seules; il en faudrait le double."
    );
    let a406 = imported(&app, debate, "comment:406").await;
    assert_eq!(
        (a406.kind.as_str(), a406.group_name.as_str()),
        ("individual", "")
    );

    // Comments: threaded by depth, with their alignment, on what they answer.
    let c401 = comment(&app, "401").await;
    let c402 = comment(&app, "402").await;
    let c403 = comment(&app, "403").await;
    assert_eq!(
        (c401.contribution_id, c401.parent_id, c401.depth),
        (p101.id, None, 0)
    );
    assert_eq!((c402.parent_id, c402.depth), (Some(c401.id), 1));
    assert_eq!((c403.parent_id, c403.depth), (Some(c402.id), 2));
    assert_eq!(
        [&c401.alignment, &c402.alignment, &c403.alignment],
        ["for", "against", "neutral"]
    );
    assert_eq!(c401.author_id, None);
    let c405 = comment(&app, "405").await;
    assert_eq!(
        (c405.contribution_id, c405.parent_id, c405.depth),
        (a404.id, None, 0),
        "a reply to a debate's answer comments the contribution made of it"
    );
    assert_eq!(c405.body, "Merci, je veux bien devenir bénévole.");
    assert_eq!(
        imported(&app, debate, "101").await.comments_count,
        3,
        "counts follow"
    );
    no_personal_data(&app, debate).await;

    // Shown as such.
    let page = app.get(&format!("/contributions/{}", p101.id)).await;
    page.assert_contains("Thème : Mobilité")
        .assert_contains("42 soutiens reçus sur la plateforme d")
        .assert_contains("acceptée")
        .assert_contains("Étudiée par le service voirie.")
        .assert_contains(">Contre</span>")
        .assert_contains(">Pour</span>");
    // Filterable by theme.
    let list = app.get("/debats/solidarites/contributions").await;
    list.assert_contains("Mobilité (1)")
        .assert_contains("Logement (1)");
    let list = app
        .get("/debats/solidarites/contributions?theme=Mobilit%C3%A9")
        .await;
    assert_eq!(crate::helpers::card_ids(&list.body), [p101.id]);
    app.get("/debats/solidarites")
        .await
        .assert_contains("isolement des personnes âgées ?")
        .assert_contains("dites-nous ce qui marche.");
    app.get(&format!("/contributions/{}", p103.id))
        .await
        .assert_contains("rejetée");
    app.get(&format!("/contributions/{}", a404.id))
        .await
        .assert_contains("Les Petits Frères de Doulon");

    // In the open data, the theme is a column an analysis can take as its label.
    let export = app.data_dir.join("open.jsonl");
    let o = run(
        &app,
        &[
            "export",
            "contributions",
            "--debate",
            "solidarites",
            "--format",
            "jsonl",
            "--output",
            export.to_str().expect("utf-8"),
        ],
    )
    .await;
    assert_ok(&o);
    let text = std::fs::read_to_string(&export).expect("export");
    let row = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| v["id"] == p101.id)
        .expect("101 exported");
    assert_eq!(row["theme"], "Mobilité");
    assert_eq!(row["imported_supports"], 42);
    assert!(
        !text.contains("Un jardin partagé"),
        "withdrawn ones stay out"
    );

    // The analysis of the debate takes the themes as its reference labels.
    let docs = web::synthesis::documents(app.store(), debate)
        .await
        .expect("documents");
    let doc = docs
        .iter()
        .find(|d| d.id == p101.id.to_string())
        .expect("101 analysed");
    assert_eq!(doc.label.as_deref(), Some("Mobilité"));
    let unlabelled = docs
        .iter()
        .find(|d| d.id == a406.id.to_string())
        .expect("406 analysed");
    assert_eq!(unlabelled.label, None);

    // Again: nothing twice.
    let before = totals(&app, debate).await;
    let o = import_dir(&app, &dir, &["--question", "1"]).await;
    assert_ok(&o);
    let out = stdout(&o);
    assert!(
        out.contains("proposals: 0 imported, 4 already present"),
        "{out}"
    );
    assert!(
        out.contains("questions from debates: 0 imported, 2 already present"),
        "{out}"
    );
    assert!(
        out.contains("contributions from debates' comments: 0 imported, 2 already present"),
        "{out}"
    );
    assert!(
        out.contains("comments: 0 imported, 4 already present"),
        "{out}"
    );
    assert!(
        out.contains("meetings (as events): 0 imported, 2 already present"),
        "{out}"
    );
    assert_eq!(
        app.store()
            .debate_events(debate, true)
            .await
            .expect("db")
            .len(),
        2,
        "the meetings came once"
    );
    assert_eq!(totals(&app, debate).await, before);
    assert_eq!(before, (6, 4, qs.len() as i64 + 2));
}

#[tokio::test]
async fn the_older_format_and_the_single_file_command_agree() {
    let app = TestApp::new().await;
    let (debate, qs) = demo(&app).await;
    let dir = fixtures("v023");
    let proposals = dir.join("proposals.csv");

    // The issue's case: --question 1 puts every row there, categories become themes.
    let o = run(
        &app,
        &[
            "import",
            "contributions",
            proposals.to_str().expect("utf-8"),
            "--debate",
            "solidarites",
            "--question",
            "1",
        ],
    )
    .await;
    assert_ok(&o);
    assert!(stdout(&o).contains("imported: 5"), "{}", stdout(&o));
    assert_eq!(
        app.store().questions(debate).await.expect("db").len(),
        qs.len(),
        "no question created from categories"
    );
    let p201 = imported(&app, debate, "201").await;
    assert_eq!(
        (p201.question_id, p201.theme.as_str()),
        (qs[0].id, "Mobilité")
    );
    assert_eq!(
        p201.imported_supports,
        Some(12),
        "the old `supports` column"
    );
    assert_eq!(
        p201.body,
        "Relier les quartiers par des pistes cyclables séparées de la route.\n\nSurtout le long de la Loire !"
    );
    let p202 = imported(&app, debate, "202").await;
    assert_eq!(p202.status, "withdrawn", "withdrawal written in the state");
    let p204 = imported(&app, debate, "204").await;
    assert_eq!(
        p204.body,
        "Ouvrir les cantines le soir; avec les associations; et les voisins.\nUn \"repas du jeudi\" par quartier."
    );
    let p205 = imported(&app, debate, "205").await;
    assert_eq!(p205.body, "Faire rouler les bus dès 7 h le dimanche.");
    assert!(p205.source_links.contains("/meetings/21, "), "{p205:?}");

    // The whole folder next: the proposals are already there, the comments join them.
    let o = import_dir(&app, &dir, &["--question", "1"]).await;
    assert_ok(&o);
    let out = stdout(&o);
    assert!(out.contains("plain title and body"), "{out}");
    assert!(
        out.contains("proposals: 0 imported, 5 already present"),
        "{out}"
    );
    assert!(out.contains("comments: 3 imported"), "{out}");
    let c301 = comment(&app, "301").await;
    let c302 = comment(&app, "302").await;
    let c303 = comment(&app, "303").await;
    assert_eq!(c301.contribution_id, p201.id);
    assert_eq!((c302.parent_id, c302.depth), (Some(c301.id), 1));
    assert_eq!(
        (
            c303.contribution_id,
            c303.alignment.as_str(),
            c303.group_name.as_str()
        ),
        (
            imported(&app, debate, "203").await.id,
            "neutral",
            "Collectif Loyers Justes"
        )
    );
    no_personal_data(&app, debate).await;

    // A comments file alone, later: it finds the proposals imported before.
    let app2 = TestApp::new().await;
    let (debate2, _) = demo(&app2).await;
    let only_proposals = folder(
        &app2,
        "p",
        &[("proposals.csv", fixture("v023", "proposals.csv"))],
    );
    let only_comments = folder(
        &app2,
        "c",
        &[("comments.csv", fixture("v023", "comments.csv"))],
    );
    assert_ok(&import_dir(&app2, &only_proposals, &["--question", "2"]).await);
    let o = import_dir(&app2, &only_comments, &[]).await;
    assert_ok(&o);
    assert!(
        stdout(&o).contains("comments: 3 imported"),
        "{}",
        stdout(&o)
    );
    assert_eq!(totals(&app2, debate2).await.1, 3);
}

#[tokio::test]
async fn categories_name_questions_only_when_asked() {
    let app = TestApp::new().await;
    let (debate, qs) = demo(&app).await;
    let file = fixtures("v027").join("proposals.csv");
    let path = file.to_str().expect("utf-8");
    let args = |extra: &[&'static str]| {
        let mut a = vec!["import", "contributions", path, "--debate", "solidarites"];
        a.extend_from_slice(extra);
        a
    };
    // Neither --question nor --category-as-question: nowhere to put them.
    let o = run(&app, &args(&[])).await;
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("line 2: names no question"),
        "{}",
        stderr(&o)
    );

    let o = run(
        &app,
        &args(&[
            "--category-as-question",
            "--create-questions",
            "--question",
            "1",
        ]),
    )
    .await;
    assert_ok(&o);
    assert!(
        stdout(&o).contains("questions created: 3"),
        "{}",
        stdout(&o)
    );
    let after = app.store().questions(debate).await.expect("db");
    let texts: Vec<&str> = after.iter().map(|q| q.text.as_str()).collect();
    assert_eq!(texts[qs.len()..], ["Mobilité", "Logement", "Solidarité"]);
    let p101 = imported(&app, debate, "101").await;
    assert_eq!(p101.question_id, after[qs.len()].id);
    assert_eq!(p101.theme, "Mobilité", "still a theme too");
    assert_eq!(
        imported(&app, debate, "102").await.question_id,
        qs[0].id,
        "no category: --question 1"
    );

    // --rejected-as withdrawn, in another debate's worth of rows (another source).
    let o = run(
        &app,
        &args(&[
            "--question",
            "2",
            "--rejected-as",
            "withdrawn",
            "--source",
            "other",
        ]),
    )
    .await;
    assert_ok(&o);
    let status: String = sqlx::query_scalar(
        "SELECT status FROM contributions WHERE source = 'other' AND source_ref = '103'",
    )
    .fetch_one(app.store().pool())
    .await
    .expect("103");
    assert_eq!(status, "withdrawn");
    let comments = fixtures("v027").join("comments.csv");
    let o = run(
        &app,
        &[
            "import",
            "contributions",
            comments.to_str().expect("utf-8"),
            "--debate",
            "solidarites",
            "--question",
            "1",
        ],
    )
    .await;
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains(
            "import the folder of the process's exports with `concorde import decidim DIR`"
        ),
        "{}",
        stderr(&o)
    );
    let o = run(&app, &args(&["--question", "2", "--rejected-as", "hidden"])).await;
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("use published or withdrawn"),
        "{}",
        stderr(&o)
    );
}

/// The file as a spreadsheet saves it again: Windows-1252, CRLF line ends.
pub(crate) fn latin_1_crlf(utf8: &[u8]) -> Vec<u8> {
    let text = String::from_utf8(utf8.to_vec()).expect("utf-8 fixture");
    text.replace('\n', "\r\n")
        .chars()
        .map(|c| u8::try_from(u32::from(c)).expect("a Latin-1 character"))
        .collect()
}

pub(crate) type Row = (String, String, String, String);

pub(crate) async fn source_rows(app: &TestApp, debate: i64, source: &str) -> Vec<Row> {
    sqlx::query_as(
        "SELECT source_ref, title, body, theme FROM contributions WHERE debate_id = $1 \
         AND source = $2 ORDER BY source_ref",
    )
    .bind(debate)
    .bind(source)
    .fetch_all(app.store().pool())
    .await
    .expect("rows")
}

#[tokio::test]
async fn excel_damaged_files_arrive_the_same() {
    let app = TestApp::new().await;
    let (debate, _) = demo(&app).await;
    let clean = fixtures("v023");
    assert_ok(&import_dir(&app, &clean, &["--question", "1"]).await);

    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend(
        String::from_utf8(fixture("v023", "proposals.csv"))
            .expect("utf-8")
            .replace('\n', "\r\n")
            .into_bytes(),
    );
    let damaged = folder(
        &app,
        "excel",
        &[
            ("proposals.csv", bom),
            (
                "comments.csv",
                latin_1_crlf(&fixture("v023", "comments.csv")),
            ),
        ],
    );
    let o = import_dir(&app, &damaged, &["--question", "1", "--source", "excel"]).await;
    assert_ok(&o);
    let out = stdout(&o);
    assert!(out.contains("read as Windows-1252"), "{out}");
    assert!(out.contains("proposals: 5 imported"), "{out}");
    assert!(out.contains("comments: 3 imported"), "{out}");
    let a = source_rows(&app, debate, "decidim").await;
    let b = source_rows(&app, debate, "excel").await;
    assert_eq!(a.len(), 5);
    assert_eq!(a, b, "BOM and CRLF change nothing");
    let bodies: Vec<String> =
        sqlx::query_scalar("SELECT body FROM comments WHERE source = $1 ORDER BY source_ref")
            .bind("excel")
            .fetch_all(app.store().pool())
            .await
            .expect("comments");
    assert_eq!(bodies[1], "Pas sur les quais : il n'y a pas la place.");
    assert!(bodies.iter().all(|b| !b.contains('\r')));
    let expected: Vec<String> =
        sqlx::query_scalar("SELECT body FROM comments WHERE source = $1 ORDER BY source_ref")
            .bind("decidim")
            .fetch_all(app.store().pool())
            .await
            .expect("comments");
    assert_eq!(bodies, expected, "Latin-1 decoded to the same text");
}

#[tokio::test]
async fn bad_files_and_missing_parents_get_clear_messages() {
    let app = TestApp::new().await;
    let (debate, qs) = demo(&app).await;
    let q = qs.len() as i64;
    let mut comments = fixture("v027", "comments.csv");
    comments.extend_from_slice(
        "990;2023-05-05 10:00:00 +0200;Et le tram ?;fr;70;X;0;0;;;999;Decidim::Proposals::Proposal;https://participer.example.org/processes/solidarites-2023/f/31/proposals/999\n\
         991;2023-05-05 11:00:00 +0200;Je réponds à un commentaire effacé.;fr;71;Y;-1;1;;;888;Decidim::Comments::Comment;https://participer.example.org/processes/solidarites-2023/f/31/proposals/101\n"
            .as_bytes(),
    );
    let files = |comments: Vec<u8>| {
        vec![
            ("proposals.csv", fixture("v027", "proposals.csv")),
            ("debates.json", fixture("v027", "debates.json")),
            ("comments.csv", comments),
        ]
    };
    let dir = folder(&app, "orphans", &files(comments.clone()));
    let o = import_dir(&app, &dir, &["--question", "1"]).await;
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("comments.csv 9: comment 990 is on proposal 999, which is not in the files"),
        "{err}"
    );
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(
        totals(&app, debate).await,
        (0, 0, q),
        "nothing half-imported"
    );

    let report = app.data_dir.join("rejected.csv");
    let o = import_dir(
        &app,
        &dir,
        &[
            "--question",
            "1",
            "--skip-invalid",
            "--report",
            report.to_str().expect("utf-8"),
        ],
    )
    .await;
    assert_ok(&o);
    let err = stderr(&o);
    assert!(
        err.contains(
            "comments.csv 10: kept, but comment 991 answers comment 888, which is not in the files"
        ),
        "{err}"
    );
    let c991 = comment(&app, "991").await;
    let p101 = imported(&app, debate, "101").await;
    assert_eq!(
        (c991.contribution_id, c991.parent_id, c991.depth),
        (p101.id, None, 0),
        "kept at the top of its proposal's thread, not lost"
    );
    let report = std::fs::read_to_string(&report).expect("report");
    assert_eq!(report.lines().next(), Some("file,line,reason"), "{report}");
    assert!(
        report.contains("comments.csv,9,\"comment 990 is on proposal 999"),
        "{report}"
    );

    // Another version's files: the columns expected and found, and nothing stored.
    let before = totals(&app, debate).await;
    let renamed = folder(
        &app,
        "renamed",
        &[(
            "proposals.csv",
            b"id;titre/fr;corps/fr;votes;state\n1;Un titre;Un texte;3;\n".to_vec(),
        )],
    );
    let o = import_dir(&app, &renamed, &["--question", "1"]).await;
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("proposals.csv: a Decidim proposals export of a version this one does not read: missing columns title*, body*"),
        "{err}"
    );
    assert!(
        err.contains("columns found: id, titre/fr, corps/fr, votes, state"),
        "{err}"
    );
    let no_type = folder(
        &app,
        "no-type",
        &[(
            "comments.csv",
            b"id;created_at;body;commentable_id\n1;2023-05-05 10:00:00 +0200;Oui;101\n".to_vec(),
        )],
    );
    let o = import_dir(&app, &no_type, &[]).await;
    assert!(
        stderr(&o).contains("missing column commentable_type"),
        "{}",
        stderr(&o)
    );
    let unknown = folder(
        &app,
        "unknown",
        &[
            ("notes.csv", b"nom;adresse\nA;B\n".to_vec()),
            ("proposals.xlsx", b"PK\x03\x04rest".to_vec()),
        ],
    );
    let o = import_dir(&app, &unknown, &["--question", "1"]).await;
    let err = stderr(&o);
    assert!(err.contains("notes.csv: not a Decidim export"), "{err}");
    assert!(
        err.contains("expected columns, proposals: id, title*, body*"),
        "{err}"
    );
    assert!(
        err.contains("proposals.xlsx: not a spreadsheet that can be read"),
        "{err}"
    );
    // Proposals without a place to go.
    let o = import_dir(&app, &fixtures("v027"), &[]).await;
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("proposals need a question: give --question N"),
        "{}",
        stderr(&o)
    );
    // A broken line, with a semicolon outside quotes: reported, with its line.
    let broken = folder(
        &app,
        "broken",
        &[(
            "proposals.csv",
            b"id;title/fr;body/fr;votes\n1;Un titre;Un texte; avec un point-virgule;3\n2;Deux;Texte;4\n"
                .to_vec(),
        )],
    );
    let o = import_dir(&app, &broken, &["--question", "1"]).await;
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("proposals.csv 2: 5 fields where the header has 4"),
        "{}",
        stderr(&o)
    );
    assert_eq!(totals(&app, debate).await, before);
}

#[tokio::test]
async fn the_json_export_reads_as_the_csv_one() {
    let app = TestApp::new().await;
    let (debate, qs) = demo(&app).await;
    let json = r#"[
      {"id": 501, "category": {"id": 7, "name": {"fr": "Mobilité", "en": "Mobility"}},
       "scope": {"id": null, "name": null},
       "title": {"fr": "Un tram la nuit", "machine_translations": {"en": "A night tram"}},
       "body": {"fr": "<p>Le vendredi &amp; le samedi.</p>"},
       "state": "evaluating", "answer": {"fr": ""}, "votes": 7, "withdrawn": false,
       "published_at": "2023-05-04T10:00:00.000+02:00",
       "url": "https://participer.example.org/processes/p/f/31/proposals/501",
       "meeting_urls": ["https://participer.example.org/processes/p/f/33/meetings/21"],
       "author": {"id": [55], "name": ["Jeanne Dupont"], "url": ["https://participer.example.org/profiles/jd"]}},
      {"id": 502, "category": {"id": null, "name": null},
       "title": {"fr": "Retirée"}, "body": {"fr": "Texte."}, "state": "", "votes": null,
       "withdrawn": true, "published_at": "2023-05-05T10:00:00.000+02:00",
       "url": "https://participer.example.org/processes/p/f/31/proposals/502", "meeting_urls": []}
    ]"#;
    let dir = folder(
        &app,
        "json",
        &[("proposals.json", json.as_bytes().to_vec())],
    );
    let o = import_dir(&app, &dir, &["--question", "1"]).await;
    assert_ok(&o);
    assert!(
        stdout(&o).contains("proposals.json: Decidim proposals, 2 rows"),
        "{}",
        stdout(&o)
    );
    let p = imported(&app, debate, "501").await;
    assert_eq!(
        (
            p.question_id,
            p.title.as_str(),
            p.body.as_str(),
            p.theme.as_str()
        ),
        (
            qs[0].id,
            "Un tram la nuit",
            "Le vendredi & le samedi.",
            "Mobilité"
        )
    );
    assert_eq!(
        (p.imported_supports, p.source_state.as_str(), p.created_at),
        (Some(7), "evaluating", 1_683_187_200)
    );
    assert!(p.source_links.ends_with("/meetings/21"), "{p:?}");
    assert_eq!(imported(&app, debate, "502").await.status, "withdrawn");
    no_personal_data(&app, debate).await;
}

/// Decidim 0.30 replaced categories with taxonomies, several a proposal, exported as
/// `taxonomies: {ids: [7, 9], 7: {fr: …}, 9: {fr: …}}` (decidim/decidim#13857), flattened in
/// its CSV as `taxonomies/ids` and `taxonomies/ID/LANG`: their names are the theme tag.
#[tokio::test]
async fn decidim_030_taxonomies_are_the_theme() {
    let app = TestApp::new().await;
    let (debate, qs) = demo(&app).await;
    let csv = "id;taxonomies/ids;taxonomies/7/fr;taxonomies/7/en;taxonomies/9/fr;taxonomies/9/en;\
               title/fr;body/fr;state;votes;withdrawn;published_at;url\n\
               701;7, 9;Mobilité;Mobility;Solidarité;Solidarity;Un bus solidaire;Un minibus pour \
               les courses des aînés.;evaluating;4;false;2025-05-04 10:00:00 +0200;\
               https://participer.example.org/processes/p/f/31/proposals/701\n\
               702;9;;;Solidarité;Solidarity;Un repas;Un repas partagé par mois.;;2;false;\
               2025-05-05 10:00:00 +0200;https://participer.example.org/processes/p/f/31/proposals/702\n\
               703;;;;;;Sans thème;Un texte.;;0;false;2025-05-06 10:00:00 +0200;\
               https://participer.example.org/processes/p/f/31/proposals/703\n";
    let json = r#"[{"id": 704, "taxonomies": {"ids": [9, 7], "7": {"en": "Mobility", "fr": "Mobilité"},
        "9": {"fr": "Solidarité"}}, "title": {"fr": "Un vélo-cargo"}, "body": {"fr": "Prêté aux associations."},
        "state": "", "votes": 1, "withdrawn": false, "published_at": "2025-05-07T10:00:00.000+02:00",
        "url": "https://participer.example.org/processes/p/f/31/proposals/704"}]"#;
    let dir = folder(
        &app,
        "v030",
        &[
            ("proposals.csv", csv.as_bytes().to_vec()),
            ("more-proposals.json", json.as_bytes().to_vec()),
        ],
    );
    let o = import_dir(&app, &dir, &["--question", "1"]).await;
    assert_ok(&o);
    assert!(
        stdout(&o).contains("proposals.csv: Decidim proposals, 3 rows (title/LANG, taxonomies instead of categories (Decidim 0.30 and later))"),
        "{}",
        stdout(&o)
    );
    let theme = |r: &Imported| (r.question_id, r.theme.clone());
    assert_eq!(
        theme(&imported(&app, debate, "701").await),
        (qs[0].id, "Mobilité, Solidarité".to_string())
    );
    assert_eq!(theme(&imported(&app, debate, "702").await).1, "Solidarité");
    assert_eq!(theme(&imported(&app, debate, "703").await).1, "");
    assert_eq!(
        theme(&imported(&app, debate, "704").await).1,
        "Solidarité, Mobilité",
        "the JSON export, in the order of its ids"
    );
}
