//! Open data beyond the contributions' CSV (see `contributions.rs` for that): XLSX, comments in
//! every format, the page's six downloads, Excel's row limit, and `concorde export` run as a
//! separate process against the test app's database (SQLite or PostgreSQL).

use crate::helpers::{TestApp, concorde, demo};
use reqwest::StatusCode;
use std::io::Read;
use std::process::Output;
use storage::Target;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// What a debate holds for these tests, and who wrote it.
struct Fixture {
    /// Alice's published contribution, titled "=1+1".
    visible: i64,
    hidden: i64,
    withdrawn: i64,
    /// Alice's and Bob's pseudonyms.
    alice: String,
    bob: String,
    /// Bob's comment on `visible`, and Alice's reply to it: the only two exported.
    comment: i64,
    reply: i64,
}

/// Alice writes a published, a hidden and a withdrawn contribution; Bob and Alice comment:
/// published, hidden and withdrawn comments on the published contribution, and a published
/// comment on the hidden one.
async fn fixture() -> (TestApp, Fixture) {
    let app = TestApp::new().await;
    let (debate, qs) = demo(&app).await;
    let store = app.store();
    let alice = app.create_user("alice.secret@example.org", &[]).await;
    let bob = app.create_user("bob.secret@example.org", &[]).await;
    let moderator = app.create_user("moderatrice@example.org", &[]).await;
    let mut ids = Vec::new();
    for (title, body) in [
        ("=1+1", "=HYPERLINK(\"http://example.org\") & <b>gras</b>"),
        ("Masquée", "Texte masqué par la modération"),
        ("Retirée", "Texte retiré par son autrice"),
    ] {
        ids.push(
            store
                .insert_contribution(&storage::NewContribution {
                    author_id: Some(alice),
                    ..crate::helpers::online(debate, qs[0].id, title, body)
                })
                .await
                .expect("insert"),
        );
    }
    let (visible, hidden, withdrawn) = (ids[0], ids[1], ids[2]);
    let comment = store
        .add_comment(visible, None, bob, "+1, et le samedi aussi")
        .await
        .expect("comment");
    let reply = store
        .add_comment(visible, Some(comment), alice, "@bob merci")
        .await
        .expect("reply");
    let hidden_comment = store
        .add_comment(visible, None, bob, "Commentaire masqué")
        .await
        .expect("comment");
    let withdrawn_comment = store
        .add_comment(visible, None, alice, "Commentaire retiré")
        .await
        .expect("comment");
    store
        .add_comment(hidden, None, bob, "Sous une contribution masquée")
        .await
        .expect("comment");
    store
        .add_comment(withdrawn, None, bob, "Sous une contribution retirée")
        .await
        .expect("comment");
    store
        .set_hidden(Target::Contribution(hidden), true, "hors sujet", moderator)
        .await
        .expect("hide");
    store
        .set_hidden(Target::Comment(hidden_comment), true, "insulte", moderator)
        .await
        .expect("hide");
    store
        .withdraw_contribution(withdrawn)
        .await
        .expect("withdraw");
    sqlx::query("UPDATE comments SET status = 'withdrawn' WHERE id = $1")
        .bind(withdrawn_comment)
        .execute(store.pool())
        .await
        .expect("withdraw a comment");
    let key = store.pseudonym_key().await.expect("key");
    let f = Fixture {
        visible,
        hidden,
        withdrawn,
        alice: storage::pseudonym(&key, alice),
        bob: storage::pseudonym(&key, bob),
        comment,
        reply,
    };
    (app, f)
}

async fn download(app: &TestApp, file: &str) -> reqwest::Response {
    app.client
        .get(format!("{}/debats/solidarites/donnees/{file}", app.base))
        .send()
        .await
        .expect("download")
}

async fn text(app: &TestApp, file: &str) -> String {
    let res = download(app, file).await;
    assert_eq!(res.status(), StatusCode::OK, "{file}");
    res.text().await.expect("body")
}

