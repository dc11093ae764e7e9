//! What the text of an import file is made of, for both import commands: Windows-1252 found
//! by `--encoding auto` or declared, a file that mixes encodings, bytes that no encoding has, a
//! NUL, UTF-16. Run on SQLite and PostgreSQL.

use crate::decidim::{assert_ok, fixture, folder, import_dir, stderr, stdout};
use crate::helpers::{TestApp, demo};
use crate::imports::{contributions, gzip, import, write};

/// `text` in Windows-1252, as a spreadsheet on Windows saves "CSV".
fn cp1252(text: &str) -> Vec<u8> {
    let (bytes, _, lossy) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!lossy, "{text}");
    bytes.into_owned()
}

#[tokio::test]
async fn latin_1_files_import_with_their_encoding() {
    let app = TestApp::new().await;
    let (debate, _) = demo(&app).await;
    let text = "id,question_number,title,body\r\n\
                l-1,1,Café solidaire,\"Un café où l’on paie ce qu’on peut : 1 € le café, \
                « suspendu » pour d’autres.\"\r\n\
                l-2,2,Œuvres,Des ateliers d’écriture à la médiathèque\r\n";
    let body_1 = "Un café où l’on paie ce qu’on peut : 1 € le café, « suspendu » pour d’autres.";

    // Found: not UTF-8, and no UTF-8 anywhere in it.
    let latin = write(&app, "latin.csv", &cp1252(text));
    let o = import(&app, &latin, &["--source", "latin"]).await;
    assert_ok(&o);
    let out = stdout(&o);
    assert!(out.contains("imported: 2"), "{out}");
    assert!(
        out.contains("not UTF-8 (from line 2): read as Windows-1252 (Latin-1)"),
        "{out}"
    );
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT title, body FROM contributions WHERE debate_id = $1 AND source = 'latin' \
         ORDER BY source_ref",
    )
    .bind(debate)
    .fetch_all(app.store().pool())
    .await
    .expect("rows");
    assert_eq!(
        rows,
        [
            ("Café solidaire".to_string(), body_1.to_string()),
            (
                "Œuvres".to_string(),
                "Des ateliers d’écriture à la médiathèque".to_string()
            )
        ]
    );
    // Gzipped, and declared: the same rows, already present.
    let gz = write(&app, "latin.csv.gz", &gzip(&cp1252(text)));
    let o = import(&app, &gz, &["--source", "latin", "--encoding", "latin1"]).await;
    assert_ok(&o);
    assert!(stdout(&o).contains("already present: 2"), "{}", stdout(&o));
    assert!(stdout(&o).contains("read as windows-1252 (--encoding)"));
    // JSON Lines too.
    let jsonl = cp1252("{\"id\": \"j-1\", \"question_number\": 1, \"text\": \"Été\"}\n");
    let o = import(
        &app,
        &write(&app, "latin.jsonl", &jsonl),
        &["--source", "latin"],
    )
    .await;
    assert_ok(&o);
    let ete: String = sqlx::query_scalar(
        "SELECT body FROM contributions WHERE source = 'latin' AND source_ref = 'j-1'",
    )
    .fetch_one(app.store().pool())
    .await
    .expect("row");
    assert_eq!(ete, "Été");

    let count = contributions(&app, debate).await;
    // Declared UTF-8: each line that is not is rejected, nothing stored.
    let o = import(&app, &latin, &["--encoding", "utf-8", "--source", "x"]).await;
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("line 2: invalid UTF-8 (byte 8 of the record)"),
        "{err}"
    );
    assert!(err.contains("line 3: invalid UTF-8"), "{err}");
    assert!(
        err.contains("2 of them are not UTF-8: if the file is in another encoding, name it"),
        "{err}"
    );
    // Mixed: UTF-8 accents on one line, Windows-1252 on another.
    let mut mixed = "id,question_number,body\nm-1,1,Déjà en UTF-8\n"
        .as_bytes()
        .to_vec();
    mixed.extend(cp1252("m-2,1,Pas en UTF-8 : é\n"));
    mixed.extend(b"m-3,1,ASCII\n");
    let o = import(&app, &write(&app, "mixed.csv", &mixed), &["--source", "x"]).await;
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains(
            "line 3: invalid UTF-8 (byte 20 of the record), although the rest of the file is UTF-8"
        ),
        "{err}"
    );
    assert!(
        !err.contains("line 2:") && !err.contains("line 4:"),
        "{err}"
    );
    assert!(
        stdout(&o).contains("UTF-8, but not every line is (the first at line 3)"),
        "{}",
        stdout(&o)
    );
    // Declared Windows-1252, but with a byte it does not have.
    let mut odd = cp1252("id,question_number,body\no-1,1,Un é\no-2,1,Un ");
    odd.extend(b"\x81\n");
    let o = import(
        &app,
        &write(&app, "odd.csv", &odd),
        &["--encoding", "windows-1252", "--source", "x"],
    )
    .await;
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains(
            "line 3: byte 8 of the record (0x81) is no character in windows-1252: the file is \
             neither UTF-8 nor windows-1252"
        ),
        "{err}"
    );
    // A NUL byte, and UTF-16: not text.
    let o = import(
        &app,
        &write(&app, "nul.csv", b"id,question_number,body\nn-1,1,a\0b\n"),
        &["--source", "x"],
    )
    .await;
    assert!(
        stderr(&o).contains("line 2: a NUL byte (byte 6 of the record)"),
        "{}",
        stderr(&o)
    );
    let utf16: Vec<u8> = b"\xff\xfe"
        .iter()
        .copied()
        .chain("id,body\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let o = import(
        &app,
        &write(&app, "unicode.txt", &utf16),
        &["--question", "1"],
    )
    .await;
    assert!(!o.status.success());
    assert!(stderr(&o).contains("the file is UTF-16"), "{}", stderr(&o));
    let o = import(&app, &latin, &["--encoding", "klingon"]).await;
    assert!(
        stderr(&o).contains("unknown encoding \"klingon\""),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        contributions(&app, debate).await,
        count,
        "nothing half-imported"
    );
}

