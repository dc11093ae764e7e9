//! The command line, run as a separate process: help, migrate, demo, user create, analyze.

use std::path::PathBuf;
use std::process::{Command, Output};

fn concorde(data: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_concorde"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("CONCORDE_DATABASE_URL")
        .output()
        .expect("run concorde")
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("concorde-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn help_everywhere() {
    let d = temp("help");
    for args in [
        &["--help"][..],
        &["serve", "--help"],
        &["migrate", "--help"],
        &["demo", "--help"],
        &["user", "create", "--help"],
        &["analyze", "--help"],
    ] {
        let o = concorde(&d, args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).contains("Usage"), "{args:?}");
    }
}

#[test]
fn migrate_demo_and_first_administrator() {
    let d = temp("admin");
    let o = concorde(&d, &["migrate"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(d.join("concorde.db").exists());
    let o = concorde(&d, &["demo"]);
    assert!(stdout(&o).contains("/debats/solidarites"), "{}", stderr(&o));
    let o = concorde(&d, &["demo"]);
    assert!(
        stdout(&o).contains("already"),
        "a second load changes nothing"
    );
    // Open data from the command line: the header alone for a debate with no contribution yet.
    let out = d.join("export.csv");
    let o = concorde(
        &d,
        &[
            "export",
            "contributions",
            "--debate",
            "solidarites",
            "--format",
            "csv",
            "--output",
            out.to_str().unwrap_or(""),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        std::fs::read_to_string(&out)
            .expect("export")
            .starts_with("id,question_id,question,")
    );
    let o = concorde(
        &d,
        &[
            "export",
            "contributions",
            "--debate",
            "solidarites",
            "--format",
            "xml",
        ],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("use csv, jsonl or xlsx"));
    let o = concorde(&d, &["export", "contributions", "--debate", "nulle-part"]);
    assert!(stderr(&o).contains("no debate with the slug"));

    let o = concorde(
        &d,
        &[
            "user",
            "create",
            "--email",
            "maire@example.org",
            "--role",
            "admin",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("password: "),
        "a generated password is printed"
    );
    let o = concorde(
        &d,
        &[
            "user",
            "create",
            "--email",
            "maire@example.org",
            "--role",
            "guarantor",
        ],
    );
    assert!(stdout(&o).contains("roles: guarantor"));
    // Bad input: a clear message and a failure status.
    let o = concorde(
        &d,
        &[
            "user",
            "create",
            "--email",
            "pas-une-adresse",
            "--password",
            "un mot de passe solide",
        ],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("invalid e-mail address"));
    let o = concorde(
        &d,
        &[
            "user",
            "create",
            "--email",
            "x@example.org",
            "--role",
            "emperor",
            "--password",
            "un mot de passe solide",
        ],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("unknown role"));
    let o = concorde(
        &d,
        &[
            "user",
            "create",
            "--email",
            "y@example.org",
            "--password",
            "court",
        ],
    );
    assert!(stderr(&o).contains("at least 10 characters"));
    let o = concorde(&d, &["serve", "--listen", "pas une adresse"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("listen must be an address"));
}

#[test]
fn analyze_a_committed_sample_of_real_answers() {
    // 480 real answers of the Grand Débat National 2019 (see the fixture's README).
    let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../analysis/tests/fixtures/gdn_sample.jsonl");
    let d = temp("analyze");
    let (out1, out2) = (d.join("r1.json"), d.join("r2.json"));
    let html = d.join("s.html");
    let run = |out: &PathBuf| {
        concorde(
            &d,
            &[
                "analyze",
                "--input",
                sample.to_str().unwrap_or(""),
                "--label-field",
                "question",
                "--output",
                out.to_str().unwrap_or(""),
                "--html",
                html.to_str().unwrap_or(""),
            ],
        )
    };
    let o = run(&out1);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("evaluation: nmi"));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out1).expect("result")).expect("valid JSON");
    let themes = json["themes"].as_array().expect("themes");
    assert!(themes.len() >= 3, "{} themes", themes.len());
    for t in themes {
        assert!(!t["label"].as_str().unwrap_or("").is_empty());
        assert!(!t["keyphrases"].as_array().expect("keyphrases").is_empty());
        assert!(t["size"].as_u64().unwrap_or(0) > 0);
        assert!(
            !t["representatives"]
                .as_array()
                .expect("representatives")
                .is_empty()
        );
    }
    assert!(json["duplicates"].is_array());
    assert!(json["settings"].is_object());
    let nmi = json["evaluation"]["nmi"].as_f64().expect("nmi");
    assert!(nmi > 0.3, "nmi {nmi}");
    assert!(
        std::fs::read_to_string(&html)
            .expect("html")
            .contains("<html")
    );
    // Reproducible: the same input and settings give the same bytes.
    assert!(run(&out2).status.success());
    assert_eq!(
        std::fs::read(&out1).expect("r1"),
        std::fs::read(&out2).expect("r2")
    );

    // Bad input: a missing file, a file with broken lines.
    let o = concorde(&d, &["analyze", "--input", "/nonexistent/file.jsonl"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("not found"));
    let bad = d.join("bad.jsonl");
    std::fs::write(
        &bad,
        b"{\"text\":\"Plus de transports en commun\"}\n\xff\xfe\n{\"text\": broken\n",
    )
    .expect("write");
    let o = concorde(&d, &["analyze", "--input", bad.to_str().unwrap_or("")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("line 2") && stderr(&o).contains("line 3"));
    assert!(stdout(&o).contains("2 rejected lines"));
}
