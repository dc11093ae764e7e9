//! `concorde import contributions`, run as a separate process against the test app's database
//! (SQLite or PostgreSQL): the Grand Débat's JSON Lines, CSV in the documented schema, Decidim's
//! proposals export, second runs, bad lines, bad arguments; and, in process, the count cache.

use crate::helpers::TestApp;
use crate::helpers::{concorde, demo};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;

/// `concorde import contributions FILE --debate solidarites ARGS…`
pub(crate) async fn import(app: &TestApp, file: &Path, args: &[&str]) -> Output {
    let path = file.to_str().expect("utf-8 path");
    let mut all = vec!["import", "contributions", path, "--debate", "solidarites"];
    all.extend_from_slice(args);
    let out = concorde(app, &all).await;
    // Another process wrote: what the app holds in memory is out of date.
    app.store().forget_cached();
    out
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[track_caller]
fn assert_ok(o: &Output) {
    assert!(
        o.status.success(),
        "stdout:\n{}\nstderr:\n{}",
        stdout(o),
        stderr(o)
    );
}

async fn count(app: &TestApp, sql: &str, debate: i64) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .bind(debate)
        .fetch_one(app.store().pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

pub(crate) async fn contributions(app: &TestApp, debate: i64) -> i64 {
    count(
        app,
        "SELECT COUNT(*) FROM contributions WHERE debate_id = $1",
        debate,
    )
    .await
}

pub(crate) fn write(app: &TestApp, name: &str, bytes: &[u8]) -> PathBuf {
    let path = app.data_dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

pub(crate) fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).expect("gzip");
    gz.finish().expect("gzip")
}

/// 480 real answers of the Grand Débat National (`{id, theme, question, text}`), four questions.
fn gdn_sample() -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../analysis/tests/fixtures/gdn_sample.jsonl");
    std::fs::read(path).expect("fixture")
}

#[tokio::test]
async fn grand_debat_answers_create_their_questions_once() {
    let app = TestApp::new().await;
    let (debate, qs) = demo(&app).await;
    let sample = gdn_sample();
    let text = String::from_utf8(sample.clone()).expect("utf-8");
    let mut order: Vec<String> = Vec::new();
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("json");
        let q = v["question"].as_str().expect("question").to_string();
        if !order.contains(&q) {
            order.push(q);
        }
    }
    assert_eq!(order.len(), 4);
    // The debate already asks the second of them, written differently: its answers go there.
    let mut rows: Vec<(Option<i64>, String, i64)> = qs
        .iter()
        .map(|q| (Some(q.id), q.text.clone(), q.position))
        .collect();
    rows.push((None, format!("  {}  ", order[1].to_uppercase()), 4));
    app.store()
        .save_questions(debate, &rows, &[])
        .await
        .expect("questions");
    let existing = app.store().questions(debate).await.expect("db")[3].clone();

    let file = write(&app, "gdn.jsonl.gz", &gzip(&sample));
    // Without --create-questions the unknown questions reject every line but the known ones.
    let o = import(&app, &file, &[]).await;
    assert!(!o.status.success());
    assert!(stderr(&o).contains("unknown question"), "{}", stderr(&o));
    assert!(stderr(&o).contains("nothing was imported"));
    assert_eq!(contributions(&app, debate).await, 0);

    let o = import(&app, &file, &["--create-questions"]).await;
    assert_ok(&o);
    let out = stdout(&o);
    assert!(out.contains("format: JSON Lines"), "{out}");
    assert!(out.contains("imported: 480"), "{out}");
    assert!(out.contains("questions created: 3"), "{out}");
    assert!(out.contains("rows/s"), "{out}");
    assert_eq!(contributions(&app, debate).await, 480);
    let after = app.store().questions(debate).await.expect("db");
    let texts: Vec<&str> = after.iter().map(|q| q.text.as_str()).collect();
    assert_eq!(texts.len(), 7);
    assert_eq!(
        texts[4..],
        [order[0].as_str(), order[2].as_str(), order[3].as_str()],
        "new questions in order of first appearance, after the existing ones"
    );
    let on_existing = count(
        &app,
        "SELECT COUNT(*) FROM contributions WHERE question_id = $1",
        existing.id,
    )
    .await;
    assert_eq!(on_existing, 120);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM contributions WHERE debate_id = $1 AND channel = 'import' \
             AND source = 'file' AND author_id IS NULL AND status = 'published'",
            debate
        )
        .await,
        480
    );
    // The body is the answer's text; the title its first words.
    let first: serde_json::Value =
        serde_json::from_str(text.lines().next().unwrap_or("")).expect("json");
    let (title, body): (String, String) =
        sqlx::query_as("SELECT title, body FROM contributions WHERE source_ref = $1")
            .bind(first["id"].as_str().unwrap_or(""))
            .fetch_one(app.store().pool())
            .await
            .expect("row");
    assert_eq!(body, first["text"].as_str().unwrap_or(""));
    assert_eq!(title, body, "a short answer is its own title");
    let longest: i64 = count(
        &app,
        "SELECT MAX(LENGTH(title)) FROM contributions WHERE debate_id = $1",
        debate,
    )
    .await;
    assert!((1..=80).contains(&longest), "{longest}");

    // Again, gzipped or not: nothing twice, no question twice.
    let o = import(&app, &file, &["--create-questions"]).await;
    assert_ok(&o);
    assert!(stdout(&o).contains("imported: 0"), "{}", stdout(&o));
    assert!(stdout(&o).contains("already present: 480"));
    let plain = write(&app, "gdn.jsonl", &sample);
    let o = import(&app, &plain, &["--create-questions"]).await;
    assert_ok(&o);
    assert!(stdout(&o).contains("already present: 480"));
    assert_eq!(contributions(&app, debate).await, 480);
    assert_eq!(app.store().questions(debate).await.expect("db").len(), 7);
}

