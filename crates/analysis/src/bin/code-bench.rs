//! Assisted-coding driver for benchmarks, the same code path as `concorde code suggest`:
//! `code-bench --train CODED.jsonl --input UNCODED.jsonl --output SUGGESTED.jsonl
//!  [--min-confidence X]`. Prints the run summary as one JSON line on stdout.

use std::path::PathBuf;
use std::process::ExitCode;

use analysis::coding::{run_files, CodingSettings};

fn main() -> ExitCode {
    let mut train = None;
    let mut input = None;
    let mut output = None;
    let mut settings = CodingSettings::default();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--train" => train = args.next().map(PathBuf::from),
            "--input" => input = args.next().map(PathBuf::from),
            "--output" => output = args.next().map(PathBuf::from),
            "--min-confidence" => match args.next().and_then(|v| v.parse().ok()) {
                Some(v) => settings.min_confidence = v,
                None => {
                    eprintln!("error: --min-confidence needs a number between 0 and 1");
                    return ExitCode::FAILURE;
                }
            },
            other => {
                eprintln!("error: unknown argument {other}");
                return ExitCode::FAILURE;
            }
        }
    }
    let (Some(train), Some(input), Some(output)) = (train, input, output) else {
        eprintln!("error: --train, --input and --output are required");
        return ExitCode::FAILURE;
    };
    match run_files(&train, &input, &output, &settings) {
        Ok(summary) => {
            println!("{}", serde_json::to_string(&summary).unwrap_or_default());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
