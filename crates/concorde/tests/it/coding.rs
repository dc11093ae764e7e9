//! `concorde code suggest`, run as a separate process on small files: suggestions with their
//! confidence and terms, abstention, and clear messages on bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn code_suggest(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_concorde"))
        .args(["code", "suggest"])
        .args(args)
        .output()
        .expect("run concorde")
}

fn temp() -> PathBuf {
    let d = std::env::temp_dir().join(format!("concorde-code-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn write(dir: &Path, name: &str, lines: &[String]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, lines.join("\n")).expect("write");
    p.display().to_string()
}

fn line(id: &str, text: &str, codes: &str) -> String {
    format!("{{\"id\": \"{id}\", \"text\": \"{text}\", \"codes\": {codes}}}")
}

#[test]
fn suggests_abstains_and_explains_bad_input() {
    let d = temp();
    let mut coded = Vec::new();
    for i in 0..30 {
        coded.push(line(
            &format!("t{i}"),
            &format!("des pistes cyclables et le vélo en ville {i}"),
            "[\"mobilité\"]",
        ));
        coded.push(line(
            &format!("f{i}"),
            &format!("baisser la TVA et les impôts des ménages {i}"),
            "[\"fiscalité\"]",
        ));
    }
    coded.push(line("bad", "texte", "\"fiscalité\""));
    let train = write(&d, "coded.jsonl", &coded);
    let input = write(
        &d,
        "uncoded.jsonl",
        &[
            "{\"id\": \"u1\", \"text\": \"plus de pistes cyclables pour le vélo\"}".into(),
            "{\"id\": \"u2\", \"text\": \"la météo de demain\"}".into(),
        ],
    );
    let output = d.join("suggested.jsonl").display().to_string();
    let o = code_suggest(&["--train", &train, "--input", &input, "--output", &output]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        out.contains("line 61") && out.contains("not a list"),
        "{out}"
    );
    assert!(out.contains("learnt 2 codes from 60"), "{out}");
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&output)
        .expect("output")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], "u1");
    assert_eq!(lines[0]["codes"][0]["code"], "mobilité");
    assert!(lines[0]["codes"][0]["confidence"].as_f64().unwrap_or(0.0) >= 0.8);
    assert!(
        lines[0]["codes"][0]["terms"]
            .as_array()
            .is_some_and(|t| !t.is_empty())
    );
    // Nothing it knows about: no suggestion rather than a guess.
    assert_eq!(lines[1]["codes"].as_array().map(Vec::len), Some(0));

    // No coded example at all: a clear error, not an empty file.
    let empty = write(
        &d,
        "empty.jsonl",
        &[line("x", "texte", "\"pas une liste\"")],
    );
    let o = code_suggest(&["--train", &empty, "--input", &input, "--output", &output]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("no coded example") && err.contains("not a list"),
        "{err}"
    );
}