#[tokio::test]
async fn csv_in_the_documented_schema_and_back_from_open_data() {
    let app = TestApp::new().await;
    let (debate, qs) = demo(&app).await;
    let cats = app.store().categories().await.expect("db");
    let quartiers = app.store().quartiers().await.expect("db");
    let csv = format!(
        "id,question,question_number,title,body,category,quartier,channel,kind,created_at,place,received_at,author\r\n\
         p-1,\"  {q0}  \",,Des repas partagés,\"Ouvrir les cantines le soir, avec les associations.\nEt le week-end.\",{cat0:?},{qu:?},paper,individual,2024-03-02T09:30:00Z,Mairie annexe,2024-03-01,Jeanne Dupont\r\n\
         ,,2,,Un lieu pour les jeunes près du tram où l'on puisse se retrouver après les cours sans rien payer,,,,,1709400000,,,\r\n\
         ,,,Sans question,Ce texte ira sous la troisième question.,{cat1_en:?},,EMAIL,collective,,,,\r\n",
        q0 = qs[0].text.to_uppercase(),
        cat0 = cats[0].name,
        cat1_en = cats[1].name_en,
        qu = quartiers[0].name,
    );
    let file = write(&app, "contributions.csv", csv.as_bytes());
    let o = import(&app, &file, &["--question", "3"]).await;
    assert_ok(&o);
    assert!(stdout(&o).contains("format: CSV"), "{}", stdout(&o));
    assert!(stdout(&o).contains("imported: 3"), "{}", stdout(&o));
    assert_eq!(contributions(&app, debate).await, 3);

    type Row = (
        i64,
        String,
        String,
        String,
        String,
        Option<i64>,
        Option<i64>,
        String,
        Option<i64>,
        i64,
        String,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT question_id, kind, channel, title, body, category_id, quartier_id, place, \
         received_at, created_at, source_ref FROM contributions WHERE debate_id = $1 ORDER BY id",
    )
    .bind(debate)
    .fetch_all(app.store().pool())
    .await
    .expect("rows");
    let (q, kind, channel, title, body, cat, qu, place, received, created, sref) = &rows[0];
    assert_eq!(*q, qs[0].id, "question matched without case or spaces");
    assert_eq!((kind.as_str(), channel.as_str()), ("individual", "paper"));
    assert_eq!(title, "Des repas partagés");
    assert_eq!(
        body,
        "Ouvrir les cantines le soir, avec les associations.\nEt le week-end."
    );
    assert_eq!((*cat, *qu), (Some(cats[0].id), Some(quartiers[0].id)));
    assert_eq!(place, "Mairie annexe");
    assert_eq!(*created, 1_709_371_800);
    // A date alone is its midnight in the instance's zone (Paris, UTC+1 in March).
    assert_eq!(*received, Some(1_709_247_600));
    assert_eq!(sref, "p-1");
    let (q, _, channel, title, _, _, _, _, _, created, sref) = &rows[1];
    assert_eq!(*q, qs[1].id, "question_number 2");
    assert_eq!(channel, "import");
    assert!(
        title.chars().count() <= 80 && title.ends_with('…'),
        "{title}"
    );
    assert!(title.starts_with("Un lieu pour les jeunes près du tram"));
    assert_eq!(*created, 1_709_400_000);
    assert!(sref.starts_with("sha256:"), "no id: a hash of the content");
    let (q, kind, channel, _, _, cat, qu, _, _, _, _) = &rows[2];
    assert_eq!(*q, qs[2].id, "--question 3");
    assert_eq!((kind.as_str(), channel.as_str()), ("collective", "email"));
    assert_eq!((*cat, *qu), (Some(cats[1].id), None));
    // The author column is never imported: no account, no trace of the name.
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM contributions WHERE debate_id = $1 AND author_id IS NOT NULL",
            debate
        )
        .await,
        0
    );
    assert!(
        app.store()
            .user_by_email("jeanne dupont")
            .await
            .expect("db")
            .is_none()
    );
    let users_named: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM users WHERE display_name LIKE '%Jeanne%' OR email LIKE '%jeanne%'",
    )
    .fetch_one(app.store().pool())
    .await
    .expect("db");
    assert_eq!(users_named, 0);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM contributions WHERE debate_id = $1 AND (title LIKE '%Jeanne%' \
             OR body LIKE '%Jeanne%' OR place LIKE '%Jeanne%' OR source_ref LIKE '%Jeanne%')",
            debate
        )
        .await,
        0
    );
    let o = import(&app, &file, &["--question", "3"]).await;
    assert_ok(&o);
    assert!(stdout(&o).contains("already present: 3"), "{}", stdout(&o));
    assert_eq!(contributions(&app, debate).await, 3);
    // The same id in another format is the same contribution: not imported twice.
    let jsonl = write(
        &app,
        "again.jsonl",
        format!(
            "{}\n",
            serde_json::json!({"id": "p-1", "question": qs[0].text, "text": "Ouvrir les cantines le soir, avec les associations.\nEt le week-end."})
        )
        .as_bytes(),
    );
    let o = import(&app, &jsonl, &[]).await;
    assert_ok(&o);
    assert!(stdout(&o).contains("already present: 1"), "{}", stdout(&o));
    assert_eq!(contributions(&app, debate).await, 3);

    // The open-data export of this debate imports into another one (its CSV guards formulas
    // with a leading quote, which the import takes off).
    let other = app
        .store()
        .create_debate(&storage::DebateFields {
            slug: "copie".into(),
            title: "Copie".into(),
            summary: "Copie".into(),
            body_md: String::new(),
            status: domain::DebateStatus::Draft,
            image_alt: String::new(),
        })
        .await
        .expect("debate");
    app.store()
        .insert_contribution(&crate::helpers::online(
            debate,
            qs[0].id,
            "Formule",
            "-1 pour la formule",
        ))
        .await
        .expect("insert");
    let export = app.data_dir.join("export.csv");
    let o = concorde(
        &app,
        &[
            "export",
            "contributions",
            "--debate",
            "solidarites",
            "--output",
            export.to_str().unwrap_or(""),
        ],
    )
    .await;
    assert_ok(&o);
    let o = concorde(
        &app,
        &[
            "import",
            "contributions",
            export.to_str().unwrap_or(""),
            "--debate",
            "copie",
            "--create-questions",
        ],
    )
    .await;
    assert_ok(&o);
    assert!(stdout(&o).contains("imported: 4"), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("questions created: 3"),
        "{}",
        stdout(&o)
    );
    assert_eq!(contributions(&app, other).await, 4);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM contributions WHERE debate_id = $1 AND body = '-1 pour la formule'",
            other
        )
        .await,
        1
    );
}