/// The XML of an XLSX file's only sheet, and its workbook part (sheet names).
fn sheet(bytes: &[u8]) -> (String, String) {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an XLSX is a zip");
    let mut part = |name: &str| {
        let mut xml = String::new();
        zip.by_name(name)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .read_to_string(&mut xml)
            .expect("UTF-8 XML");
        xml
    };
    (part("xl/worksheets/sheet1.xml"), part("xl/workbook.xml"))
}

/// Downloads an XLSX file: its sheet's XML and its workbook part.
async fn xlsx(app: &TestApp, file: &str) -> (String, String) {
    let res = download(app, file).await;
    assert_eq!(res.status(), StatusCode::OK, "{file}");
    assert_eq!(res.headers()["content-type"], XLSX);
    let disposition = res.headers()["content-disposition"].to_str().unwrap_or("");
    assert!(
        disposition.contains(&format!("filename=\"solidarites-{file}\"")),
        "{disposition}"
    );
    sheet(&res.bytes().await.expect("body"))
}

fn rows(sheet_xml: &str) -> usize {
    sheet_xml.matches("<row ").count()
}

#[tokio::test]
async fn xlsx_holds_the_csv_rows_as_text_never_formulas() {
    let (app, f) = fixture().await;

    let (xml, workbook) = xlsx(&app, "contributions.xlsx").await;
    assert!(workbook.contains("name=\"contributions\""), "{workbook}");
    // The header and the one published contribution; hidden and withdrawn ones left out.
    assert_eq!(rows(&xml), 2, "{xml}");
    for header in [
        "<t>id</t>",
        "<t>question_id</t>",
        "<t>author</t>",
        "<t>created_at</t>",
    ] {
        assert!(xml.contains(header), "{header}");
    }
    assert!(xml.contains("state=\"frozen\""), "the header row is frozen");
    assert!(!xml.contains("Masquée") && !xml.contains("Retirée"));
    assert!(!xml.contains("secret") && !xml.contains("alice"));
    assert!(xml.contains(&f.alice), "the author's pseudonym");
    // Text that looks like a formula is an inline string, as written: no formula anywhere.
    assert!(!xml.contains("<f>") && !xml.contains("<f "), "{xml}");
    assert!(
        xml.contains("t=\"inlineStr\"><is><t>=1+1</t></is>"),
        "{xml}"
    );
    assert!(
        xml.contains("<t>=HYPERLINK(\"http://example.org\") &amp; &lt;b&gt;gras&lt;/b&gt;</t>")
    );
    // Ids are numbers, dates are numbers with a date style (not text).
    assert!(
        xml.contains(&format!("<c r=\"A2\"><v>{}</v></c>", f.visible)),
        "{xml}"
    );
    assert!(
        xml.split("<c r=\"M2\"")
            .nth(1)
            .is_some_and(|c| c.starts_with(" s=\"") && c.contains("<v>")),
        "created_at is a styled number: {xml}"
    );

    // The CSV has the same rows and the same columns, in the same order.
    let csv = text(&app, "contributions.csv").await;
    assert_eq!(csv.lines().count(), 2);
    let header: Vec<&str> = csv.lines().next().unwrap_or("").split(',').collect();
    let cells: Vec<String> = header.iter().map(|h| format!("<t>{h}</t>")).collect();
    let mut at = 0;
    for c in &cells {
        let found = xml[at..]
            .find(c.as_str())
            .unwrap_or_else(|| panic!("{c} in order"));
        at += found;
    }
}