#[tokio::test]
async fn a_decidim_folder_that_mixes_encodings_rejects_the_odd_lines() {
    let app = TestApp::new().await;
    let (debate, _) = demo(&app).await;
    // Decidim's comments, with one line pasted in from a Windows-1252 file.
    let mut comments = fixture("v023", "comments.csv");
    comments.extend(cp1252(
        "304;2019-03-09 12:00:00 +0100;Très bien;58;Paul Martin;1;0;;;201;\
         Decidim::Proposals::Proposal;https://participer.example.org/processes/grand-debat-2019/f/12/proposals/201\n",
    ));
    let dir = folder(
        &app,
        "mixed",
        &[
            ("proposals.csv", fixture("v023", "proposals.csv")),
            ("comments.csv", comments),
        ],
    );
    let o = import_dir(&app, &dir, &["--question", "1"]).await;
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("comments.csv 5: invalid UTF-8 (byte 31 of the record), although the rest"),
        "{err}"
    );
    assert_eq!(
        contributions(&app, debate).await,
        0,
        "nothing half-imported"
    );
    // The other lines are good: --skip-invalid imports them and still reports the odd one.
    let o = import_dir(&app, &dir, &["--question", "1", "--skip-invalid"]).await;
    assert_ok(&o);
    assert!(
        stdout(&o).contains("comments: 3 imported"),
        "{}",
        stdout(&o)
    );
}

/// A NUL escaped in Decidim's JSON is a rejected line, not a database error.
#[tokio::test]
async fn a_nul_in_a_decidim_json_export_is_a_rejected_line() {
    let app = TestApp::new().await;
    let (debate, _) = demo(&app).await;
    let json = r#"[
      {"id": 601, "title": {"fr": "Bon"}, "body": {"fr": "Un texte."}, "votes": 1,
       "published_at": "2023-05-04T10:00:00.000+02:00"},
      {"id": 602, "title": {"fr": "Mauvais"}, "body": {"fr": "Un \u0000 texte."}, "votes": 2,
       "published_at": "2023-05-04T10:00:00.000+02:00"}
    ]"#;
    let dir = folder(&app, "nul", &[("proposals.json", json.as_bytes().to_vec())]);
    let o = import_dir(&app, &dir, &["--question", "1"]).await;
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("proposals.json 2: a NUL character in body/fr: not text"),
        "{}",
        stderr(&o)
    );
    assert_eq!(contributions(&app, debate).await, 0);
    let o = import_dir(&app, &dir, &["--question", "1", "--skip-invalid"]).await;
    assert_ok(&o);
    assert_eq!(contributions(&app, debate).await, 1);
}