#[tokio::test]
async fn decidim_proposals_without_their_authors() {
    let app = TestApp::new().await;
    let (debate, qs) = demo(&app).await;
    let fixture =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/decidim_proposals.csv");
    // With --category-as-question (the reading of earlier versions), and without --question,
    // the proposal that has no category has nowhere to go.
    let o = import(
        &app,
        &fixture,
        &["--create-questions", "--category-as-question"],
    )
    .await;
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("line 3: names no question"),
        "{}",
        stderr(&o)
    );
    assert_eq!(contributions(&app, debate).await, 0);

    let o = import(
        &app,
        &fixture,
        &[
            "--question",
            "1",
            "--create-questions",
            "--category-as-question",
        ],
    )
    .await;
    assert_ok(&o);
    let out = stdout(&o);
    assert!(out.contains("format: Decidim proposals (CSV)"), "{out}");
    assert!(out.contains("imported: 4"), "{out}");
    assert!(out.contains("questions created: 2"), "{out}");
    let after = app.store().questions(debate).await.expect("db");
    let texts: Vec<&str> = after.iter().map(|q| q.text.as_str()).collect();
    assert_eq!(texts[3..], ["Mobilité", "Logement"]);

    type Row = (
        String,
        i64,
        String,
        String,
        Option<i64>,
        i64,
        String,
        String,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT source_ref, question_id, title, body, quartier_id, created_at, channel, source \
         FROM contributions WHERE debate_id = $1 ORDER BY source_ref",
    )
    .bind(debate)
    .fetch_all(app.store().pool())
    .await
    .expect("rows");
    let refs: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(refs, ["101", "102", "103", "104"]);
    let quartiers = app.store().quartiers().await.expect("db");
    let centre = quartiers
        .iter()
        .find(|q| q.name == "Centre-ville")
        .map(|q| q.id);
    let (_, q, title, body, qu, created, channel, source) = &rows[0];
    assert_eq!(*q, after[3].id);
    assert_eq!(title, "Des pistes cyclables continues");
    assert_eq!(
        body,
        "Relier les quartiers par des pistes cyclables séparées de la route.\n\nSurtout le long de la Loire !"
    );
    assert_eq!(*qu, centre, "the scope names a quartier");
    assert_eq!(
        *created, 1_683_187_200,
        "published_at, 2023-05-04 10:00:00 +0200"
    );
    assert_eq!((channel.as_str(), source.as_str()), ("import", "decidim"));
    let (_, q, _, body, qu, created, _, _) = &rows[1];
    assert_eq!(*q, qs[0].id, "no category: --question 1");
    assert_eq!(
        body,
        "Un jardin partagé; des bacs; un composteur.\nLe bailleur est d'accord."
    );
    assert_eq!(*qu, None);
    assert_eq!(*created, 1_683_397_812, "2023-05-06 18:30:12 UTC");
    let (_, q, _, _, qu, _, _, _) = &rows[2];
    assert_eq!(*q, after[4].id);
    assert_eq!(*qu, None, "a scope that is no quartier is left out");
    // Authors are not imported: no account, no name anywhere.
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(app.store().pool())
        .await
        .expect("users");
    assert_eq!(users, 0);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM contributions WHERE debate_id = $1 AND (author_id IS NOT NULL \
             OR title LIKE '%Dupont%' OR body LIKE '%Dupont%' OR place LIKE '%Dupont%')",
            debate
        )
        .await,
        0
    );
    // Again: nothing twice.
    let o = import(
        &app,
        &fixture,
        &[
            "--question",
            "1",
            "--create-questions",
            "--category-as-question",
        ],
    )
    .await;
    assert_ok(&o);
    assert!(stdout(&o).contains("already present: 4"), "{}", stdout(&o));
    assert_eq!(contributions(&app, debate).await, 4);
    assert_eq!(app.store().questions(debate).await.expect("db").len(), 5);
}