#[tokio::test]
async fn comments_leave_hidden_out_and_share_the_contributions_pseudonyms() {
    let (app, f) = fixture().await;

    let csv = text(&app, "comments.csv").await;
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines[0],
        "id,contribution_id,parent_id,depth,author,body,created_at,alignment"
    );
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(
        lines[1].starts_with(&format!(
            "{},{},,0,{},\"'+1, et le samedi aussi\",",
            f.comment, f.visible, f.bob
        )),
        "{csv}"
    );
    assert!(
        lines[2].starts_with(&format!(
            "{},{},{},1,{},'@bob merci,",
            f.reply, f.visible, f.comment, f.alice
        )),
        "{csv}"
    );
    for gone in ["masqué", "retiré", "Sous une contribution", "secret"] {
        assert!(!csv.contains(gone), "{gone} in {csv}");
    }

    // The same person has the same pseudonym in the contributions' file.
    let contributions = text(&app, "contributions.csv").await;
    assert!(
        contributions.contains(&format!(",{},", f.alice)),
        "{contributions}"
    );
    // Only the published contribution, by its id (the first column): hidden and withdrawn
    // ones are left out of the CSV and of the JSON Lines file.
    let ids: Vec<i64> = contributions
        .split("\r\n")
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| {
            l.split(',')
                .next()
                .and_then(|id| id.parse().ok())
                .unwrap_or_else(|| panic!("an id first: {l}"))
        })
        .collect();
    assert_eq!(ids, vec![f.visible], "{contributions}");
    let jsonl = text(&app, "contributions.jsonl").await;
    let ids: Vec<i64> = jsonl
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).expect("a JSON object per line")["id"]
                .as_i64()
                .expect("an id")
        })
        .collect();
    assert_eq!(ids, vec![f.visible], "{jsonl}");
    for gone in ["Masquée", "Retirée", "masqué", "retiré"] {
        assert!(!jsonl.contains(gone), "{gone} in {jsonl}");
    }

    let jsonl = text(&app, "comments.jsonl").await;
    let objects: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON object per line"))
        .collect();
    assert_eq!(objects.len(), 2);
    assert_eq!(objects[0]["id"], f.comment);
    assert!(objects[0]["parent_id"].is_null());
    assert_eq!(
        objects[0]["body"], "+1, et le samedi aussi",
        "JSON is not defused"
    );
    assert_eq!(objects[1]["parent_id"], f.comment);
    assert_eq!(objects[1]["depth"], 1);
    assert_eq!(objects[1]["author"], f.alice.as_str());
    assert_eq!(objects[1]["contribution_id"], f.visible);
    assert!(
        objects[1]["created_at"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z'))
    );

    let (xml, workbook) = xlsx(&app, "comments.xlsx").await;
    assert!(workbook.contains("name=\"comments\""), "{workbook}");
    assert_eq!(rows(&xml), 3);
    assert!(xml.contains("<t>+1, et le samedi aussi</t>") && xml.contains(&f.bob));
    assert!(!xml.contains("masqué") && !xml.contains("<f>"));

    // The page offers the six files and says what each format is.
    let page = app.get("/debats/solidarites/donnees").await;
    assert_eq!(page.status, StatusCode::OK);
    for file in [
        "contributions.csv",
        "contributions.jsonl",
        "contributions.xlsx",
        "comments.csv",
        "comments.jsonl",
        "comments.xlsx",
    ] {
        page.assert_contains(&format!(
            "href=\"/debats/solidarites/donnees/{file}\" download"
        ));
    }
    page.assert_contains("1 contribution publiée")
        .assert_contains("2 commentaires publiés")
        .assert_contains("JSON Lines")
        .assert_contains("jamais des formules");
    let en = app.get("/debats/solidarites/donnees?lang=en").await;
    en.assert_contains("Download the comments (XLSX, Excel spreadsheet)");

    for missing in ["comments.exe", "users.csv", "comments"] {
        assert_eq!(
            download(&app, missing).await.status(),
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[tokio::test]
async fn the_command_line_exports_comments_and_xlsx() {
    let (app, f) = fixture().await;
    let export = |what: &'static str, format: &'static str, output: Option<String>| {
        let mut args = vec![
            "export".to_string(),
            what.into(),
            "--debate".into(),
            "solidarites".into(),
            "--format".into(),
            format.into(),
        ];
        if let Some(o) = output {
            args.extend(["--output".to_string(), o]);
        }
        let app = &app;
        async move {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            concorde(app, &args).await
        }
    };

    // Comments to standard output: the same bytes as the download.
    let o = export("comments", "csv", None).await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        text(&app, "comments.csv").await
    );
    assert!(stderr(&o).contains("2 comments exported"), "{}", stderr(&o));
    let o = export("comments", "jsonl", None).await;
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), 2);

    // XLSX to a file, for both files.
    for (what, n) in [("contributions", 2), ("comments", 3)] {
        let path = app.data_dir.join(format!("{what}.xlsx"));
        let o = export(what, "xlsx", Some(path.display().to_string())).await;
        assert!(o.status.success(), "{}", stderr(&o));
        let (xml, workbook) = sheet(&std::fs::read(&path).expect("the file"));
        assert_eq!(rows(&xml), n, "{what}");
        assert!(workbook.contains(&format!("name=\"{what}\"")));
        assert!(!xml.contains("<f>") && !xml.contains("secret"));
        assert!(xml.contains(&f.alice), "{what}");
    }
    // XLSX to standard output works too (no seeking needed).
    let o = export("comments", "xlsx", None).await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(rows(&sheet(&o.stdout).0), 3);

    // Bad arguments: clear messages, a failure status, no file left behind.
    let bad = app.data_dir.join("bad.xml");
    let o = export("comments", "xml", Some(bad.display().to_string())).await;
    assert!(!o.status.success());
    assert!(stderr(&o).contains("unknown format \"xml\": use csv, jsonl or xlsx"));
    assert!(!bad.exists());
    let o = concorde(&app, &["export", "comments", "--debate", "nulle-part"]).await;
    assert!(!o.status.success());
    assert!(stderr(&o).contains("no debate with the slug"));
    let o = concorde(&app, &["export", "comments", "--help"]).await;
    assert!(String::from_utf8_lossy(&o.stdout).contains("csv, jsonl or xlsx"));
}