#[tokio::test]
async fn bad_lines_are_reported_and_nothing_is_half_imported() {
    let app = TestApp::new().await;
    let (debate, qs) = demo(&app).await;
    let q = &qs[0].text;
    let mut file = Vec::new();
    writeln!(
        file,
        r#"{{"id": "a", "question": "{q}", "text": "Plus de bus le soir"}}"#
    )
    .ok();
    file.extend_from_slice(b"{\"id\": \"b\", \"text\": \"caf\xe9 solidaire\"}\n");
    writeln!(
        file,
        r#"{{"id": "c", "question": "{q}", "text": "Des bancs"}}"#
    )
    .ok();
    writeln!(
        file,
        r#"{{"id": "d", "question": "{q}", "text": "Un texte coup"#
    )
    .ok();
    writeln!(file).ok();
    writeln!(file, r#"{{"id": "e", "question": "{q}", "text": "  "}}"#).ok();
    writeln!(
        file,
        r#"{{"id": "f", "question": "{q}", "text": "{}"}}"#,
        "x".repeat(3001)
    )
    .ok();
    writeln!(
        file,
        r#"{{"id": "g", "question": "{q}", "text": "Oui", "category": "Martiens"}}"#
    )
    .ok();
    let path = write(&app, "bad.jsonl", &file);
    let report = app.data_dir.join("report.csv");
    let o = import(&app, &path, &["--report", report.to_str().unwrap_or("")]).await;
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("line 2: invalid UTF-8"), "{err}");
    assert!(err.contains("line 4: truncated JSON"), "{err}");
    assert!(err.contains("line 6: missing body"), "{err}");
    assert!(
        err.contains("line 7: body too long: 3001 characters (at most 3000"),
        "{err}"
    );
    assert!(
        err.contains("line 8: unknown category \"Martiens\""),
        "{err}"
    );
    assert!(
        err.contains("5 lines rejected: nothing was imported"),
        "{err}"
    );
    assert!(stdout(&o).contains("rejected: 5"));
    let csv = std::fs::read_to_string(&report).expect("report");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "line,reason");
    assert_eq!(lines.len(), 6, "{csv}");
    assert!(lines[1].starts_with("2,"), "{csv}");
    assert!(
        lines[5].starts_with("8,\"unknown category \"\"Martiens"),
        "{csv}"
    );
    assert_eq!(contributions(&app, debate).await, 0);

    // A gzip stream cut short: a clear error, nothing stored.
    let mut many = Vec::new();
    for i in 0..3000 {
        writeln!(
            many,
            r#"{{"id": "{i}", "question": "{q}", "text": "Réponse {i}"}}"#
        )
        .ok();
    }
    let gz = gzip(&many);
    let cut = write(&app, "cut.jsonl.gz", &gz[..gz.len() / 2]);
    let o = import(&app, &cut, &[]).await;
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("cannot read the file after line"),
        "{}",
        stderr(&o)
    );
    assert_eq!(contributions(&app, debate).await, 0);

    // A CSV line with invalid UTF-8 among good ones.
    let mut csv = format!("question,body\n{q},Bon\n{q},\"mauvais ").into_bytes();
    csv.extend_from_slice(b"\xff\"\n");
    let path_csv = write(&app, "bad.csv", &csv);
    let o = import(&app, &path_csv, &[]).await;
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("line 3: invalid UTF-8"),
        "{}",
        stderr(&o)
    );
    assert_eq!(contributions(&app, debate).await, 0);

    // --skip-invalid stores the good lines and still reports the others.
    let o = import(&app, &path, &["--skip-invalid"]).await;
    assert_ok(&o);
    assert!(stderr(&o).contains("line 4: truncated JSON"));
    assert!(stdout(&o).contains("imported: 2"), "{}", stdout(&o));
    assert!(stdout(&o).contains("rejected: 5"));
    assert_eq!(contributions(&app, debate).await, 2);
    let o = import(&app, &path, &["--skip-invalid"]).await;
    assert_ok(&o);
    assert!(stdout(&o).contains("already present: 2"));
    assert_eq!(contributions(&app, debate).await, 2);
}