/// A debate with more comments than an Excel sheet holds: XLSX is refused, with a clear
/// message on the page, at the download and on the command line; CSV still works.
#[tokio::test]
async fn past_excel_s_row_limit_xlsx_is_refused_and_csv_suggested() {
    let (app, f) = fixture().await;
    // 1,048,574 more comments make 1,048,576 exported: one past the limit.
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1048574) \
         INSERT INTO comments (contribution_id, depth, body, created_at, updated_at) \
         SELECT $1, 0, 'x', 0, 0 FROM n",
    )
    .bind(f.visible)
    .execute(app.store().pool())
    .await
    .expect("a million comments");

    let page = app.get("/debats/solidarites/donnees").await;
    page.assert_contains("Trop de lignes pour une feuille Excel")
        .assert_contains("donnees/contributions.xlsx")
        .assert_contains("donnees/comments.csv");
    assert!(!page.body.contains("donnees/comments.xlsx"));

    let refused = app.get("/debats/solidarites/donnees/comments.xlsx").await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    refused.assert_contains("téléchargez plutôt le CSV");

    let o = concorde(
        &app,
        &[
            "export",
            "comments",
            "--debate",
            "solidarites",
            "--format",
            "xlsx",
        ],
    )
    .await;
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains(
            "1048576 comments, more than an Excel sheet holds (1048575 rows): use --format csv"
        ),
        "{}",
        stderr(&o)
    );
    assert!(o.stdout.is_empty());
    // The contributions still fit.
    assert_eq!(
        download(&app, "contributions.xlsx").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_atom_feed_leaves_hidden_and_withdrawn_contributions_out() {
    let (app, f) = fixture().await;
    let xml = app.get("/debats/solidarites/contributions/flux").await;
    assert_eq!(xml.status, StatusCode::OK);
    let xml = xml.body;
    assert_eq!(xml.matches("<entry>").count(), 1, "{xml}");
    assert!(
        xml.contains(&format!("/contributions/{}", f.visible)),
        "{xml}"
    );
    for gone in [f.hidden, f.withdrawn] {
        assert!(
            !xml.contains(&format!("/contributions/{gone}<"))
                && !xml.contains(&format!("/contributions/{gone}\"")),
            "{gone} in {xml}"
        );
    }
    assert!(
        !xml.contains("Masquée") && !xml.contains("Retirée"),
        "{xml}"
    );
}