#[tokio::test]
async fn bad_arguments_get_clear_messages() {
    let app = TestApp::new().await;
    let (debate, _) = demo(&app).await;
    let file = write(&app, "one.jsonl", br#"{"text": "Plus de bus"}"#);
    let o = concorde(
        &app,
        &[
            "import",
            "contributions",
            file.to_str().unwrap_or(""),
            "--debate",
            "nulle-part",
        ],
    )
    .await;
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("no debate with the slug \"nulle-part\""),
        "{}",
        stderr(&o)
    );
    let o = import(&app, &file, &["--question", "4"]).await;
    assert!(!o.status.success());
    assert!(
        stderr(&o)
            .contains("--question 4: the debate \"solidarites\" has 3 questions (give 1 to 3)"),
        "{}",
        stderr(&o)
    );
    let o = import(&app, &file, &["--question", "0"]).await;
    assert!(stderr(&o).contains("give 1 to 3"), "{}", stderr(&o));
    let o = import(&app, &file, &["--format", "xml"]).await;
    assert!(
        stderr(&o).contains("unknown format \"xml\""),
        "{}",
        stderr(&o)
    );
    let o = import(&app, &app.data_dir.join("absent.jsonl"), &[]).await;
    assert!(stderr(&o).contains("cannot open"), "{}", stderr(&o));
    let headless = write(&app, "headless.csv", b"question,title\nx,y\n");
    let o = import(&app, &headless, &[]).await;
    assert!(
        stderr(&o).contains("names no body (or text) column"),
        "{}",
        stderr(&o)
    );
    let o = import(&app, &file, &["--question", "2"]).await;
    assert_ok(&o);
    assert_eq!(contributions(&app, debate).await, 1);
    let o = concorde(&app, &["import", "contributions", "--help"]).await;
    assert_ok(&o);
    assert!(stdout(&o).contains("--create-questions"));
}

#[tokio::test]
async fn an_import_drops_the_cached_counts() {
    let app = TestApp::new().await;
    let (debate, _) = demo(&app).await;
    let filter = storage::ContributionFilter {
        debate_id: debate,
        ..Default::default()
    };
    assert_eq!(
        app.store()
            .count_contributions(&filter)
            .await
            .expect("count"),
        0
    );
    let file = write(
        &app,
        "two.jsonl",
        b"{\"text\": \"Plus de bus\"}\n{\"text\": \"Des bancs\"}\n",
    );
    let opts = concorde::import::Options {
        file,
        debate: "solidarites".into(),
        format: None,
        question: Some(1),
        create_questions: false,
        category_as_question: false,
        rejected_withdrawn: false,
        skip_invalid: false,
        source: None,
        encoding: concorde::import::encoding::Choice::Auto,
        progress: false,
    };
    let outcome = concorde::import::run(app.store(), &web::Settings::default(), &opts)
        .await
        .expect("import");
    assert_eq!((outcome.imported, outcome.already_present), (2, 0));
    assert!(outcome.rejected.is_empty() && outcome.stored);
    // Well within the cache's lifetime, the count is the new one.
    assert_eq!(
        app.store()
            .count_contributions(&filter)
            .await
            .expect("count"),
        2
    );
    let outcome = concorde::import::run(app.store(), &web::Settings::default(), &opts)
        .await
        .expect("import");
    assert_eq!((outcome.imported, outcome.already_present), (0, 2));
    // Each run is in the audit log, with its counts.
    let details: Vec<String> = sqlx::query_scalar(
        "SELECT detail FROM audit_log WHERE action = 'contribution.import' ORDER BY id",
    )
    .fetch_all(app.store().pool())
    .await
    .expect("audit");
    assert_eq!(details.len(), 2);
    assert!(details[0].starts_with("2 imported, 0 already present, 0 rejected, from "));
}

#[tokio::test]
async fn nothing_is_half_imported_when_the_write_pass_fails() {
    let app = TestApp::new().await;
    let (debate, _) = demo(&app).await;
    // Every line passes the first check; the database refuses the third one while writing.
    let fails = if app.database_url.starts_with("sqlite") {
        vec![
            "CREATE TRIGGER import_fails BEFORE INSERT ON contributions \
             WHEN NEW.body LIKE '%boom%' BEGIN SELECT RAISE(ABORT, 'write refused'); END"
                .to_string(),
        ]
    } else {
        vec![
            "CREATE FUNCTION import_fails() RETURNS trigger AS $$ BEGIN \
             IF NEW.body LIKE '%boom%' THEN RAISE EXCEPTION 'write refused'; END IF; \
             RETURN NEW; END $$ LANGUAGE plpgsql"
                .to_string(),
            "CREATE TRIGGER import_fails BEFORE INSERT ON contributions \
             FOR EACH ROW EXECUTE FUNCTION import_fails()"
                .to_string(),
        ]
    };
    for sql in fails {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(app.store().pool())
            .await
            .expect("install the failing trigger");
    }
    let mut file = Vec::new();
    for (id, question, text) in [
        ("a", "Une question nouvelle ?", "Plus de bus le soir"),
        ("b", "Une question nouvelle ?", "Des bancs au parc"),
        ("c", "Une autre question ?", "boom"),
        ("d", "Une autre question ?", "Des arbres"),
    ] {
        writeln!(
            file,
            r#"{{"id": "{id}", "question": "{question}", "text": "{text}"}}"#
        )
        .ok();
    }
    let path = write(&app, "fails.jsonl", &file);
    let before = crate::helpers::row_counts(&app).await;
    let questions = app.store().questions(debate).await.expect("db").len();
    let o = import(&app, &path, &["--create-questions"]).await;
    assert!(!o.status.success(), "{}", stdout(&o));
    assert_eq!(contributions(&app, debate).await, 0, "{}", stderr(&o));
    assert_eq!(
        app.store().questions(debate).await.expect("db").len(),
        questions,
        "no question created"
    );
    assert_eq!(
        crate::helpers::row_counts(&app).await,
        before,
        "nothing written"
    );
}
